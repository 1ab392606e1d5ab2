// cookie (RFC 8446 §4.2.2): HelloRetryRequest, echoed in the second ClientHello.

import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** `struct { opaque cookie<1..2^16-1>; } Cookie`. */
export interface Cookie {
  type: 'cookie';
  cookie: Uint8Array;
}

/** Reads cookie. */
export function readCookie(r: Reader): Cookie {
  return { type: 'cookie', cookie: r.opaque16('cookie', 1, 0xffff) };
}

/** Writes cookie. */
export function writeCookie(w: Writer, e: Cookie): void {
  w.opaque16('cookie', e.cookie, 1, 0xffff);
}
