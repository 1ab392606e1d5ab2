// NIST P-256 (secp256r1): domain parameters of SEC 2 v2 §2.4.2 (= SP 800-186
// §3.2.1.3), public-key derivation (SEC 1 v2 §3.2.1) and ECDH (SEC 1 v2
// §3.3.1; RFC 8446 §7.4.2 takes the x-coordinate as the shared secret).
//
// Secret scalars only meet constant-time code: the comb for k G, the fixed
// window for k Q, Fermat inversion. The tables of multiples of G are built on
// first use (measured 0.8 ms, once) rather than shipped, which would add
// 10 KiB to the module.

import { IO } from './io';
import { fromMont, isZeroMask, limbsFromBytes, limbsToBytes, ltMask, montWipe, MD_M, MOD_P256 } from './montgomery';
import {
  buildCombTables, buildOddMultiplesOfG, curveSetup, CV_FN, CV_FP, CV_SIZE, decodePoint, ecWipe, encodePoint,
  G_ODD, mulBaseConstTime, mulConstTime, toAffineConstTime,
} from './weierstrass';

const N: usize = 8;
const L: usize = 32;

// SEC 2 v2 §2.4.2, as little-endian u32 limbs.
const P: usize = memory.data<u32>([
  0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xffffffff,
]);
const ORDER: usize = memory.data<u32>([
  0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
]);
const B: usize = memory.data<u32>([
  0x27d2604b, 0x3bce3c3e, 0xcc53b0f6, 0x651d06b0, 0x769886bc, 0xb3ebbd55, 0xaa3a93e7, 0x5ac635d8,
]);
const GX: usize = memory.data<u32>([
  0xd898c296, 0xf4a13945, 0x2deb33a0, 0x77037d81, 0x63a440f2, 0xf8bce6e5, 0xe12c4247, 0x6b17d1f2,
]);
const GY: usize = memory.data<u32>([
  0x37bf51f5, 0xcbb64068, 0x6b315ece, 0x2bce3357, 0x7c0f9e16, 0x8ee7eb4a, 0xfe1a7f9b, 0x4fe342e2,
]);

/** The curve descriptor (weierstrass.ts layout). */
export const P256: usize = memory.data(<i32>CV_SIZE, 16);
/** Odd multiples of G for verification. */
export const P256_G_ODD: usize = memory.data(<i32>(G_ODD * 2 * L), 16);
/**
 * Comb tables for k G: 8 tables of 15 affine points (7.5 KiB), 7 doublings
 * and 64 mixed additions per multiplication. 16 tables would save 4 of the
 * doublings (about 5%) for twice the table and build time.
 */
export const P256_COMB_TABLES: usize = 8;
export const P256_COMB: usize = memory.data(<i32>(P256_COMB_TABLES * 15 * 2 * L), 16);

let ready = false;

/** Fills the descriptor and the tables of multiples of G, once. */
export function p256Setup(): void {
  if (ready) return;
  curveSetup(P256, N, P, ORDER, B, GX, GY, MOD_P256);
  buildOddMultiplesOfG(P256, P256_G_ODD);
  buildCombTables(P256, P256_COMB, P256_COMB_TABLES);
  ecWipe();
  ready = true;
}

// Scratch for the boundary functions; all of it is wiped before they return.
const K: usize = memory.data(<i32>L, 16);
const PT: usize = memory.data(<i32>(L * 3), 16);
const AFF: usize = memory.data(<i32>(L * 2), 16);
const Q: usize = memory.data(<i32>(L * 2), 16);

/**
 * Reads a 32-byte big-endian secret scalar into `k` and returns 0xFFFFFFFF
 * when 1 <= k < n (SEC 1 v2 §3.2.1), without branching on it.
 */
export function p256LoadScalar(k: usize, p: usize): u32 {
  limbsFromBytes(k, p, N);
  return ~isZeroMask(N, k) & ltMask(N, k, P256 + CV_FN + MD_M);
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
 * SEC 1 v2 §3.2.1: public key d G of the secret key at IO[0..32), written as
 * a SEC 1 point (65 bytes, or 33 when `compressed`) at IO[0..). Returns the
 * length, or 0 when the key is not in [1, n - 1].
 */
export function p256PublicKeyIo(compressed: i32): i32 {
  p256Setup();
  if (p256LoadScalar(K, IO) == 0) {
    wipeAll();
    return 0;
  }
  mulBaseConstTime(P256, PT, K, P256_COMB, P256_COMB_TABLES);
  toAffineConstTime(P256, AFF, PT);
  const len = encodePoint(P256, IO, AFF, compressed != 0);
  wipeAll();
  return <i32>len;
}

/**
 * ECDH (SEC 1 v2 §3.3.1): secret key at IO[0..32), peer public key (SEC 1
 * point, uncompressed or compressed) at IO[32..32 + pubLen). Writes the x
 * coordinate of d Q to IO[0..32). Returns 1, 0 for an invalid public key
 * (malformed, off the curve; RFC 8446 §4.2.8.2), -1 for a secret key out of
 * range.
 */
export function p256EcdhIo(pubLen: i32): i32 {
  p256Setup();
  if (p256LoadScalar(K, IO) == 0) {
    wipeAll();
    return -1;
  }
  if (decodePoint(P256, Q, IO + L, <usize>pubLen) == 0) {
    wipeAll();
    return 0;
  }
  mulConstTime(P256, PT, K, Q);
  // d Q is never O for d in [1, n - 1] and Q of prime order n; checked anyway.
  const inf = toAffineConstTime(P256, AFF, PT);
  fromMont(P256 + CV_FP, AFF, AFF);
  limbsToBytes(IO, AFF, N);
  wipeAll();
  if (inf != 0) {
    memory.fill(IO, 0, L);
    return 0;
  }
  return 1;
}
