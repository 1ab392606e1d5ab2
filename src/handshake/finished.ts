// Finished (RFC 8446 §4.4.4): making ours, and the check that is the only way
// to obtain a FinishedVerified proof.

import type { HandshakeTrafficSecret } from '../keyschedule.js';
import type { Finished } from '../wire/finished.js';

/**
 * Proof that the peer's Finished matched the transcript under its handshake
 * traffic secret. The class is not exported: only {@link checkFinished}
 * makes one, and the connected state cannot be built without it.
 */
class FinishedVerifiedImpl {
  readonly #proof = true;

  /** Always true; reading it keeps the private brand in use. */
  get valid(): boolean {
    return this.#proof;
  }
}

/** See {@link checkFinished}. */
export type FinishedVerified = FinishedVerifiedImpl;

/**
 * Checks the peer's Finished.verify_data in constant time; a mismatch is
 * decrypt_error (§4.4.4).
 * @param secret the peer's handshake traffic secret
 * @param transcriptHash Transcript-Hash up to, not including, this Finished
 */
export function checkFinished(secret: HandshakeTrafficSecret, transcriptHash: Uint8Array, message: Finished): FinishedVerified {
  secret.verifyFinished(transcriptHash, message.verifyData);
  return new FinishedVerifiedImpl();
}

/**
 * Our Finished (§4.4.4) under our handshake traffic secret.
 * @example ctx.sendHandshake(makeFinished(clientHs, transcript.digest()))
 */
export function makeFinished(secret: HandshakeTrafficSecret, transcriptHash: Uint8Array): Finished {
  return { type: 'finished', verifyData: secret.verifyData(transcriptHash) };
}
