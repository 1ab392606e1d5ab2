// NIST P-384 keys and ECDH (SEC 1 v2 §3.2.1, §3.3.1) over the WASM core.

import { InvalidKeyError } from './errors.js';
import { getCore, wipeIo } from './loader.js';
import { bytes, bytesOfLength } from './validate.js';

interface P384Exports {
  p384PublicKeyIo(compressed: number): number;
  p384EcdhIo(pubLen: number): number;
}

/** Size of a P-384 secret key in bytes. */
const SECRET_LEN = 48;

/** The group order n of P-384 (SEC 2 v2 §2.5.1), big-endian. */
const ORDER = Uint8Array.from([
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
  0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
]);

/**
 * 1 <= k < n for a 48-byte big-endian k, looking at every byte whatever
 * their values (no early exit).
 */
export function p384ScalarInRange(k: Uint8Array): boolean {
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
  return new RangeError('secretKey must be a big-endian integer in [1, n - 1] of P-384');
}

/** P-384 (secp384r1) key generation, public keys and ECDH. */
export interface P384 {
  /**
   * A uniformly random secret key in [1, n - 1] (48 bytes, big-endian), by
   * rejection sampling on `crypto.getRandomValues`.
   * @example const secretKey = p384.randomSecretKey();
   */
  randomSecretKey(): Uint8Array;
  /**
   * The public key d G of `secretKey` as a SEC 1 point: 97 bytes
   * (04 || x || y), or 49 (02/03 || x) when `compressed`. Throws a RangeError
   * for a secret key that is not 48 bytes or not in [1, n - 1].
   * @example const publicKey = p384.getPublicKey(secretKey); // 97 bytes, 04...
   */
  getPublicKey(secretKey: Uint8Array, compressed?: boolean): Uint8Array;
  /**
   * ECDH: the 48-byte x coordinate of d Q (RFC 8446 §7.4.2). `publicKey` is a
   * SEC 1 point, uncompressed (97 bytes) or compressed (49 bytes, decompressed
   * and validated); anything else, including points not on the curve, throws
   * an {@link InvalidKeyError} (RFC 8446 §4.2.8.2).
   * @example const shared = p384.getSharedSecret(mySecretKey, peerPublicKey);
   */
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
}

/**
 * NIST P-384 over the constant-time WASM core.
 * @example
 * const a = p384.randomSecretKey();
 * const b = p384.randomSecretKey();
 * p384.getSharedSecret(a, p384.getPublicKey(b)); // equals getSharedSecret(b, getPublicKey(a))
 */
export const p384: P384 = {
  randomSecretKey(): Uint8Array {
    const out = new Uint8Array(SECRET_LEN);
    // Rejects with probability about 2^-190 per draw.
    for (;;) {
      globalThis.crypto.getRandomValues(out);
      if (p384ScalarInRange(out)) return out;
    }
  },

  getPublicKey(secretKey: Uint8Array, compressed = false): Uint8Array {
    bytesOfLength('secretKey', secretKey, SECRET_LEN);
    if (typeof compressed !== 'boolean') throw new TypeError(`compressed must be a boolean, got ${typeof compressed}`);
    const c = getCore();
    c.mem.set(secretKey, c.io);
    const len = (c.x as unknown as P384Exports).p384PublicKeyIo(compressed ? 1 : 0);
    const out = c.mem.slice(c.io, c.io + len);
    wipeIo(c, 97);
    if (len === 0) throw secretKeyError();
    return out;
  },

  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    bytesOfLength('secretKey', secretKey, SECRET_LEN);
    bytes('publicKey', publicKey);
    if (publicKey.length !== 97 && publicKey.length !== 49) {
      throw new InvalidKeyError(`publicKey must be a 97- or 49-byte SEC 1 point, got ${publicKey.length} bytes`);
    }
    const c = getCore();
    c.mem.set(secretKey, c.io);
    c.mem.set(publicKey, c.io + SECRET_LEN);
    const status = (c.x as unknown as P384Exports).p384EcdhIo(publicKey.length);
    const out = c.mem.slice(c.io, c.io + SECRET_LEN);
    wipeIo(c, SECRET_LEN + publicKey.length);
    if (status === 1) return out;
    out.fill(0);
    if (status === -1) throw secretKeyError();
    throw new InvalidKeyError('publicKey is not a valid P-384 point');
  },
};
