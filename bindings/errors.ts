// Errors shared by the wrappers.

/**
 * Thrown by an AEAD's `open` when the tag does not match: the ciphertext, the
 * additional data, the nonce or the key is not the one sealed. No plaintext
 * is released.
 * @example
 * try { aead.open(nonce, sealed, aad) } catch (e) { if (e instanceof AuthenticationError) dropRecord() }
 */
export class AuthenticationError extends Error {
  constructor(message = 'authentication tag mismatch') {
    super(message);
    this.name = 'AuthenticationError';
  }
}
