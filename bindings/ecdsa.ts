// ECDSA (FIPS 186-5 §6.4) over the WASM core: P-256 with SHA-256 and P-384
// with SHA-384, signing with RFC 6979 deterministic nonces, and verification.
// Signatures are DER (RFC 3279 §2.2.3).

import { getCore, wipeIo } from './loader.js';
import { sha256, sha384 } from './sha2.js';
import { bytes, bytesOfLength } from './validate.js';

interface EcdsaExports {
  ecdsaP256SignIo(): number;
  ecdsaP256VerifyIo(pubLen: number, sigLen: number): number;
  ecdsaP384SignIo(): number;
  ecdsaP384VerifyIo(pubLen: number, sigLen: number): number;
}

function exportsOf(): EcdsaExports {
  return getCore().x as unknown as EcdsaExports;
}

/** Longest valid inputs: an uncompressed P-384 point and a P-384 DER signature. */
const MAX_PUBLIC_KEY = 97;
const MAX_SIGNATURE = 104;

function verifyWith(
  fn: (x: EcdsaExports, pubLen: number, sigLen: number) => number,
  digest: (m: Uint8Array) => Uint8Array,
  signature: unknown,
  message: unknown,
  publicKey: unknown,
): boolean {
  const sig = bytes('signature', signature);
  const msg = bytes('message', message);
  const pub = bytes('publicKey', publicKey);
  if (pub.length > MAX_PUBLIC_KEY || sig.length > MAX_SIGNATURE) return false;
  const h = digest(msg);
  const c = getCore();
  c.mem.set(pub, c.io);
  c.mem.set(h, c.io + pub.length);
  c.mem.set(sig, c.io + pub.length + h.length);
  const ok = fn(c.x as unknown as EcdsaExports, pub.length, sig.length);
  wipeIo(c, pub.length + h.length + sig.length);
  return ok === 1;
}

/** ECDSA over P-256 with SHA-256. */
export interface EcdsaP256 {
  /**
   * Signs SHA-256(`message`) with the 32-byte `secretKey`; returns the DER
   * signature (at most 72 bytes). The nonce is deterministic (RFC 6979 §3.2),
   * so the same key and message always give the same signature. s is not
   * normalised to the lower half (like node:crypto and OpenSSL). Throws a
   * RangeError for a key that is not 32 bytes or not in [1, n - 1].
   * @example const sig = ecdsaP256.sign(new TextEncoder().encode('hello'), secretKey);
   */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /**
   * Verifies a DER signature of SHA-256(`message`) under a SEC 1 public key
   * (65 or 33 bytes). Returns false for any invalid signature, encoding or
   * key; throws only a TypeError for arguments that are not Uint8Arrays.
   * @example ecdsaP256.verify(sig, message, p256.getPublicKey(secretKey)); // true
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/**
 * ECDSA P-256/SHA-256 (TLS 1.3 ecdsa_secp256r1_sha256).
 * @example
 * const sk = p256.randomSecretKey();
 * const sig = ecdsaP256.sign(msg, sk);
 * ecdsaP256.verify(sig, msg, p256.getPublicKey(sk)); // true
 */
export const ecdsaP256: EcdsaP256 = {
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    bytes('message', message);
    bytesOfLength('secretKey', secretKey, 32);
    const h = sha256(message);
    const c = getCore();
    c.mem.set(secretKey, c.io);
    c.mem.set(h, c.io + 32);
    const len = exportsOf().ecdsaP256SignIo();
    const out = c.mem.slice(c.io, c.io + len);
    wipeIo(c, 72);
    if (len === 0) throw new RangeError('secretKey must be a big-endian integer in [1, n - 1] of P-256');
    return out;
  },
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    return verifyWith((x, p, s) => x.ecdsaP256VerifyIo(p, s), sha256, signature, message, publicKey);
  },
};

/** ECDSA over P-384 with SHA-384. */
export interface EcdsaP384 {
  /**
   * Signs SHA-384(`message`) with the 48-byte `secretKey`; returns the DER
   * signature (at most 104 bytes). The nonce is deterministic (RFC 6979
   * §3.2, HMAC-SHA384). s is not normalised to the lower half. Throws a
   * RangeError for a key that is not 48 bytes or not in [1, n - 1].
   * @example const sig = ecdsaP384.sign(new TextEncoder().encode('hello'), p384.randomSecretKey());
   */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /**
   * Verifies a DER signature of SHA-384(`message`) under a SEC 1 P-384 public
   * key (97 or 49 bytes). Returns false for any invalid signature, encoding or
   * key; throws only a TypeError for arguments that are not Uint8Arrays.
   * @example ecdsaP384.verify(sig, message, publicKey);
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/**
 * ECDSA P-384/SHA-384 (TLS 1.3 ecdsa_secp384r1_sha384).
 * @example
 * const sk = p384.randomSecretKey();
 * const sig = ecdsaP384.sign(msg, sk);
 * ecdsaP384.verify(sig, msg, p384.getPublicKey(sk)); // true
 */
export const ecdsaP384: EcdsaP384 = {
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    bytes('message', message);
    bytesOfLength('secretKey', secretKey, 48);
    const h = sha384(message);
    const c = getCore();
    c.mem.set(secretKey, c.io);
    c.mem.set(h, c.io + 48);
    const len = exportsOf().ecdsaP384SignIo();
    const out = c.mem.slice(c.io, c.io + len);
    wipeIo(c, 104);
    if (len === 0) throw new RangeError('secretKey must be a big-endian integer in [1, n - 1] of P-384');
    return out;
  },
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    return verifyWith((x, p, s) => x.ecdsaP384VerifyIo(p, s), sha384, signature, message, publicKey);
  },
};
