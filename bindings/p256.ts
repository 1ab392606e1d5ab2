// NIST P-256 keys and ECDH (SEC 1 v2 §3.2.1, §3.3.1) over the WASM core.

import { InvalidKeyError } from './errors.js';
import { getCore, wipeIo } from './loader.js';
import { bytes, bytesOfLength } from './validate.js';

interface P256Exports {
  p256PublicKeyIo(compressed: number): number;
  p256EcdhIo(pubLen: number): number;
}

/** Size of a P-256 secret key in bytes. */
const SECRET_LEN = 32;

/** The group order n of P-256 (SEC 2 v2 §2.4.2), big-endian. */
const ORDER = Uint8Array.from([
  0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
]);

/**
 * 1 <= k < n for a 32-byte big-endian k, looking at every byte whatever
 * their values (no early exit), so the time does not depend on the key.
 */
export function p256ScalarInRange(k: Uint8Array): boolean {
  let borrow = 0;
  let any = 0;
  for (let i = SECRET_LEN - 1; i >= 0; i--) {
    const d = k[i]! - ORDER[i]! - borrow;
    borrow = (d >>> 31) & 1;
    any |= k[i]!;
  }
  return (borrow & ((any + 0xff) >>> 8)) === 1;
}

function secretKeyError(): RangeError {
  return new RangeError('secretKey must be a big-endian integer in [1, n - 1] of P-256');
}

/** P-256 (secp256r1) key generation, public keys and ECDH. */
export interface P256 {
  /**
   * A uniformly random secret key in [1, n - 1] (32 bytes, big-endian), by
   * rejection sampling on `crypto.getRandomValues`.
   * @example const secretKey = p256.randomSecretKey();
   */
  randomSecretKey(): Uint8Array;
  /**
   * The public key d G of `secretKey` as a SEC 1 point: 65 bytes
   * (04 || x || y), or 33 (02/03 || x) when `compressed`. Throws a RangeError
   * for a secret key that is not 32 bytes or not in [1, n - 1].
   * @example const publicKey = p256.getPublicKey(secretKey); // 65 bytes, 04...
   */
  getPublicKey(secretKey: Uint8Array, compressed?: boolean): Uint8Array;
  /**
   * ECDH: the 32-byte x coordinate of d Q (RFC 8446 §7.4.2). `publicKey` is a
   * SEC 1 point, uncompressed (65 bytes) or compressed (33 bytes, decompressed
   * and validated); anything else, including points not on the curve, throws
   * an {@link InvalidKeyError} (RFC 8446 §4.2.8.2). TLS 1.3 key_share only
   * carries uncompressed points (RFC 8446 §4.2.8.2); enforce that length at
   * the protocol layer.
   * @example const shared = p256.getSharedSecret(mySecretKey, peerPublicKey);
   */
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
}

/**
 * NIST P-256 over the constant-time WASM core.
 * @example
 * const a = p256.randomSecretKey();
 * const b = p256.randomSecretKey();
 * p256.getSharedSecret(a, p256.getPublicKey(b)); // equals getSharedSecret(b, getPublicKey(a))
 */
export const p256: P256 = {
  randomSecretKey(): Uint8Array {
    const out = new Uint8Array(SECRET_LEN);
    // Rejects with probability about 2^-32 per draw.
    for (;;) {
      globalThis.crypto.getRandomValues(out);
      if (p256ScalarInRange(out)) return out;
    }
  },

  getPublicKey(secretKey: Uint8Array, compressed = false): Uint8Array {
    bytesOfLength('secretKey', secretKey, SECRET_LEN);
    if (typeof compressed !== 'boolean') throw new TypeError(`compressed must be a boolean, got ${typeof compressed}`);
    const c = getCore();
    c.mem.set(secretKey, c.io);
    const len = (c.x as unknown as P256Exports).p256PublicKeyIo(compressed ? 1 : 0);
    const out = c.mem.slice(c.io, c.io + len);
    wipeIo(c, 65);
    if (len === 0) throw secretKeyError();
    return out;
  },

  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    bytesOfLength('secretKey', secretKey, SECRET_LEN);
    bytes('publicKey', publicKey);
    if (publicKey.length !== 65 && publicKey.length !== 33) {
      throw new InvalidKeyError(`publicKey must be a 65- or 33-byte SEC 1 point, got ${publicKey.length} bytes`);
    }
    const c = getCore();
    c.mem.set(secretKey, c.io);
    c.mem.set(publicKey, c.io + SECRET_LEN);
    const status = (c.x as unknown as P256Exports).p256EcdhIo(publicKey.length);
    const out = c.mem.slice(c.io, c.io + SECRET_LEN);
    wipeIo(c, SECRET_LEN + publicKey.length);
    if (status === 1) return out;
    out.fill(0);
    if (status === -1) throw secretKeyError();
    throw new InvalidKeyError('publicKey is not a valid P-256 point');
  },
};
