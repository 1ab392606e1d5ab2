// The group law of the NIST prime curves y^2 = x^3 - 3x + b (SEC 2 v2 §2.4.2,
// §2.5.1; FIPS 186-5 / SP 800-186 §3.2.1), generic over the limb count.
//
// Two coordinate systems:
// - Homogeneous projective (X:Y:Z), x = X/Z, y = Y/Z, with the complete
//   formulas of Renes, Costello and Batina, "Complete addition formulas for
//   prime order elliptic curves" (EUROCRYPT 2016), Algorithms 4, 5 and 6
//   for a = -3. They have no exceptional cases (P + P, P + (-P), P + O all
//   come out right), so the constant-time scalar multiplications below never
//   branch on a point. The point at infinity is (0:1:0).
// - Jacobian (X:Y:Z), x = X/Z^2, y = Y/Z^3, with the faster incomplete
//   formulas of the Explicit-Formulas Database (dbl-2001-b, madd-2007-bl,
//   add-2007-bl), which branch on their exceptional cases. Used only on public
//   data: verification and the precomputation of tables of multiples of G.
//   Infinity is any point with Z = 0.
//
// Coordinates are in Montgomery form. A coordinate takes L = 4N bytes; a
// projective or Jacobian point is X, Y, Z at p, p + L, p + 2L; an affine one
// x, y at p, p + L.

import {
  cmov, eqMask, FE_MAX, fromMont, isZeroMask, limbs, limbsFromBytes, limbsToBytes, ltMask,
  MD_M, MD_ONE, MD_SIZE, MOD_GENERIC, modAdd, modNeg, modSub, montInv, montMul, montPow, montSetup, toMont,
} from './montgomery';

// Curve descriptor layout, byte offsets.
/** Modulus descriptor of the prime field. */
export const CV_FP: usize = 0;
/** Modulus descriptor of the group order n. */
export const CV_FN: usize = MD_SIZE;
/** b in Montgomery form. */
export const CV_B: usize = 2 * MD_SIZE;
/** The generator, affine (x, then y at + L), Montgomery form. */
export const CV_G: usize = CV_B + FE_MAX;
/** (p + 1) / 4, the square-root exponent (p = 3 mod 4 for both curves). */
export const CV_SQRT: usize = CV_G + 2 * FE_MAX;
export const CV_SIZE: usize = CV_SQRT + FE_MAX;

// wNAF widths for verification, by operation count (timings on the shared
// machine could not separate them): a width-w NAF of a b-bit scalar has about
// b / (w + 1) nonzero digits. Q's table is built per call, 2^(w-2) - 1
// additions: w = 5 costs 7 + 43 additions for P-256 (w = 4: 3 + 51; w = 6:
// 15 + 37). G's table is built once, at first use, in zeroed memory (no data
// segment): w = 8 gives about 28 additions from 64 entries (4 KiB for P-256);
// against w = 7 (32 additions, 2 KiB) callgrind counts 1.4% fewer
// instructions per P-256 verify (node --single-threaded --no-liftoff
// --no-wasm-tier-up, 3000 verifies).
export const W_G: i32 = 8;
export const G_ODD: usize = 1 << (W_G - 2);
const W_Q: i32 = 5;
const Q_ODD: usize = 1 << (W_Q - 2);

const PT: usize = 3 * FE_MAX;

// Scratch. Formula temporaries, points, tables and digit strings; every one
// may hold secret-derived values and is cleared by ecWipe.
const W: usize = memory.data(<i32>(FE_MAX * 16), 16);
const ACC: usize = memory.data(<i32>PT, 16);
const SEL: usize = memory.data(<i32>PT, 16);
const TMP: usize = memory.data(<i32>PT, 16);
const TAB: usize = memory.data(<i32>(PT * 16), 16);
const QTAB: usize = memory.data(<i32>(Q_ODD * PT), 16);
// The same points with y negated, for the negative digits of u2.
const QNEG: usize = memory.data(<i32>(Q_ODD * PT), 16);
const NAF1: usize = memory.data(400);
const NAF2: usize = memory.data(400);
// Batch conversion to affine: up to 64 points (G_ODD) and their prefix products.
const BATCH_MAX: usize = 64;
const PREFIX: usize = memory.data(<i32>(BATCH_MAX * FE_MAX), 16);
// Jacobian points while a table of multiples of G is built.
const BUILD: usize = memory.data(<i32>(BATCH_MAX * PT), 16);

// Temporaries of the formulas.
const t0: usize = W;
const t1: usize = W + FE_MAX;
const t2: usize = W + 2 * FE_MAX;
const t3: usize = W + 3 * FE_MAX;
const t4: usize = W + 4 * FE_MAX;
const X3: usize = W + 5 * FE_MAX;
const Y3: usize = W + 6 * FE_MAX;
const Z3: usize = W + 7 * FE_MAX;
const t5: usize = W + 8 * FE_MAX;
const t6: usize = W + 9 * FE_MAX;
const t7: usize = W + 10 * FE_MAX;

// @ts-ignore: decorator
@inline
function coordLen(c: usize): usize {
  return limbs(c + CV_FP) << 2;
}

/**
 * Fills the curve descriptor from the limbs of p, n, b and G (normal form):
 * modulus descriptors (`kind` selects the field implementation), b and G into Montgomery form, the square-root exponent.
 */
export function curveSetup(c: usize, n: usize, p: usize, order: usize, b: usize, gx: usize, gy: usize, kind: u32): void {
  const f = c + CV_FP;
  montSetup(f, p, n, kind);
  montSetup(c + CV_FN, order, n, MOD_GENERIC);
  toMont(f, c + CV_B, b);
  toMont(f, c + CV_G, gx);
  toMont(f, c + CV_G + (n << 2), gy);
  // (p + 1) / 4: p + 1 does not carry out of the top limb (p < 2^(32N) - 1).
  const e = c + CV_SQRT;
  let carry: u64 = 1;
  for (let j: usize = 0; j < n << 2; j += 4) {
    const s = <u64>load<u32>(p + j) + carry;
    store<u32>(e + j, <u32>s);
    carry = s >> 32;
  }
  for (let j: usize = 0; j < n << 2; j += 4) {
    const hi: u32 = j + 4 < n << 2 ? load<u32>(e + j + 4) : 0;
    store<u32>(e + j, (load<u32>(e + j) >> 2) | (hi << 30));
  }
}

// ---------------------------------------------------------------------------
// Complete projective formulas (RCB 2016), constant time.

/** r = p + q, RCB 2016 Algorithm 4 (a = -3): 12M + 2m_b. Any aliasing. */
export function addComplete(c: usize, r: usize, p: usize, q: usize): void {
  const f = c + CV_FP;
  const b = c + CV_B;
  const L = coordLen(c);
  const X1 = p, Y1 = p + L, Z1 = p + 2 * L;
  const X2 = q, Y2 = q + L, Z2 = q + 2 * L;
  montMul(f, t0, X1, X2); // 1
  montMul(f, t1, Y1, Y2); // 2
  montMul(f, t2, Z1, Z2); // 3
  modAdd(f, t3, X1, Y1); // 4
  modAdd(f, t4, X2, Y2); // 5
  montMul(f, t3, t3, t4); // 6
  modAdd(f, t4, t0, t1); // 7
  modSub(f, t3, t3, t4); // 8
  modAdd(f, t4, Y1, Z1); // 9
  modAdd(f, X3, Y2, Z2); // 10
  montMul(f, t4, t4, X3); // 11
  modAdd(f, X3, t1, t2); // 12
  modSub(f, t4, t4, X3); // 13
  modAdd(f, X3, X1, Z1); // 14
  modAdd(f, Y3, X2, Z2); // 15
  montMul(f, X3, X3, Y3); // 16
  modAdd(f, Y3, t0, t2); // 17
  modSub(f, Y3, X3, Y3); // 18
  montMul(f, Z3, b, t2); // 19
  finishAdd(f, b, r, L);
}

/** r = p + (x2, y2), RCB 2016 Algorithm 5 (mixed, a = -3): 11M + 2m_b. */
export function addMixedComplete(c: usize, r: usize, p: usize, q: usize): void {
  const f = c + CV_FP;
  const b = c + CV_B;
  const L = coordLen(c);
  const X1 = p, Y1 = p + L, Z1 = p + 2 * L;
  const X2 = q, Y2 = q + L;
  montMul(f, t0, X1, X2); // 1
  montMul(f, t1, Y1, Y2); // 2
  modAdd(f, t3, X2, Y2); // 3
  modAdd(f, t4, X1, Y1); // 4
  montMul(f, t3, t3, t4); // 5
  modAdd(f, t4, t0, t1); // 6
  modSub(f, t3, t3, t4); // 7
  montMul(f, t4, Y2, Z1); // 8
  modAdd(f, t4, t4, Y1); // 9
  montMul(f, Y3, X2, Z1); // 10
  modAdd(f, Y3, Y3, X1); // 11
  montMul(f, Z3, b, Z1); // 12
  // Algorithm 4 from step 20 on, with t2 = Z1 (Z2 = 1).
  memory.copy(t2, Z1, L);
  finishAdd(f, b, r, L);
}

/**
 * Steps 20-43 of Algorithm 4 (= steps 13-36 of Algorithm 5): on entry t0 =
 * X1X2, t1 = Y1Y2, t2 = Z1Z2, t3 = X1Y2 + X2Y1, t4 = Y1Z2 + Y2Z1,
 * Y3 = X1Z2 + X2Z1, Z3 = b t2.
 */
function finishAdd(f: usize, b: usize, r: usize, L: usize): void {
  modSub(f, X3, Y3, Z3); // 20
  modAdd(f, Z3, X3, X3); // 21
  modAdd(f, X3, X3, Z3); // 22
  modSub(f, Z3, t1, X3); // 23
  modAdd(f, X3, t1, X3); // 24
  montMul(f, Y3, b, Y3); // 25
  modAdd(f, t1, t2, t2); // 26
  modAdd(f, t2, t1, t2); // 27
  modSub(f, Y3, Y3, t2); // 28
  modSub(f, Y3, Y3, t0); // 29
  modAdd(f, t1, Y3, Y3); // 30
  modAdd(f, Y3, t1, Y3); // 31
  modAdd(f, t1, t0, t0); // 32
  modAdd(f, t0, t1, t0); // 33
  modSub(f, t0, t0, t2); // 34
  montMul(f, t1, t4, Y3); // 35
  montMul(f, t2, t0, Y3); // 36
  montMul(f, Y3, X3, Z3); // 37
  modAdd(f, Y3, Y3, t2); // 38
  montMul(f, X3, t3, X3); // 39
  modSub(f, X3, X3, t1); // 40
  montMul(f, Z3, t4, Z3); // 41
  montMul(f, t1, t3, t0); // 42
  modAdd(f, Z3, Z3, t1); // 43
  memory.copy(r, X3, L);
  memory.copy(r + L, Y3, L);
  memory.copy(r + 2 * L, Z3, L);
}

/** r = 2p, RCB 2016 Algorithm 6 (a = -3): 8M + 3S + 2m_b. */
export function dblComplete(c: usize, r: usize, p: usize): void {
  const f = c + CV_FP;
  const b = c + CV_B;
  const L = coordLen(c);
  const X = p, Y = p + L, Z = p + 2 * L;
  montMul(f, t0, X, X); // 1
  montMul(f, t1, Y, Y); // 2
  montMul(f, t2, Z, Z); // 3
  montMul(f, t3, X, Y); // 4
  modAdd(f, t3, t3, t3); // 5
  montMul(f, Z3, X, Z); // 6
  modAdd(f, Z3, Z3, Z3); // 7
  montMul(f, Y3, b, t2); // 8
  modSub(f, Y3, Y3, Z3); // 9
  modAdd(f, X3, Y3, Y3); // 10
  modAdd(f, Y3, X3, Y3); // 11
  modSub(f, X3, t1, Y3); // 12
  modAdd(f, Y3, t1, Y3); // 13
  montMul(f, Y3, X3, Y3); // 14
  montMul(f, X3, X3, t3); // 15
  modAdd(f, t3, t2, t2); // 16
  modAdd(f, t2, t2, t3); // 17
  montMul(f, Z3, b, Z3); // 18
  modSub(f, Z3, Z3, t2); // 19
  modSub(f, Z3, Z3, t0); // 20
  modAdd(f, t3, Z3, Z3); // 21
  modAdd(f, Z3, Z3, t3); // 22
  modAdd(f, t3, t0, t0); // 23
  modAdd(f, t0, t3, t0); // 24
  modSub(f, t0, t0, t2); // 25
  montMul(f, t0, t0, Z3); // 26
  modAdd(f, Y3, Y3, t0); // 27
  montMul(f, t0, Y, Z); // 28
  modAdd(f, t0, t0, t0); // 29
  montMul(f, Z3, t0, Z3); // 30
  modSub(f, X3, X3, Z3); // 31
  montMul(f, Z3, t0, t1); // 32
  modAdd(f, Z3, Z3, Z3); // 33
  modAdd(f, Z3, Z3, Z3); // 34
  memory.copy(r, X3, L);
  memory.copy(r + L, Y3, L);
  memory.copy(r + 2 * L, Z3, L);
}

/** r = O = (0:1:0), projective. */
function setInfinity(c: usize, r: usize): void {
  const L = coordLen(c);
  memory.fill(r, 0, 3 * L);
  memory.copy(r + L, c + CV_FP + MD_ONE, L);
}

/**
 * r = k P for a secret scalar k < 2^(32N) and a public affine point P at `p`:
 * fixed 4-bit windows from the top, 4 complete doublings and one complete
 * addition of a table entry per window. The entry is selected by reading all
 * 16 entries under masks, so neither the memory trace nor the operation
 * sequence depends on k. Output projective.
 */
export function mulConstTime(c: usize, r: usize, k: usize, p: usize): void {
  const L = coordLen(c);
  const n = L >> 2;
  const pt = L * 3;
  // TAB[i] = i P for i in 0..15; complete formulas, so 2P = P + P is fine.
  setInfinity(c, TAB);
  memory.copy(TAB + pt, p, 2 * L);
  memory.copy(TAB + pt + 2 * L, c + CV_FP + MD_ONE, L);
  for (let i: usize = 2; i < 16; i++) {
    if ((i & 1) == 0) dblComplete(c, TAB + i * pt, TAB + (i >> 1) * pt);
    else addMixedComplete(c, TAB + i * pt, TAB + (i - 1) * pt, p);
  }
  setInfinity(c, ACC);
  for (let w = <isize>(n << 3) - 1; w >= 0; w--) {
    if (w != <isize>(n << 3) - 1) {
      dblComplete(c, ACC, ACC);
      dblComplete(c, ACC, ACC);
      dblComplete(c, ACC, ACC);
      dblComplete(c, ACC, ACC);
    }
    const d = (load<u32>(k + (<usize>w >> 3 << 2)) >> ((<u32>w & 7) << 2)) & 15;
    memory.fill(SEL, 0, pt);
    for (let i: u32 = 0; i < 16; i++) cmov(SEL, TAB + <usize>i * pt, pt, eqMask32(i, d));
    addComplete(c, ACC, ACC, SEL);
  }
  memory.copy(r, ACC, pt);
}

/**
 * r = k G for a secret scalar k by the comb method (Lim and Lee, CRYPTO '94)
 * over `tables` tables of 15 affine points, each table combining 4 teeth:
 * with spacing s = bits / (4 tables), entry j of table t is
 * sum over b of bit_b(j) 2^(s (4t + b)) G. Each of the s rounds doubles once
 * and adds one masked-selected entry per table (complete mixed addition; a
 * zero digit adds an arbitrary entry whose sum the mask then discards).
 * P-256 uses 8 tables, s = 8: 7 doublings and 64 additions per
 * multiplication for 7.5 KiB of table.
 */
export function mulBaseConstTime(c: usize, r: usize, k: usize, tab: usize, tables: usize): void {
  const L = coordLen(c);
  const bits = L << 3;
  const s = bits / (tables << 2);
  const aff = L * 2;
  const pt = L * 3;
  setInfinity(c, ACC);
  for (let i = <isize>s - 1; i >= 0; i--) {
    if (i != <isize>s - 1) dblComplete(c, ACC, ACC);
    for (let t: usize = 0; t < tables; t++) {
      let d: u32 = 0;
      for (let b: usize = 0; b < 4; b++) {
        const pos = <usize>i + s * ((t << 2) + b);
        d |= ((load<u32>(k + (pos >> 5 << 2)) >> <u32>(pos & 31)) & 1) << <u32>b;
      }
      memory.fill(SEL, 0, aff);
      const base = tab + t * 15 * aff;
      for (let j: u32 = 1; j < 16; j++) cmov(SEL, base + <usize>(j - 1) * aff, aff, eqMask32(j, d));
      addMixedComplete(c, TMP, ACC, SEL);
      cmov(ACC, TMP, pt, nonZero32(d));
    }
  }
  memory.copy(r, ACC, pt);
}

// @ts-ignore: decorator
@inline
function eqMask32(a: u32, b: u32): u32 {
  const x = a ^ b;
  return ((x | (0 - x)) >> 31) - 1;
}

// @ts-ignore: decorator
@inline
function nonZero32(x: u32): u32 {
  return 0 - ((x | (0 - x)) >> 31);
}

/**
 * Affine x, y (Montgomery form, at out and out + L) of a projective point, constant time
 * (Fermat inversion). Returns 0xFFFFFFFF when p is the point at infinity
 * (then x = y = 0).
 */
export function toAffineConstTime(c: usize, out: usize, p: usize): u32 {
  const f = c + CV_FP;
  const L = coordLen(c);
  montInv(f, t5, p + 2 * L);
  montMul(f, out, p, t5);
  montMul(f, out + L, p + L, t5);
  return isZeroMask(L >> 2, p + 2 * L);
}

// ---------------------------------------------------------------------------
// Jacobian formulas for public data; branches on exceptional cases.

/** r = 2p, dbl-2001-b (a = -3): 3M + 5S. Infinity stays infinity. */
export function jacDouble(c: usize, r: usize, p: usize): void {
  const f = c + CV_FP;
  const L = coordLen(c);
  const X = p, Y = p + L, Z = p + 2 * L;
  montMul(f, t0, Z, Z); // delta
  montMul(f, t1, Y, Y); // gamma
  montMul(f, t2, X, t1); // beta
  modSub(f, t3, X, t0);
  modAdd(f, t4, X, t0);
  montMul(f, t3, t3, t4);
  modAdd(f, t4, t3, t3);
  modAdd(f, t3, t4, t3); // alpha = 3 (X - delta)(X + delta)
  modAdd(f, Z3, Y, Z);
  montMul(f, Z3, Z3, Z3);
  modSub(f, Z3, Z3, t1);
  modSub(f, Z3, Z3, t0); // Z3 = (Y + Z)^2 - gamma - delta
  modAdd(f, t2, t2, t2);
  modAdd(f, t2, t2, t2); // 4 beta
  montMul(f, X3, t3, t3);
  modSub(f, X3, X3, t2);
  modSub(f, X3, X3, t2); // X3 = alpha^2 - 8 beta
  modSub(f, t2, t2, X3);
  montMul(f, Y3, t3, t2);
  montMul(f, t1, t1, t1);
  modAdd(f, t1, t1, t1);
  modAdd(f, t1, t1, t1);
  modAdd(f, t1, t1, t1);
  modSub(f, Y3, Y3, t1); // Y3 = alpha (4 beta - X3) - 8 gamma^2
  memory.copy(r, X3, L);
  memory.copy(r + L, Y3, L);
  memory.copy(r + 2 * L, Z3, L);
}

/** r = p + (x2, y2), madd-2007-bl: 7M + 4S, with the exceptional cases handled. */
export function jacAddMixed(c: usize, r: usize, p: usize, q: usize): void {
  const f = c + CV_FP;
  const L = coordLen(c);
  const n = L >> 2;
  const X1 = p, Y1 = p + L, Z1 = p + 2 * L;
  if (isZeroMask(n, Z1) != 0) {
    memory.copy(r, q, 2 * L);
    memory.copy(r + 2 * L, f + MD_ONE, L);
    return;
  }
  montMul(f, t0, Z1, Z1); // Z1Z1
  montMul(f, t1, q, t0); // U2
  montMul(f, t2, q + L, Z1);
  montMul(f, t2, t2, t0); // S2
  modSub(f, t1, t1, X1); // H
  modSub(f, t2, t2, Y1); // S2 - Y1
  if (isZeroMask(n, t1) != 0) {
    if (isZeroMask(n, t2) != 0) jacDouble(c, r, p);
    else memory.fill(r + 2 * L, 0, L);
    return;
  }
  montMul(f, t3, t1, t1); // HH
  modAdd(f, t4, t3, t3);
  modAdd(f, t4, t4, t4); // I = 4 HH
  montMul(f, t5, t1, t4); // J
  modAdd(f, t2, t2, t2); // r = 2 (S2 - Y1)
  montMul(f, t6, X1, t4); // V
  montMul(f, X3, t2, t2);
  modSub(f, X3, X3, t5);
  modSub(f, X3, X3, t6);
  modSub(f, X3, X3, t6); // X3 = r^2 - J - 2V
  modSub(f, t6, t6, X3);
  montMul(f, Y3, t2, t6);
  montMul(f, t7, Y1, t5);
  modAdd(f, t7, t7, t7);
  modSub(f, Y3, Y3, t7); // Y3 = r (V - X3) - 2 Y1 J
  modAdd(f, Z3, Z1, t1);
  montMul(f, Z3, Z3, Z3);
  modSub(f, Z3, Z3, t0);
  modSub(f, Z3, Z3, t3); // Z3 = (Z1 + H)^2 - Z1Z1 - HH
  memory.copy(r, X3, L);
  memory.copy(r + L, Y3, L);
  memory.copy(r + 2 * L, Z3, L);
}

/** r = p + q, add-2007-bl: 11M + 5S, with the exceptional cases handled. */
export function jacAdd(c: usize, r: usize, p: usize, q: usize): void {
  const f = c + CV_FP;
  const L = coordLen(c);
  const n = L >> 2;
  const X1 = p, Y1 = p + L, Z1 = p + 2 * L;
  const X2 = q, Y2 = q + L, Z2 = q + 2 * L;
  if (isZeroMask(n, Z1) != 0) {
    memory.copy(r, q, 3 * L);
    return;
  }
  if (isZeroMask(n, Z2) != 0) {
    memory.copy(r, p, 3 * L);
    return;
  }
  montMul(f, t0, Z1, Z1); // Z1Z1
  montMul(f, t1, Z2, Z2); // Z2Z2
  montMul(f, t2, X1, t1); // U1
  montMul(f, t3, X2, t0); // U2
  montMul(f, t4, Y1, Z2);
  montMul(f, t4, t4, t1); // S1
  montMul(f, t5, Y2, Z1);
  montMul(f, t5, t5, t0); // S2
  modSub(f, t3, t3, t2); // H
  modSub(f, t5, t5, t4); // S2 - S1
  if (isZeroMask(n, t3) != 0) {
    if (isZeroMask(n, t5) != 0) jacDouble(c, r, p);
    else memory.fill(r + 2 * L, 0, L);
    return;
  }
  modAdd(f, Z3, Z1, Z2);
  montMul(f, Z3, Z3, Z3);
  modSub(f, Z3, Z3, t0);
  modSub(f, Z3, Z3, t1);
  montMul(f, Z3, Z3, t3); // Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H
  modAdd(f, t6, t3, t3);
  montMul(f, t6, t6, t6); // I = (2H)^2
  montMul(f, t7, t3, t6); // J
  modAdd(f, t5, t5, t5); // r = 2 (S2 - S1)
  montMul(f, t6, t2, t6); // V = U1 I
  montMul(f, X3, t5, t5);
  modSub(f, X3, X3, t7);
  modSub(f, X3, X3, t6);
  modSub(f, X3, X3, t6); // X3 = r^2 - J - 2V
  modSub(f, t6, t6, X3);
  montMul(f, Y3, t5, t6);
  montMul(f, t4, t4, t7);
  modAdd(f, t4, t4, t4);
  modSub(f, Y3, Y3, t4); // Y3 = r (V - X3) - 2 S1 J
  memory.copy(r, X3, L);
  memory.copy(r + L, Y3, L);
  memory.copy(r + 2 * L, Z3, L);
}

/**
 * Converts `count` (<= 64) Jacobian points at `src` (none at infinity) to
 * affine points at `dst`, with one inversion (Montgomery's trick). For tables
 * of multiples of G, computed once.
 */
export function batchToAffine(c: usize, dst: usize, src: usize, count: usize): void {
  const f = c + CV_FP;
  const L = coordLen(c);
  const pt = L * 3;
  // PREFIX[i] = Z_0 ... Z_i
  memory.copy(PREFIX, src + 2 * L, L);
  for (let i: usize = 1; i < count; i++) montMul(f, PREFIX + i * FE_MAX, PREFIX + (i - 1) * FE_MAX, src + i * pt + 2 * L);
  montInv(f, t5, PREFIX + (count - 1) * FE_MAX); // (Z_0 ... Z_{count-1})^-1
  for (let i = <isize>count - 1; i >= 0; i--) {
    const p = src + <usize>i * pt;
    // t6 = Z_i^-1
    if (i > 0) montMul(f, t6, t5, PREFIX + (<usize>i - 1) * FE_MAX);
    else memory.copy(t6, t5, L);
    montMul(f, t5, t5, p + 2 * L);
    montMul(f, t7, t6, t6);
    montMul(f, dst + <usize>i * 2 * L, p, t7);
    montMul(f, t7, t7, t6);
    montMul(f, dst + <usize>i * 2 * L + L, p + L, t7);
  }
}

/**
 * Fills `tab` with the odd multiples G, 3G, ..., (2 G_ODD - 1) G, affine, for
 * the wNAF of u1 in verification.
 */
export function buildOddMultiplesOfG(c: usize, tab: usize): void {
  const work = BUILD;
  const L = coordLen(c);
  const pt = L * 3;
  memory.copy(work, c + CV_G, 2 * L);
  memory.copy(work + 2 * L, c + CV_FP + MD_ONE, L);
  jacDouble(c, TMP, work);
  for (let i: usize = 1; i < G_ODD; i++) jacAdd(c, work + i * pt, work + (i - 1) * pt, TMP);
  batchToAffine(c, tab, work, G_ODD);
}

/** Fills `tab` with the comb tables of mulBaseConstTime (`tables` x 15 affine points). */
export function buildCombTables(c: usize, tab: usize, tables: usize): void {
  const work = BUILD;
  const L = coordLen(c);
  const pt = L * 3;
  const s = (L << 3) / (tables << 2);
  // ACC = 2^(s m) G for the current tooth m.
  memory.copy(ACC, c + CV_G, 2 * L);
  memory.copy(ACC + 2 * L, c + CV_FP + MD_ONE, L);
  for (let t: usize = 0; t < tables; t++) {
    for (let b: usize = 0; b < 4; b++) {
      // Entry 2^b - 1 (j = 2^b) is the tooth itself; the others add it to j - 2^b.
      const j: usize = 1 << b;
      memory.copy(work + (j - 1) * pt, ACC, pt);
      for (let o: usize = 1; o < j; o++) jacAdd(c, work + (j + o - 1) * pt, work + (o - 1) * pt, ACC);
      for (let d: usize = 0; d < s; d++) jacDouble(c, ACC, ACC);
    }
    batchToAffine(c, tab + t * 15 * 2 * L, work, 15);
  }
  memory.fill(ACC, 0, PT);
}

/**
 * Width-w NAF of the n-limb public scalar k into bits + 1 signed digits at
 * `out`: every nonzero digit is odd, |digit| < 2^(w-1), and at most one of any
 * w consecutive digits is nonzero. Returns the index of the highest nonzero
 * digit plus one (0 when k = 0).
 */
function wnaf(out: usize, k: usize, n: usize, w: i32): isize {
  const len = (n << 5) + 1;
  memory.fill(out, 0, len);
  let carry: u32 = 0;
  let top: isize = 0;
  let i: usize = 0;
  while (i < len) {
    if (bitsAt(k, n, i, 1) == carry) {
      i++;
      continue;
    }
    let word = bitsAt(k, n, i, w) + carry;
    carry = (word >> <u32>(w - 1)) & 1;
    const d = <i32>word - <i32>(carry << <u32>w);
    store<i8>(out + i, <i8>d);
    top = <isize>i + 1;
    i += <usize>w;
  }
  return top;
}

/** `count` (<= 8) bits of k from bit `pos`, zero beyond the top. */
function bitsAt(k: usize, n: usize, pos: usize, count: i32): u32 {
  const limb = pos >> 5;
  const sh = <u32>(pos & 31);
  if (limb >= n) return 0;
  let v = load<u32>(k + (limb << 2)) >> sh;
  if (sh != 0 && limb + 1 < n) v |= load<u32>(k + ((limb + 1) << 2)) << (32 - sh);
  return v & ((<u32>1 << <u32>count) - 1);
}

/**
 * r = u1 G + u2 Q for public scalars (verification), Jacobian: interleaved
 * wNAF (Straus-Shamir), sharing the doublings; G's odd multiples come from the
 * precomputed affine table `gtab`, Q's from a per-call Jacobian table.
 */
export function mulDoubleVarTime(c: usize, r: usize, u1: usize, u2: usize, q: usize, gtab: usize): void {
  const f = c + CV_FP;
  const L = coordLen(c);
  const n = L >> 2;
  const pt = L * 3;
  const top1 = wnaf(NAF1, u1, n, W_G);
  const top2 = wnaf(NAF2, u2, n, W_Q);
  memory.copy(QTAB, q, 2 * L);
  memory.copy(QTAB + 2 * L, f + MD_ONE, L);
  jacDouble(c, TMP, QTAB);
  for (let i: usize = 1; i < Q_ODD; i++) jacAdd(c, QTAB + i * pt, QTAB + (i - 1) * pt, TMP);
  // -P = (X, -Y, Z): 8 negations here instead of one per negative digit
  // (about 21 of the 43 nonzero digits), and no copy per addition.
  for (let i: usize = 0; i < Q_ODD; i++) {
    const e = QTAB + i * pt;
    const ne = QNEG + i * pt;
    memory.copy(ne, e, L);
    modNeg(f, ne + L, e + L);
    memory.copy(ne + 2 * L, e + 2 * L, L);
  }
  memory.fill(ACC, 0, pt);
  memory.copy(ACC, f + MD_ONE, L);
  memory.copy(ACC + L, f + MD_ONE, L);
  const top = top1 > top2 ? top1 : top2;
  for (let i = top - 1; i >= 0; i--) {
    jacDouble(c, ACC, ACC);
    const d1 = <i32>load<i8>(NAF1 + <usize>i);
    if (d1 != 0) {
      const e = gtab + <usize>((d1 < 0 ? -d1 : d1) >> 1) * 2 * L;
      if (d1 > 0) jacAddMixed(c, ACC, ACC, e);
      else {
        memory.copy(SEL, e, L);
        modNeg(f, SEL + L, e + L);
        jacAddMixed(c, ACC, ACC, SEL);
      }
    }
    const d2 = <i32>load<i8>(NAF2 + <usize>i);
    if (d2 != 0) jacAdd(c, ACC, ACC, (d2 > 0 ? QTAB : QNEG) + <usize>((d2 < 0 ? -d2 : d2) >> 1) * pt);
  }
  memory.copy(r, ACC, pt);
}

// ---------------------------------------------------------------------------
// SEC 1 v2 §2.3.3-2.3.4 point encoding. Public data.

/** out = x^3 - 3x + b (Montgomery form). */
function curveRhs(c: usize, out: usize, x: usize): void {
  const f = c + CV_FP;
  montMul(f, t6, x, x);
  montMul(f, t6, t6, x);
  modAdd(f, t7, x, x);
  modAdd(f, t7, t7, x);
  modSub(f, t6, t6, t7);
  modAdd(f, out, t6, c + CV_B);
}

/**
 * Decodes a SEC 1 point (04 || x || y, or 02/03 || x) into an affine point at
 * `out` (Montgomery form), and validates it: coordinates below p, on the curve (the
 * point at infinity has no such encoding and is rejected; the cofactor is 1,
 * so every curve point is in the group). Returns 1, or 0 for any invalid
 * encoding or point.
 */
export function decodePoint(c: usize, out: usize, p: usize, len: usize): i32 {
  const f = c + CV_FP;
  const L = coordLen(c);
  const x = out, y = out + L;
  const n = L >> 2;
  const m = f + MD_M;
  if (len == 2 * L + 1 && load<u8>(p) == 4) {
    limbsFromBytes(x, p + 1, n);
    limbsFromBytes(y, p + 1 + L, n);
    if (ltMask(n, x, m) == 0 || ltMask(n, y, m) == 0) return 0;
    toMont(f, x, x);
    toMont(f, y, y);
    curveRhs(c, t5, x);
    montMul(f, t4, y, y);
    return eqMask(n, t4, t5) != 0 ? 1 : 0;
  }
  if (len == L + 1 && (load<u8>(p) == 2 || load<u8>(p) == 3)) {
    // SEC 1 §2.3.4 step 2.4: y = sqrt(x^3 - 3x + b) = rhs^((p+1)/4), p = 3 mod 4.
    limbsFromBytes(x, p + 1, n);
    if (ltMask(n, x, m) == 0) return 0;
    toMont(f, x, x);
    curveRhs(c, t5, x);
    montPow(f, y, t5, c + CV_SQRT);
    montMul(f, t4, y, y);
    if (eqMask(n, t4, t5) == 0) return 0;
    fromMont(f, t4, y);
    if ((load<u32>(t4) & 1) != <u32>(load<u8>(p) & 1)) modNeg(f, y, y);
    return 1;
  }
  return 0;
}

/** Writes the affine point at `a` (Montgomery form) as 04 || x || y, or 02/03 || x. Returns the length. */
export function encodePoint(c: usize, out: usize, a: usize, compressed: bool): usize {
  const f = c + CV_FP;
  const L = coordLen(c);
  const x = a, y = a + L;
  const n = L >> 2;
  fromMont(f, t4, x);
  fromMont(f, t5, y);
  limbsToBytes(out + 1, t4, n);
  if (compressed) {
    store<u8>(out, <u8>(2 | (load<u32>(t5) & 1)));
    return L + 1;
  }
  store<u8>(out, 4);
  limbsToBytes(out + 1 + L, t5, n);
  return 2 * L + 1;
}

/** Clears every scratch region of this module. */
export function ecWipe(): void {
  memory.fill(W, 0, 16 * FE_MAX);
  memory.fill(ACC, 0, PT);
  memory.fill(SEL, 0, PT);
  memory.fill(TMP, 0, PT);
  memory.fill(TAB, 0, 16 * PT);
  memory.fill(QTAB, 0, Q_ODD * PT);
  memory.fill(QNEG, 0, Q_ODD * PT);
  memory.fill(NAF1, 0, 400);
  memory.fill(NAF2, 0, 400);
  memory.fill(PREFIX, 0, BATCH_MAX * FE_MAX);
}
