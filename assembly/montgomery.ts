// Montgomery arithmetic modulo an odd multi-limb modulus: the prime fields of
// P-256 and P-384 and their group orders (SEC 1 v2 §2.2.1, FIPS 186-5 §6.4).
//
// Numbers are N little-endian u32 limbs (least significant first), N = 8 or
// 12. Products are u64, so every partial sum fits: x + y*z + c <= 2^64 - 1 for
// 32-bit x, y, z, c. A modulus is described by a region of MD_SIZE bytes
// (layout below) that montSetup fills from the limbs of the modulus.
//
// Everything here is constant time in the values of its operands: loops run
// over the limb count (public), selections use masks. montPow indexes a table
// by exponent bits, so its exponent must be public (m - 2 for inversion,
// (p + 1) / 4 for square roots).

import { p256Add, p256Mul, p256Sqr, p256Sub } from './fieldp256';
import { p384Mul } from './fieldp384';

export const LIMBS_MAX: usize = 12;
/** Bytes of the largest element. */
export const FE_MAX: usize = LIMBS_MAX << 2;

// Descriptor layout, byte offsets.
/** u32: limb count N. */
export const MD_N: usize = 0;
/** u32: -m^-1 mod 2^32 (Montgomery's n0'). */
export const MD_N0: usize = 4;
/** The modulus m. */
export const MD_M: usize = 8;
/** R mod m, R = 2^(32N): one in Montgomery form. */
export const MD_ONE: usize = MD_M + FE_MAX;
/** R^2 mod m: montMul by it converts into Montgomery form. */
export const MD_R2: usize = MD_ONE + FE_MAX;
/** u32: MOD_GENERIC, or MOD_P256 / MOD_P384 to route to fieldp256.ts / fieldp384.ts. */
export const MD_KIND: usize = MD_R2 + FE_MAX;
export const MD_SIZE: usize = MD_KIND + 8;

export const MOD_GENERIC: u32 = 0;
export const MOD_P256: u32 = 1;
export const MOD_P384: u32 = 2;

// Scratch: a difference, the window table of montPow (16 elements), an
// exponent. All may hold secrets; montWipe clears them.
const S: usize = memory.data(<i32>FE_MAX, 16);
// Zero, never written: the minuend of modNeg (a fill per call was a call out of WASM).
const ZERO: usize = memory.data(<i32>FE_MAX, 16);
const POW: usize = memory.data(<i32>(FE_MAX * 16), 16);
const EXP: usize = memory.data(<i32>FE_MAX, 16);

// @ts-ignore: decorator
@inline
export function limbs(f: usize): usize {
  return <usize>load<u32>(f, MD_N);
}

/**
 * Fills the descriptor at `f` for the N-limb modulus at `m`: n0' by Newton
 * iteration (each step doubles the correct low bits: x <- x(2 - m x)), then
 * R mod m and R^2 mod m by modular doubling from 1.
 */
export function montSetup(f: usize, m: usize, n: usize, kind: u32): void {
  memory.fill(f, 0, MD_SIZE);
  store<u32>(f, <u32>n, MD_N);
  memory.copy(f + MD_M, m, n << 2);
  const m0 = load<u32>(m);
  let x: u32 = 1;
  for (let i = 0; i < 5; i++) x *= 2 - m0 * x;
  store<u32>(f, 0 - x, MD_N0);
  const one = f + MD_ONE;
  store<u32>(one, 1);
  for (let i: usize = 0; i < n << 5; i++) modAdd(f, one, one, one);
  memory.copy(f + MD_R2, one, n << 2);
  for (let i: usize = 0; i < n << 5; i++) modAdd(f, f + MD_R2, f + MD_R2, f + MD_R2);
  store<u32>(f, kind, MD_KIND);
}

/**
 * r = a * b / R mod m for a, b < m (Montgomery multiplication; Koç, Acar,
 * Kaliski 1996, "Analyzing and comparing Montgomery multiplication
 * algorithms", with both inner loops fused as in their FIOS). The
 * accumulator stays below 2m, so one masked subtraction finishes. `r` may
 * alias `a` or `b`. Unrolled over locals per limb count: for n of P-256,
 * measured (best of runs) 101 ns for a loop over memory, 63 ns unrolled; 47 ns
 * for the P-256 prime in fieldp256.ts. Inlining this dispatch into the
 * callers grew the module by half for no measurable gain on P-256 ECDH.
 */
export function montMul(f: usize, r: usize, a: usize, b: usize): void {
  const kind = load<u32>(f, MD_KIND);
  // a == b compares fixed scratch addresses, never values: a squaring is
  // chosen by the call site, not by secret data.
  if (kind == MOD_P256) {
    if (a == b) p256Sqr(r, a);
    else p256Mul(r, a, b);
  }
  else if (kind == MOD_P384) p384Mul(r, a, b);
  else if (limbs(f) == 8) mont8Mul(r, a, b, f + MD_M, <u64>load<u32>(f, MD_N0));
  else mont12Mul(r, a, b, f + MD_M, <u64>load<u32>(f, MD_N0));
}

const M32: u64 = 0xffffffff;

/** montMul for an N = 8 modulus: FIOS over locals, one pass per limb of b. */
function mont8Mul(r: usize, a: usize, b: usize, m: usize, n0: u64): void {
  const a0 = <u64>load<u32>(a, 0); const a1 = <u64>load<u32>(a, 4); const a2 = <u64>load<u32>(a, 8); const a3 = <u64>load<u32>(a, 12);
  const a4 = <u64>load<u32>(a, 16); const a5 = <u64>load<u32>(a, 20); const a6 = <u64>load<u32>(a, 24); const a7 = <u64>load<u32>(a, 28);
  const m0 = <u64>load<u32>(m, 0); const m1 = <u64>load<u32>(m, 4); const m2 = <u64>load<u32>(m, 8); const m3 = <u64>load<u32>(m, 12);
  const m4 = <u64>load<u32>(m, 16); const m5 = <u64>load<u32>(m, 20); const m6 = <u64>load<u32>(m, 24); const m7 = <u64>load<u32>(m, 28);
  let t0: u64 = 0, t1: u64 = 0, t2: u64 = 0, t3: u64 = 0, t4: u64 = 0, t5: u64 = 0, t6: u64 = 0, t7: u64 = 0, t8: u64 = 0;
  for (let i: usize = 0; i < 32; i += 4) {
    const bi = <u64>load<u32>(b + i);
    // t += a bi
    let u = t0 + a0 * bi;
    t0 = u & M32;
    u = t1 + a1 * bi + (u >> 32);
    t1 = u & M32;
    u = t2 + a2 * bi + (u >> 32);
    t2 = u & M32;
    u = t3 + a3 * bi + (u >> 32);
    t3 = u & M32;
    u = t4 + a4 * bi + (u >> 32);
    t4 = u & M32;
    u = t5 + a5 * bi + (u >> 32);
    t5 = u & M32;
    u = t6 + a6 * bi + (u >> 32);
    t6 = u & M32;
    u = t7 + a7 * bi + (u >> 32);
    t7 = u & M32;
    t8 += u >> 32;
    // t = (t + q m) / 2^32, q = t0 n0' mod 2^32 makes the low limb vanish.
    const q = (t0 * n0) & M32;
    u = t0 + q * m0;
    u = t1 + q * m1 + (u >> 32);
    t0 = u & M32;
    u = t2 + q * m2 + (u >> 32);
    t1 = u & M32;
    u = t3 + q * m3 + (u >> 32);
    t2 = u & M32;
    u = t4 + q * m4 + (u >> 32);
    t3 = u & M32;
    u = t5 + q * m5 + (u >> 32);
    t4 = u & M32;
    u = t6 + q * m6 + (u >> 32);
    t5 = u & M32;
    u = t7 + q * m7 + (u >> 32);
    t6 = u & M32;
    u = t8 + (u >> 32);
    t7 = u & M32;
    t8 = u >> 32;
  }
  // t < 2m: subtract m once, keeping t when that borrows and t8 = 0.
  let d = t0 - m0;
  const d0 = d & M32;
  d = t1 - m1 - ((d >> 32) & 1);
  const d1 = d & M32;
  d = t2 - m2 - ((d >> 32) & 1);
  const d2 = d & M32;
  d = t3 - m3 - ((d >> 32) & 1);
  const d3 = d & M32;
  d = t4 - m4 - ((d >> 32) & 1);
  const d4 = d & M32;
  d = t5 - m5 - ((d >> 32) & 1);
  const d5 = d & M32;
  d = t6 - m6 - ((d >> 32) & 1);
  const d6 = d & M32;
  d = t7 - m7 - ((d >> 32) & 1);
  const d7 = d & M32;
  d = t8 - ((d >> 32) & 1);
  const keep = 0 - (d >> 63);
  store<u32>(r, <u32>((t0 & keep) | (d0 & ~keep)), 0);
  store<u32>(r, <u32>((t1 & keep) | (d1 & ~keep)), 4);
  store<u32>(r, <u32>((t2 & keep) | (d2 & ~keep)), 8);
  store<u32>(r, <u32>((t3 & keep) | (d3 & ~keep)), 12);
  store<u32>(r, <u32>((t4 & keep) | (d4 & ~keep)), 16);
  store<u32>(r, <u32>((t5 & keep) | (d5 & ~keep)), 20);
  store<u32>(r, <u32>((t6 & keep) | (d6 & ~keep)), 24);
  store<u32>(r, <u32>((t7 & keep) | (d7 & ~keep)), 28);
}

/** montMul for an N = 12 modulus: FIOS over locals, one pass per limb of b. */
function mont12Mul(r: usize, a: usize, b: usize, m: usize, n0: u64): void {
  const a0 = <u64>load<u32>(a, 0); const a1 = <u64>load<u32>(a, 4); const a2 = <u64>load<u32>(a, 8); const a3 = <u64>load<u32>(a, 12);
  const a4 = <u64>load<u32>(a, 16); const a5 = <u64>load<u32>(a, 20); const a6 = <u64>load<u32>(a, 24); const a7 = <u64>load<u32>(a, 28);
  const a8 = <u64>load<u32>(a, 32); const a9 = <u64>load<u32>(a, 36); const a10 = <u64>load<u32>(a, 40); const a11 = <u64>load<u32>(a, 44);
  const m0 = <u64>load<u32>(m, 0); const m1 = <u64>load<u32>(m, 4); const m2 = <u64>load<u32>(m, 8); const m3 = <u64>load<u32>(m, 12);
  const m4 = <u64>load<u32>(m, 16); const m5 = <u64>load<u32>(m, 20); const m6 = <u64>load<u32>(m, 24); const m7 = <u64>load<u32>(m, 28);
  const m8 = <u64>load<u32>(m, 32); const m9 = <u64>load<u32>(m, 36); const m10 = <u64>load<u32>(m, 40); const m11 = <u64>load<u32>(m, 44);
  let t0: u64 = 0, t1: u64 = 0, t2: u64 = 0, t3: u64 = 0, t4: u64 = 0, t5: u64 = 0, t6: u64 = 0, t7: u64 = 0, t8: u64 = 0, t9: u64 = 0, t10: u64 = 0, t11: u64 = 0, t12: u64 = 0;
  for (let i: usize = 0; i < 48; i += 4) {
    const bi = <u64>load<u32>(b + i);
    // t += a bi
    let u = t0 + a0 * bi;
    t0 = u & M32;
    u = t1 + a1 * bi + (u >> 32);
    t1 = u & M32;
    u = t2 + a2 * bi + (u >> 32);
    t2 = u & M32;
    u = t3 + a3 * bi + (u >> 32);
    t3 = u & M32;
    u = t4 + a4 * bi + (u >> 32);
    t4 = u & M32;
    u = t5 + a5 * bi + (u >> 32);
    t5 = u & M32;
    u = t6 + a6 * bi + (u >> 32);
    t6 = u & M32;
    u = t7 + a7 * bi + (u >> 32);
    t7 = u & M32;
    u = t8 + a8 * bi + (u >> 32);
    t8 = u & M32;
    u = t9 + a9 * bi + (u >> 32);
    t9 = u & M32;
    u = t10 + a10 * bi + (u >> 32);
    t10 = u & M32;
    u = t11 + a11 * bi + (u >> 32);
    t11 = u & M32;
    t12 += u >> 32;
    // t = (t + q m) / 2^32, q = t0 n0' mod 2^32 makes the low limb vanish.
    const q = (t0 * n0) & M32;
    u = t0 + q * m0;
    u = t1 + q * m1 + (u >> 32);
    t0 = u & M32;
    u = t2 + q * m2 + (u >> 32);
    t1 = u & M32;
    u = t3 + q * m3 + (u >> 32);
    t2 = u & M32;
    u = t4 + q * m4 + (u >> 32);
    t3 = u & M32;
    u = t5 + q * m5 + (u >> 32);
    t4 = u & M32;
    u = t6 + q * m6 + (u >> 32);
    t5 = u & M32;
    u = t7 + q * m7 + (u >> 32);
    t6 = u & M32;
    u = t8 + q * m8 + (u >> 32);
    t7 = u & M32;
    u = t9 + q * m9 + (u >> 32);
    t8 = u & M32;
    u = t10 + q * m10 + (u >> 32);
    t9 = u & M32;
    u = t11 + q * m11 + (u >> 32);
    t10 = u & M32;
    u = t12 + (u >> 32);
    t11 = u & M32;
    t12 = u >> 32;
  }
  // t < 2m: subtract m once, keeping t when that borrows and t12 = 0.
  let d = t0 - m0;
  const d0 = d & M32;
  d = t1 - m1 - ((d >> 32) & 1);
  const d1 = d & M32;
  d = t2 - m2 - ((d >> 32) & 1);
  const d2 = d & M32;
  d = t3 - m3 - ((d >> 32) & 1);
  const d3 = d & M32;
  d = t4 - m4 - ((d >> 32) & 1);
  const d4 = d & M32;
  d = t5 - m5 - ((d >> 32) & 1);
  const d5 = d & M32;
  d = t6 - m6 - ((d >> 32) & 1);
  const d6 = d & M32;
  d = t7 - m7 - ((d >> 32) & 1);
  const d7 = d & M32;
  d = t8 - m8 - ((d >> 32) & 1);
  const d8 = d & M32;
  d = t9 - m9 - ((d >> 32) & 1);
  const d9 = d & M32;
  d = t10 - m10 - ((d >> 32) & 1);
  const d10 = d & M32;
  d = t11 - m11 - ((d >> 32) & 1);
  const d11 = d & M32;
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

/** r = x - m when x + top * 2^(32N) >= m, else x; x < 2m. Constant time. */
// @ts-ignore: decorator
@inline
function reduceOnce(r: usize, x: usize, m: usize, nb: usize, top: u32): void {
  let borrow: u64 = 0;
  for (let j: usize = 0; j < nb; j += 4) {
    const d = <u64>load<u32>(x + j) - <u64>load<u32>(m + j) - borrow;
    store<u32>(S + j, <u32>d);
    borrow = (d >> 32) & 1;
  }
  // Keep x only when the subtraction borrowed and there was no carry out.
  const keep = <u32>0 - (<u32>borrow & (top ^ 1));
  for (let j: usize = 0; j < nb; j += 4) {
    store<u32>(r + j, (load<u32>(x + j) & keep) | (load<u32>(S + j) & ~keep));
  }
}

/** r = a mod m for a < 2m (e.g. an x coordinate mod n, a digest mod n). */
export function modReduceOnce(f: usize, r: usize, a: usize): void {
  reduceOnce(r, a, f + MD_M, limbs(f) << 2, 0);
}

/** r = a + b mod m for a, b < m. `r` may alias either input. */
export function modAdd(f: usize, r: usize, a: usize, b: usize): void {
  if (load<u32>(f, MD_KIND) == MOD_P256) p256Add(r, a, b);
  else if (limbs(f) == 8) mod8Add(r, a, b, f + MD_M);
  else mod12Add(r, a, b, f + MD_M);
}

/** r = a - b mod m for a, b < m. `r` may alias either input. */
export function modSub(f: usize, r: usize, a: usize, b: usize): void {
  if (load<u32>(f, MD_KIND) == MOD_P256) p256Sub(r, a, b);
  else if (limbs(f) == 8) mod8Sub(r, a, b, f + MD_M);
  else mod12Sub(r, a, b, f + MD_M);
}

// Addition: the sum with its carry, then the masked choice between it and
// sum - m (kept when that borrows and there was no carry).
function mod8Add(r: usize, a: usize, b: usize, m: usize): void {
  let u = <u64>load<u32>(a, 0) + <u64>load<u32>(b, 0);
  const t0 = u & M32;
  u = <u64>load<u32>(a, 4) + <u64>load<u32>(b, 4) + (u >> 32);
  const t1 = u & M32;
  u = <u64>load<u32>(a, 8) + <u64>load<u32>(b, 8) + (u >> 32);
  const t2 = u & M32;
  u = <u64>load<u32>(a, 12) + <u64>load<u32>(b, 12) + (u >> 32);
  const t3 = u & M32;
  u = <u64>load<u32>(a, 16) + <u64>load<u32>(b, 16) + (u >> 32);
  const t4 = u & M32;
  u = <u64>load<u32>(a, 20) + <u64>load<u32>(b, 20) + (u >> 32);
  const t5 = u & M32;
  u = <u64>load<u32>(a, 24) + <u64>load<u32>(b, 24) + (u >> 32);
  const t6 = u & M32;
  u = <u64>load<u32>(a, 28) + <u64>load<u32>(b, 28) + (u >> 32);
  const t7 = u & M32;
  const t8 = u >> 32;
  let d = t0 - <u64>load<u32>(m, 0);
  const d0 = d & M32;
  d = t1 - <u64>load<u32>(m, 4) - ((d >> 32) & 1);
  const d1 = d & M32;
  d = t2 - <u64>load<u32>(m, 8) - ((d >> 32) & 1);
  const d2 = d & M32;
  d = t3 - <u64>load<u32>(m, 12) - ((d >> 32) & 1);
  const d3 = d & M32;
  d = t4 - <u64>load<u32>(m, 16) - ((d >> 32) & 1);
  const d4 = d & M32;
  d = t5 - <u64>load<u32>(m, 20) - ((d >> 32) & 1);
  const d5 = d & M32;
  d = t6 - <u64>load<u32>(m, 24) - ((d >> 32) & 1);
  const d6 = d & M32;
  d = t7 - <u64>load<u32>(m, 28) - ((d >> 32) & 1);
  const d7 = d & M32;
  d = t8 - ((d >> 32) & 1);
  const keep = 0 - (d >> 63);
  store<u32>(r, <u32>((t0 & keep) | (d0 & ~keep)), 0);
  store<u32>(r, <u32>((t1 & keep) | (d1 & ~keep)), 4);
  store<u32>(r, <u32>((t2 & keep) | (d2 & ~keep)), 8);
  store<u32>(r, <u32>((t3 & keep) | (d3 & ~keep)), 12);
  store<u32>(r, <u32>((t4 & keep) | (d4 & ~keep)), 16);
  store<u32>(r, <u32>((t5 & keep) | (d5 & ~keep)), 20);
  store<u32>(r, <u32>((t6 & keep) | (d6 & ~keep)), 24);
  store<u32>(r, <u32>((t7 & keep) | (d7 & ~keep)), 28);
}

function mod12Add(r: usize, a: usize, b: usize, m: usize): void {
  let u = <u64>load<u32>(a, 0) + <u64>load<u32>(b, 0);
  const t0 = u & M32;
  u = <u64>load<u32>(a, 4) + <u64>load<u32>(b, 4) + (u >> 32);
  const t1 = u & M32;
  u = <u64>load<u32>(a, 8) + <u64>load<u32>(b, 8) + (u >> 32);
  const t2 = u & M32;
  u = <u64>load<u32>(a, 12) + <u64>load<u32>(b, 12) + (u >> 32);
  const t3 = u & M32;
  u = <u64>load<u32>(a, 16) + <u64>load<u32>(b, 16) + (u >> 32);
  const t4 = u & M32;
  u = <u64>load<u32>(a, 20) + <u64>load<u32>(b, 20) + (u >> 32);
  const t5 = u & M32;
  u = <u64>load<u32>(a, 24) + <u64>load<u32>(b, 24) + (u >> 32);
  const t6 = u & M32;
  u = <u64>load<u32>(a, 28) + <u64>load<u32>(b, 28) + (u >> 32);
  const t7 = u & M32;
  u = <u64>load<u32>(a, 32) + <u64>load<u32>(b, 32) + (u >> 32);
  const t8 = u & M32;
  u = <u64>load<u32>(a, 36) + <u64>load<u32>(b, 36) + (u >> 32);
  const t9 = u & M32;
  u = <u64>load<u32>(a, 40) + <u64>load<u32>(b, 40) + (u >> 32);
  const t10 = u & M32;
  u = <u64>load<u32>(a, 44) + <u64>load<u32>(b, 44) + (u >> 32);
  const t11 = u & M32;
  const t12 = u >> 32;
  let d = t0 - <u64>load<u32>(m, 0);
  const d0 = d & M32;
  d = t1 - <u64>load<u32>(m, 4) - ((d >> 32) & 1);
  const d1 = d & M32;
  d = t2 - <u64>load<u32>(m, 8) - ((d >> 32) & 1);
  const d2 = d & M32;
  d = t3 - <u64>load<u32>(m, 12) - ((d >> 32) & 1);
  const d3 = d & M32;
  d = t4 - <u64>load<u32>(m, 16) - ((d >> 32) & 1);
  const d4 = d & M32;
  d = t5 - <u64>load<u32>(m, 20) - ((d >> 32) & 1);
  const d5 = d & M32;
  d = t6 - <u64>load<u32>(m, 24) - ((d >> 32) & 1);
  const d6 = d & M32;
  d = t7 - <u64>load<u32>(m, 28) - ((d >> 32) & 1);
  const d7 = d & M32;
  d = t8 - <u64>load<u32>(m, 32) - ((d >> 32) & 1);
  const d8 = d & M32;
  d = t9 - <u64>load<u32>(m, 36) - ((d >> 32) & 1);
  const d9 = d & M32;
  d = t10 - <u64>load<u32>(m, 40) - ((d >> 32) & 1);
  const d10 = d & M32;
  d = t11 - <u64>load<u32>(m, 44) - ((d >> 32) & 1);
  const d11 = d & M32;
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

// Subtraction: the difference, then m added back under the borrow mask.
function mod8Sub(r: usize, a: usize, b: usize, m: usize): void {
  let d = <u64>load<u32>(a, 0) - <u64>load<u32>(b, 0);
  const d0 = d & M32;
  d = <u64>load<u32>(a, 4) - <u64>load<u32>(b, 4) - ((d >> 32) & 1);
  const d1 = d & M32;
  d = <u64>load<u32>(a, 8) - <u64>load<u32>(b, 8) - ((d >> 32) & 1);
  const d2 = d & M32;
  d = <u64>load<u32>(a, 12) - <u64>load<u32>(b, 12) - ((d >> 32) & 1);
  const d3 = d & M32;
  d = <u64>load<u32>(a, 16) - <u64>load<u32>(b, 16) - ((d >> 32) & 1);
  const d4 = d & M32;
  d = <u64>load<u32>(a, 20) - <u64>load<u32>(b, 20) - ((d >> 32) & 1);
  const d5 = d & M32;
  d = <u64>load<u32>(a, 24) - <u64>load<u32>(b, 24) - ((d >> 32) & 1);
  const d6 = d & M32;
  d = <u64>load<u32>(a, 28) - <u64>load<u32>(b, 28) - ((d >> 32) & 1);
  const d7 = d & M32;
  const mask = 0 - ((d >> 32) & 1) & M32;
  let u = d0 + (<u64>load<u32>(m, 0) & mask);
  store<u32>(r, <u32>u, 0);
  u = d1 + (<u64>load<u32>(m, 4) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 4);
  u = d2 + (<u64>load<u32>(m, 8) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 8);
  u = d3 + (<u64>load<u32>(m, 12) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 12);
  u = d4 + (<u64>load<u32>(m, 16) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 16);
  u = d5 + (<u64>load<u32>(m, 20) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 20);
  u = d6 + (<u64>load<u32>(m, 24) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 24);
  u = d7 + (<u64>load<u32>(m, 28) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 28);
}

function mod12Sub(r: usize, a: usize, b: usize, m: usize): void {
  let d = <u64>load<u32>(a, 0) - <u64>load<u32>(b, 0);
  const d0 = d & M32;
  d = <u64>load<u32>(a, 4) - <u64>load<u32>(b, 4) - ((d >> 32) & 1);
  const d1 = d & M32;
  d = <u64>load<u32>(a, 8) - <u64>load<u32>(b, 8) - ((d >> 32) & 1);
  const d2 = d & M32;
  d = <u64>load<u32>(a, 12) - <u64>load<u32>(b, 12) - ((d >> 32) & 1);
  const d3 = d & M32;
  d = <u64>load<u32>(a, 16) - <u64>load<u32>(b, 16) - ((d >> 32) & 1);
  const d4 = d & M32;
  d = <u64>load<u32>(a, 20) - <u64>load<u32>(b, 20) - ((d >> 32) & 1);
  const d5 = d & M32;
  d = <u64>load<u32>(a, 24) - <u64>load<u32>(b, 24) - ((d >> 32) & 1);
  const d6 = d & M32;
  d = <u64>load<u32>(a, 28) - <u64>load<u32>(b, 28) - ((d >> 32) & 1);
  const d7 = d & M32;
  d = <u64>load<u32>(a, 32) - <u64>load<u32>(b, 32) - ((d >> 32) & 1);
  const d8 = d & M32;
  d = <u64>load<u32>(a, 36) - <u64>load<u32>(b, 36) - ((d >> 32) & 1);
  const d9 = d & M32;
  d = <u64>load<u32>(a, 40) - <u64>load<u32>(b, 40) - ((d >> 32) & 1);
  const d10 = d & M32;
  d = <u64>load<u32>(a, 44) - <u64>load<u32>(b, 44) - ((d >> 32) & 1);
  const d11 = d & M32;
  const mask = 0 - ((d >> 32) & 1) & M32;
  let u = d0 + (<u64>load<u32>(m, 0) & mask);
  store<u32>(r, <u32>u, 0);
  u = d1 + (<u64>load<u32>(m, 4) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 4);
  u = d2 + (<u64>load<u32>(m, 8) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 8);
  u = d3 + (<u64>load<u32>(m, 12) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 12);
  u = d4 + (<u64>load<u32>(m, 16) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 16);
  u = d5 + (<u64>load<u32>(m, 20) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 20);
  u = d6 + (<u64>load<u32>(m, 24) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 24);
  u = d7 + (<u64>load<u32>(m, 28) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 28);
  u = d8 + (<u64>load<u32>(m, 32) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 32);
  u = d9 + (<u64>load<u32>(m, 36) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 36);
  u = d10 + (<u64>load<u32>(m, 40) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 40);
  u = d11 + (<u64>load<u32>(m, 44) & mask) + (u >> 32);
  store<u32>(r, <u32>u, 44);
}

/** r = -a mod m (0 stays 0). */
export function modNeg(f: usize, r: usize, a: usize): void {
  modSub(f, r, ZERO, a);
}

/** r = a R mod m: into Montgomery form. Needs a < m. */
export function toMont(f: usize, r: usize, a: usize): void {
  montMul(f, r, a, f + MD_R2);
}

/** r = a / R mod m: out of Montgomery form. */
export function fromMont(f: usize, r: usize, a: usize): void {
  const nb = limbs(f) << 2;
  memory.fill(EXP, 0, nb);
  store<u32>(EXP, 1);
  montMul(f, r, a, EXP);
  store<u32>(EXP, 0);
}

/**
 * r = a^e (Montgomery form in and out) for a public exponent `e` of N limbs:
 * fixed 4-bit windows, 4 squarings and one multiplication per window.
 */
export function montPow(f: usize, r: usize, a: usize, e: usize): void {
  const n = limbs(f);
  const nb = n << 2;
  const fe = FE_MAX;
  memory.copy(POW, f + MD_ONE, nb);
  memory.copy(POW + fe, a, nb);
  for (let i: usize = 2; i < 16; i++) montMul(f, POW + i * fe, POW + (i - 1) * fe, a);
  memory.copy(r, f + MD_ONE, nb);
  let started = false;
  for (let w = <isize>(n << 3) - 1; w >= 0; w--) {
    const d = <usize>((load<u32>(e + (<usize>w >> 3 << 2)) >> ((<u32>w & 7) << 2)) & 15);
    if (started) {
      montMul(f, r, r, r);
      montMul(f, r, r, r);
      montMul(f, r, r, r);
      montMul(f, r, r, r);
    }
    // The exponent is public, so skipping zero windows leaks nothing.
    if (d != 0) {
      montMul(f, r, r, POW + d * fe);
      started = true;
    }
  }
  memory.fill(POW, 0, 16 * fe);
}

/** r = a^-1 = a^(m-2) mod m (Fermat; m prime). Inverse of 0 is 0. */
export function montInv(f: usize, r: usize, a: usize): void {
  const nb = limbs(f) << 2;
  const m = f + MD_M;
  let borrow: u64 = 2;
  for (let j: usize = 0; j < nb; j += 4) {
    const d = <u64>load<u32>(m + j) - borrow;
    store<u32>(EXP + j, <u32>d);
    borrow = (d >> 32) & 1;
  }
  montPow(f, r, a, EXP);
  memory.fill(EXP, 0, FE_MAX);
}

// Variable-time inversion for public values (signatures being verified,
// tables of multiples of G): binary extended Euclid (Menezes, van Oorschot,
// Vanstone, Handbook of Applied Cryptography, Algorithm 14.61 with the
// invariants x1 a = u, x2 a = v mod m). Measured: P-384 verification 683 ->
// 646 us, P-256 227 -> 213 us, against a Fermat inversion mod n.
const IU: usize = memory.data(<i32>FE_MAX, 16);
const IV: usize = memory.data(<i32>FE_MAX, 16);
const IX1: usize = memory.data(<i32>FE_MAX, 16);
const IX2: usize = memory.data(<i32>FE_MAX, 16);

/**
 * r = a^-1 mod m in normal (not Montgomery) form, for 0 < a < m; branches and
 * loops on the value of a, so only for public data.
 */
export function modInvVarTime(f: usize, r: usize, a: usize): void {
  const n = limbs(f);
  const nb = n << 2;
  const m = f + MD_M;
  memory.copy(IU, a, nb);
  memory.copy(IV, m, nb);
  memory.fill(IX1, 0, nb);
  store<u32>(IX1, 1);
  memory.fill(IX2, 0, nb);
  while (!isOne(IU, nb) && !isOne(IV, nb)) {
    while ((load<u32>(IU) & 1) == 0) {
      shiftRight1(IU, nb, 0);
      halveMod(IX1, m, nb);
    }
    while ((load<u32>(IV) & 1) == 0) {
      shiftRight1(IV, nb, 0);
      halveMod(IX2, m, nb);
    }
    if (ltMask(n, IU, IV) == 0) {
      subInPlace(IU, IV, nb);
      modSub(f, IX1, IX1, IX2);
    } else {
      subInPlace(IV, IU, nb);
      modSub(f, IX2, IX2, IX1);
    }
  }
  memory.copy(r, isOne(IU, nb) ? IX1 : IX2, nb);
}

function isOne(x: usize, nb: usize): bool {
  if (load<u32>(x) != 1) return false;
  for (let j: usize = 4; j < nb; j += 4) if (load<u32>(x + j) != 0) return false;
  return true;
}

/** x = (x + top 2^(32N)) / 2. */
function shiftRight1(x: usize, nb: usize, top: u32): void {
  for (let j: usize = 0; j < nb - 4; j += 4) {
    store<u32>(x + j, (load<u32>(x + j) >> 1) | (load<u32>(x + j + 4) << 31));
  }
  store<u32>(x + nb - 4, (load<u32>(x + nb - 4) >> 1) | (top << 31));
}

/** x = x / 2 mod m for x < m: (x + m) / 2 when x is odd. */
function halveMod(x: usize, m: usize, nb: usize): void {
  let carry: u64 = 0;
  if ((load<u32>(x) & 1) != 0) {
    for (let j: usize = 0; j < nb; j += 4) {
      const s = <u64>load<u32>(x + j) + <u64>load<u32>(m + j) + carry;
      store<u32>(x + j, <u32>s);
      carry = s >> 32;
    }
  }
  shiftRight1(x, nb, <u32>carry);
}

/** x -= y for x >= y. */
function subInPlace(x: usize, y: usize, nb: usize): void {
  let borrow: u64 = 0;
  for (let j: usize = 0; j < nb; j += 4) {
    const d = <u64>load<u32>(x + j) - <u64>load<u32>(y + j) - borrow;
    store<u32>(x + j, <u32>d);
    borrow = (d >> 32) & 1;
  }
}

// Limb-vector helpers, constant time.

/** 0xFFFFFFFF when the n-limb value at `a` is zero. */
export function isZeroMask(n: usize, a: usize): u32 {
  let acc: u32 = 0;
  for (let j: usize = 0; j < n << 2; j += 4) acc |= load<u32>(a + j);
  return (((acc | (0 - acc)) >> 31) - 1);
}

/** 0xFFFFFFFF when a == b (n limbs). */
export function eqMask(n: usize, a: usize, b: usize): u32 {
  let acc: u32 = 0;
  for (let j: usize = 0; j < n << 2; j += 4) acc |= load<u32>(a + j) ^ load<u32>(b + j);
  return (((acc | (0 - acc)) >> 31) - 1);
}

/** 0xFFFFFFFF when a < b (n limbs), from the borrow of a - b. */
export function ltMask(n: usize, a: usize, b: usize): u32 {
  let borrow: u64 = 0;
  for (let j: usize = 0; j < n << 2; j += 4) {
    const d = <u64>load<u32>(a + j) - <u64>load<u32>(b + j) - borrow;
    borrow = (d >> 32) & 1;
  }
  return <u32>0 - <u32>borrow;
}

/** r = mask ? a : r over `nb` bytes (a multiple of 4). */
export function cmov(r: usize, a: usize, nb: usize, mask: u32): void {
  for (let j: usize = 0; j < nb; j += 4) {
    store<u32>(r + j, (load<u32>(a + j) & mask) | (load<u32>(r + j) & ~mask));
  }
}

/** Reads 4n big-endian bytes at `p` into n limbs at `r`. */
export function limbsFromBytes(r: usize, p: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) {
    store<u32>(r + (i << 2), bswap<u32>(load<u32>(p + ((n - 1 - i) << 2))));
  }
}

/** Writes n limbs at `a` as 4n big-endian bytes at `p`. */
export function limbsToBytes(p: usize, a: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) {
    store<u32>(p + ((n - 1 - i) << 2), bswap<u32>(load<u32>(a + (i << 2))));
  }
}

/** Clears this module's scratch (products and powers of secrets). */
export function montWipe(): void {
  memory.fill(S, 0, FE_MAX);
  memory.fill(POW, 0, 16 * FE_MAX);
  memory.fill(EXP, 0, FE_MAX);
  memory.fill(IU, 0, FE_MAX);
  memory.fill(IV, 0, FE_MAX);
  memory.fill(IX1, 0, FE_MAX);
  memory.fill(IX2, 0, FE_MAX);
}
