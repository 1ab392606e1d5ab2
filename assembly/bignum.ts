// Multi-precision arithmetic modulo odd numbers of up to 4096 bits, for RSA
// (RFC 8017). Numbers are little-endian arrays of 28-bit digits, one per
// u32, in static memory; every function takes pointers and a digit count.
// Digit counts and loop bounds are public; no function here branches or
// indexes memory on the value of a number, except bnPowPublic on its
// (public) exponent and bnToMontPublic (public numbers only).
//
// Why 28-bit digits: Montgomery multiplication then accumulates each column
// lazily in a u64 lane with no carry handling in the inner loop, which lets
// i64x2.extmul_{low,high}_i32x4_u do two 28x28-bit products per instruction
// (the approach of S. Gueron and V. Krasnov, "Software implementation of
// modular exponentiation, using advanced vector instructions architectures",
// WAIFI 2012, with 29-bit digits on AVX2). Measured against CIOS on 32-bit
// limbs with u64 products (fused loops, also unrolled by two): 1024-bit
// montMul 1.35 us vs 2.65 us (2.46 unrolled), 2048-bit 3.39 us vs 7.48 us
// (6.59), Node 20 on the shared build machine.
//
// Tried and dropped, same machine: two rows per pass over the columns
// (half the column loads and stores) ran at the same speed (0.66 vs
// 0.65 us at 1024 bits, 2.22 vs 2.21 at 2048); a separate squaring that
// computes each cross product once then reduces (25% fewer extmuls) was
// slower (0.75 vs 0.65 us, 2.40 vs 2.19). The loop is bound by the
// extmuls themselves: V8 lowers each to two shuffles and a pmuludq.

import { eqMask32, nonZeroMask32, wipe } from './ct';

/** Bits per digit. */
const W: u32 = 28;
const MASK: u32 = 0x0fffffff;
const MASK64: u64 = 0x0fffffff;

/**
 * Largest digit count of a number: a 4096-bit modulus takes digitsOf(512) =
 * 147 digits, a product p q at most digitsOf(pLen) + digitsOf(qLen) <= 148
 * (the caller keeps pLen + qLen <= nLen + 1 <= 513).
 */
export const BN_MAX_DIGITS: i32 = 148;
/** Bytes per number slot: the digits plus headroom, a multiple of 16 for v128 access. */
export const BN_BYTES: i32 = (BN_MAX_DIGITS + 8) * 4;

/**
 * Digits for a number of `bytes` bytes, with at least two spare bits, so
 * that a modulus m of that length has 4m < R = 2^(28 digits), the
 * condition for montMulLazy (a change only for lengths that are multiples
 * of 7 bytes; 128, 192 and 256 already have 12, 4 and 24 spare bits).
 */
// @ts-ignore: decorator
@inline export function digitsOf(bytes: i32): i32 {
  return (bytes * 8 + 2 + 27) / 28;
}

// Scratch: the column accumulator of montMul, a chunk buffer and an
// accumulator for reductions, a temporary, the exponentiation table (32
// entries for a 5-bit window) and the numbers of the binary GCD. All
// may hold secret-derived values: bnWipeScratch().
const COLS_BYTES: i32 = (2 * BN_MAX_DIGITS + 16) * 8;
const COLS: usize = memory.data(COLS_BYTES, 16);
const CH: usize = memory.data(BN_BYTES, 16);
const ACC: usize = memory.data(BN_BYTES, 16);
const TMP: usize = memory.data(BN_BYTES, 16);
const TBL: usize = memory.data(32 * BN_BYTES, 16);
const GA: usize = memory.data(BN_BYTES, 16);
const GB: usize = memory.data(BN_BYTES, 16);
const GU: usize = memory.data(BN_BYTES, 16);
const GV: usize = memory.data(BN_BYTES, 16);
const GM: usize = memory.data(BN_BYTES, 16);
/** The number 1 (conversion out of the Montgomery domain). */
const ONE: usize = memory.data(BN_BYTES, 16);

/** Zeroes every scratch region of this file. */
export function bnWipeScratch(): void {
  wipe(COLS, COLS_BYTES);
  wipe(CH, BN_BYTES);
  wipe(ACC, BN_BYTES);
  wipe(TMP, BN_BYTES);
  wipe(TBL, 32 * BN_BYTES);
  wipe(GA, BN_BYTES);
  wipe(GB, BN_BYTES);
  wipe(GU, BN_BYTES);
  wipe(GV, BN_BYTES);
  wipe(GM, BN_BYTES);
}

// @ts-ignore: decorator
@inline function dig(p: usize, i: usize): u32 {
  return load<u32>(p + (i << 2));
}

// @ts-ignore: decorator
@inline function setDig(p: usize, i: usize, v: u32): void {
  store<u32>(p + (i << 2), v);
}

/** Zeroes a whole number slot (digits and headroom). */
// @ts-ignore: decorator
@inline export function bnZero(p: usize): void {
  memory.fill(p, 0, BN_BYTES);
}

/** Copies `len` digits. */
// @ts-ignore: decorator
@inline export function bnCopy(dst: usize, src: usize, len: i32): void {
  memory.copy(dst, src, <usize>len << 2);
}

/**
 * RFC 8017 §4.2 OS2IP: `n` big-endian bytes at `src` into digits at `dst`
 * (the whole slot is zeroed first; digitsOf(n) digits are written).
 */
export function bnFromBytes(dst: usize, src: usize, n: i32): void {
  bnZero(dst);
  for (let k: i32 = 0; k < n; k++) {
    const b = <u32>load<u8>(src + <usize>(n - 1 - k));
    const bit = <u32>k << 3;
    const at = dst + (<usize>(bit / W) << 2);
    const sh = bit % W;
    store<u32>(at, load<u32>(at) | ((b << sh) & MASK));
    // A byte straddles two digits when it starts in the top 7 bits of one.
    if (sh > W - 8) store<u32>(at + 4, load<u32>(at + 4) | (b >> (W - sh)));
  }
}

/** RFC 8017 §4.1 I2OSP: `len` digits to `n` big-endian bytes (bytes beyond the digits are zero). */
export function bnToBytes(dst: usize, n: i32, src: usize, len: i32): void {
  for (let k: i32 = 0; k < n; k++) {
    const bit = <u32>k << 3;
    const i = <i32>(bit / W);
    let v: u64 = 0;
    if (i < len) v = <u64>dig(src, <usize>i);
    if (i + 1 < len) v |= <u64>dig(src, <usize>(i + 1)) << W;
    store<u8>(dst + <usize>(n - 1 - k), <u8>(v >> <u64>(bit % W)));
  }
}

/** -m^-1 mod 2^28 for odd m0, by Newton iteration: each step doubles the correct low bits (3 -> 48). */
export function montInverse(m0: u32): u32 {
  let x = m0; // m0 * m0 == 1 mod 8 for odd m0
  x *= 2 - m0 * x;
  x *= 2 - m0 * x;
  x *= 2 - m0 * x;
  x *= 2 - m0 * x;
  return (0 - x) & MASK;
}

/**
 * Conditional subtraction: given t (len digits plus a top bit `hi`) < 2m,
 * writes t mod m to `out` without branching on t. `out` may alias t.
 */
function reduceOnce(out: usize, t: usize, hi: u32, m: usize, len: usize): void {
  let borrow: u32 = 0;
  for (let j: usize = 0; j < len; j++) {
    const d = dig(t, j) - dig(m, j) - borrow;
    setDig(TMP, j, d & MASK);
    borrow = d >> 31;
  }
  // Keep t - m when t had a top bit or the subtraction did not borrow.
  const take = 0 - (hi | (borrow ^ 1));
  for (let j: usize = 0; j < len; j++) {
    setDig(out, j, (dig(TMP, j) & take) | (dig(t, j) & ~take));
  }
}

/**
 * Carry-propagates columns [from, to) of COLS into 28-bit digits, adding
 * the final carry into column `to`. The integer they represent is unchanged.
 */
// @ts-ignore: decorator
@inline function normalizeCols(from: usize, to: usize): void {
  let c: u64 = 0;
  for (let k = from; k < to; k++) {
    const v = load<u64>(COLS + (k << 3)) + c;
    store<u64>(COLS + (k << 3), v & MASK64);
    c = v >> W;
  }
  store<u64>(COLS + (to << 3), load<u64>(COLS + (to << 3)) + c);
}

/**
 * Montgomery product a b R^-1 mod m, R = 2^(28 len), fully reduced, for
 * a < R and b < m. `out` may alias a or b. `m0inv` is montInverse(m[0]).
 */
export function montMul(out: usize, a: usize, b: usize, m: usize, m0inv: u32, len: i32): void {
  const hi = montProduct(out, a, b, m, m0inv, len);
  reduceOnce(out, out, hi, m, <usize>len);
}

/**
 * The Montgomery product without the final subtraction: for a, b < 2m and
 * 4m < R (digitsOf guarantees it), a b R^-1 + Q m / R < 2m, so outputs can
 * feed further products (C. D. Walter, "Montgomery exponentiation needs no
 * final subtractions", Electronics Letters 1999). Used inside bnPowSecret,
 * whose caller reduces the result with a full montMul. Saves 8.5% of a
 * 1024-bit montMul (0.599 us vs 0.655 us), measured.
 */
function montMulLazy(out: usize, a: usize, b: usize, m: usize, m0inv: u32, len: i32): void {
  montProduct(out, a, b, m, m0inv, len);
}

/**
 * (a b + Q m) / R into `out` as len 28-bit digits; returns the bit above
 * them. Word-by-word Montgomery with lazy columns: row i adds a b_i + q_i m
 * into columns i..i+len-1, q_i chosen so column i becomes 0 mod 2^28; its
 * carry moves to column i+1. A column receives at most 2 len products below
 * 2^56 plus carries below 2^36 between normalizations; every 64 rows the
 * pending columns are normalized, so no u64 lane ever overflows
 * (128 * 2^56 + 2^37 < 2^64) whatever len. For a < R and b < m the result
 * is below 2m.
 */
// @ts-ignore: decorator
@inline function montProduct(out: usize, a: usize, b: usize, m: usize, m0inv: u32, len: i32): u32 {
  const L = <usize>len;
  const groups = L & ~(<usize>3);
  memory.fill(COLS, 0, (2 * L + 8) << 3);
  const a0 = <u64>dig(a, 0);
  for (let i: usize = 0; i < L; i++) {
    const bi = dig(b, i);
    const row = COLS + (i << 3);
    const q = (<u32>(load<u64>(row) + a0 * <u64>bi) * m0inv) & MASK;
    const bs = i32x4.splat(<i32>bi), qs = i32x4.splat(<i32>q);
    for (let j: usize = 0; j < groups; j += 4) {
      const av = v128.load(a + (j << 2)), mv = v128.load(m + (j << 2));
      const p = row + (j << 3);
      v128.store(p, i64x2.add(v128.load(p), i64x2.add(i64x2.extmul_low_i32x4_u(av, bs), i64x2.extmul_low_i32x4_u(mv, qs))));
      v128.store(p + 16, i64x2.add(v128.load(p + 16), i64x2.add(i64x2.extmul_high_i32x4_u(av, bs), i64x2.extmul_high_i32x4_u(mv, qs))));
    }
    for (let j = groups; j < L; j++) {
      const p = row + (j << 3);
      store<u64>(p, load<u64>(p) + <u64>dig(a, j) * <u64>bi + <u64>dig(m, j) * <u64>q);
    }
    store<u64>(row + 8, load<u64>(row + 8) + (load<u64>(row) >> W));
    if ((i & 63) == 63) normalizeCols(i + 1, i + L);
  }
  let c: u64 = 0;
  for (let k: usize = 0; k < L; k++) {
    const v = load<u64>(COLS + ((k + L) << 3)) + c;
    setDig(out, k, <u32>v & MASK);
    c = v >> W;
  }
  return <u32>c;
}

/** out = 2x mod m for x < m, without branching on x. `out` may alias x. */
function modDouble(out: usize, x: usize, m: usize, len: usize): void {
  let carry: u32 = 0;
  for (let j: usize = 0; j < len; j++) {
    const w = (dig(x, j) << 1) | carry;
    setDig(out, j, w & MASK);
    carry = w >> W;
  }
  reduceOnce(out, out, carry, m, len);
}

/** out = a + b mod m for a, b < m. `out` may alias a or b. */
function modAdd(out: usize, a: usize, b: usize, m: usize, len: i32): void {
  const L = <usize>len;
  let carry: u32 = 0;
  for (let j: usize = 0; j < L; j++) {
    const s = dig(a, j) + dig(b, j) + carry;
    setDig(out, j, s & MASK);
    carry = s >> W;
  }
  reduceOnce(out, out, carry, m, L);
}

/** out = a - b mod m for a, b < m. `out` may alias a or b. */
export function modSub(out: usize, a: usize, b: usize, m: usize, len: i32): void {
  const L = <usize>len;
  let borrow: u32 = 0;
  for (let j: usize = 0; j < L; j++) {
    const d = dig(a, j) - dig(b, j) - borrow;
    setDig(out, j, d & MASK);
    borrow = d >> 31;
  }
  const mask = 0 - borrow;
  let carry: u32 = 0;
  for (let j: usize = 0; j < L; j++) {
    const s = dig(out, j) + (dig(m, j) & mask) + carry;
    setDig(out, j, s & MASK);
    carry = s >> W;
  }
}

/**
 * R^2 mod m for R = 2^(28 len), for conversions into the Montgomery domain.
 * 2^start (start = 8 (byte length of m - 1), so 2^start < m) doubled up to
 * R mod m is the Montgomery form of 1; the Montgomery form of 2^k for
 * k = 28 len is then built left to right over the bits of k: its top six
 * bits by doublings, each further bit by a Montgomery squaring (2^c to
 * 2^2c) and, for a one bit, a doubling. The form of 2^k = R is R^2. About
 * 6 squarings and 100 doublings; the byte length of m is the only input to
 * the control flow (public for n, and for p and q as in every RSA
 * implementation that sizes its buffers by them). Doubling all the way
 * from 1 to R^2 cost 91 montMul at 1024 bits, measured.
 */
export function montR2(out: usize, m: usize, m0inv: u32, len: i32, start: i32): void {
  const L = <usize>len;
  bnZero(out);
  setDig(out, <usize>(start / <i32>W), <u32>1 << <u32>(start % <i32>W));
  const k = len * <i32>W;
  const kBits = 32 - <i32>clz<u32>(<u32>k);
  const sh = kBits > 6 ? kBits - 6 : 0;
  const doublings = k - start + (k >> sh);
  for (let i: i32 = 0; i < doublings; i++) modDouble(out, out, m, L);
  for (let b = sh - 1; b >= 0; b--) {
    montMul(out, out, out, m, m0inv, len);
    if (((k >> b) & 1) != 0) modDouble(out, out, m, L);
  }
}

/**
 * out = x R mod m (Montgomery form of x mod m) for x of `xLen` digits,
 * any size: Horner over len-digit chunks x = sum x_c R^c, each step
 * Y <- Y R + x_c R, where Y R = montMul(Y, R^2) and x_c R = montMul(x_c, R^2)
 * (valid for any chunk x_c < R since R^2 mod m < m). `out` may alias x.
 */
export function bnToMont(out: usize, x: usize, xLen: i32, m: usize, m0inv: u32, r2: usize, len: i32): void {
  const chunks = (xLen + len - 1) / len;
  bnZero(ACC);
  for (let c = chunks - 1; c >= 0; c--) {
    const from = c * len;
    const take = xLen - from < len ? xLen - from : len;
    bnZero(CH);
    memory.copy(CH, x + (<usize>from << 2), <usize>take << 2);
    montMul(ACC, ACC, r2, m, m0inv, len);
    montMul(CH, CH, r2, m, m0inv, len);
    modAdd(ACC, ACC, CH, m, len);
  }
  bnCopy(out, ACC, len);
}

/** out = x R^-1 mod m: from the Montgomery form back to the plain residue. */
export function bnFromMont(out: usize, x: usize, m: usize, m0inv: u32, len: i32): void {
  bnZero(ONE);
  store<u32>(ONE, 1);
  montMul(out, x, ONE, m, m0inv, len);
}

/**
 * out = x R mod m (R = 2^(28 len)) by long division of x 2^(28 len) by m,
 * for PUBLIC x < m and m only: D. Knuth, TAOCP vol. 2, §4.3.1, algorithm D,
 * in base 2^28 (quotient digits estimated from the top two digits of the
 * normalized remainder, corrected at most twice, then one add-back in the
 * rare case the estimate was still one too large). Variable time. About one
 * montMul of work where R^2 by montR2 and one montMul cost ~10 at 2048 bits
 * (measured), which made it a third of a verification.
 */
export function bnToMontPublic(out: usize, x: usize, m: usize, len: i32): void {
  // Divisor length without leading zero digits.
  let dn = len;
  while (dn > 1 && dig(m, <usize>(dn - 1)) == 0) dn--;
  const top = dig(m, <usize>(dn - 1));
  const sh: u32 = W - (32 - clz<u32>(top));
  // vn = m << sh in TMP; un = (x << 28 len) << sh in COLS, as u32 digits.
  const vn = TMP, un = COLS;
  for (let i = dn - 1; i >= 0; i--) {
    const lo = i > 0 ? dig(m, <usize>(i - 1)) >> (W - sh) : 0;
    setDig(vn, <usize>i, ((dig(m, <usize>i) << sh) | lo) & MASK);
  }
  const ulen = 2 * len + 1;
  memory.fill(un, 0, <usize>ulen << 2);
  for (let i = 0; i < len; i++) {
    const lo = i > 0 ? dig(x, <usize>(i - 1)) >> (W - sh) : 0;
    setDig(un, <usize>(len + i), ((dig(x, <usize>i) << sh) | lo) & MASK);
  }
  setDig(un, <usize>(2 * len), dig(x, <usize>(len - 1)) >> (W - sh));
  const vTop = <u64>dig(vn, <usize>(dn - 1));
  const vNext = dn > 1 ? <u64>dig(vn, <usize>(dn - 2)) : 0;
  const base: u64 = 1 << W;
  for (let j = ulen - dn - 1; j >= 0; j--) {
    const num = (<u64>dig(un, <usize>(j + dn)) << W) | <u64>dig(un, <usize>(j + dn - 1));
    let qhat = num / vTop;
    let rhat = num - qhat * vTop;
    const below = dn > 1 ? <u64>dig(un, <usize>(j + dn - 2)) : 0;
    while (qhat >= base || qhat * vNext > ((rhat << W) | below)) {
      qhat--;
      rhat += vTop;
      if (rhat >= base) break;
    }
    // un[j .. j + dn] -= qhat vn.
    let carry: u64 = 0;
    let borrow: i64 = 0;
    for (let i = 0; i < dn; i++) {
      const p = qhat * <u64>dig(vn, <usize>i) + carry;
      carry = p >> W;
      const t = <i64>dig(un, <usize>(i + j)) - <i64>(p & MASK64) - borrow;
      setDig(un, <usize>(i + j), <u32>t & MASK);
      borrow = (t >> 63) & 1;
    }
    const t = <i64>dig(un, <usize>(j + dn)) - <i64>carry - borrow;
    setDig(un, <usize>(j + dn), <u32>t & MASK);
    if (t < 0) {
      // The estimate was one too large: add vn back.
      let c: u32 = 0;
      for (let i = 0; i < dn; i++) {
        const v = dig(un, <usize>(i + j)) + dig(vn, <usize>i) + c;
        setDig(un, <usize>(i + j), v & MASK);
        c = v >> W;
      }
      setDig(un, <usize>(j + dn), (dig(un, <usize>(j + dn)) + c) & MASK);
    }
  }
  // The remainder, un[0 .. dn) >> sh.
  for (let i = 0; i < len; i++) {
    let v: u32 = 0;
    if (i < dn) v = ((dig(un, <usize>i) >> sh) | (dig(un, <usize>(i + 1)) << (W - sh))) & MASK;
    setDig(out, <usize>i, v);
  }
}

/**
 * out = base^e mod m, for a public exponent e >= 2 given as `eLen`
 * big-endian bytes (variable time in e only; constant time in base).
 * `base` < m is the plain residue and `baseM` its Montgomery form; out is
 * plain. Left-to-right binary; the last step multiplies by the plain base
 * so that it also leaves the domain: montMul(b^(e-1) R, b) = b^e. `out`
 * must not alias base or baseM.
 */
export function bnPowPublic(out: usize, base: usize, baseM: usize, e: usize, eLen: i32, m: usize, m0inv: u32, len: i32): void {
  let top = 0;
  while (top < eLen * 8 && ((load<u8>(e + <usize>(top >> 3)) >> <u8>(7 - (top & 7))) & 1) == 0) top++;
  const last = eLen * 8 - 1;
  bnCopy(out, baseM, len);
  for (let i = top + 1; i < last; i++) {
    montMul(out, out, out, m, m0inv, len);
    if (((load<u8>(e + <usize>(i >> 3)) >> <u8>(7 - (i & 7))) & 1) != 0) montMul(out, out, baseM, m, m0inv, len);
  }
  montMul(out, out, out, m, m0inv, len);
  if ((load<u8>(e + <usize>(eLen - 1)) & 1) != 0) {
    montMul(out, out, base, m, m0inv, len);
  } else {
    bnFromMont(out, out, m, m0inv, len);
  }
}

/** Window width of bnPowSecret, in bits. */
const WIN: i32 = 5;

/**
 * Reads every table entry and keeps entry `idx` by masking: the memory
 * access pattern is the same for every idx. Entries are `stride` bytes.
 */
function tableSelect(dst: usize, idx: u32, stride: usize): void {
  const count: u32 = <u32>1 << <u32>WIN;
  for (let off: usize = 0; off < stride; off += 16) v128.store(dst + off, i64x2.splat(0));
  let p = TBL;
  for (let i: u32 = 0; i < count; i++) {
    const mask = i32x4.splat(<i32>eqMask32(i, idx));
    for (let off: usize = 0; off < stride; off += 16) {
      v128.store(dst + off, v128.or(v128.load(dst + off), v128.and(v128.load(p + off), mask)));
    }
    p += stride;
  }
}

/** Bits [pos, pos + width) of a digit array (width <= 28); pos is public. */
// @ts-ignore: decorator
@inline function bitsAt(x: usize, pos: i32, width: i32): u32 {
  const i = <usize>(pos / <i32>W);
  const v = <u64>dig(x, i) | (<u64>dig(x, i + 1) << W);
  return <u32>(v >> <u64>(pos % <i32>W)) & ((<u32>1 << <u32>width) - 1);
}

/**
 * out = base^x mod m with base and result in Montgomery form (the result
 * in [0, 2m): pass it through a full montMul), for a secret exponent x of which all `bits` low bits are processed (leading zeros cost
 * as much as ones; `bits` is public). Fixed 5-bit windows from the top:
 * five squarings, then one multiplication by the table entry chosen with
 * tableSelect; no branch or address depends on x. x's slot must be zero
 * above `bits`.
 */
export function bnPowSecret(out: usize, baseM: usize, x: usize, bits: i32, m: usize, m0inv: u32, r2: usize, len: i32): void {
  const stride = ((<usize>len << 2) + 15) & ~(<usize>15);
  const count: i32 = 1 << WIN;
  // TBL[i] = base^i R mod m, TBL[0] = R mod m. Zeroed first so that the
  // padding of each entry (stride may exceed 4 len) holds nothing stale.
  memory.fill(TBL, 0, <usize>count * stride);
  bnZero(ONE);
  store<u32>(ONE, 1);
  montMul(TBL, r2, ONE, m, m0inv, len);
  bnCopy(TBL + stride, baseM, len);
  for (let i = 2; i < count; i++) {
    montMulLazy(TBL + <usize>i * stride, TBL + <usize>(i - 1) * stride, baseM, m, m0inv, len);
  }
  // The top window takes the bits left over when `bits` is not a multiple of WIN.
  const topWidth = bits % WIN == 0 ? WIN : bits % WIN;
  let pos = bits - topWidth;
  tableSelect(out, bitsAt(x, pos, topWidth), stride);
  while (pos > 0) {
    pos -= WIN;
    for (let k = 0; k < WIN; k++) montMulLazy(out, out, out, m, m0inv, len);
    tableSelect(ACC, bitsAt(x, pos, WIN), stride);
    montMulLazy(out, out, ACC, m, m0inv, len);
  }
}

/**
 * out = a b + c (schoolbook, fixed loops), a of aLen digits, b and c of
 * bLen digits; out gets aLen + bLen digits and must not alias the inputs.
 */
export function bnMulAdd(out: usize, a: usize, aLen: i32, b: usize, bLen: i32, c: usize): void {
  const A = <usize>aLen, B = <usize>bLen;
  memory.fill(out, 0, (A + B) << 2);
  bnCopy(out, c, bLen);
  for (let i: usize = 0; i < A; i++) {
    const ai = <u64>dig(a, i);
    let carry: u64 = 0;
    for (let j: usize = 0; j < B; j++) {
      const o = out + ((i + j) << 2);
      const t = <u64>load<u32>(o) + ai * <u64>dig(b, j) + carry;
      store<u32>(o, <u32>t & MASK);
      carry = t >> W;
    }
    // Propagate into the remaining digits; fixed length, no early exit.
    for (let j: usize = i + B; j < A + B; j++) {
      const o = out + (j << 2);
      const t = <u64>load<u32>(o) + carry;
      store<u32>(o, <u32>t & MASK);
      carry = t >> W;
    }
  }
}

/** 0xFFFFFFFF when a == b over `len` digits, else 0, without early exit. */
export function bnEqMask(a: usize, b: usize, len: i32): u32 {
  let acc: u32 = 0;
  for (let j: usize = 0; j < <usize>len; j++) acc |= dig(a, j) ^ dig(b, j);
  return eqMask32(acc, 0);
}

/** 0xFFFFFFFF when a < b over `len` digits, else 0, without early exit. */
export function bnLtMask(a: usize, b: usize, len: i32): u32 {
  let borrow: u32 = 0;
  for (let j: usize = 0; j < <usize>len; j++) borrow = (dig(a, j) - dig(b, j) - borrow) >> 31;
  return 0 - borrow;
}

/** 0xFFFFFFFF when x is zero over `len` digits, else 0. */
export function bnIsZeroMask(x: usize, len: i32): u32 {
  let acc: u32 = 0;
  for (let j: usize = 0; j < <usize>len; j++) acc |= dig(x, j);
  return eqMask32(acc, 0);
}

/** Bit length of w without branches or clz (whose fallback lowering may branch on zero). */
// @ts-ignore: decorator
@inline function bitLen32(w: u32): u32 {
  let n: u32 = 0;
  let t = w >> 16;
  let k = nonZeroMask32(t);
  n |= 16 & k;
  w ^= (w ^ t) & k;
  t = w >> 8;
  k = nonZeroMask32(t);
  n += 8 & k;
  w ^= (w ^ t) & k;
  t = w >> 4;
  k = nonZeroMask32(t);
  n += 4 & k;
  w ^= (w ^ t) & k;
  t = w >> 2;
  k = nonZeroMask32(t);
  n += 2 & k;
  w ^= (w ^ t) & k;
  t = w >> 1;
  k = nonZeroMask32(t);
  n += 1 & k;
  w ^= (w ^ t) & k;
  return n + w;
}

/** Bits [s, s + 33) of x (len digits), for a secret s: every digit is read and masked. */
function window33(x: usize, s: i32, len: usize): u64 {
  let acc: u64 = 0;
  for (let i: usize = 0; i < len; i++) {
    const r = <i32>i * <i32>W - s;
    const d = <u64>dig(x, i);
    const neg = <u64>(<i64>r >> 63);
    const v = ((d >> <u64>((0 - r) & 63)) & neg) | ((d << <u64>(r & 63)) & ~neg);
    acc |= v & (0 - <u64>((r < 33) & (r > -<i32>W)));
  }
  return acc & 0x1ffffffff;
}

/**
 * (a, b) <- ((f a + g b) / 2^31, (h a + k b) / 2^31) in place over len
 * digits, exact divisions (the low 31 bits of both sums are zero by
 * construction). Digits of each sum are produced low to high with a signed
 * carry and written two positions behind the digits being read. Returns the
 * signs (-1 or 0) of the two results packed as bit 0 (a) and bit 1 (b); the
 * results are left in two's complement over len digits.
 */
function applyMatrix(a: usize, b: usize, f: i64, g: i64, h: i64, k: i64, len: usize): u32 {
  let ca: i64 = 0, cb: i64 = 0;
  let pa: u32 = 0, pb: u32 = 0; // digit k-1 of each sum
  for (let j: usize = 0; j < len + 2; j++) {
    const aj = j < len ? <i64>dig(a, j) : 0;
    const bj = j < len ? <i64>dig(b, j) : 0;
    const ta = f * aj + g * bj + ca;
    const tb = h * aj + k * bj + cb;
    ca = ta >> W;
    cb = tb >> W;
    const da = <u32>ta & MASK, db = <u32>tb & MASK;
    // Output digit j-2 is bits [31, 59) above digit j-2: digit j-1 >> 3, then 25 bits of digit j.
    if (j >= 2) {
      setDig(a, j - 2, (pa >> 3) | ((da << 25) & MASK));
      setDig(b, j - 2, (pb >> 3) | ((db << 25) & MASK));
    }
    pa = da;
    pb = db;
  }
  return (<u32>ca & 1) | ((<u32>cb & 1) << 1);
}

/** x <- -x over len digits when neg is all ones (two's complement in 28-bit digits). */
function condNegate(x: usize, neg: u32, len: usize): void {
  let c = neg & 1;
  for (let j: usize = 0; j < len; j++) {
    const t = (dig(x, j) ^ (neg & MASK)) + c;
    setDig(x, j, t & MASK);
    c = t >> W;
  }
}

/**
 * (u, v) <- ((f u + g v) / 2^31 mod m, (h u + k v) / 2^31 mod m) in place,
 * for u, v in [0, m) and |f| + |g|, |h| + |k| <= 2^31. The division is
 * Montgomery's: add q m with q = (f u + g v) (-m^-1) mod 2^31 so the sum is
 * a multiple of 2^31; the quotient lies in [-m, 2m), then one masked
 * addition and one masked subtraction of m bring it into [0, m).
 * len includes one spare digit so 2m fits.
 */
function updateUV(u: usize, v: usize, m: usize, m31: u64, f: i64, g: i64, h: i64, k: i64, len: usize): void {
  const ul = <i64>(<u64>dig(u, 0) | (<u64>dig(u, 1) << W));
  const vl = <i64>(<u64>dig(v, 0) | (<u64>dig(v, 1) << W));
  const qu = <i64>((<u64>(f * ul + g * vl) * m31) & 0x7fffffff);
  const qv = <i64>((<u64>(h * ul + k * vl) * m31) & 0x7fffffff);
  let cu: i64 = 0, cv: i64 = 0;
  let pu: u32 = 0, pv: u32 = 0;
  for (let j: usize = 0; j < len + 2; j++) {
    const uj = j < len ? <i64>dig(u, j) : 0;
    const vj = j < len ? <i64>dig(v, j) : 0;
    const mj = j < len ? <i64>dig(m, j) : 0;
    const tu = f * uj + g * vj + qu * mj + cu;
    const tv = h * uj + k * vj + qv * mj + cv;
    cu = tu >> W;
    cv = tv >> W;
    const du = <u32>tu & MASK, dv = <u32>tv & MASK;
    if (j >= 2) {
      setDig(u, j - 2, (pu >> 3) | ((du << 25) & MASK));
      setDig(v, j - 2, (pv >> 3) | ((dv << 25) & MASK));
    }
    pu = du;
    pv = dv;
  }
  fixRange(u, 0 - (<u32>cu & 1), m, len);
  fixRange(v, 0 - (<u32>cv & 1), m, len);
}

/** x in [-m, 2m) (two's complement over len digits, `neg` its sign mask) to [0, m). */
function fixRange(x: usize, neg: u32, m: usize, len: usize): void {
  let c: u32 = 0;
  for (let j: usize = 0; j < len; j++) {
    const t = dig(x, j) + (dig(m, j) & neg) + c;
    setDig(x, j, t & MASK);
    c = t >> W;
  }
  reduceOnce(x, x, 0, m, len);
}

/**
 * out = x^-1 mod m for odd m and x < m, in constant time: T. Pornin,
 * "Optimized Binary GCD for Modular Inversion", IACR ePrint 2020/972, §3,
 * algorithm 2. The binary GCD keeps a = u x, b = v x (mod m) from
 * (a, b, u, v) = (x, m, 1, 0); each of its steps, when a is odd, swaps so
 * that a >= b and subtracts b from a, then halves a. Algorithm 2 runs 31
 * steps at a time on 64-bit approximations of a and b (their low 31 bits,
 * which decide the parities exactly, and their top 33 bits, which decide
 * the comparisons), collecting the steps in a matrix [f0 g0; f1 g1], then
 * applies that matrix to the full a, b, u, v (a negative a or b is negated
 * with its row). 2 * 28 len - 1 steps bring a to 0 and leave b = gcd(x, m)
 * (§3 shows the approximations keep that bound). Costs about 25 montMul at
 * 1024 bits where algorithm 1 (one full-width pass per step) cost 1,100,
 * measured. Returns 0xFFFFFFFF when the gcd is 1 (out is the inverse), else 0.
 */
export function bnModInverse(out: usize, x: usize, m: usize, len: i32): u32 {
  // One spare digit: u, v pass through [0, 2m) in updateUV.
  const L = <usize>len + 1;
  bnZero(GA);
  bnZero(GB);
  bnZero(GU);
  bnZero(GV);
  bnZero(GM);
  bnCopy(GA, x, len);
  bnCopy(GB, m, len);
  bnCopy(GM, m, len);
  store<u32>(GU, 1);
  // -m^-1 mod 2^31 from the low 32 bits of m.
  const m32 = dig(m, 0) | (dig(m, 1) << W);
  let inv = m32;
  inv *= 2 - m32 * inv;
  inv *= 2 - m32 * inv;
  inv *= 2 - m32 * inv;
  inv *= 2 - m32 * inv;
  const m31 = <u64>((0 - inv) & 0x7fffffff);
  const outer = (2 * len * <i32>W - 1 + 30) / 31;
  for (let it = 0; it < outer; it++) {
    // n = max(len(a), len(b), 64), without branching on a or b.
    let n: u32 = 0;
    for (let i: usize = 0; i < L; i++) {
      const w = dig(GA, i) | dig(GB, i);
      const nz = nonZeroMask32(w);
      n = ((<u32>i * W + bitLen32(w)) & nz) | (n & ~nz);
    }
    const small = 0 - <u32>(n < 64);
    n = (64 & small) | (n & ~small);
    const s = <i32>n - 33;
    let xa = (window33(GA, s, L) << 31) | ((<u64>dig(GA, 0) | (<u64>dig(GA, 1) << W)) & 0x7fffffff);
    let xb = (window33(GB, s, L) << 31) | ((<u64>dig(GB, 0) | (<u64>dig(GB, 1) << W)) & 0x7fffffff);
    let f0: i64 = 1, g0: i64 = 0, f1: i64 = 0, g1: i64 = 1;
    for (let j = 0; j < 31; j++) {
      const odd = 0 - (xa & 1);
      const sw = odd & (0 - <u64>(xa < xb));
      let t = (xa ^ xb) & sw;
      xa ^= t;
      xb ^= t;
      const swi = <i64>sw, oddi = <i64>odd;
      let ti = (f0 ^ f1) & swi;
      f0 ^= ti;
      f1 ^= ti;
      ti = (g0 ^ g1) & swi;
      g0 ^= ti;
      g1 ^= ti;
      xa -= xb & odd;
      f0 -= f1 & oddi;
      g0 -= g1 & oddi;
      xa >>= 1;
      f1 <<= 1;
      g1 <<= 1;
    }
    const signs = applyMatrix(GA, GB, f0, g0, f1, g1, L);
    const na = 0 - (signs & 1), nb = 0 - ((signs >> 1) & 1);
    condNegate(GA, na, L);
    condNegate(GB, nb, L);
    const sa = <i64><i32>na, sb = <i64><i32>nb;
    f0 = (f0 ^ sa) - sa;
    g0 = (g0 ^ sa) - sa;
    f1 = (f1 ^ sb) - sb;
    g1 = (g1 ^ sb) - sb;
    updateUV(GU, GV, GM, m31, f0, g0, f1, g1, L);
  }
  bnCopy(out, GV, len);
  bnZero(ONE);
  store<u32>(ONE, 1);
  return bnEqMask(GB, ONE, <i32>L);
}
