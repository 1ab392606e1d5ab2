// Typed errors the wrappers throw for content (not argument-shape) failures.

/**
 * A key was well-formed in size and type but unusable: for X25519, a peer
 * public key that yields the all-zero shared secret (RFC 7748 §6.1).
 * @example
 * try {
 *   x25519.getSharedSecret(secretKey, peerPublicKey);
 * } catch (e) {
 *   if (e instanceof InvalidKeyError) sendAlert('illegal_parameter');
 * }
 */
export class InvalidKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKeyError';
  }
}
