// psk_key_exchange_modes (RFC 8446 §4.2.9): ClientHello only.

import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** `PskKeyExchangeMode ke_modes<1..255>`. Unknown modes are kept; servers ignore them (§4.2.9). */
export interface PskKeyExchangeModes {
  type: 'psk_key_exchange_modes';
  modes: number[];
}

/** Reads psk_key_exchange_modes. */
export function readPskKeyExchangeModes(r: Reader): PskKeyExchangeModes {
  return { type: 'psk_key_exchange_modes', modes: r.u8List('ke_modes', 1, 255) };
}

/** Writes psk_key_exchange_modes. */
export function writePskKeyExchangeModes(w: Writer, e: PskKeyExchangeModes): void {
  w.u8List('ke_modes', e.modes, 1, 255);
}
