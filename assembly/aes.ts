// AES block cipher, FIPS 197, bitsliced over v128 (Käsper–Schwabe, CHES 2009).
//
// Eight blocks are processed at once (or two such batches side by side, see
// aesEncrypt). After the bit transposition (`transpose`)
// the state is eight v128 "planes": plane i holds bit i of every state byte,
// byte j of a plane holds byte position j of the eight blocks (one bit per
// block). SubBytes is then a Boolean circuit evaluated with v128 AND/XOR on all
// 128 S-boxes at once, and ShiftRows/MixColumns are fixed byte and lane
// shuffles inside each plane. Nothing indexes memory by key or data: there is
// no S-box table, so there is no cache-timing channel.
//
// Bitsliced key schedule (AES_RK_BYTES at `rk`): Nr+1 round keys of eight
// planes (128 bytes) each, plane i byte j = 0xFF when bit i of round-key byte
// j is set; round keys 1..Nr-1 in the row-major byte order of the rounds
// (see SHIFT). Round keys 1..Nr carry the S-box affine constant 0x63 (see
// `round`), so the circuit needs no NOT gates.
//
// Measured against a vector-permute design (Hamburg's vpaes: 10 nibble-table
// i8x16.swizzle lookups, 3 byte rotations and the XORs per round and block,
// two blocks interleaved): that op mix alone ran at 283 MB/s against 381 MB/s
// for this whole CTR path on the same machine, because V8 lowers each
// swizzle to three instructions (a saturating add for out-of-range lanes,
// then pshufb).

import { wipe } from './ct';

/**
 * Largest bitsliced key schedule: AES-256, 15 round keys of 128 bytes.
 * AES-128 and AES-192 use the first 11 and 13 of them.
 */
export const AES_RK_BYTES: i32 = 15 * 128;

// Key expansion scratch: the word schedule w[0..4(Nr+1)) (FIPS 197 §5.2),
// at most 60 words (AES-256; AES-192 has 52, AES-128 44).
const W: usize = memory.data(240, 16);

// SWAPMOVE's difference mask: the bits of `b` selected by `m` that differ
// from the bits `n` places higher in `a`. XORing it into `b`, and shifted left
// by `n` into `a`, swaps those bits.
// @ts-ignore: decorator
@inline function swapmoveLo(a: v128, b: v128, n: i32, m: v128): v128 {
  return v128.and(v128.xor(i64x2.shr_u(a, n), b), m);
}

/**
 * Bit-transposes the eight 16-byte blocks at `p` in place: afterwards row i
 * (16 bytes) is plane i, whose byte j holds bit i of byte j of each block
 * (block k in bit k). The transposition is its own inverse.
 */
export function transpose(p: usize): void {
  let r0 = v128.load(p, 0), r1 = v128.load(p, 16), r2 = v128.load(p, 32), r3 = v128.load(p, 48);
  let r4 = v128.load(p, 64), r5 = v128.load(p, 80), r6 = v128.load(p, 96), r7 = v128.load(p, 112);
  // Each level swaps bit d of the register index with bit d of the bit index.
  const m1 = i8x16.splat(0x55), m2 = i8x16.splat(0x33), m4 = i8x16.splat(0x0f);
  let t = swapmoveLo(r0, r1, 1, m1); r1 = v128.xor(r1, t); r0 = v128.xor(r0, i64x2.shl(t, 1));
  t = swapmoveLo(r2, r3, 1, m1); r3 = v128.xor(r3, t); r2 = v128.xor(r2, i64x2.shl(t, 1));
  t = swapmoveLo(r4, r5, 1, m1); r5 = v128.xor(r5, t); r4 = v128.xor(r4, i64x2.shl(t, 1));
  t = swapmoveLo(r6, r7, 1, m1); r7 = v128.xor(r7, t); r6 = v128.xor(r6, i64x2.shl(t, 1));
  t = swapmoveLo(r0, r2, 2, m2); r2 = v128.xor(r2, t); r0 = v128.xor(r0, i64x2.shl(t, 2));
  t = swapmoveLo(r1, r3, 2, m2); r3 = v128.xor(r3, t); r1 = v128.xor(r1, i64x2.shl(t, 2));
  t = swapmoveLo(r4, r6, 2, m2); r6 = v128.xor(r6, t); r4 = v128.xor(r4, i64x2.shl(t, 2));
  t = swapmoveLo(r5, r7, 2, m2); r7 = v128.xor(r7, t); r5 = v128.xor(r5, i64x2.shl(t, 2));
  t = swapmoveLo(r0, r4, 4, m4); r4 = v128.xor(r4, t); r0 = v128.xor(r0, i64x2.shl(t, 4));
  t = swapmoveLo(r1, r5, 4, m4); r5 = v128.xor(r5, t); r1 = v128.xor(r1, i64x2.shl(t, 4));
  t = swapmoveLo(r2, r6, 4, m4); r6 = v128.xor(r6, t); r2 = v128.xor(r2, i64x2.shl(t, 4));
  t = swapmoveLo(r3, r7, 4, m4); r7 = v128.xor(r7, t); r3 = v128.xor(r3, i64x2.shl(t, 4));
  v128.store(p, r0, 0); v128.store(p, r1, 16); v128.store(p, r2, 32); v128.store(p, r3, 48);
  v128.store(p, r4, 64); v128.store(p, r5, 80); v128.store(p, r6, 96); v128.store(p, r7, 112);
}

// What `round` does after SubBytes.
const SUB_ONLY = 0; // store the S-box outputs (key expansion)
const MIX = 1; // ShiftRows, MixColumns, AddRoundKey (rounds 1..Nr-1)
const LAST = 2; // ShiftRows, AddRoundKey (round Nr)

/**
 * One round on the eight planes at `p`, in place: SubBytes (FIPS 197
 * §5.1.1), then per `mode` (a constant after inlining) nothing, or the rest
 * of a round with the round key at `k` and the ShiftRows swizzle `sr`. One
 * function for the three keeps the S-box outputs in locals for MixColumns
 * (16 fewer memory operations per round than separate functions).
 *
 * SubBytes omits the final XOR with 0x63: the callers fold that constant
 * into the round keys.
 * The circuit is Boyar and Peralta's 113-gate S-box ("A new combinational
 * logic minimization technique with applications to cryptology", SEA 2010):
 * a linear layer, a shared GF(2^4) inversion core of 32 ANDs, a linear layer.
 * Inputs x0..x7 are bits 7..0; outputs s0..s7 likewise.
 */
// @ts-ignore: decorator
@inline function round(p: usize, k: usize, sr: v128, mode: i32): void {
  const x0 = v128.load(p, 112), x1 = v128.load(p, 96), x2 = v128.load(p, 80), x3 = v128.load(p, 64);
  const x4 = v128.load(p, 48), x5 = v128.load(p, 32), x6 = v128.load(p, 16), x7 = v128.load(p, 0);
  // Top linear transformation.
  const y14 = v128.xor(x3, x5), y13 = v128.xor(x0, x6), y9 = v128.xor(x0, x3), y8 = v128.xor(x0, x5);
  const t0 = v128.xor(x1, x2), y1 = v128.xor(t0, x7), y4 = v128.xor(y1, x3), y12 = v128.xor(y13, y14);
  const y2 = v128.xor(y1, x0), y5 = v128.xor(y1, x6), y3 = v128.xor(y5, y8), t1 = v128.xor(x4, y12);
  const y15 = v128.xor(t1, x5), y20 = v128.xor(t1, x1), y6 = v128.xor(y15, x7), y10 = v128.xor(y15, t0);
  const y11 = v128.xor(y20, y9), y7 = v128.xor(x7, y11), y17 = v128.xor(y10, y11), y19 = v128.xor(y10, y8);
  const y16 = v128.xor(t0, y11), y21 = v128.xor(y13, y16), y18 = v128.xor(x0, y16);
  // Non-linear core.
  const t2 = v128.and(y12, y15), t3 = v128.and(y3, y6), t4 = v128.xor(t3, t2), t5 = v128.and(y4, x7);
  const t6 = v128.xor(t5, t2), t7 = v128.and(y13, y16), t8 = v128.and(y5, y1), t9 = v128.xor(t8, t7);
  const t10 = v128.and(y2, y7), t11 = v128.xor(t10, t7), t12 = v128.and(y9, y11), t13 = v128.and(y14, y17);
  const t14 = v128.xor(t13, t12), t15 = v128.and(y8, y10), t16 = v128.xor(t15, t12), t17 = v128.xor(t4, t14);
  const t18 = v128.xor(t6, t16), t19 = v128.xor(t9, t14), t20 = v128.xor(t11, t16), t21 = v128.xor(t17, y20);
  const t22 = v128.xor(t18, y19), t23 = v128.xor(t19, y21), t24 = v128.xor(t20, y18);
  const t25 = v128.xor(t21, t22), t26 = v128.and(t21, t23), t27 = v128.xor(t24, t26), t28 = v128.and(t25, t27);
  const t29 = v128.xor(t28, t22), t30 = v128.xor(t23, t24), t31 = v128.xor(t22, t26), t32 = v128.and(t31, t30);
  const t33 = v128.xor(t32, t24), t34 = v128.xor(t23, t33), t35 = v128.xor(t27, t33), t36 = v128.and(t24, t35);
  const t37 = v128.xor(t36, t34), t38 = v128.xor(t27, t36), t39 = v128.and(t29, t38), t40 = v128.xor(t25, t39);
  const t41 = v128.xor(t40, t37), t42 = v128.xor(t29, t33), t43 = v128.xor(t29, t40), t44 = v128.xor(t33, t37);
  const t45 = v128.xor(t42, t41);
  const z0 = v128.and(t44, y15), z1 = v128.and(t37, y6), z2 = v128.and(t33, x7), z3 = v128.and(t43, y16);
  const z4 = v128.and(t40, y1), z5 = v128.and(t29, y7), z6 = v128.and(t42, y11), z7 = v128.and(t45, y17);
  const z8 = v128.and(t41, y10), z9 = v128.and(t44, y12), z10 = v128.and(t37, y3), z11 = v128.and(t33, y4);
  const z12 = v128.and(t43, y13), z13 = v128.and(t40, y5), z14 = v128.and(t29, y2), z15 = v128.and(t42, y9);
  const z16 = v128.and(t45, y14), z17 = v128.and(t41, y8);
  // Bottom linear transformation; the four NOTs of the published circuit
  // (on s1, s2, s6, s7, i.e. bits 6, 5, 1, 0: the constant 0x63) are dropped.
  const t46 = v128.xor(z15, z16), t47 = v128.xor(z10, z11), t48 = v128.xor(z5, z13), t49 = v128.xor(z9, z10);
  const t50 = v128.xor(z2, z12), t51 = v128.xor(z2, z5), t52 = v128.xor(z7, z8), t53 = v128.xor(z0, z3);
  const t54 = v128.xor(z6, z7), t55 = v128.xor(z16, z17), t56 = v128.xor(z12, t48), t57 = v128.xor(t50, t53);
  const t58 = v128.xor(z4, t46), t59 = v128.xor(z3, t54), t60 = v128.xor(t46, t57), t61 = v128.xor(z14, t57);
  const t62 = v128.xor(t52, t58), t63 = v128.xor(t49, t58), t64 = v128.xor(z4, t59), t65 = v128.xor(t61, t62);
  const t66 = v128.xor(z1, t63), t67 = v128.xor(t64, t65);
  const s3 = v128.xor(t53, t66);
  // Outputs s0..s7 are bits 7..0: plane i is s(7 - i).
  const q0 = v128.xor(t48, t60), q1 = v128.xor(t56, t62), q2 = v128.xor(t47, t65), q3 = v128.xor(t51, t66);
  const q4 = s3, q5 = v128.xor(t55, t67), q6 = v128.xor(t64, s3), q7 = v128.xor(t59, t63);
  if (mode == SUB_ONLY) {
    v128.store(p, q0, 0); v128.store(p, q1, 16); v128.store(p, q2, 32); v128.store(p, q3, 48);
    v128.store(p, q4, 64); v128.store(p, q5, 80); v128.store(p, q6, 96); v128.store(p, q7, 112);
  } else if (mode == MIX) {
    shiftMixAddKey(p, k, sr, q0, q1, q2, q3, q4, q5, q6, q7);
  } else {
    v128.store(p, v128.xor(i8x16.swizzle(q0, sr), v128.load(k, 0)), 0);
    v128.store(p, v128.xor(i8x16.swizzle(q1, sr), v128.load(k, 16)), 16);
    v128.store(p, v128.xor(i8x16.swizzle(q2, sr), v128.load(k, 32)), 32);
    v128.store(p, v128.xor(i8x16.swizzle(q3, sr), v128.load(k, 48)), 48);
    v128.store(p, v128.xor(i8x16.swizzle(q4, sr), v128.load(k, 64)), 64);
    v128.store(p, v128.xor(i8x16.swizzle(q5, sr), v128.load(k, 80)), 80);
    v128.store(p, v128.xor(i8x16.swizzle(q6, sr), v128.load(k, 96)), 96);
    v128.store(p, v128.xor(i8x16.swizzle(q7, sr), v128.load(k, 112)), 112);
  }
}

// Byte layout inside a plane during the rounds: row-major, state byte (row
// r, column c) at position 4r + c, so a row is a 32-bit lane and rotating
// the rows of every column (MixColumns) is a 32-bit lane shuffle, which V8
// emits as one pshufd. Blocks are loaded and stored column-major (FIPS 197
// §3.4, byte 4c + r); the change of layout is folded into the ShiftRows
// byte shuffles of the first and last rounds, so it costs nothing.
//
// ShiftRows (§5.1.2) goes through i8x16.swizzle with the pattern in a v128
// loaded once from memory: a constant i8x16.shuffle of a general pattern is
// materialized by V8 on every use (five instructions, read in
// --print-wasm-code), the swizzle is three. Patterns (output byte q takes
// input byte PATTERN[q]):
//   SR: row-major to row-major, q = 4r + c takes 4r + (c + r) % 4.
//   FIRST: column-major to row-major ShiftRows, q = 4r + c takes 4((c + r) % 4) + r.
//   LAST: row-major to column-major ShiftRows, 4c + r takes 4r + (c + r) % 4.
const SHIFT: usize = memory.data<u8>([
  0, 1, 2, 3, 5, 6, 7, 4, 10, 11, 8, 9, 15, 12, 13, 14,
  0, 4, 8, 12, 5, 9, 13, 1, 10, 14, 2, 6, 15, 3, 7, 11,
  0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14,
]);
const SR_RM: usize = SHIFT;
const SR_FIRST: usize = SHIFT + 16;
const SR_LAST: usize = SHIFT + 32;
// Column-major to row-major (a 4x4 byte transposition, its own inverse).
const TO_ROWS: usize = memory.data<u8>([0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]);

// Row r takes row r + 1 (rot1) or r + 2 (rot2) in every column.
// @ts-ignore: decorator
@inline function rot1(x: v128): v128 {
  return i32x4.shuffle(x, x, 1, 2, 3, 0);
}
// @ts-ignore: decorator
@inline function rot2(x: v128): v128 {
  return i32x4.shuffle(x, x, 2, 3, 0, 1);
}

/**
 * ShiftRows (by the swizzle `sr`), MixColumns and AddRoundKey (FIPS 197
 * §5.1.2–5.1.4) on the planes x0..x7, stored at `p`. With a = ShiftRows(state),
 * MixColumns is 2a + 3·rot1(a) + rot2(a) + rot3(a) = 2t + rot1(a) + rot2(t)
 * where t = a + rot1(a): 8 swizzles, 16 lane shuffles and 27 XORs for all
 * eight planes.
 */
// @ts-ignore: decorator
@inline function shiftMixAddKey(
  p: usize, k: usize, sr: v128, x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, x6: v128, x7: v128,
): void {
  const a0 = i8x16.swizzle(x0, sr), a1 = i8x16.swizzle(x1, sr), a2 = i8x16.swizzle(x2, sr), a3 = i8x16.swizzle(x3, sr);
  const a4 = i8x16.swizzle(x4, sr), a5 = i8x16.swizzle(x5, sr), a6 = i8x16.swizzle(x6, sr), a7 = i8x16.swizzle(x7, sr);
  const r0 = rot1(a0), r1 = rot1(a1), r2 = rot1(a2), r3 = rot1(a3);
  const r4 = rot1(a4), r5 = rot1(a5), r6 = rot1(a6), r7 = rot1(a7);
  const t0 = v128.xor(a0, r0), t1 = v128.xor(a1, r1), t2 = v128.xor(a2, r2), t3 = v128.xor(a3, r3);
  const t4 = v128.xor(a4, r4), t5 = v128.xor(a5, r5), t6 = v128.xor(a6, r6), t7 = v128.xor(a7, r7);
  // 2t (xtime, §4.2): a left shift across planes with the reduction by
  // x^8 = x^4 + x^3 + x + 1 feeding t7 into planes 0, 1, 3 and 4.
  v128.store(p, v128.xor(v128.xor(t7, r0), v128.xor(rot2(t0), v128.load(k, 0))), 0);
  v128.store(p, v128.xor(v128.xor(v128.xor(t0, t7), r1), v128.xor(rot2(t1), v128.load(k, 16))), 16);
  v128.store(p, v128.xor(v128.xor(t1, r2), v128.xor(rot2(t2), v128.load(k, 32))), 32);
  v128.store(p, v128.xor(v128.xor(v128.xor(t2, t7), r3), v128.xor(rot2(t3), v128.load(k, 48))), 48);
  v128.store(p, v128.xor(v128.xor(v128.xor(t3, t7), r4), v128.xor(rot2(t4), v128.load(k, 64))), 64);
  v128.store(p, v128.xor(v128.xor(t4, r5), v128.xor(rot2(t5), v128.load(k, 80))), 80);
  v128.store(p, v128.xor(v128.xor(t5, r6), v128.xor(rot2(t6), v128.load(k, 96))), 96);
  v128.store(p, v128.xor(v128.xor(t6, r7), v128.xor(rot2(t7), v128.load(k, 112))), 112);
}

/** XORs the 128-byte round key at `k` into the planes at `p`. */
// @ts-ignore: decorator
@inline function addKey(p: usize, k: usize): void {
  for (let i: usize = 0; i < 128; i += 16) {
    v128.store(p + i, v128.xor(v128.load(p + i), v128.load(k + i)));
  }
}

/**
 * Encrypts the eight blocks at `p` in place (FIPS 197 §5.1, Cipher()) with
 * the bitsliced key schedule at `rk` of `nr` rounds; with `two`, also the
 * eight blocks at `p + 128`, round by round alongside. A round is one long
 * dependency chain (the S-box circuit, then MixColumns), so V8's code for
 * one batch leaves the CPU waiting: two interleaved batches ran 21% faster
 * per block (CTR 413 -> 501 MB/s), four no faster than two.
 */
export function aesEncrypt(rk: usize, nr: i32, p: usize, two: bool): void {
  const q = p + 128;
  transpose(p);
  addKey(p, rk);
  if (two) {
    transpose(q);
    addKey(q, rk);
  }
  const first = v128.load(SR_FIRST);
  round(p, rk + 128, first, MIX);
  if (two) round(q, rk + 128, first, MIX);
  const sr = v128.load(SR_RM);
  for (let r = 2; r < nr; r++) {
    const k = rk + (<usize>r << 7);
    round(p, k, sr, MIX);
    if (two) round(q, k, sr, MIX);
  }
  // The final round (no MixColumns), back to column-major.
  const last = v128.load(SR_LAST);
  const k = rk + (<usize>nr << 7);
  round(p, k, last, LAST);
  transpose(p);
  if (two) {
    round(q, k, last, LAST);
    transpose(q);
  }
}

/**
 * Bitslices the round key `w` (four words as stored) into the 128 bytes at
 * `k`, row-major when `rows` (rounds 1..Nr-1, see SHIFT).
 */
function bitsliceRoundKey(k: usize, w: usize, rows: bool): void {
  let b = v128.load(w);
  if (rows) b = i8x16.swizzle(b, v128.load(TO_ROWS));
  for (let i: usize = 0; i < 128; i += 16) v128.store(k + i, b);
  transpose(k);
}

/**
 * FIPS 197 §5.2 KeyExpansion for a 16-, 24- or 32-byte key at `key` (Nk = 4,
 * 6 or 8), written as a bitsliced schedule at `rk` (AES_RK_BYTES). Returns
 * Nr = Nk + 6 (10, 12 or 14; §5, Figure 4). SubWord goes through the same
 * S-box circuit, so no table is indexed by key bytes.
 *
 * For Nk = 6 a round key's four words straddle the six-word key blocks:
 * words are generated one at a time from w[i - 1] and w[i - Nk], so the
 * only difference from Nk = 4 is where RotWord/SubWord/Rcon fall (every
 * sixth word, eight Rcon values for 52 words).
 */
export function aesExpandKey(key: usize, keyLen: i32, rk: usize): i32 {
  const nk = keyLen >> 2;
  const nr = nk + 6;
  const words = (nr + 1) << 2;
  memory.copy(W, key, <usize>keyLen);
  const sb = rk; // the first 128 bytes double as S-box scratch until round key 0 is written
  let rcon: u32 = 1;
  for (let i = nk; i < words; i++) {
    let temp = load<u32>(W + (<usize>(i - 1) << 2));
    // Words are stored as bytes in order, so a load<u32> is little-endian:
    // RotWord (§5.2) moves byte 0 to the end, a right rotation by 8 bits here.
    const rot = i % nk == 0;
    // §5.2: the extra SubWord at i mod Nk = 4 is for Nk = 8 only (Nk > 6).
    if (rot || (nk > 6 && i % nk == 4)) {
      if (rot) temp = rotr<u32>(temp, 8);
      memory.fill(sb, 0, 128);
      store<u32>(sb, temp);
      transpose(sb);
      round(sb, 0, i64x2.splat(0), SUB_ONLY);
      transpose(sb);
      temp = load<u32>(sb) ^ 0x63636363;
      if (rot) {
        temp ^= rcon;
        // xtime on the round constant (§5.2: Rcon[i] = x^(i-1) in GF(2^8)).
        rcon = ((rcon << 1) ^ (0x11b & (0 - (rcon >> 7)))) & 0xff;
      }
    }
    store<u32>(W + (<usize>i << 2), load<u32>(W + (<usize>(i - nk) << 2)) ^ temp);
  }
  wipe(sb, 128);
  for (let r = 0; r <= nr; r++) {
    const k = rk + (<usize>r << 7);
    bitsliceRoundKey(k, W + (<usize>r << 4), r > 0 && r < nr);
    // Round keys 1..Nr absorb the S-box constant 0x63 that `round` omits:
    // it passes unchanged through ShiftRows and MixColumns (each output byte
    // of a column with four equal bytes c is 2c + 3c + c + c = c). In the
    // planes, 0x63 = bits 0, 1, 5 and 6.
    if (r > 0) {
      store<v128>(k, v128.not(load<v128>(k, 0)), 0);
      store<v128>(k, v128.not(load<v128>(k, 16)), 16);
      store<v128>(k, v128.not(load<v128>(k, 80)), 80);
      store<v128>(k, v128.not(load<v128>(k, 96)), 96);
    }
  }
  wipe(W, 240);
  return nr;
}
