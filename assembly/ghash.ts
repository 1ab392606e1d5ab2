// GHASH, NIST SP 800-38D §6.4, in constant time without tables.
//
// Representation. A block B (16 bytes, §6.1 bit order: the leftmost bit is
// the coefficient of x^0) is held as the 128-bit big-endian integer of its
// bytes, stored in a v128 as four u32 lanes [a0, a1, a2, a3], a0 the least
// significant: the byte reversal of B ("R form"). The integer's bit 127 - i
// is the coefficient of x^i, so the carry-less integer product of two R forms
// is the field product reflected, one bit short (fixed by a 1-bit shift
// before the reduction).
//
// Carry-less multiplication from integer multiplication. For 32-bit x, y
// split into four masks (bits 0, 4, 8, ... ; 1, 5, 9, ... ; ...), each
// integer product x_i * y_j has at most 8 partial products per bit position,
// so carries never leave a 4-bit group and bit (i + j) mod 4 of each group is
// the parity we want (the "holes" of BearSSL's ghash_ctmul). XORs of such
// integer products keep that property, so masking is deferred to the end of
// a group of blocks. i64x2.extmul_low/high_i32x4_u compute two 32x32->64
// products per instruction: the data word is splat and masked into
// [x & M0, x & M1, x & M2, x & M3], the key word into [y & Mm, y & Mm-1,
// y & Mm-2, y & Mm-3]; both halves of the product then hold class m.
//
// Karatsuba twice: a 128x128 product is 3 products of 64-bit halves, each 3
// products of 32-bit words, 9 "slots" of 16 masked products: 72 extmuls per
// block. Aggregated reduction (Gueron–Kounavis, Intel white paper 2010):
// up to 8 blocks are multiplied by H^8..H^1 and summed before one Karatsuba
// recombination and one reduction.
//
// Key table (GH_TABLE bytes at `tab`): for each power H^e, e = 1..8, 9 slots
// of 4 masked v128 (576 bytes). Built per call from the eight powers by
// `ghashTable`, since it is 36 times the size of the powers.

import { wipe } from './ct';

/** Bytes of the table of one power of H. */
export const GH_POWER: i32 = 9 * 4 * 16;
/** Bytes of the table of H^1..H^8. */
export const GH_TABLE: i32 = 8 * GH_POWER;
/** Blocks per aggregated reduction. */
export const GH_AGG: i32 = 8;

// Per-block masked data words of one group: 8 blocks x 9 slots.
const XS: usize = memory.data(8 * 9 * 16, 16);

const M32: v128 = i32x4(0x11111111, 0x22222222, 0x44444444, 0x88888888);

const REV: usize = memory.data<u8>([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);

/** The byte reversal between a block and its R form. */
// @ts-ignore: decorator
@inline export function rform(b: v128): v128 {
  return i8x16.shuffle(b, b, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
}

/**
 * Writes the 9 Karatsuba slot words of `v` (R form), each splat into a v128
 * and ANDed with `m`, at `out` (9 x 16 bytes). Slot order: a0, a1, a0^a1
 * (low half), a2, a3, a2^a3 (high half), a0^a2, a1^a3, a0^a1^a2^a3 (sum).
 */
// @ts-ignore: decorator
@inline function slots(v: v128, m: v128, out: usize): void {
  const u = v128.xor(v, i32x4.shuffle(v, v, 1, 0, 3, 2)); // a0^a1, a0^a1, a2^a3, a2^a3
  const w = v128.xor(v, i32x4.shuffle(v, v, 2, 3, 0, 1)); // a0^a2, a1^a3, a0^a2, a1^a3
  const z = v128.xor(w, i32x4.shuffle(w, w, 1, 0, 3, 2)); // all four
  v128.store(out, v128.and(i32x4.shuffle(v, v, 0, 0, 0, 0), m), 0);
  v128.store(out, v128.and(i32x4.shuffle(v, v, 1, 1, 1, 1), m), 16);
  v128.store(out, v128.and(i32x4.shuffle(u, u, 0, 0, 0, 0), m), 32);
  v128.store(out, v128.and(i32x4.shuffle(v, v, 2, 2, 2, 2), m), 48);
  v128.store(out, v128.and(i32x4.shuffle(v, v, 3, 3, 3, 3), m), 64);
  v128.store(out, v128.and(i32x4.shuffle(u, u, 2, 2, 2, 2), m), 80);
  v128.store(out, v128.and(i32x4.shuffle(w, w, 0, 0, 0, 0), m), 96);
  v128.store(out, v128.and(i32x4.shuffle(w, w, 1, 1, 1, 1), m), 112);
  v128.store(out, v128.and(z, m), 128);
}

/**
 * Builds the key table at `tab` from H^1..H^8 (R form, 16 bytes each) at
 * `pow`. Slot s of power e holds, for each class m, [y & Mm, y & Mm-1,
 * y & Mm-2, y & Mm-3] with y the slot word: 4 entries of 16 bytes.
 */
export function ghashTable(pow: usize, tab: usize, n: i32): void {
  const y0 = i32x4(0x11111111, 0x88888888, 0x44444444, 0x22222222);
  const y1 = i32x4(0x22222222, 0x11111111, 0x88888888, 0x44444444);
  const y2 = i32x4(0x44444444, 0x22222222, 0x11111111, 0x88888888);
  const y3 = i32x4(0x88888888, 0x44444444, 0x22222222, 0x11111111);
  for (let e = 0; e < n; e++) {
    const t = tab + <usize>e * GH_POWER;
    // Splat words, unmasked, into the first entry of each slot...
    const v = v128.load(pow + (<usize>e << 4));
    const u = v128.xor(v, i32x4.shuffle(v, v, 1, 0, 3, 2));
    const w = v128.xor(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
    const z = v128.xor(w, i32x4.shuffle(w, w, 1, 0, 3, 2));
    const sp0 = i32x4.shuffle(v, v, 0, 0, 0, 0), sp1 = i32x4.shuffle(v, v, 1, 1, 1, 1);
    const sp2 = i32x4.shuffle(u, u, 0, 0, 0, 0), sp3 = i32x4.shuffle(v, v, 2, 2, 2, 2);
    const sp4 = i32x4.shuffle(v, v, 3, 3, 3, 3), sp5 = i32x4.shuffle(u, u, 2, 2, 2, 2);
    const sp6 = i32x4.shuffle(w, w, 0, 0, 0, 0), sp7 = i32x4.shuffle(w, w, 1, 1, 1, 1);
    // ...then the four masked entries.
    entry(t, 0, sp0, y0, y1, y2, y3);
    entry(t, 1, sp1, y0, y1, y2, y3);
    entry(t, 2, sp2, y0, y1, y2, y3);
    entry(t, 3, sp3, y0, y1, y2, y3);
    entry(t, 4, sp4, y0, y1, y2, y3);
    entry(t, 5, sp5, y0, y1, y2, y3);
    entry(t, 6, sp6, y0, y1, y2, y3);
    entry(t, 7, sp7, y0, y1, y2, y3);
    entry(t, 8, z, y0, y1, y2, y3);
  }
}

// @ts-ignore: decorator
@inline function entry(t: usize, s: usize, sp: v128, y0: v128, y1: v128, y2: v128, y3: v128): void {
  const q = t + (s << 6);
  v128.store(q, v128.and(sp, y0), 0);
  v128.store(q, v128.and(sp, y1), 16);
  v128.store(q, v128.and(sp, y2), 32);
  v128.store(q, v128.and(sp, y3), 48);
}

// The two products of class m of one data vector and one table entry.
// @ts-ignore: decorator
@inline function mulClass(x: v128, k: v128): v128 {
  return v128.xor(i64x2.extmul_low_i32x4_u(x, k), i64x2.extmul_high_i32x4_u(x, k));
}

/**
 * Sum over the `n` blocks of the group of the carry-less 32x32 products of
 * slot `s`: block b's data words at XS are paired with power n - b. Two
 * blocks per iteration: V8 puts a stack check and counter updates in every
 * loop iteration (47 -> 41 instructions per block and slot). On the Zen 4
 * test machine throughput did not change measurably: V8 lowers each extmul
 * to two unpacks and a pmuludq, and those vector operations bound GHASH.
 */
// @ts-ignore: decorator
@inline function slotProduct(tab: usize, s: usize, n: usize): u64 {
  let c0 = i64x2.splat(0), c1 = i64x2.splat(0), c2 = i64x2.splat(0), c3 = i64x2.splat(0);
  let x = XS + (s << 4);
  let y = tab + (n - 1) * <usize>GH_POWER + (s << 6);
  let b: usize = 2;
  for (; b <= n; b += 2) {
    const xa = v128.load(x), xb = v128.load(x, 144);
    const z = y - <usize>GH_POWER;
    c0 = v128.xor(c0, v128.xor(mulClass(xa, v128.load(y, 0)), mulClass(xb, v128.load(z, 0))));
    c1 = v128.xor(c1, v128.xor(mulClass(xa, v128.load(y, 16)), mulClass(xb, v128.load(z, 16))));
    c2 = v128.xor(c2, v128.xor(mulClass(xa, v128.load(y, 32)), mulClass(xb, v128.load(z, 32))));
    c3 = v128.xor(c3, v128.xor(mulClass(xa, v128.load(y, 48)), mulClass(xb, v128.load(z, 48))));
    x += 2 * 144;
    y -= 2 * <usize>GH_POWER;
  }
  if (n & 1) {
    const xa = v128.load(x);
    c0 = v128.xor(c0, mulClass(xa, v128.load(y, 0)));
    c1 = v128.xor(c1, mulClass(xa, v128.load(y, 16)));
    c2 = v128.xor(c2, mulClass(xa, v128.load(y, 32)));
    c3 = v128.xor(c3, mulClass(xa, v128.load(y, 48)));
  }
  // Keep bit class m of accumulator m (bits m, m + 4, ... of the 64-bit sums).
  const c = v128.or(
    v128.or(v128.and(c0, i64x2.splat(0x1111111111111111)), v128.and(c1, i64x2.splat(0x2222222222222222))),
    v128.or(v128.and(c2, i64x2.splat(0x4444444444444444)), v128.and(c3, i64x2.splat(<i64>0x8888888888888888))),
  );
  return i64x2.extract_lane(c, 0) ^ i64x2.extract_lane(c, 1);
}

/**
 * GHASH update (§6.4): for each 16-byte block X at `p`, Y = (Y xor X) · H,
 * with Y the R form at `acc` and the key table at `tab`.
 */
export function ghashBlocks(acc: usize, tab: usize, p: usize, blocks: usize): void {
  let y = v128.load(acc);
  // The first group is the largest: only its rows of XS are ever written.
  const used = (blocks < <usize>GH_AGG ? blocks : <usize>GH_AGG) * 144;
  // rform() as a swizzle with the pattern in a register: V8 materializes a
  // general constant shuffle anew each time (five instructions).
  const rev = v128.load(REV);
  while (blocks != 0) {
    const n: usize = blocks < <usize>GH_AGG ? blocks : <usize>GH_AGG;
    slots(v128.xor(y, i8x16.swizzle(v128.load(p), rev)), M32, XS);
    for (let b: usize = 1; b < n; b++) slots(i8x16.swizzle(v128.load(p + (b << 4)), rev), M32, XS + b * 144);
    const p0 = slotProduct(tab, 0, n), p1 = slotProduct(tab, 1, n), p2 = slotProduct(tab, 2, n);
    const p3 = slotProduct(tab, 3, n), p4 = slotProduct(tab, 4, n), p5 = slotProduct(tab, 5, n);
    const p6 = slotProduct(tab, 6, n), p7 = slotProduct(tab, 7, n), p8 = slotProduct(tab, 8, n);
    // Karatsuba recombination of the 64-bit halves: (hi, lo) 128-bit products.
    let m = p2 ^ p0 ^ p1;
    const llo = p0 ^ (m << 32), lhi = p1 ^ (m >> 32);
    m = p5 ^ p3 ^ p4;
    const hlo = p3 ^ (m << 32), hhi = p4 ^ (m >> 32);
    m = p8 ^ p6 ^ p7;
    const mlo = p6 ^ (m << 32) ^ llo ^ hlo, mhi = p7 ^ (m >> 32) ^ lhi ^ hhi;
    // The 256-bit product, words w3 (top) .. w0, shifted left by one bit so
    // its high half is the low-degree part in R form.
    let w0 = llo, w1 = lhi ^ mlo, w2 = hlo ^ mhi, w3 = hhi;
    w3 = (w3 << 1) | (w2 >> 63);
    w2 = (w2 << 1) | (w1 >> 63);
    w1 = (w1 << 1) | (w0 >> 63);
    w0 <<= 1;
    // Reduction modulo x^128 + x^7 + x^2 + x + 1 (§6.3): the high-degree
    // half (w1, w0) times x^7 + x^2 + x + 1 is, in R form, itself XOR right
    // shifts by 1, 2 and 7; the bits shifted out (degrees 128..134) are
    // folded once more.
    const e = (w0 << 63) ^ (w0 << 62) ^ (w0 << 57);
    const lo = w2 ^ w0 ^ (w0 >> 1) ^ (w0 >> 2) ^ (w0 >> 7) ^ (w1 << 63) ^ (w1 << 62) ^ (w1 << 57);
    const hi = w3 ^ w1 ^ (w1 >> 1) ^ (w1 >> 2) ^ (w1 >> 7) ^ e ^ (e >> 1) ^ (e >> 2) ^ (e >> 7);
    y = i64x2(0, 0);
    y = i64x2.replace_lane(i64x2.replace_lane(y, 0, lo), 1, hi);
    p += n << 4;
    blocks -= n;
  }
  v128.store(acc, y);
  wipe(XS, used);
}

const ZERO: usize = memory.data(16, 16);

/**
 * H^1..H^8 (R form) at `pow` from H (the block E_K(0^128)) at `h`; uses
 * `tab` as scratch and leaves it holding the table of H alone.
 */
export function ghashPowers(h: usize, pow: usize, tab: usize): void {
  v128.store(pow, rform(v128.load(h)));
  ghashTable(pow, tab, 1);
  for (let e: usize = 1; e < 8; e++) {
    // H^(e+1) = (H^e xor 0) · H.
    memory.copy(pow + (e << 4), pow + ((e - 1) << 4), 16);
    ghashBlocks(pow + (e << 4), tab, ZERO, 1);
  }
}
