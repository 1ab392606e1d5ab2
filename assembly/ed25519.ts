// Ed25519, RFC 8032 §5.1: key generation (§5.1.5), signing (§5.1.6) and
// verification (§5.1.7) over SHA-512.
//
// Signing and key generation are constant time: the secret scalar s, the
// nonce r and their products only meet masked table selection (ge25519.ts)
// and branch-free arithmetic mod L (sc25519.ts). Verification handles public
// data and runs in variable time. It is cofactorless and strict: it rejects
// S >= L, public keys that do not decode (y >= p, no square root, x = 0 with
// the sign bit set), and accepts only when the encoding of [S]B - [k]A equals
// the 32 bytes of R, so a non-canonical R never verifies. This is the
// equation RFC 8032 §5.1.7 permits without the factor 8, and the one
// OpenSSL, BoringSSL and Go use; Wycheproof's ed25519_test.json expects it.
//
// Signing reads the message twice (r = H(prefix || M), then k = H(R || A || M)),
// so the boundary streams it in two passes for messages larger than IO.

import { wipe } from './ct';
import { CACHED, P3, geDoubleScalarMultVartime, geFromBytes, geNeg, geScalarMultBase, geToBytes, geToBytes2, geWipe } from './ge25519';
import { IO } from './io';
import { scIsCanonical, scMulAdd, scReduce64 } from './sc25519';
import { SHA512_STATE, sha512Final, sha512Init, sha512Update } from './sha512';

// Signing state, wiped at the end of every operation.
const SGN_LEN: i32 = 224 + SHA512_STATE + 2 * <i32>P3;
const SGN: usize = memory.data(SGN_LEN, 16);
const SEC_S: usize = SGN;            // clamped secret scalar s
const SEC_PREFIX: usize = SGN + 32;  // second half of H(seed)
const PUB_A: usize = SGN + 64;       // encoded public key
const NONCE_R: usize = SGN + 96;     // r = H(prefix || M) mod L
const ENC_R: usize = SGN + 128;      // encoded R = [r]B
const DIGEST: usize = SGN + 160;     // 64-byte hash output
const HS: usize = SGN + 224;         // SHA-512 state
const POINT: usize = HS + SHA512_STATE;
const POINT_A: usize = POINT + P3;   // [s]B, encoded together with R

// Verification state (public data).
const VFY_LEN: i32 = 192 + 2 * <i32>P3 + <i32>CACHED;
const VFY: usize = memory.data(VFY_LEN, 16);
const V_R: usize = VFY;              // R from the signature
const V_S: usize = VFY + 32;         // S from the signature
const V_K: usize = VFY + 64;         // k = H(R || A || M) mod L
const V_CHECK: usize = VFY + 96;     // encoding of [S]B - [k]A
const V_DIGEST: usize = VFY + 128;
const V_NEG_A: usize = VFY + 192;    // -A as P3
const V_RES: usize = V_NEG_A + P3;
const VHS: usize = memory.data(SHA512_STATE, 16);

/** RFC 8032 §5.1.5 steps 1-3: s = clamp(H(seed)[0..32)), prefix = H(seed)[32..64). */
function expand(seed: usize): void {
  sha512Init(HS);
  sha512Update(HS, seed, 32);
  sha512Final(HS, DIGEST, 64);
  memory.copy(SEC_S, DIGEST, 32);
  memory.copy(SEC_PREFIX, DIGEST + 32, 32);
  wipe(DIGEST, 64);
  store<u8>(SEC_S, load<u8>(SEC_S) & 248);
  store<u8>(SEC_S + 31, (load<u8>(SEC_S + 31) & 127) | 64);
}

/** RFC 8032 §5.1.5 step 4: A = [s]B, encoded. */
function publicFromScalar(out: usize): void {
  geScalarMultBase(POINT, SEC_S);
  geToBytes(out, POINT);
}

function wipeSigning(): void {
  wipe(SGN, SGN_LEN);
  geWipe();
}

/** Public key of the 32-byte seed at IO[0..32), written to IO[0..32). */
export function edPublicKeyIo(): void {
  expand(IO);
  publicFromScalar(IO);
  wipeSigning();
}

/**
 * Signing, pass 0: expands the seed at IO[0..32), computes A = [s]B (encoded
 * later, with R) and starts H(prefix || M).
 */
export function edSignInit(): void {
  expand(IO);
  geScalarMultBase(POINT_A, SEC_S);
  sha512Init(HS);
  sha512Update(HS, SEC_PREFIX, 32);
}

/** Absorbs message bytes IO[0..len) into the running hash (either pass). */
export function edSignUpdate(len: i32): void {
  sha512Update(HS, IO, <usize>len);
}

/** Between the passes: r = H(prefix || M) mod L, R = [r]B, start H(R || A || M). */
export function edSignMid(): void {
  sha512Final(HS, DIGEST, 64);
  scReduce64(NONCE_R, DIGEST);
  geScalarMultBase(POINT, NONCE_R);
  geToBytes2(ENC_R, POINT, PUB_A, POINT_A);
  sha512Init(HS);
  sha512Update(HS, ENC_R, 32);
  sha512Update(HS, PUB_A, 32);
}

/** Signing, end: k = H(R || A || M) mod L, S = (r + k·s) mod L; R || S to IO[0..64). */
export function edSignFinal(): void {
  sha512Final(HS, DIGEST, 64);
  scReduce64(DIGEST, DIGEST);
  scMulAdd(IO + 32, DIGEST, SEC_S, NONCE_R);
  memory.copy(IO, ENC_R, 32);
  wipeSigning();
}

/** One-shot signing: seed at IO[0..32), message at IO[32..32+len); signature to IO[0..64). */
export function edSignIo(len: i32): void {
  edSignInit();
  sha512Update(HS, IO + 32, <usize>len);
  edSignMid();
  sha512Update(HS, IO + 32, <usize>len);
  edSignFinal();
}

/**
 * Verification, start: signature at IO[0..64), public key at IO[64..96).
 * Returns 0 when S >= L or the public key does not decode (the signature is
 * then invalid whatever the message), else 1 and starts H(R || A || M).
 */
export function edVerifyInit(): u32 {
  memory.copy(V_R, IO, 64);
  if (scIsCanonical(V_S) == 0) return 0;
  if (geFromBytes(V_NEG_A, IO + 64) == 0) return 0;
  geNeg(V_NEG_A, V_NEG_A);
  sha512Init(VHS);
  sha512Update(VHS, V_R, 32);
  sha512Update(VHS, IO + 64, 32);
  return 1;
}

export function edVerifyUpdate(len: i32): void {
  sha512Update(VHS, IO, <usize>len);
}

/** Verification, end: 1 when encode([S]B + [k](-A)) equals R, else 0. */
export function edVerifyFinal(): u32 {
  sha512Final(VHS, V_DIGEST, 64);
  scReduce64(V_K, V_DIGEST);
  geDoubleScalarMultVartime(V_RES, V_K, V_NEG_A, V_S);
  geToBytes(V_CHECK, V_RES);
  let diff: u64 = 0;
  for (let i: usize = 0; i < 32; i += 8) diff |= load<u64>(V_CHECK + i) ^ load<u64>(V_R + i);
  wipe(VFY, VFY_LEN);
  return diff == 0 ? 1 : 0;
}

/** One-shot verification: signature IO[0..64), public key IO[64..96), message IO[96..96+len). */
export function edVerifyIo(len: i32): u32 {
  if (edVerifyInit() == 0) {
    wipe(VFY, VFY_LEN);
    return 0;
  }
  sha512Update(VHS, IO + 96, <usize>len);
  return edVerifyFinal();
}
