// HKDF (RFC 5869) over the WASM core's HMAC.

import { hmac } from './hmac.js';
import { getCore, wipeIo } from './loader.js';
import { HASH_ID, HASH_LEN, type HashName, hashName } from './sha2.js';
import { bytes, integer } from './validate.js';

interface HkdfExports {
  hkdfIoExpand(alg: number, prkLen: number, infoLen: number, len: number): void;
}

/**
 * HKDF-Extract (RFC 5869 §2.2): PRK = HMAC-Hash(salt, ikm). An empty salt
 * acts as HashLen zero bytes.
 * @example const prk = hkdfExtract('sha256', salt, ikm)
 */
export function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  hashName('hash', hash);
  return hmac(hash, bytes('salt', salt), bytes('ikm', ikm));
}

/**
 * HKDF-Expand (RFC 5869 §2.3) to `length` bytes; throws a RangeError above
 * 255 × HashLen.
 * @example const okm = hkdfExpand('sha256', prk, info, 42)
 */
export function hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  hashName('hash', hash);
  bytes('prk', prk);
  bytes('info', info);
  integer('length', length, 0, 255 * HASH_LEN[hash]);
  const c = getCore();
  const total = prk.length + info.length + length;
  if (total > c.ioSize) {
    throw new RangeError(
      `prk (${prk.length} bytes) + info (${info.length} bytes) + length (${length}) must not exceed ${c.ioSize} bytes`,
    );
  }
  c.mem.set(prk, c.io);
  c.mem.set(info, c.io + prk.length);
  (c.x as unknown as HkdfExports).hkdfIoExpand(HASH_ID[hash], prk.length, info.length, length);
  const at = c.io + prk.length + info.length;
  const out = c.mem.slice(at, at + length);
  wipeIo(c, total);
  return out;
}
