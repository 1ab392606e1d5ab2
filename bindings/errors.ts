// Typed errors of the crypto wrappers.

/**
 * Key material that is malformed or invalid: for example a peer's P-256 public
 * key that is not a point on the curve, which RFC 8446 §4.2.8.2 requires a
 * TLS 1.3 peer to reject, or an X25519 public key that yields the all-zero
 * shared secret (RFC 7748 §6.1).
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

/**
 * Thrown by an AEAD's `open` when the tag does not match: the ciphertext, the
 * additional data, the nonce or the key is not the one sealed. No plaintext
 * is released.
 * @example
 * try { aead.open(nonce, sealed, aad) } catch (e) { if (e instanceof AuthenticationError) dropRecord() }
 */
export class AuthenticationError extends Error {
  constructor(message = 'authentication failed: the tag does not match') {
    super(message);
    this.name = 'AuthenticationError';
  }
}
