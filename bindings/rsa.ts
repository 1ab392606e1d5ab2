// RSA signatures, RFC 8017: RSASSA-PSS (§8.1) and RSASSA-PKCS1-v1_5 (§8.2)
// with SHA-256/384/512. The modular exponentiations (RSAVP1, and RSASP1
// with CRT, blinding and a fault check) run in the WASM core
// (assembly/rsa.ts); the encodings (EMSA-PSS §9.1, EMSA-PKCS1-v1_5 §9.2)
// run here, over the core's SHA-2. They only handle public data: the
// message, its hash, the salt (recoverable from any signature) and the
// encoded message (the public s^e mod n).

import { type Core, getCore, wipeIo } from './loader.js';
import { HASH_LEN, type HashName, hashName, sha224, sha256, sha384, sha512 } from './sha2.js';
import { bytes } from './validate.js';
import { bitLength, fromHex as hex } from './bytes.js';

/** An RSA public key: big-endian unsigned integers (leading zero bytes allowed). */
export interface RsaPublicKey {
  /** Modulus, 2048 to 4096 bits, odd. */
  readonly n: Uint8Array;
  /** Public exponent, odd, 3 <= e < n. */
  readonly e: Uint8Array;
}

/**
 * An RSA private key in the CRT form of RFC 8017 §3.2 (the two-prime case):
 * big-endian unsigned integers, leading zero bytes allowed. `d` is checked
 * to be a Uint8Array but signing does not use it: the CRT exponents do.
 */
export interface RsaPrivateKey extends RsaPublicKey {
  readonly d: Uint8Array;
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  /** d mod (p - 1). */
  readonly dp: Uint8Array;
  /** d mod (q - 1). */
  readonly dq: Uint8Array;
  /** q^-1 mod p. */
  readonly qi: Uint8Array;
}

interface RsaExports {
  rsaPublicIo(nLen: number, eLen: number): number;
  rsaPrivateIo(nLen: number, eLen: number, pLen: number, qLen: number): number;
}

const MIN_BITS = 2048;
const MAX_BITS = 4096;

/** rsaPrivateIo result codes. */
const OK = 1;
const BAD_KEY = 0;
const BAD_BLIND = -2;

const hashes = { sha224, sha256, sha384, sha512 } as const;

/**
 * DigestInfo DER prefixes, RFC 8017 §9.2 note 1: SEQUENCE { SEQUENCE { OID,
 * NULL }, OCTET STRING (hash length) }, followed by the hash.
 */
const DIGEST_INFO: Readonly<Record<HashName, Uint8Array>> = {
  sha256: hex('3031300d060960864801650304020105000420'),
  sha224: hex('302d300d06096086480165030402040500041c'),
  sha384: hex('3041300d060960864801650304020205000430'),
  sha512: hex('3051300d060960864801650304020305000440'),
};

/** A public key after validation: n and e without leading zeros, and the bit length of n. */
interface PublicParts {
  n: Uint8Array;
  e: Uint8Array;
  bits: number;
}

function component(keyName: string, key: Record<string, unknown>, field: string): Uint8Array {
  return bytes(`${keyName}.${field}`, key[field]);
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return b.subarray(i);
}

/** -1, 0, 1 as a < b, a = b, a > b for big-endian integers without leading zeros (public values). */
function compare(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

function publicParts(keyName: string, key: unknown): PublicParts {
  if (typeof key !== 'object' || key === null) {
    throw new TypeError(`${keyName} must be an object with n and e`);
  }
  const k = key as Record<string, unknown>;
  const n = stripZeros(component(keyName, k, 'n'));
  const e = stripZeros(component(keyName, k, 'e'));
  const bits = bitLength(n);
  if (bits < MIN_BITS || bits > MAX_BITS) {
    throw new RangeError(`${keyName}.n must be ${MIN_BITS} to ${MAX_BITS} bits, got ${bits}`);
  }
  if ((n[n.length - 1]! & 1) === 0) throw new RangeError(`${keyName}.n must be odd`);
  // RFC 8017 §3.1: 3 <= e <= n - 1; e odd (an even e has no inverse mod λ(n)).
  if (e.length === 0 || (e.length === 1 && e[0]! < 3)) throw new RangeError(`${keyName}.e must be at least 3`);
  if ((e[e.length - 1]! & 1) === 0) throw new RangeError(`${keyName}.e must be odd`);
  if (compare(e, n) >= 0) throw new RangeError(`${keyName}.e must be less than ${keyName}.n`);
  return { n, e, bits };
}

/**
 * `value` as exactly `len` big-endian bytes: left-padded, or with its excess
 * leading bytes checked to be zero by OR-ing them (no early exit on secret
 * bytes). Throws a RangeError when the value does not fit.
 */
function fixedLength(name: string, value: Uint8Array, len: number, bound: string): Uint8Array {
  const out = new Uint8Array(len);
  const excess = value.length - len;
  if (excess <= 0) {
    out.set(value, -excess);
    return out;
  }
  let acc = 0;
  for (let i = 0; i < excess; i++) acc |= value[i]!;
  if (acc !== 0) throw new RangeError(`${name} must not be longer than ${bound}`);
  out.set(value.subarray(excess));
  return out;
}

/** RSAVP1 (RFC 8017 §5.2.2) of a k-byte signature: the k-byte EM, or undefined when s >= n. */
function rsavp1(key: PublicParts, signature: Uint8Array): Uint8Array | undefined {
  const c = getCore();
  const x = c.x as unknown as RsaExports;
  const k = key.n.length;
  c.mem.set(key.n, c.io);
  c.mem.set(key.e, c.io + k);
  c.mem.set(signature, c.io + k + key.e.length);
  const ok = x.rsaPublicIo(k, key.e.length);
  const em = ok === 1 ? c.mem.slice(c.io, c.io + k) : undefined;
  wipeIo(c, 2 * k + key.e.length);
  return em;
}

/** A validated private key: the public parts, p and q without leading zeros, dp, dq, qi padded to their primes. */
interface PrivateParts extends PublicParts {
  p: Uint8Array;
  q: Uint8Array;
  /** dp, dq, qi as copies of pLen, qLen, pLen bytes; zeroed after use. */
  crt: Uint8Array[];
}

function privateParts(keyName: string, key: unknown): PrivateParts {
  const pub = publicParts(keyName, key);
  const k = key as Record<string, unknown>;
  component(keyName, k, 'd');
  const p = stripZeros(component(keyName, k, 'p'));
  const q = stripZeros(component(keyName, k, 'q'));
  const dp = component(keyName, k, 'dp');
  const dq = component(keyName, k, 'dq');
  const qi = component(keyName, k, 'qi');
  if (p.length === 0 || q.length === 0 || (p[p.length - 1]! & q[q.length - 1]! & 1) === 0) {
    throw new RangeError(`${keyName}.p and ${keyName}.q must be odd primes`);
  }
  // p q = n bounds their byte lengths; the core checks p q = n exactly.
  const nLen = pub.n.length;
  if (p.length + q.length > nLen + 1 || p.length + q.length < nLen) {
    throw new RangeError(`${keyName}.p and ${keyName}.q do not match the length of ${keyName}.n`);
  }
  const crt = [
    fixedLength(`${keyName}.dp`, dp, p.length, `${keyName}.p`),
    fixedLength(`${keyName}.dq`, dq, q.length, `${keyName}.q`),
    fixedLength(`${keyName}.qi`, qi, p.length, `${keyName}.p`),
  ];
  return { ...pub, p, q, crt };
}

/**
 * RSASP1 with CRT (RFC 8017 §5.2.1) of a k-byte representative `em` (< n).
 * Key components go straight into WASM memory, next to a blinding value
 * drawn there by crypto.getRandomValues; everything written is wiped, and
 * the padded CRT copies are zeroed.
 */
function rsasp1(key: PrivateParts, em: Uint8Array): Uint8Array {
  const c = getCore();
  const x = c.x as unknown as RsaExports;
  const k = key.n.length;
  const total = 3 * k + key.e.length + 3 * key.p.length + 2 * key.q.length;
  try {
    for (let attempt = 0; attempt < 64; attempt++) {
      let at = c.io;
      for (const b of [key.n, key.e, key.p, key.q, ...key.crt, em]) {
        c.mem.set(b, at);
        at += b.length;
      }
      drawBlinding(c, at, key.n);
      const code = x.rsaPrivateIo(k, key.e.length, key.p.length, key.q.length);
      if (code === OK) return c.mem.slice(c.io, c.io + k);
      if (code === BAD_KEY) throw new RangeError('privateKey.p * privateKey.q must equal privateKey.n');
      if (code !== BAD_BLIND) {
        throw new Error('RSA signing failed its s^e = m self-check: inconsistent dp, dq or qi, or a computation fault');
      }
    }
    // Each draw fails with probability below 1/2 + 2^-1000.
    throw new Error('RSA signing could not draw a blinding value');
  } finally {
    wipeIo(c, total);
    for (const b of key.crt) b.fill(0);
  }
}

/** k random bytes at `at` in WASM memory, no longer in bits than n (the core rejects r >= n). */
function drawBlinding(c: Core, at: number, n: Uint8Array): void {
  // WebAssembly memory is a plain ArrayBuffer (the module declares no shared memory).
  const r = c.mem.subarray(at, at + n.length) as Uint8Array<ArrayBuffer>;
  globalThis.crypto.getRandomValues(r);
  r[0]! &= 0xff >>> (Math.clz32(n[0]!) - 24);
}

/** Constant-time equality of equal-length byte strings: OR of the differences. */
function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc |= a[i]! ^ b[i]!;
  return acc === 0;
}

/** EMSA-PKCS1-v1_5-ENCODE, RFC 8017 §9.2: 00 01 FF..FF 00 || DigestInfo || H, emLen bytes. */
function emsaPkcs1v15(hash: HashName, message: Uint8Array, emLen: number): Uint8Array {
  const prefix = DIGEST_INFO[hash];
  const tLen = prefix.length + HASH_LEN[hash];
  // Step 3; unreachable for moduli of 2048 bits and more (tLen <= 83).
  if (emLen < tLen + 11) throw new RangeError('intended encoded message length too short');
  const em = new Uint8Array(emLen).fill(0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[emLen - tLen - 1] = 0x00;
  em.set(prefix, emLen - tLen);
  em.set(hashes[hash](message), emLen - HASH_LEN[hash]);
  return em;
}

/** MGF1, RFC 8017 §B.2.1: Hash(seed || C) for C = 0, 1, ... (4-byte big-endian), truncated to len. */
function mgf1(hash: HashName, seed: Uint8Array, len: number): Uint8Array {
  const hLen = HASH_LEN[hash];
  const out = new Uint8Array(Math.ceil(len / hLen) * hLen);
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  for (let counter = 0, at = 0; at < len; counter++, at += hLen) {
    new DataView(input.buffer).setUint32(seed.length, counter);
    out.set(hashes[hash](input), at);
  }
  return out.subarray(0, len);
}

/** H = Hash(M') with M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt, RFC 8017 §9.1.1 steps 5-6. */
function pssHash(hash: HashName, mHash: Uint8Array, salt: Uint8Array): Uint8Array {
  const mPrime = new Uint8Array(8 + mHash.length + salt.length);
  mPrime.set(mHash, 8);
  mPrime.set(salt, 8 + mHash.length);
  return hashes[hash](mPrime);
}

/** EMSA-PSS-ENCODE, RFC 8017 §9.1.1, sLen = hLen, MGF1 with the same hash; emLen = ceil(emBits / 8). */
function emsaPssEncode(hash: HashName, message: Uint8Array, emBits: number): Uint8Array {
  const hLen = HASH_LEN[hash];
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  // Step 3; unreachable for moduli of 2048 bits and more.
  if (emLen < hLen + sLen + 2) throw new RangeError('encoding error: modulus too short for the hash');
  const mHash = hashes[hash](message);
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(sLen));
  const h = pssHash(hash, mHash, salt);
  // Steps 7-8: DB = PS || 0x01 || salt, emLen - hLen - 1 bytes.
  const dbLen = emLen - hLen - 1;
  const db = new Uint8Array(dbLen);
  db[dbLen - sLen - 1] = 0x01;
  db.set(salt, dbLen - sLen);
  // Steps 9-11: maskedDB = DB xor MGF(H), leftmost 8 emLen - emBits bits cleared.
  const mask = mgf1(hash, h, dbLen);
  for (let i = 0; i < dbLen; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >>> (8 * emLen - emBits);
  // Step 12: EM = maskedDB || H || 0xbc.
  const em = new Uint8Array(emLen);
  em.set(db);
  em.set(h, dbLen);
  em[emLen - 1] = 0xbc;
  return em;
}

/** EMSA-PSS-VERIFY, RFC 8017 §9.1.2, sLen = hLen, MGF1 with the same hash. */
function emsaPssVerify(hash: HashName, message: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = HASH_LEN[hash];
  const sLen = hLen;
  const emLen = em.length;
  // Steps 1-2: the message length limit of SHA-2 (2^61 bytes and more) cannot occur here.
  const mHash = hashes[hash](message);
  // Step 3.
  if (emLen < hLen + sLen + 2) return false;
  // Step 4: the rightmost octet must be 0xbc.
  if (em[emLen - 1] !== 0xbc) return false;
  // Step 5: maskedDB and H.
  const dbLen = emLen - hLen - 1;
  const h = em.subarray(dbLen, dbLen + hLen);
  // Step 6: the leftmost 8 emLen - emBits bits of maskedDB must be zero.
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((em[0]! & ~topMask) !== 0) return false;
  // Steps 7-9: DB = maskedDB xor MGF(H, dbLen), leftmost bits cleared.
  const db = mgf1(hash, h, dbLen);
  for (let i = 0; i < dbLen; i++) db[i]! ^= em[i]!;
  db[0]! &= topMask;
  // Step 10: emLen - hLen - sLen - 2 zero octets, then 0x01.
  const psLen = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  // Steps 11-14: salt, M', H' = Hash(M'), H = H'.
  const salt = db.subarray(dbLen - sLen);
  return equal(pssHash(hash, mHash, salt), h);
}

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature (RFC 8017 §8.2.2) by re-encoding:
 * the expected EM (§9.2, DigestInfo with the NULL parameters) is built and
 * compared with s^e mod n in full, never parsed. Returns false for any bad
 * signature, including one of the wrong length or not below n.
 *
 * Throws TypeError when `hash` is not 'sha224', 'sha256', 'sha384' or 'sha512', when
 * signature or message is not a Uint8Array, or when publicKey is not an
 * object with Uint8Array n and e; RangeError when n is not 2048 to 4096
 * bits or is even, or when e is even, below 3 or not below n.
 *
 * @example
 * const ok = rsa.verifyPkcs1v15('sha256', signature, message, { n, e });
 */
export function verifyPkcs1v15(hash: HashName, signature: Uint8Array, message: Uint8Array, publicKey: RsaPublicKey): boolean {
  hashName('hash', hash);
  bytes('signature', signature);
  bytes('message', message);
  const key = publicParts('publicKey', publicKey);
  // §8.2.2 step 1: the signature is exactly k octets.
  if (signature.length !== key.n.length) return false;
  const em = rsavp1(key, signature);
  if (em === undefined) return false;
  return equal(em, emsaPkcs1v15(hash, message, key.n.length));
}

/**
 * Verifies an RSASSA-PSS signature (RFC 8017 §8.1.2) with MGF1 over the
 * same hash and a salt as long as the hash, as TLS 1.3 rsa_pss_rsae_* and
 * rsa_pss_pss_* require (RFC 8446 §4.2.3). Returns false for any bad
 * signature, including one of the wrong length or not below n. Throws like
 * {@link verifyPkcs1v15} for bad arguments.
 *
 * @example
 * const ok = rsa.verifyPss('sha256', signature, message, { n, e });
 */
export function verifyPss(hash: HashName, signature: Uint8Array, message: Uint8Array, publicKey: RsaPublicKey): boolean {
  hashName('hash', hash);
  bytes('signature', signature);
  bytes('message', message);
  const key = publicParts('publicKey', publicKey);
  // §8.1.2 step 1.
  if (signature.length !== key.n.length) return false;
  const m = rsavp1(key, signature);
  if (m === undefined) return false;
  // Step 2.c: EM = I2OSP(m, emLen), emLen = ceil((modBits - 1) / 8); when
  // that is k - 1 octets, m must fit ("integer too large" otherwise).
  const emBits = key.bits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < m.length && m[0] !== 0) return false;
  return emsaPssVerify(hash, message, m.subarray(m.length - emLen), emBits);
}

/**
 * Signs with RSASSA-PSS (RFC 8017 §8.1.1): MGF1 over the same hash, a
 * random salt as long as the hash (crypto.getRandomValues). The private
 * operation uses CRT with constant-time fixed-window exponentiation,
 * random base blinding, and checks s^e = m before returning; key material
 * is wiped from WASM memory afterwards. Returns a signature as long as n.
 *
 * Throws TypeError for a bad `hash`, a non-Uint8Array message or key
 * component, or a key that is not an object; RangeError when n, e are
 * invalid (as for {@link verifyPkcs1v15}), when p or q is even or their
 * lengths do not fit n, when dp, dq or qi is longer than its prime, or when
 * p q != n; Error when the result fails its self-check (dp, dq or qi
 * inconsistent with the key, or a computation fault).
 *
 * @example
 * const signature = rsa.signPss('sha256', message, { n, e, d, p, q, dp, dq, qi });
 */
export function signPss(hash: HashName, message: Uint8Array, privateKey: RsaPrivateKey): Uint8Array {
  hashName('hash', hash);
  bytes('message', message);
  const key = privateParts('privateKey', privateKey);
  const em = emsaPssEncode(hash, message, key.bits - 1);
  // §8.1.1 step 2.a: m = OS2IP(EM); as k octets it gains a leading zero when emLen = k - 1.
  const k = key.n.length;
  const padded = new Uint8Array(k);
  padded.set(em, k - em.length);
  return rsasp1(key, padded);
}

/**
 * Signs with RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.1): deterministic, the
 * DigestInfo encoding of §9.2. Same private operation, wiping and errors as
 * {@link signPss}.
 *
 * @example
 * const signature = rsa.signPkcs1v15('sha256', message, { n, e, d, p, q, dp, dq, qi });
 */
export function signPkcs1v15(hash: HashName, message: Uint8Array, privateKey: RsaPrivateKey): Uint8Array {
  hashName('hash', hash);
  bytes('message', message);
  const key = privateParts('privateKey', privateKey);
  return rsasp1(key, emsaPkcs1v15(hash, message, key.n.length));
}

/**
 * RSA signatures (RFC 8017): PSS and PKCS #1 v1.5 verification and signing
 * with SHA-256/384/512, for moduli of 2048 to 4096 bits.
 *
 * @example
 * import { rsa } from 'wasmtls/crypto';
 * const sig = rsa.signPss('sha256', message, privateKey);
 * rsa.verifyPss('sha256', sig, message, { n: privateKey.n, e: privateKey.e }); // true
 */
export const rsa = { verifyPkcs1v15, verifyPss, signPss, signPkcs1v15 } as const;
