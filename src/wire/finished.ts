// Finished (RFC 8446 §4.4.4).

import { decodeError } from '../errors.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** `struct { opaque verify_data[Hash.length]; } Finished`. */
export interface Finished {
  type: 'finished';
  verifyData: Uint8Array;
}

/**
 * Reads a Finished body of exactly `hashLength` bytes (32 for SHA-256 suites,
 * 48 for SHA-384); any other length is decode_error.
 */
export function readFinished(r: Reader, hashLength: number): Finished {
  if (r.remaining !== hashLength) {
    throw decodeError(`${r.context}: verify_data of ${r.remaining} bytes, expected ${hashLength} (the suite's Hash.length)`);
  }
  return { type: 'finished', verifyData: r.bytes(hashLength, 'verify_data') };
}

/** Writes a Finished body. */
export function writeFinished(w: Writer, m: Finished): void {
  w.bytes(m.verifyData, 'verify_data');
}
