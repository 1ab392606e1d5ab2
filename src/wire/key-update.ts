// KeyUpdate (RFC 8446 §4.6.3).

import { illegalParameter } from '../errors.js';
import { KeyUpdateRequest } from './constants.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** `struct { KeyUpdateRequest request_update; } KeyUpdate`. */
export interface KeyUpdate {
  type: 'key_update';
  /** True for update_requested (1): the peer must answer with its own KeyUpdate. */
  updateRequested: boolean;
}

/** Reads a KeyUpdate body; request_update other than 0 or 1 is illegal_parameter (§4.6.3). */
export function readKeyUpdate(r: Reader): KeyUpdate {
  const v = r.u8('request_update');
  r.end();
  if (v !== KeyUpdateRequest.update_not_requested && v !== KeyUpdateRequest.update_requested) {
    throw illegalParameter(`${r.context}: request_update must be 0 or 1, got ${v}`);
  }
  return { type: 'key_update', updateRequested: v === KeyUpdateRequest.update_requested };
}

/** Writes a KeyUpdate body. */
export function writeKeyUpdate(w: Writer, m: KeyUpdate): void {
  w.u8(m.updateRequested ? KeyUpdateRequest.update_requested : KeyUpdateRequest.update_not_requested, 'request_update');
}
