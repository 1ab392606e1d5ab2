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
/** u32: MOD_GENERIC, or MOD_P256 to route mul/add/sub to fieldp256.ts. */
export const MD_KIND: usize = MD_R2 + FE_MAX;
export const MD_SIZE: usize = MD_KIND + 8;

export const MOD_GENERIC: u32 = 0;
export const MOD_P256: u32 = 1;

import { p256Add, p256Mul, p256Sub } from './fieldp256';

// Scratch: the CIOS accumulator (N + 1 limbs), a spare element, the window
// table of montPow (16 elements). All may hold secrets; montWipe clears them.
const T: usize = memory.data(<i32>(FE_MAX + 8), 16);
const S: usize = memory.data(<i32>FE_MAX, 16);
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
 * r = a * b / R mod m for a, b < m: coarsely integrated operand scanning
 * (Koç, Acar, Kaliski 1996, "Analyzing and comparing Montgomery
 * multiplication algorithms", FIOS variant with both products in one loop).
 * The accumulator stays below 2m, so one masked subtraction finishes. `r`
 * may alias `a` or `b`.
 */
export function montMul(f: usize, r: usize, a: usize, b: usize): void {
  if (load<u32>(f, MD_KIND) == MOD_P256) {
    p256Mul(r, a, b);
    return;
  }
  const n = limbs(f);
  const nb = n << 2;
  const n0 = load<u32>(f, MD_N0);
  const m = f + MD_M;
  memory.fill(T, 0, nb + 4);
  const a0 = <u64>load<u32>(a);
  const m0 = <u64>load<u32>(m);
  for (let i: usize = 0; i < nb; i += 4) {
    const bi = <u64>load<u32>(b + i);
    let u = <u64>load<u32>(T) + a0 * bi;
    const q = <u64>(<u32>u * n0);
    let v = (u & 0xffffffff) + q * m0;
    let c1 = u >> 32;
    let c2 = v >> 32;
    for (let j: usize = 4; j < nb; j += 4) {
      u = <u64>load<u32>(T + j) + <u64>load<u32>(a + j) * bi + c1;
      c1 = u >> 32;
      v = (u & 0xffffffff) + q * <u64>load<u32>(m + j) + c2;
      c2 = v >> 32;
      store<u32>(T + j - 4, <u32>v);
    }
    u = <u64>load<u32>(T + nb) + c1 + c2;
    store<u32>(T + nb - 4, <u32>u);
    store<u32>(T + nb, <u32>(u >> 32));
  }
  reduceOnce(r, T, m, nb, load<u32>(T + nb));
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
  if (load<u32>(f, MD_KIND) == MOD_P256) {
    p256Add(r, a, b);
    return;
  }
  const nb = limbs(f) << 2;
  let carry: u64 = 0;
  for (let j: usize = 0; j < nb; j += 4) {
    const s = <u64>load<u32>(a + j) + <u64>load<u32>(b + j) + carry;
    store<u32>(T + j, <u32>s);
    carry = s >> 32;
  }
  reduceOnce(r, T, f + MD_M, nb, <u32>carry);
}

/** r = a - b mod m for a, b < m. `r` may alias either input. */
export function modSub(f: usize, r: usize, a: usize, b: usize): void {
  if (load<u32>(f, MD_KIND) == MOD_P256) {
    p256Sub(r, a, b);
    return;
  }
  const nb = limbs(f) << 2;
  const m = f + MD_M;
  let borrow: u64 = 0;
  for (let j: usize = 0; j < nb; j += 4) {
    const d = <u64>load<u32>(a + j) - <u64>load<u32>(b + j) - borrow;
    store<u32>(r + j, <u32>d);
    borrow = (d >> 32) & 1;
  }
  // Add m back when it borrowed.
  const mask = <u64>(<u32>0 - <u32>borrow);
  let carry: u64 = 0;
  for (let j: usize = 0; j < nb; j += 4) {
    const s = <u64>load<u32>(r + j) + (<u64>load<u32>(m + j) & mask) + carry;
    store<u32>(r + j, <u32>s);
    carry = s >> 32;
  }
}

/** r = -a mod m (0 stays 0). */
export function modNeg(f: usize, r: usize, a: usize): void {
  const nb = limbs(f) << 2;
  memory.fill(S, 0, nb);
  modSub(f, r, S, a);
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
  memory.fill(T, 0, FE_MAX + 8);
  memory.fill(S, 0, FE_MAX);
  memory.fill(POW, 0, 16 * FE_MAX);
  memory.fill(EXP, 0, FE_MAX);
}
