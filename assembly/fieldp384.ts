// Multiplication modulo the P-384 prime p = 2^384 - 2^128 - 2^96 + 2^32 - 1
// (SEC 2 v2 §2.5.1), specialised from montgomery.ts like fieldp256.ts: 12
// little-endian u32 limbs, Montgomery form with R = 2^384, unrolled over
// locals.
//
// The full product first, by product scanning into 25 signed 64-bit word
// accumulators with carries left for later; then Montgomery reduction word
// by word. p = -1 mod 2^32, so each step's quotient digit is the word q
// itself, and q p = q 2^384 - q 2^128 - q 2^96 + q 2^32 - q touches only four
// other words: no multiplication and no carry chain per step, where the
// interleaved form (one 13-word chain per limb of b) spent most of its time.
// callgrind (node --single-threaded --no-liftoff --no-wasm-tier-up,
// instructions per operation, interleaved form -> this one): P-384 public
// key 5.26M -> 4.64M, ECDH 18.8M -> 16.5M, ECDSA P-384 sign 6.63M -> 6.07M
// (-12%, -12%, -8%).
//
// Constant time: straight-line code, masks for the final subtraction.

const M: u64 = 0xffffffff;

/** r = a b / 2^384 mod p for a, b < p. `r` may alias either input. */
export function p384Mul(r: usize, a: usize, b: usize): void {
  const a0 = <u64>load<u32>(a, 0);
  const a1 = <u64>load<u32>(a, 4);
  const a2 = <u64>load<u32>(a, 8);
  const a3 = <u64>load<u32>(a, 12);
  const a4 = <u64>load<u32>(a, 16);
  const a5 = <u64>load<u32>(a, 20);
  const a6 = <u64>load<u32>(a, 24);
  const a7 = <u64>load<u32>(a, 28);
  const a8 = <u64>load<u32>(a, 32);
  const a9 = <u64>load<u32>(a, 36);
  const a10 = <u64>load<u32>(a, 40);
  const a11 = <u64>load<u32>(a, 44);
  const b0 = <u64>load<u32>(b, 0);
  const b1 = <u64>load<u32>(b, 4);
  const b2 = <u64>load<u32>(b, 8);
  const b3 = <u64>load<u32>(b, 12);
  const b4 = <u64>load<u32>(b, 16);
  const b5 = <u64>load<u32>(b, 20);
  const b6 = <u64>load<u32>(b, 24);
  const b7 = <u64>load<u32>(b, 28);
  const b8 = <u64>load<u32>(b, 32);
  const b9 = <u64>load<u32>(b, 36);
  const b10 = <u64>load<u32>(b, 40);
  const b11 = <u64>load<u32>(b, 44);
  let w0: i64 = 0, w1: i64 = 0, w2: i64 = 0, w3: i64 = 0, w4: i64 = 0, w5: i64 = 0, w6: i64 = 0, w7: i64 = 0, w8: i64 = 0, w9: i64 = 0, w10: i64 = 0, w11: i64 = 0, w12: i64 = 0, w13: i64 = 0, w14: i64 = 0, w15: i64 = 0, w16: i64 = 0, w17: i64 = 0, w18: i64 = 0, w19: i64 = 0, w20: i64 = 0, w21: i64 = 0, w22: i64 = 0, w23: i64 = 0, w24: i64 = 0;
  let p: u64;
  // Product scanning into 25 signed accumulators, each product split into
  // its 32-bit halves: a column takes at most 24 halves, < 2^37.
  p = a0 * b0; w0 += <i64>(p & M); w1 += <i64>(p >> 32);
  p = a0 * b1; w1 += <i64>(p & M); w2 += <i64>(p >> 32);
  p = a0 * b2; w2 += <i64>(p & M); w3 += <i64>(p >> 32);
  p = a0 * b3; w3 += <i64>(p & M); w4 += <i64>(p >> 32);
  p = a0 * b4; w4 += <i64>(p & M); w5 += <i64>(p >> 32);
  p = a0 * b5; w5 += <i64>(p & M); w6 += <i64>(p >> 32);
  p = a0 * b6; w6 += <i64>(p & M); w7 += <i64>(p >> 32);
  p = a0 * b7; w7 += <i64>(p & M); w8 += <i64>(p >> 32);
  p = a0 * b8; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a0 * b9; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a0 * b10; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a0 * b11; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a1 * b0; w1 += <i64>(p & M); w2 += <i64>(p >> 32);
  p = a1 * b1; w2 += <i64>(p & M); w3 += <i64>(p >> 32);
  p = a1 * b2; w3 += <i64>(p & M); w4 += <i64>(p >> 32);
  p = a1 * b3; w4 += <i64>(p & M); w5 += <i64>(p >> 32);
  p = a1 * b4; w5 += <i64>(p & M); w6 += <i64>(p >> 32);
  p = a1 * b5; w6 += <i64>(p & M); w7 += <i64>(p >> 32);
  p = a1 * b6; w7 += <i64>(p & M); w8 += <i64>(p >> 32);
  p = a1 * b7; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a1 * b8; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a1 * b9; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a1 * b10; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a1 * b11; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a2 * b0; w2 += <i64>(p & M); w3 += <i64>(p >> 32);
  p = a2 * b1; w3 += <i64>(p & M); w4 += <i64>(p >> 32);
  p = a2 * b2; w4 += <i64>(p & M); w5 += <i64>(p >> 32);
  p = a2 * b3; w5 += <i64>(p & M); w6 += <i64>(p >> 32);
  p = a2 * b4; w6 += <i64>(p & M); w7 += <i64>(p >> 32);
  p = a2 * b5; w7 += <i64>(p & M); w8 += <i64>(p >> 32);
  p = a2 * b6; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a2 * b7; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a2 * b8; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a2 * b9; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a2 * b10; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a2 * b11; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a3 * b0; w3 += <i64>(p & M); w4 += <i64>(p >> 32);
  p = a3 * b1; w4 += <i64>(p & M); w5 += <i64>(p >> 32);
  p = a3 * b2; w5 += <i64>(p & M); w6 += <i64>(p >> 32);
  p = a3 * b3; w6 += <i64>(p & M); w7 += <i64>(p >> 32);
  p = a3 * b4; w7 += <i64>(p & M); w8 += <i64>(p >> 32);
  p = a3 * b5; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a3 * b6; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a3 * b7; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a3 * b8; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a3 * b9; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a3 * b10; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a3 * b11; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a4 * b0; w4 += <i64>(p & M); w5 += <i64>(p >> 32);
  p = a4 * b1; w5 += <i64>(p & M); w6 += <i64>(p >> 32);
  p = a4 * b2; w6 += <i64>(p & M); w7 += <i64>(p >> 32);
  p = a4 * b3; w7 += <i64>(p & M); w8 += <i64>(p >> 32);
  p = a4 * b4; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a4 * b5; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a4 * b6; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a4 * b7; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a4 * b8; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a4 * b9; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a4 * b10; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a4 * b11; w15 += <i64>(p & M); w16 += <i64>(p >> 32);
  p = a5 * b0; w5 += <i64>(p & M); w6 += <i64>(p >> 32);
  p = a5 * b1; w6 += <i64>(p & M); w7 += <i64>(p >> 32);
  p = a5 * b2; w7 += <i64>(p & M); w8 += <i64>(p >> 32);
  p = a5 * b3; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a5 * b4; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a5 * b5; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a5 * b6; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a5 * b7; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a5 * b8; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a5 * b9; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a5 * b10; w15 += <i64>(p & M); w16 += <i64>(p >> 32);
  p = a5 * b11; w16 += <i64>(p & M); w17 += <i64>(p >> 32);
  p = a6 * b0; w6 += <i64>(p & M); w7 += <i64>(p >> 32);
  p = a6 * b1; w7 += <i64>(p & M); w8 += <i64>(p >> 32);
  p = a6 * b2; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a6 * b3; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a6 * b4; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a6 * b5; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a6 * b6; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a6 * b7; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a6 * b8; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a6 * b9; w15 += <i64>(p & M); w16 += <i64>(p >> 32);
  p = a6 * b10; w16 += <i64>(p & M); w17 += <i64>(p >> 32);
  p = a6 * b11; w17 += <i64>(p & M); w18 += <i64>(p >> 32);
  p = a7 * b0; w7 += <i64>(p & M); w8 += <i64>(p >> 32);
  p = a7 * b1; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a7 * b2; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a7 * b3; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a7 * b4; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a7 * b5; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a7 * b6; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a7 * b7; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a7 * b8; w15 += <i64>(p & M); w16 += <i64>(p >> 32);
  p = a7 * b9; w16 += <i64>(p & M); w17 += <i64>(p >> 32);
  p = a7 * b10; w17 += <i64>(p & M); w18 += <i64>(p >> 32);
  p = a7 * b11; w18 += <i64>(p & M); w19 += <i64>(p >> 32);
  p = a8 * b0; w8 += <i64>(p & M); w9 += <i64>(p >> 32);
  p = a8 * b1; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a8 * b2; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a8 * b3; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a8 * b4; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a8 * b5; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a8 * b6; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a8 * b7; w15 += <i64>(p & M); w16 += <i64>(p >> 32);
  p = a8 * b8; w16 += <i64>(p & M); w17 += <i64>(p >> 32);
  p = a8 * b9; w17 += <i64>(p & M); w18 += <i64>(p >> 32);
  p = a8 * b10; w18 += <i64>(p & M); w19 += <i64>(p >> 32);
  p = a8 * b11; w19 += <i64>(p & M); w20 += <i64>(p >> 32);
  p = a9 * b0; w9 += <i64>(p & M); w10 += <i64>(p >> 32);
  p = a9 * b1; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a9 * b2; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a9 * b3; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a9 * b4; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a9 * b5; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a9 * b6; w15 += <i64>(p & M); w16 += <i64>(p >> 32);
  p = a9 * b7; w16 += <i64>(p & M); w17 += <i64>(p >> 32);
  p = a9 * b8; w17 += <i64>(p & M); w18 += <i64>(p >> 32);
  p = a9 * b9; w18 += <i64>(p & M); w19 += <i64>(p >> 32);
  p = a9 * b10; w19 += <i64>(p & M); w20 += <i64>(p >> 32);
  p = a9 * b11; w20 += <i64>(p & M); w21 += <i64>(p >> 32);
  p = a10 * b0; w10 += <i64>(p & M); w11 += <i64>(p >> 32);
  p = a10 * b1; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a10 * b2; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a10 * b3; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a10 * b4; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a10 * b5; w15 += <i64>(p & M); w16 += <i64>(p >> 32);
  p = a10 * b6; w16 += <i64>(p & M); w17 += <i64>(p >> 32);
  p = a10 * b7; w17 += <i64>(p & M); w18 += <i64>(p >> 32);
  p = a10 * b8; w18 += <i64>(p & M); w19 += <i64>(p >> 32);
  p = a10 * b9; w19 += <i64>(p & M); w20 += <i64>(p >> 32);
  p = a10 * b10; w20 += <i64>(p & M); w21 += <i64>(p >> 32);
  p = a10 * b11; w21 += <i64>(p & M); w22 += <i64>(p >> 32);
  p = a11 * b0; w11 += <i64>(p & M); w12 += <i64>(p >> 32);
  p = a11 * b1; w12 += <i64>(p & M); w13 += <i64>(p >> 32);
  p = a11 * b2; w13 += <i64>(p & M); w14 += <i64>(p >> 32);
  p = a11 * b3; w14 += <i64>(p & M); w15 += <i64>(p >> 32);
  p = a11 * b4; w15 += <i64>(p & M); w16 += <i64>(p >> 32);
  p = a11 * b5; w16 += <i64>(p & M); w17 += <i64>(p >> 32);
  p = a11 * b6; w17 += <i64>(p & M); w18 += <i64>(p >> 32);
  p = a11 * b7; w18 += <i64>(p & M); w19 += <i64>(p >> 32);
  p = a11 * b8; w19 += <i64>(p & M); w20 += <i64>(p >> 32);
  p = a11 * b9; w20 += <i64>(p & M); w21 += <i64>(p >> 32);
  p = a11 * b10; w21 += <i64>(p & M); w22 += <i64>(p >> 32);
  p = a11 * b11; w22 += <i64>(p & M); w23 += <i64>(p >> 32);
  // Montgomery reduction, one word at a time. p = -1 mod 2^32, so q is the
  // word itself, and adding q p = q (2^384 - 2^128 - 2^96 + 2^32 - 1) clears
  // word i (its carry moves up) and touches only words i+1, i+3, i+4, i+12.
  let q: i64;
  q = w0 & <i64>M; w1 += (w0 >> 32) + q; w3 -= q; w4 -= q; w12 += q;
  q = w1 & <i64>M; w2 += (w1 >> 32) + q; w4 -= q; w5 -= q; w13 += q;
  q = w2 & <i64>M; w3 += (w2 >> 32) + q; w5 -= q; w6 -= q; w14 += q;
  q = w3 & <i64>M; w4 += (w3 >> 32) + q; w6 -= q; w7 -= q; w15 += q;
  q = w4 & <i64>M; w5 += (w4 >> 32) + q; w7 -= q; w8 -= q; w16 += q;
  q = w5 & <i64>M; w6 += (w5 >> 32) + q; w8 -= q; w9 -= q; w17 += q;
  q = w6 & <i64>M; w7 += (w6 >> 32) + q; w9 -= q; w10 -= q; w18 += q;
  q = w7 & <i64>M; w8 += (w7 >> 32) + q; w10 -= q; w11 -= q; w19 += q;
  q = w8 & <i64>M; w9 += (w8 >> 32) + q; w11 -= q; w12 -= q; w20 += q;
  q = w9 & <i64>M; w10 += (w9 >> 32) + q; w12 -= q; w13 -= q; w21 += q;
  q = w10 & <i64>M; w11 += (w10 >> 32) + q; w13 -= q; w14 -= q; w22 += q;
  q = w11 & <i64>M; w12 += (w11 >> 32) + q; w14 -= q; w15 -= q; w23 += q;
  // The result, (a b + Q p) / 2^384 < 2p, is words 12..24: carry them out.
  w13 += w12 >> 32;
  const t0 = <u64>(w12 & <i64>M);
  w14 += w13 >> 32;
  const t1 = <u64>(w13 & <i64>M);
  w15 += w14 >> 32;
  const t2 = <u64>(w14 & <i64>M);
  w16 += w15 >> 32;
  const t3 = <u64>(w15 & <i64>M);
  w17 += w16 >> 32;
  const t4 = <u64>(w16 & <i64>M);
  w18 += w17 >> 32;
  const t5 = <u64>(w17 & <i64>M);
  w19 += w18 >> 32;
  const t6 = <u64>(w18 & <i64>M);
  w20 += w19 >> 32;
  const t7 = <u64>(w19 & <i64>M);
  w21 += w20 >> 32;
  const t8 = <u64>(w20 & <i64>M);
  w22 += w21 >> 32;
  const t9 = <u64>(w21 & <i64>M);
  w23 += w22 >> 32;
  const t10 = <u64>(w22 & <i64>M);
  w24 += w23 >> 32;
  const t11 = <u64>(w23 & <i64>M);
  const t12 = <u64>w24;

  // t < 2p: subtract p once, keeping t when that borrows and t12 = 0.
  // p limbs: ffffffff 0 0 ffffffff fffffffe ffffffff x 7.
  let d = t0 - M;
  const d0 = d & M;
  d = t1 - ((d >> 32) & 1);
  const d1 = d & M;
  d = t2 - ((d >> 32) & 1);
  const d2 = d & M;
  d = t3 - M - ((d >> 32) & 1);
  const d3 = d & M;
  d = t4 - 0xfffffffe - ((d >> 32) & 1);
  const d4 = d & M;
  d = t5 - M - ((d >> 32) & 1);
  const d5 = d & M;
  d = t6 - M - ((d >> 32) & 1);
  const d6 = d & M;
  d = t7 - M - ((d >> 32) & 1);
  const d7 = d & M;
  d = t8 - M - ((d >> 32) & 1);
  const d8 = d & M;
  d = t9 - M - ((d >> 32) & 1);
  const d9 = d & M;
  d = t10 - M - ((d >> 32) & 1);
  const d10 = d & M;
  d = t11 - M - ((d >> 32) & 1);
  const d11 = d & M;
  d = t12 - ((d >> 32) & 1);
  const keep = 0 - (d >> 63);
  store<u32>(r, <u32>((t0 & keep) | (d0 & ~keep)), 0);
  store<u32>(r, <u32>((t1 & keep) | (d1 & ~keep)), 4);
  store<u32>(r, <u32>((t2 & keep) | (d2 & ~keep)), 8);
  store<u32>(r, <u32>((t3 & keep) | (d3 & ~keep)), 12);
  store<u32>(r, <u32>((t4 & keep) | (d4 & ~keep)), 16);
  store<u32>(r, <u32>((t5 & keep) | (d5 & ~keep)), 20);
  store<u32>(r, <u32>((t6 & keep) | (d6 & ~keep)), 24);
  store<u32>(r, <u32>((t7 & keep) | (d7 & ~keep)), 28);
  store<u32>(r, <u32>((t8 & keep) | (d8 & ~keep)), 32);
  store<u32>(r, <u32>((t9 & keep) | (d9 & ~keep)), 36);
  store<u32>(r, <u32>((t10 & keep) | (d10 & ~keep)), 40);
  store<u32>(r, <u32>((t11 & keep) | (d11 & ~keep)), 44);
}
