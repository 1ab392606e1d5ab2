// Typed errors of the crypto wrappers.

/**
 * Key material that is malformed or invalid: for example a peer's public key
 * that is not a point on the curve, which RFC 8446 §4.2.8.2 requires a TLS
 * 1.3 peer to reject.
 * @example
 * try {
 *   p256.getSharedSecret(secretKey, peerKey);
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
