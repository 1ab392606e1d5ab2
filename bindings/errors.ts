// Errors shared by the wrappers.

/**
 * An AEAD open found that the tag does not match: the ciphertext, the
 * associated data, the nonce or the key is not the one sealed. No plaintext
 * is released.
 * @example
 * try { aead.open(nonce, sealed, aad) } catch (e) { if (e instanceof AuthenticationError) drop(); else throw e }
 */
export class AuthenticationError extends Error {
  constructor(message = 'authentication failed: the tag does not match') {
    super(message);
    this.name = 'AuthenticationError';
  }
}
