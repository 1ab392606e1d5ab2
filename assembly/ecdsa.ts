// ECDSA (FIPS 186-5 §6.4; SEC 1 v2 §4.1): signing with deterministic nonces
// (RFC 6979 §3.2) and verification, on P-256 with SHA-256 (HMAC-SHA256 for
// the nonce) and P-384 with SHA-384 (HMAC-SHA384). Signatures are DER
// (SEQUENCE { INTEGER r, INTEGER s }, RFC 3279 §2.2.3), parsed strictly.
//
// The digest is computed by the caller (the bindings hash in this module
// with hash.ts) and passed in; qlen = hlen for both pairings, so bits2int is
// the plain big-endian integer of the digest (RFC 6979 §2.3.2).
//
// Signing does not normalise s to the lower half of [1, n - 1]: neither
// node:crypto/OpenSSL nor the RFC 6979 vectors do, and ECDSA verifiers accept
// both s and n - s.

import { HMAC_STATE, hmacFinal, hmacInit, hmacUpdate } from './hmac';
import { SHA256, SHA384 } from './hash';
import { IO } from './io';
import {
  eqMask, FE_MAX, fromMont, isZeroMask, limbsFromBytes, limbsToBytes, ltMask, MD_M, modAdd, modReduceOnce,
  modInvVarTime, montInv, montMul, montWipe, toMont,
} from './montgomery';
import { P256, P256_COMB, P256_COMB_TABLES, P256_G_ODD, p256Setup } from './p256';
import { P384, P384_COMB, P384_COMB_TABLES, P384_G_ODD, p384Setup, p384SetupComb } from './p384';
import { CV_FN, CV_FP, decodePoint, ecWipe, mulBaseConstTime, mulDoubleVarTime, toAffineConstTime } from './weierstrass';

// Scalars and points; wiped before every boundary function returns.
const D: usize = memory.data(<i32>FE_MAX, 16);
const Z: usize = memory.data(<i32>FE_MAX, 16);
const KN: usize = memory.data(<i32>FE_MAX, 16);
const R: usize = memory.data(<i32>FE_MAX, 16);
const S: usize = memory.data(<i32>FE_MAX, 16);
const T: usize = memory.data(<i32>FE_MAX, 16);
const U: usize = memory.data(<i32>FE_MAX, 16);
const PT: usize = memory.data(<i32>(FE_MAX * 3), 16);
const AFF: usize = memory.data(<i32>(FE_MAX * 2), 16);
const BYTES: usize = memory.data(<i32>FE_MAX, 16);

// RFC 6979 §3.2 HMAC-DRBG state: K, and V || sep || int2octets(x) ||
// bits2octets(h1) laid out as the message of steps d and f (3 * 48 + 1
// bytes for P-384).
const HST: usize = memory.data(HMAC_STATE, 16);
const HK: usize = memory.data(<i32>FE_MAX, 16);
const HV: usize = memory.data(<i32>FE_MAX * 3 + 16, 16);

function wipeAll(): void {
  memory.fill(D, 0, FE_MAX);
  memory.fill(Z, 0, FE_MAX);
  memory.fill(KN, 0, FE_MAX);
  memory.fill(R, 0, FE_MAX);
  memory.fill(S, 0, FE_MAX);
  memory.fill(T, 0, FE_MAX);
  memory.fill(U, 0, FE_MAX);
  memory.fill(PT, 0, 3 * FE_MAX);
  memory.fill(AFF, 0, 2 * FE_MAX);
  memory.fill(BYTES, 0, FE_MAX);
  memory.fill(HST, 0, HMAC_STATE);
  memory.fill(HK, 0, FE_MAX);
  memory.fill(HV, 0, 3 * FE_MAX + 16);
  ecWipe();
  montWipe();
}

/** out = HMAC keyed with the `hl`-byte HK over `len` bytes at `p`; `out` may be HK or overlap `p`. */
function hmacK(alg: i32, hl: usize, out: usize, p: usize, len: usize): void {
  hmacInit(alg, HST, HK, hl);
  hmacUpdate(alg, HST, p, len);
  hmacFinal(alg, HST, out);
}

/**
 * Appends DER INTEGER of the L-byte big-endian unsigned `v` at `out`
 * (minimal: leading zero bytes dropped, one 0x00 added before a set top bit).
 * Returns the bytes written.
 */
function derInteger(out: usize, v: usize, len: usize): usize {
  let i: usize = 0;
  while (i < len - 1 && load<u8>(v + i) == 0) i++;
  const pad: usize = load<u8>(v + i) >= 0x80 ? 1 : 0;
  const n = len - i + pad;
  store<u8>(out, 0x02);
  store<u8>(out + 1, <u8>n);
  store<u8>(out + 2, 0);
  memory.copy(out + 2 + pad, v + i, len - i);
  return 2 + n;
}

/**
 * ECDSA signature (SEC 1 v2 §4.1.3) on curve `c` of the L-byte digest `h`
 * (hash `alg`, hlen = qlen = 8L) under the L-byte secret key at `key`, with k
 * from RFC 6979 §3.2 and R = k G by the comb `comb`. Writes DER at `out` and
 * returns its length, or 0 when the key is not in [1, n - 1].
 */
function sign(c: usize, alg: i32, comb: usize, combTables: usize, key: usize, h: usize, out: usize): i32 {
  const fn = c + CV_FN;
  const n = <usize>load<u32>(fn);
  const L = n << 2;
  limbsFromBytes(D, key, n);
  if ((scalarOk(c, n, D)) == 0) return 0;
  // bits2int(h1) mod q (RFC 6979 §2.3.2, §2.3.4): h1 < 2^(8L) < 2q, so one
  // conditional subtraction reduces it. Z is also e of SEC 1 §4.1.3 step 5.
  limbsFromBytes(Z, h, n);
  modReduceOnce(fn, Z, Z);
  // RFC 6979 §3.2 steps b-g. HV = V || 0x00 || int2octets(x) || bits2octets(h1).
  memory.fill(HV, 0x01, L);
  memory.fill(HK, 0x00, L);
  memory.copy(HV + L + 1, key, L);
  limbsToBytes(HV + 2 * L + 1, Z, n);
  store<u8>(HV + L, 0x00);
  hmacK(alg, L, HK, HV, 3 * L + 1); // d
  hmacK(alg, L, HV, HV, L); // e
  store<u8>(HV + L, 0x01);
  hmacK(alg, L, HK, HV, 3 * L + 1); // f
  hmacK(alg, L, HV, HV, L); // g
  while (true) {
    // Step h: with qlen = hlen, T = V after one update and k = bits2int(T).
    hmacK(alg, L, HV, HV, L);
    limbsFromBytes(KN, HV, n);
    // The range test leaks only whether this candidate was rejected
    // (probability about 2^-32), never anything about the k finally used.
    if (scalarOk(c, n, KN) != 0) {
      // SEC 1 §4.1.3 steps 1-4: R = k G, r = x_R mod n.
      mulBaseConstTime(c, PT, KN, comb, combTables);
      toAffineConstTime(c, AFF, PT);
      fromMont(c + CV_FP, R, AFF);
      modReduceOnce(fn, R, R);
      // Step 6: s = k^-1 (e + r d) mod n. montMul of a normal-form operand
      // by a Montgomery-form one yields the normal-form product.
      toMont(fn, T, D);
      montMul(fn, T, R, T); // r d
      modAdd(fn, T, T, Z); // e + r d
      toMont(fn, U, KN);
      montInv(fn, U, U); // k^-1, Montgomery form
      montMul(fn, S, T, U);
      // r and s are published, so testing them for zero leaks nothing.
      if (isZeroMask(n, R) == 0 && isZeroMask(n, S) == 0) break;
    }
    // Step h.3: K = HMAC_K(V || 0x00), V = HMAC_K(V).
    store<u8>(HV + L, 0x00);
    hmacK(alg, L, HK, HV, L + 1);
    hmacK(alg, L, HV, HV, L);
  }
  // RFC 3279 §2.2.3: SEQUENCE { r INTEGER, s INTEGER }; at most 104 bytes
  // (P-384), so the length is always one byte.
  limbsToBytes(BYTES, R, n);
  let len = derInteger(out + 2, BYTES, L);
  limbsToBytes(BYTES, S, n);
  len += derInteger(out + 2 + len, BYTES, L);
  store<u8>(out, 0x30);
  store<u8>(out + 1, <u8>len);
  return <i32>(len + 2);
}

/** 0xFFFFFFFF when the n-limb scalar at `k` is in [1, order - 1] of curve `c`, by masks. */
function scalarOk(c: usize, n: usize, k: usize): u32 {
  return ~isZeroMask(n, k) & ltMask(n, k, c + CV_FN + MD_M);
}

/**
 * Reads one DER INTEGER at sig[pos..len) into the L-byte big-endian buffer
 * BYTES. Strict (X.690 §8.3, §10.1): short-form length, no needless leading
 * zero, non-negative, at most L bytes of magnitude. Returns the position after
 * it, or -1.
 */
function derReadInteger(sig: usize, len: isize, pos: isize, L: usize): isize {
  if (pos + 2 > len || load<u8>(sig + <usize>pos) != 0x02) return -1;
  let n = <isize>load<u8>(sig + <usize>pos + 1);
  if (n == 0 || n >= 0x80 || pos + 2 + n > len) return -1;
  let v = sig + <usize>pos + 2;
  const end = pos + 2 + n;
  if (load<u8>(v) >= 0x80) return -1; // negative
  if (load<u8>(v) == 0 && n > 1) {
    if (load<u8>(v + 1) < 0x80) return -1; // non-minimal
    v++;
    n--;
  }
  if (<usize>n > L) return -1;
  memory.fill(BYTES, 0, L);
  memory.copy(BYTES + L - <usize>n, v, <usize>n);
  return end;
}

/**
 * ECDSA verification (SEC 1 v2 §4.1.4) on curve `c` with the digest at
 * h[0..hLen), a SEC 1 public key and a DER signature. Returns 1 when valid,
 * 0 for anything else. All inputs are public, so this branches freely.
 */
function verify(c: usize, gtab: usize, pub: usize, pubLen: usize, h: usize, hLen: usize, sig: usize, sigLen: usize): i32 {
  const fp = c + CV_FP;
  const fn = c + CV_FN;
  const n = <usize>load<u32>(fn);
  const L = n << 2;
  // DER: 30 len (02 len r) (02 len s) with nothing after. The longest
  // signature (104 bytes for P-384) has a one-byte length; a long form is
  // therefore never minimal.
  const sl = <isize>sigLen;
  if (sl < 8 || load<u8>(sig) != 0x30) return 0;
  if (load<u8>(sig + 1) >= 0x80 || <isize>load<u8>(sig + 1) != sl - 2) return 0;
  let pos = derReadInteger(sig, sl, 2, L);
  if (pos < 0) return 0;
  limbsFromBytes(R, BYTES, n);
  pos = derReadInteger(sig, sl, pos, L);
  if (pos != sl) return 0;
  limbsFromBytes(S, BYTES, n);
  // Step 1: r, s in [1, n - 1].
  const order = fn + MD_M;
  if (isZeroMask(n, R) != 0 || ltMask(n, R, order) == 0) return 0;
  if (isZeroMask(n, S) != 0 || ltMask(n, S, order) == 0) return 0;
  // SEC 1 §3.2.2.1 public key validation.
  if (decodePoint(c, AFF, pub, pubLen) == 0) return 0;
  // Steps 4-5: e = bits2int(H) mod n; leftmost qlen bits of a longer digest.
  memory.fill(BYTES, 0, L);
  if (hLen >= L) memory.copy(BYTES, h, L);
  else memory.copy(BYTES + L - hLen, h, hLen);
  limbsFromBytes(Z, BYTES, n);
  modReduceOnce(fn, Z, Z);
  // Step 6: u1 = e s^-1, u2 = r s^-1 (mod n). s is public: variable-time
  // inversion, then into Montgomery form so that montMul by it yields the
  // normal-form products.
  modInvVarTime(fn, T, S);
  toMont(fn, T, T);
  montMul(fn, U, Z, T);
  montMul(fn, D, R, T);
  // Step 7: R' = u1 G + u2 Q; reject O.
  mulDoubleVarTime(c, PT, U, D, AFF, gtab);
  const Zc = PT + 2 * L;
  if (isZeroMask(n, Zc) != 0) return 0;
  // Step 8: x_R' mod n == r, with x_R' = X / Z^2 < p. Without inverting Z:
  // x = r or x = r + n (the latter only when r + n < p).
  montMul(fp, T, Zc, Zc);
  toMont(fp, U, R);
  montMul(fp, U, U, T);
  if (eqMask(n, U, PT) != 0) return 1;
  let carry: u64 = 0;
  for (let j: usize = 0; j < L; j += 4) {
    const s = <u64>load<u32>(R + j) + <u64>load<u32>(order + j) + carry;
    store<u32>(U + j, <u32>s);
    carry = s >> 32;
  }
  if (carry != 0 || ltMask(n, U, fp + MD_M) == 0) return 0;
  toMont(fp, U, U);
  montMul(fp, U, U, T);
  return eqMask(n, U, PT) != 0 ? 1 : 0;
}

// Boundary.

/**
 * P-256 ECDSA sign: secret key at IO[0..32), SHA-256 digest at IO[32..64).
 * Writes the DER signature at IO[0..) and returns its length, or 0 when the
 * key is out of range.
 */
export function ecdsaP256SignIo(): i32 {
  p256Setup();
  const len = sign(P256, SHA256, P256_COMB, P256_COMB_TABLES, IO, IO + 32, PT);
  if (len > 0) memory.copy(IO, PT, <usize>len);
  wipeAll();
  return len;
}

/**
 * P-384 ECDSA sign: secret key at IO[0..48), SHA-384 digest at IO[48..96).
 * Writes the DER signature at IO[0..) and returns its length, or 0 when the
 * key is out of range.
 */
export function ecdsaP384SignIo(): i32 {
  p384SetupComb();
  const len = sign(P384, SHA384, P384_COMB, P384_COMB_TABLES, IO, IO + 48, PT);
  if (len > 0) memory.copy(IO, PT, <usize>len);
  wipeAll();
  return len;
}

/** P-256/SHA-256 verify: public key at IO[0..pubLen), digest (32), then the DER signature. */
export function ecdsaP256VerifyIo(pubLen: i32, sigLen: i32): i32 {
  p256Setup();
  const pub = IO;
  const h = IO + <usize>pubLen;
  const ok = verify(P256, P256_G_ODD, pub, <usize>pubLen, h, 32, h + 32, <usize>sigLen);
  wipeAll();
  return ok;
}

/** P-384/SHA-384 verify: public key at IO[0..pubLen), digest (48), then the DER signature. */
export function ecdsaP384VerifyIo(pubLen: i32, sigLen: i32): i32 {
  p384Setup();
  const pub = IO;
  const h = IO + <usize>pubLen;
  const ok = verify(P384, P384_G_ODD, pub, <usize>pubLen, h, 48, h + 48, <usize>sigLen);
  wipeAll();
  return ok;
}
