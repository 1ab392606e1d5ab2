// NIST P-384 (secp384r1): domain parameters of SEC 2 v2 §2.5.1 (= SP 800-186
// §3.2.1.4), public-key derivation (SEC 1 v2 §3.2.1) and ECDH (SEC 1 v2
// §3.3.1; RFC 8446 §7.4.2 takes the x-coordinate as the shared secret), as
// the secp384r1 TLS group needs; ECDSA signing and verification are in
// ecdsa.ts.
//
// Secret scalars only meet constant-time code, the same as P-256: the comb
// for k G, the fixed 4-bit window for k Q (weierstrass.ts), Fermat
// inversion. The comb tables are built on first use.

import { IO } from './io';
import { fromMont, isZeroMask, limbsFromBytes, limbsToBytes, ltMask, montWipe, MD_M, MOD_P384 } from './montgomery';
import {
  buildCombTables, buildOddMultiplesOfG, curveSetup, CV_FN, CV_FP, CV_SIZE, decodePoint, ecWipe, encodePoint,
  G_ODD, mulBaseConstTime, mulConstTime, toAffineConstTime,
} from './weierstrass';

const N: usize = 12;
const L: usize = 48;

// SEC 2 v2 §2.5.1, as little-endian u32 limbs.
const P: usize = memory.data<u32>([
  0xffffffff, 0x00000000, 0x00000000, 0xffffffff, 0xfffffffe, 0xffffffff,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
]);
const ORDER: usize = memory.data<u32>([
  0xccc52973, 0xecec196a, 0x48b0a77a, 0x581a0db2, 0xf4372ddf, 0xc7634d81,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
]);
const B: usize = memory.data<u32>([
  0xd3ec2aef, 0x2a85c8ed, 0x8a2ed19d, 0xc656398d, 0x5013875a, 0x0314088f,
  0xfe814112, 0x181d9c6e, 0xe3f82d19, 0x988e056b, 0xe23ee7e4, 0xb3312fa7,
]);
const GX: usize = memory.data<u32>([
  0x72760ab7, 0x3a545e38, 0xbf55296c, 0x5502f25d, 0x82542a38, 0x59f741e0,
  0x8ba79b98, 0x6e1d3b62, 0xf320ad74, 0x8eb1c71e, 0xbe8b0537, 0xaa87ca22,
]);
const GY: usize = memory.data<u32>([
  0x90ea0e5f, 0x7a431d7c, 0x1d7e819d, 0x0a60b1ce, 0xb5f0b8c0, 0xe9da3113,
  0x289a147c, 0xf8f41dbd, 0x9292dc29, 0x5d9e98bf, 0x96262c6f, 0x3617de4a,
]);

/** The curve descriptor (weierstrass.ts layout). */
export const P384: usize = memory.data(<i32>CV_SIZE, 16);
/** Odd multiples of G for verification. */
export const P384_G_ODD: usize = memory.data(<i32>(G_ODD * 2 * L), 16);
/**
 * Comb tables for k G: 8 tables of 15 affine points (11.25 KiB), 11
 * doublings and 96 mixed additions per multiplication (384 bits, spacing 12),
 * the P-256 layout at the larger size. Zero-initialised, so not in the
 * module's bytes.
 */
export const P384_COMB_TABLES: usize = 8;
export const P384_COMB: usize = memory.data(<i32>(P384_COMB_TABLES * 15 * 2 * L), 16);

let ready = false;
let combReady = false;

/** Fills the descriptor and the table of odd multiples of G, once. */
export function p384Setup(): void {
  if (ready) return;
  curveSetup(P384, N, P, ORDER, B, GX, GY, MOD_P384);
  buildOddMultiplesOfG(P384, P384_G_ODD);
  ecWipe();
  ready = true;
}

/** p384Setup and the comb tables, once: only key generation and signing need them. */
export function p384SetupComb(): void {
  p384Setup();
  if (combReady) return;
  buildCombTables(P384, P384_COMB, P384_COMB_TABLES);
  ecWipe();
  combReady = true;
}

// Scratch for the boundary functions; all of it is wiped before they return.
const K: usize = memory.data(<i32>L, 16);
const PT: usize = memory.data(<i32>(L * 3), 16);
const AFF: usize = memory.data(<i32>(L * 2), 16);
const Q: usize = memory.data(<i32>(L * 2), 16);

/**
 * Reads a 48-byte big-endian secret scalar into `k` and returns 0xFFFFFFFF
 * when 1 <= k < n (SEC 1 v2 §3.2.1), without branching on it.
 */
export function p384LoadScalar(k: usize, p: usize): u32 {
  limbsFromBytes(k, p, N);
  return ~isZeroMask(N, k) & ltMask(N, k, P384 + CV_FN + MD_M);
}

function wipeAll(): void {
  memory.fill(K, 0, L);
  memory.fill(PT, 0, 3 * L);
  memory.fill(AFF, 0, 2 * L);
  memory.fill(Q, 0, 2 * L);
  ecWipe();
  montWipe();
}

/**
 * SEC 1 v2 §3.2.1: public key d G of the secret key at IO[0..48), written as
 * a SEC 1 point (97 bytes, or 49 when `compressed`) at IO[0..). Returns the
 * length, or 0 when the key is not in [1, n - 1].
 */
export function p384PublicKeyIo(compressed: i32): i32 {
  p384SetupComb();
  if (p384LoadScalar(K, IO) == 0) {
    wipeAll();
    return 0;
  }
  mulBaseConstTime(P384, PT, K, P384_COMB, P384_COMB_TABLES);
  toAffineConstTime(P384, AFF, PT);
  const len = encodePoint(P384, IO, AFF, compressed != 0);
  wipeAll();
  return <i32>len;
}

/**
 * ECDH (SEC 1 v2 §3.3.1): secret key at IO[0..48), peer public key (SEC 1
 * point, uncompressed or compressed) at IO[48..48 + pubLen). Writes the x
 * coordinate of d Q to IO[0..48). Returns 1, 0 for an invalid public key
 * (malformed, off the curve; RFC 8446 §4.2.8.2), -1 for a secret key out of
 * range.
 */
export function p384EcdhIo(pubLen: i32): i32 {
  p384Setup();
  if (p384LoadScalar(K, IO) == 0) {
    wipeAll();
    return -1;
  }
  if (decodePoint(P384, Q, IO + L, <usize>pubLen) == 0) {
    wipeAll();
    return 0;
  }
  mulConstTime(P384, PT, K, Q);
  // d Q is never O for d in [1, n - 1] and Q of prime order n; checked anyway.
  const inf = toAffineConstTime(P384, AFF, PT);
  fromMont(P384 + CV_FP, AFF, AFF);
  limbsToBytes(IO, AFF, N);
  wipeAll();
  if (inf != 0) {
    memory.fill(IO, 0, L);
    return 0;
  }
  return 1;
}
