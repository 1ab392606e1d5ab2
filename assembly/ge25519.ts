// The group edwards25519 (RFC 8032 §5.1): -x^2 + y^2 = 1 + d·x^2·y^2 over
// GF(2^255 - 19), with the complete formulas of RFC 8032 §5.1.4 (Hisil, Wong,
// Carter, Dawson, "Twisted Edwards Curves Revisited", 2008).
//
// Point layouts, FE = 40 bytes per coordinate:
//   P3 (extended) X, Y, Z, T with x = X/Z, y = Y/Z, x·y = T/Z     160 bytes
//   P2 (projective) X, Y, Z: a P3 whose T is not kept up to date
//   P1 (completed) E, F, G, H of the formulas, before the final products
//      X = E·F, Y = G·H, Z = F·G, T = E·H                          160 bytes
//   NIELS (affine, precomputed) y + x, y - x, 2d·x·y              120 bytes
//   CACHED Y + X, Y - X, Z, 2d·T                                  160 bytes
//
// Fixed-base multiplication (signing, key generation) is constant time: the
// same operations for every scalar and a masked read of every table entry.
// Decoding and the double-scalar multiplication of verification work on
// public data and may branch on it.

import { FE, feAdd, feCmov, feCopy, feFromBytes, feInvert, feIsNegative, feIsZero, feMul, feMulAdd, feMulSub, feNeg, feOne, fePow22523, feSq, feSq2, feSqAdd, feSub, feToBytes, feZero } from './fe25519';
import { BASE_ODD, ED_D, ED_D2, SQRT_M1 } from './ge25519_table';

export const P3: usize = 4 * FE;
export const NIELS: usize = 3 * FE;
export const CACHED: usize = 4 * FE;

// Scratch: field temporaries, a completed point, selected table entries,
// the digits of the scalar and the cached multiples of a public point.
const SCRATCH_LEN: i32 = 16 * <i32>FE + 64 + 256 * 2 + 8 * <i32>CACHED;
const SCRATCH: usize = memory.data(SCRATCH_LEN, 16);
const T0: usize = SCRATCH;
const T1: usize = SCRATCH + FE;
const T2: usize = SCRATCH + 2 * FE;
const T3: usize = SCRATCH + 3 * FE;
const Q1: usize = SCRATCH + 4 * FE;          // P1, 4 FE
const SEL: usize = SCRATCH + 8 * FE;         // NIELS, 3 FE
const NEG: usize = SCRATCH + 11 * FE;        // one FE for a negated coordinate
const TP: usize = SCRATCH + 12 * FE;         // P3 temporary, 4 FE
const DIGITS: usize = SCRATCH + 16 * FE;     // 64 signed radix-16 digits
const NAF_A: usize = DIGITS + 64;            // 256 window digits
const NAF_B: usize = NAF_A + 256;
const MULT: usize = NAF_B + 256;             // 8 CACHED odd multiples

/** Zeroes the scratch (it holds secret-dependent values after signing). */
export function geWipe(): void {
  memory.fill(SCRATCH, 0, SCRATCH_LEN);
}

// @ts-ignore: decorator
@inline function X(p: usize): usize { return p; }
// @ts-ignore: decorator
@inline function Y(p: usize): usize { return p + FE; }
// @ts-ignore: decorator
@inline function Z(p: usize): usize { return p + 2 * FE; }
// @ts-ignore: decorator
@inline function T(p: usize): usize { return p + 3 * FE; }

export function geIdentity(p: usize): void {
  feZero(X(p));
  feOne(Y(p));
  feOne(Z(p));
  feZero(T(p));
}

/** P1 (E, F, G, H) to P2: X = E·F, Y = G·H, Z = F·G. */
export function geP1ToP2(r: usize, p: usize): void {
  feMul(X(r), p, p + FE);
  feMul(Y(r), p + 2 * FE, p + 3 * FE);
  feMul(Z(r), p + FE, p + 2 * FE);
}

/** P1 (E, F, G, H) to P3: also T = E·H. */
export function geP1ToP3(r: usize, p: usize): void {
  feMul(X(r), p, p + FE);
  feMul(Y(r), p + 2 * FE, p + 3 * FE);
  feMul(Z(r), p + FE, p + 2 * FE);
  feMul(T(r), p, p + 3 * FE);
}

/** RFC 8032 §5.1.4 doubling of the P2 (or P3) point p, into the P1 r. */
export function geDouble(r: usize, p: usize): void {
  const E = r, F = r + FE, G = r + 2 * FE, H = r + 3 * FE;
  feSq(T0, X(p));            // A = X1^2
  feSq(T1, Y(p));            // B = Y1^2
  feSq2(T2, Z(p));           // C = 2·Z1^2
  feAdd(H, T0, T1);          // H = A + B
  feSqAdd(T3, X(p), Y(p));
  feSub(E, H, T3);           // E = H - (X1 + Y1)^2
  feSub(G, T0, T1);          // G = A - B
  feAdd(F, T2, G);           // F = C + G
}

/**
 * RFC 8032 §5.1.4 addition of the P3 point p and the NIELS point q (Z2 = 1),
 * into the P1 r. With `negate`, adds -q = (y - x, y + x, -2d·x·y) instead.
 */
// @ts-ignore: decorator
@inline function maddInto(r: usize, p: usize, q: usize, negate: bool): void {
  const E = r, F = r + FE, G = r + 2 * FE, H = r + 3 * FE;
  const qPlus = negate ? q + FE : q, qMinus = negate ? q : q + FE;
  feMulSub(T0, Y(p), X(p), qMinus); // A = (Y1 - X1)·(y2 - x2)
  feMulAdd(T1, Y(p), X(p), qPlus);  // B = (Y1 + X1)·(y2 + x2)
  feMul(T2, T(p), q + 2 * FE); // C = T1·2d·x2·y2
  feAdd(T3, Z(p), Z(p));     // D = 2·Z1
  feSub(E, T1, T0);          // E = B - A
  feAdd(H, T1, T0);          // H = B + A
  if (negate) {
    feAdd(F, T3, T2);        // F = D - (-C)
    feSub(G, T3, T2);        // G = D + (-C)
  } else {
    feSub(F, T3, T2);        // F = D - C
    feAdd(G, T3, T2);        // G = D + C
  }
}

export function geMadd(r: usize, p: usize, q: usize): void {
  maddInto(r, p, q, false);
}

export function geMsub(r: usize, p: usize, q: usize): void {
  maddInto(r, p, q, true);
}

/** The P3 point p as CACHED (Y + X, Y - X, Z, 2d·T). */
export function geToCached(r: usize, p: usize): void {
  feAdd(r, Y(p), X(p));
  feSub(r + FE, Y(p), X(p));
  feCopy(r + 2 * FE, Z(p));
  feMul(r + 3 * FE, T(p), ED_D2);
}

/** RFC 8032 §5.1.4 addition of P3 p and CACHED q (or -q with `negate`), into P1 r. */
// @ts-ignore: decorator
@inline function addInto(r: usize, p: usize, q: usize, negate: bool): void {
  const E = r, F = r + FE, G = r + 2 * FE, H = r + 3 * FE;
  const qPlus = negate ? q + FE : q, qMinus = negate ? q : q + FE;
  feMulSub(T0, Y(p), X(p), qMinus); // A = (Y1 - X1)·(Y2 - X2)
  feMulAdd(T1, Y(p), X(p), qPlus);  // B = (Y1 + X1)·(Y2 + X2)
  feMul(T2, T(p), q + 3 * FE); // C = T1·2d·T2
  feMul(T3, Z(p), q + 2 * FE);
  feAdd(T3, T3, T3);         // D = 2·Z1·Z2
  feSub(E, T1, T0);
  feAdd(H, T1, T0);
  if (negate) {
    feAdd(F, T3, T2);
    feSub(G, T3, T2);
  } else {
    feSub(F, T3, T2);
    feAdd(G, T3, T2);
  }
}

export function geAdd(r: usize, p: usize, q: usize): void {
  addInto(r, p, q, false);
}

export function geSub(r: usize, p: usize, q: usize): void {
  addInto(r, p, q, true);
}

/** RFC 8032 §5.1.2 encoding of the P2/P3 point p: y with the sign of x in bit 255. */
export function geToBytes(s: usize, p: usize): void {
  feInvert(T2, Z(p));
  feMul(T0, X(p), T2);
  feMul(T1, Y(p), T2);
  feToBytes(s, T1);
  store<u8>(s + 31, load<u8>(s + 31) | <u8>(feIsNegative(T0) << 7));
  memory.fill(T0, 0, 3 * FE);
}

/**
 * Encodes two points with one inversion: 1/Z1 = Z2/(Z1·Z2) and 1/Z2 =
 * Z1/(Z1·Z2), three multiplications instead of a second inversion (~250).
 */
export function geToBytes2(s1: usize, p1: usize, s2: usize, p2: usize): void {
  feMul(T3, Z(p1), Z(p2));
  feInvert(T3, T3);
  feMul(T2, T3, Z(p2));      // 1/Z1
  feMul(T0, X(p1), T2);
  feMul(T1, Y(p1), T2);
  feToBytes(s1, T1);
  store<u8>(s1 + 31, load<u8>(s1 + 31) | <u8>(feIsNegative(T0) << 7));
  feMul(T2, T3, Z(p1));      // 1/Z2
  feMul(T0, X(p2), T2);
  feMul(T1, Y(p2), T2);
  feToBytes(s2, T1);
  store<u8>(s2 + 31, load<u8>(s2 + 31) | <u8>(feIsNegative(T0) << 7));
  memory.fill(T0, 0, 4 * FE);
}

/**
 * RFC 8032 §5.1.3 decoding of 32 bytes into the P3 point r. Returns 0 (and
 * leaves r unspecified) when y >= p, when no x satisfies the curve equation,
 * or when x = 0 with the sign bit set. Variable time: for public keys.
 */
export function geFromBytes(r: usize, s: usize): u32 {
  const sign = <u32>load<u8>(s + 31) >> 7;
  feFromBytes(Y(r), s);
  // Step 1: y must be canonical. feFromBytes drops bit 255; re-encoding
  // gives back the same 255 bits exactly when y < p.
  feToBytes(T0, Y(r));
  if (load<u64>(T0, 0) != load<u64>(s, 0) || load<u64>(T0, 8) != load<u64>(s, 8) ||
      load<u64>(T0, 16) != load<u64>(s, 16) ||
      load<u64>(T0, 24) != (load<u64>(s, 24) & 0x7fffffffffffffff)) return 0;
  feOne(Z(r));
  // Step 2: u = y^2 - 1, v = d·y^2 + 1, x = u·v^3·(u·v^7)^((p-5)/8).
  feSq(T0, Y(r));
  feMul(T1, T0, ED_D);
  feSub(T0, T0, Z(r));       // u
  feAdd(T1, T1, Z(r));       // v
  feSq(T2, T1);
  feMul(T2, T2, T1);         // v^3
  feSq(X(r), T2);
  feMul(X(r), X(r), T1);
  feMul(X(r), X(r), T0);     // u·v^7
  fePow22523(X(r), X(r));
  feMul(X(r), X(r), T2);
  feMul(X(r), X(r), T0);     // x = u·v^3·(u·v^7)^((p-5)/8)
  // Step 3: v·x^2 = u gives x; v·x^2 = -u gives x·sqrt(-1); else no root.
  feSq(T3, X(r));
  feMul(T3, T3, T1);         // v·x^2
  feSub(T2, T3, T0);
  if (feIsZero(T2) == 0) {
    feAdd(T2, T3, T0);
    if (feIsZero(T2) == 0) return 0;
    feMul(X(r), X(r), SQRT_M1);
  }
  // Step 4: x = 0 with the sign bit set is invalid; otherwise pick the sign.
  if (feIsZero(X(r)) == 1 && sign == 1) return 0;
  if (feIsNegative(X(r)) != sign) feNeg(X(r), X(r));
  feMul(T(r), X(r), Y(r));
  return 1;
}

/** r = -p for a P3 point. */
export function geNeg(r: usize, p: usize): void {
  feNeg(X(r), X(p));
  feCopy(Y(r), Y(p));
  feCopy(Z(r), Z(p));
  feNeg(T(r), T(p));
}

// BASE[i][j] = (j + 1)·256^i·B for i < 32, j < 8, NIELS form with canonical
// limbs (those feFromBytes gives). The 30,720-byte table is computed on first
// use instead of shipped: as a data segment it was 29.7 KB of incompressible
// gzip in the browser bundle. It is public, so computing it may branch and
// needs no wiping; reading it stays masked (selectBase).
const BASE: usize = memory.data(32 * 8 * <i32>NIELS, 16);
let baseReady = false;
/** RFC 8032 §5.1: the encoding of B, y = 4/5 with x even. */
const B_BYTES: usize = memory.data<u8>([
  0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
]);
// Init scratch: the eight multiples of one row (P3), their running Z
// products, the row's base point (P3 and CACHED) and a 32-byte buffer.
const INIT: usize = memory.data(8 * <i32>P3 + 8 * <i32>FE + <i32>P3 + <i32>CACHED + 32 + <i32>FE, 16);
const ROW: usize = INIT;
const PREFIX: usize = ROW + 8 * P3;
const RP: usize = PREFIX + 8 * FE;
const RC: usize = RP + P3;
const BUF: usize = RC + CACHED;
const INV: usize = BUF + 32;

/** Stores f in canonical limbs (value in [0, p), unsigned limbs) at h. */
function feCanonical(h: usize, f: usize): void {
  feToBytes(BUF, f);
  feFromBytes(h, BUF);
}

/**
 * Fills BASE. Per row: the multiples 1..8 of P = 256^i·B by seven additions,
 * then one inversion for all eight Z (Montgomery's trick: prefix products,
 * one feInvert, two multiplications back per point), then P·256 by eight
 * doublings: 32 inversions in all instead of 256.
 */
function initBase(): void {
  geFromBytes(RP, B_BYTES);
  for (let i: usize = 0; i < 32; i++) {
    memory.copy(ROW, RP, P3);
    geToCached(RC, RP);
    for (let j: usize = 1; j < 8; j++) {
      geAdd(Q1, ROW + (j - 1) * P3, RC);
      geP1ToP3(ROW + j * P3, Q1);
    }
    feCopy(PREFIX, Z(ROW));
    for (let j: usize = 1; j < 8; j++) feMul(PREFIX + j * FE, PREFIX + (j - 1) * FE, Z(ROW + j * P3));
    feInvert(INV, PREFIX + 7 * FE);
    for (let j: isize = 7; j >= 0; j--) {
      const q = ROW + <usize>j * P3;
      // T0 = 1/Z_j; INV becomes 1/(Z_0·...·Z_{j-1}).
      if (j > 0) {
        feMul(T0, INV, PREFIX + <usize>(j - 1) * FE);
        feMul(INV, INV, Z(q));
      } else feCopy(T0, INV);
      feMul(T1, X(q), T0);   // x
      feMul(T2, Y(q), T0);   // y
      const e = BASE + (i * 8 + <usize>j) * NIELS;
      feAdd(T3, T2, T1);
      feCanonical(e, T3);
      feSub(T3, T2, T1);
      feCanonical(e + FE, T3);
      feMul(T3, T1, T2);
      feMul(T3, T3, ED_D2);
      feCanonical(e + 2 * FE, T3);
    }
    for (let k = 0; k < 7; k++) {
      geDouble(Q1, RP);
      geP1ToP2(RP, Q1);
    }
    geDouble(Q1, RP);
    geP1ToP3(RP, Q1);
  }
  baseReady = true;
}

/** The address of BASE, computed first if needed (for the test against BigInt). */
export function edBaseTablePtr(): usize {
  if (!baseReady) initBase();
  return BASE;
}

/**
 * SEL = BASE[pos][|b| - 1], negated when b < 0, or the identity (1, 1, 0)
 * when b = 0. Reads all eight entries of row `pos` (public) under masks that
 * depend on the secret digit b in [-8, 8].
 */
function selectBase(pos: usize, b: i32): void {
  const neg = <u32>b >>> 31;
  const abs = <u32>((b ^ -(<i32>neg)) + <i32>neg);
  // The 120-byte entry is selected as seven v128 and one u64 under masks:
  // geScalarMultBase took 18.5 µs this way against 26-32 µs selecting limb
  // by limb with feCmov (Node 20, best of 15 runs of 200).
  feOne(SEL);
  feOne(SEL + FE);
  feZero(SEL + 2 * FE);
  let v0 = v128.load(SEL, 0), v1 = v128.load(SEL, 16), v2 = v128.load(SEL, 32), v3 = v128.load(SEL, 48);
  let v4 = v128.load(SEL, 64), v5 = v128.load(SEL, 80), v6 = v128.load(SEL, 96), w = load<u64>(SEL, 112);
  const row = BASE + pos * 8 * NIELS;
  for (let j: u32 = 1; j <= 8; j++) {
    // (x ^ j) - 1 has its top bit set exactly when x == j (both below 16).
    const eq = ((abs ^ j) - 1) >>> 31;
    const m = i32x4.splat(-(<i32>eq));
    const mw = <u64>(0 - <i64>eq);
    const e = row + <usize>(j - 1) * NIELS;
    v0 = v128.bitselect(v128.load(e, 0), v0, m);
    v1 = v128.bitselect(v128.load(e, 16), v1, m);
    v2 = v128.bitselect(v128.load(e, 32), v2, m);
    v3 = v128.bitselect(v128.load(e, 48), v3, m);
    v4 = v128.bitselect(v128.load(e, 64), v4, m);
    v5 = v128.bitselect(v128.load(e, 80), v5, m);
    v6 = v128.bitselect(v128.load(e, 96), v6, m);
    w ^= (w ^ load<u64>(e, 112)) & mw;
  }
  v128.store(SEL, v0, 0); v128.store(SEL, v1, 16); v128.store(SEL, v2, 32); v128.store(SEL, v3, 48);
  v128.store(SEL, v4, 64); v128.store(SEL, v5, 80); v128.store(SEL, v6, 96); store<u64>(SEL, w, 112);
  // -(y + x, y - x, t) = (y - x, y + x, -t): swap under the mask and negate t.
  feCopy(NEG, SEL);
  feCmov(SEL, SEL + FE, neg);
  feCmov(SEL + FE, NEG, neg);
  feNeg(NEG, SEL + 2 * FE);
  feCmov(SEL + 2 * FE, NEG, neg);
}

/**
 * r = a·B for a 32-byte little-endian scalar a with a[31] <= 127, in
 * constant time. a = sum e_i·16^i with signed digits e_i in [-8, 8]; the
 * odd-indexed digits are summed first, multiplied by 16, then the even ones
 * added: 64 table additions and 4 doublings.
 */
export function geScalarMultBase(r: usize, a: usize): void {
  if (!baseReady) initBase();
  for (let i: usize = 0; i < 32; i++) {
    const v = <i32>load<u8>(a + i);
    store<i8>(DIGITS + 2 * i, <i8>(v & 15));
    store<i8>(DIGITS + 2 * i + 1, <i8>(v >> 4));
  }
  // Recode the nibbles into [-8, 8): carry (e + 8) >> 4 into the next digit.
  let carry: i32 = 0;
  for (let i: usize = 0; i < 63; i++) {
    const e = <i32>load<i8>(DIGITS + i) + carry;
    carry = (e + 8) >> 4;
    store<i8>(DIGITS + i, <i8>(e - (carry << 4)));
  }
  store<i8>(DIGITS + 63, <i8>(<i32>load<i8>(DIGITS + 63) + carry));

  geIdentity(r);
  for (let i: usize = 1; i < 64; i += 2) {
    selectBase(i >> 1, <i32>load<i8>(DIGITS + i));
    geMadd(Q1, r, SEL);
    geP1ToP3(r, Q1);
  }
  geDouble(Q1, r);
  geP1ToP2(r, Q1);
  geDouble(Q1, r);
  geP1ToP2(r, Q1);
  geDouble(Q1, r);
  geP1ToP2(r, Q1);
  geDouble(Q1, r);
  geP1ToP3(r, Q1);
  for (let i: usize = 0; i < 64; i += 2) {
    selectBase(i >> 1, <i32>load<i8>(DIGITS + i));
    geMadd(Q1, r, SEL);
    geP1ToP3(r, Q1);
  }
  memory.fill(DIGITS, 0, 64);
}

/**
 * Width-5 signed sliding-window recoding of the 256-bit scalar at s into
 * `out`: 256 digits, each 0 or odd in [-15, 15], with sum out_i·2^i = s.
 * For public scalars only (it branches on their bits).
 */
function slide(out: usize, s: usize): void {
  for (let i: usize = 0; i < 256; i++) {
    store<i8>(out + i, <i8>((load<u8>(s + (i >> 3)) >> <u8>(i & 7)) & 1));
  }
  for (let i: usize = 0; i < 256; i++) {
    if (load<i8>(out + i) == 0) continue;
    // Absorb the next set bits into digit i while it stays in [-15, 15].
    for (let b: usize = 1; b <= 4 && i + b < 256; b++) {
      const next = <i32>load<i8>(out + i + b);
      if (next == 0) continue;
      const cur = <i32>load<i8>(out + i);
      const shifted = next << <i32>b;
      if (cur + shifted <= 15) {
        store<i8>(out + i, <i8>(cur + shifted));
        store<i8>(out + i + b, 0);
      } else if (cur - shifted >= -15) {
        // cur - 2^b·next, and carry 2^(i+b) upward into the next zero bit.
        store<i8>(out + i, <i8>(cur - shifted));
        for (let k = i + b; k < 256; k++) {
          if (load<i8>(out + k) == 0) {
            store<i8>(out + k, 1);
            break;
          }
          store<i8>(out + k, 0);
        }
      } else {
        break;
      }
    }
  }
}

/**
 * r = a·P + b·B for a P3 point P and 32-byte scalars a, b below 2^253, as a
 * P2 point. Variable time (Straus with width-5 windows, one shared doubling
 * chain): for verification, where every input is public.
 */
export function geDoubleScalarMultVartime(r: usize, a: usize, p: usize, b: usize): void {
  slide(NAF_A, a);
  slide(NAF_B, b);
  // MULT[j] = (2j + 1)·P as CACHED: (2j + 1)P = 2P + (2j - 1)P, with 2P in r.
  geToCached(MULT, p);
  geDouble(Q1, p);
  geP1ToP3(r, Q1);
  for (let j: usize = 1; j < 8; j++) {
    geAdd(Q1, r, MULT + (j - 1) * CACHED);
    geP1ToP3(TP, Q1);
    geToCached(MULT + j * CACHED, TP);
  }
  let i = 255;
  while (i >= 0 && load<i8>(NAF_A + <usize>i) == 0 && load<i8>(NAF_B + <usize>i) == 0) i--;
  geIdentity(r);
  for (; i >= 0; i--) {
    geDouble(Q1, r);
    const da = <i32>load<i8>(NAF_A + <usize>i);
    const db = <i32>load<i8>(NAF_B + <usize>i);
    if (da != 0) {
      geP1ToP3(r, Q1);
      if (da > 0) geAdd(Q1, r, MULT + <usize>(da >> 1) * CACHED);
      else geSub(Q1, r, MULT + <usize>((-da) >> 1) * CACHED);
    }
    if (db != 0) {
      geP1ToP3(r, Q1);
      if (db > 0) geMadd(Q1, r, BASE_ODD + <usize>(db >> 1) * NIELS);
      else geMsub(Q1, r, BASE_ODD + <usize>((-db) >> 1) * NIELS);
    }
    // The next doubling needs no T: P2 saves a multiplication.
    geP1ToP2(r, Q1);
  }
}
