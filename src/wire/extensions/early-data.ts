// early_data (RFC 8446 §4.2.10): empty in ClientHello and EncryptedExtensions,
// max_early_data_size in NewSessionTicket.

import { decodeError } from '../../errors.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** ClientHello / EncryptedExtensions form: `struct {} Empty`. */
export interface EarlyDataIndication {
  type: 'early_data';
}

/** NewSessionTicket form: `uint32 max_early_data_size`. */
export interface EarlyDataTicket {
  type: 'early_data';
  maxEarlyDataSize: number;
}

/** Reads the empty form. */
export function readEarlyDataIndication(r: Reader): EarlyDataIndication {
  if (!r.isEmpty) throw decodeError(`${r.context}: must be empty, got ${r.remaining} bytes`);
  return { type: 'early_data' };
}

/** Writes the empty form (nothing). */
export function writeEarlyDataIndication(_w: Writer, _e: EarlyDataIndication): void {}

/** Reads the NewSessionTicket form. */
export function readEarlyDataTicket(r: Reader): EarlyDataTicket {
  return { type: 'early_data', maxEarlyDataSize: r.u32('max_early_data_size') };
}

/** Writes the NewSessionTicket form. */
export function writeEarlyDataTicket(w: Writer, e: EarlyDataTicket): void {
  w.u32(e.maxEarlyDataSize, 'max_early_data_size');
}
