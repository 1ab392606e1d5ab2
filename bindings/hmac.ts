// HMAC (RFC 2104) over the WASM core's SHA-2.

import { getCore, wipeIo } from './loader.js';
import { HASH_ID, HASH_LEN, type HashName, hashName, sha224, sha256, sha384, sha512 } from './sha2.js';
import { bytes } from './validate.js';

interface HmacExports {
  hmacIo(alg: number, keyLen: number, dataLen: number): void;
  hmacIoInit(alg: number, keyLen: number): void;
  hmacIoUpdate(alg: number, len: number): void;
  hmacIoFinal(alg: number): void;
}

/**
 * HMAC of `data` under `key` with the named hash.
 * @example hmac('sha256', key, data)
 */
export function hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  hashName('hash', hash);
  bytes('key', key);
  bytes('data', data);
  const c = getCore();
  const x = c.x as unknown as HmacExports;
  const alg = HASH_ID[hash];
  const outLen = HASH_LEN[hash];
  if (key.length + data.length <= c.ioSize) {
    c.mem.set(key, c.io);
    c.mem.set(data, c.io + key.length);
    x.hmacIo(alg, key.length, data.length);
    const out = c.mem.slice(c.io, c.io + outLen);
    wipeIo(c, Math.max(key.length + data.length, outLen));
    return out;
  }
  // Keys longer than IO would have to be hashed in chunks first (RFC 2104 §2).
  const k = key.length > c.ioSize ? hashLongKey(hash, key) : key;
  c.mem.set(k, c.io);
  x.hmacIoInit(alg, k.length);
  wipeIo(c, k.length);
  for (let off = 0; off < data.length; off += c.ioSize) {
    const n = Math.min(c.ioSize, data.length - off);
    c.mem.set(data.subarray(off, off + n), c.io);
    x.hmacIoUpdate(alg, n);
    wipeIo(c, n);
  }
  x.hmacIoFinal(alg);
  const out = c.mem.slice(c.io, c.io + outLen);
  wipeIo(c, outLen);
  if (k !== key) k.fill(0);
  return out;
}

function hashLongKey(hash: HashName, key: Uint8Array): Uint8Array {
  const h = hashFunctions[hash].create();
  return h.update(key).digest();
}

const hashFunctions = { sha224, sha256, sha384, sha512 } as const;

/** HMAC-SHA256 (RFC 2104, RFC 4231). @example hmacSha256(key, data) */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac('sha256', key, data);
}

/** HMAC-SHA384. @example hmacSha384(key, data) */
export function hmacSha384(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac('sha384', key, data);
}

/** HMAC-SHA512. @example hmacSha512(key, data) */
export function hmacSha512(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac('sha512', key, data);
}
