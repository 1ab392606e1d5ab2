// Polynomial arithmetic of ML-KEM (FIPS 203 §4.2, §4.3): R_q = Z_q[X]/(X^256 + 1)
// with q = 3329, the NTT and its inverse (Algorithms 9, 10), multiplication in
// the NTT domain (Algorithms 11, 12), sampling (Algorithms 7, 8 with η = 2),
// compression (§4.2.1) and byte encoding (Algorithms 5, 6).
//
// A polynomial is 256 u16 coefficients (512 bytes), always reduced to
// [0, q). Products are reduced by Barrett's method with a 32-bit multiplier
// in u64 (x < 2^32 gives a quotient estimate off by at most one, fixed by a
// masked subtraction), so no coefficient is ever divided.
//
// Constant time: no branch or memory index depends on a coefficient or a
// seed byte. Compress_d divides by q without a division instruction
// (KyberSlash, CVE-2023-50245 class: the reference's `/ q` compiles to a
// variable-time idiv on some targets): it multiplies by floor(2^32 / 2q) and
// corrects the estimate with a mask. SampleNTT rejects on public bytes
// (from ρ), so it branches freely.

import { DS_SHAKE, keccakAbsorb, keccakFinish, keccakInit, keccakSqueeze, keccakSqueezeBlocks, RATE_SHAKE128, RATE_SHAKE256 } from './keccak';

export const Q: u32 = 3329;
export const N: usize = 256;
/** Bytes per polynomial in memory. */
export const POLY: usize = 512;

// ζ^BitRev7(i) and ζ^(2 BitRev7(i) + 1) mod q for ζ = 17 (§4.3, Appendix A),
// computed on first use: public constants, 512 bytes.
const ZETAS: usize = memory.data(256, 16);
const GAMMAS: usize = memory.data(256, 16);
let ready = false;

function bitRev7(i: u32): u32 {
  let r: u32 = 0;
  for (let b = 0; b < 7; b++) r |= ((i >> b) & 1) << (6 - b);
  return r;
}

function powq(g: u32, e: u32): u32 {
  let r: u32 = 1;
  for (let i: u32 = 0; i < e; i++) r = (r * g) % Q;
  return r;
}

/** Fills the ζ tables once. */
export function polySetup(): void {
  if (ready) return;
  for (let i: u32 = 0; i < 128; i++) {
    store<u16>(ZETAS + (<usize>i << 1), <u16>powq(17, bitRev7(i)));
    store<u16>(GAMMAS + (<usize>i << 1), <u16>powq(17, 2 * bitRev7(i) + 1));
  }
  ready = true;
}

// Arithmetic mod q on values in [0, q) unless said otherwise.

/** x - q when x >= q, for x < 2q, by mask. */
// @ts-ignore: decorator
@inline
function csubq(x: u32): u32 {
  const t = x - Q;
  return t + (Q & <u32>(<i32>t >> 31));
}

/** x mod q for any x < 2^32 (Barrett: floor(2^32 / q) = 1290167). */
// @ts-ignore: decorator
@inline
function redq(x: u32): u32 {
  const t = <u32>((<u64>x * 1290167) >> 32);
  return csubq(x - t * Q);
}

// @ts-ignore: decorator
@inline
function mulq(a: u32, b: u32): u32 {
  return redq(a * b);
}

// @ts-ignore: decorator
@inline
function co(p: usize, i: usize): u32 {
  return <u32>load<u16>(p + (i << 1));
}

// @ts-ignore: decorator
@inline
function set(p: usize, i: usize, v: u32): void {
  store<u16>(p + (i << 1), <u16>v);
}

/** Algorithm 9: f ← NTT(f), in place. */
export function ntt(f: usize): void {
  let k: usize = 1;
  for (let len: usize = 128; len >= 2; len >>= 1) {
    for (let start: usize = 0; start < N; start += len << 1) {
      const zeta = co(ZETAS, k++);
      for (let j = start; j < start + len; j++) {
        const t = mulq(zeta, co(f, j + len));
        const a = co(f, j);
        set(f, j + len, csubq(a + Q - t));
        set(f, j, csubq(a + t));
      }
    }
  }
}

/** Algorithm 10: f ← NTT^-1(f), in place, including the factor 128^-1 = 3303. */
export function invNtt(f: usize): void {
  let k: usize = 127;
  for (let len: usize = 2; len <= 128; len <<= 1) {
    for (let start: usize = 0; start < N; start += len << 1) {
      const zeta = co(ZETAS, k--);
      for (let j = start; j < start + len; j++) {
        const t = co(f, j);
        const b = co(f, j + len);
        set(f, j, csubq(t + b));
        set(f, j + len, mulq(zeta, b + Q - t));
      }
    }
  }
  for (let j: usize = 0; j < N; j++) set(f, j, mulq(co(f, j), 3303));
}

/**
 * h = Σ_{i<3} a_i × b_i in the NTT domain (Algorithms 11, 12): the k = 3
 * inner product of the rows `a0..a2` with the vector at `b` (3 polynomials,
 * 512 bytes apart). Each pair of products is summed unreduced (< 2^26) and
 * reduced once.
 */
export function dot3(h: usize, a0: usize, a1: usize, a2: usize, b: usize): void {
  const b1 = b + POLY;
  const b2 = b1 + POLY;
  for (let i: usize = 0; i < 128; i++) {
    const g = co(GAMMAS, i);
    const j = i << 1;
    let x0 = co(a0, j), x1 = co(a0, j + 1), y0 = co(b, j), y1 = co(b, j + 1);
    let c0 = x0 * y0 + mulq(x1, y1) * g;
    let c1 = x0 * y1 + x1 * y0;
    x0 = co(a1, j); x1 = co(a1, j + 1); y0 = co(b1, j); y1 = co(b1, j + 1);
    c0 += x0 * y0 + mulq(x1, y1) * g;
    c1 += x0 * y1 + x1 * y0;
    x0 = co(a2, j); x1 = co(a2, j + 1); y0 = co(b2, j); y1 = co(b2, j + 1);
    c0 += x0 * y0 + mulq(x1, y1) * g;
    c1 += x0 * y1 + x1 * y0;
    set(h, j, redq(c0));
    set(h, j + 1, redq(c1));
  }
}

/** r = a + b. */
export function polyAdd(r: usize, a: usize, b: usize): void {
  for (let j: usize = 0; j < N; j++) set(r, j, csubq(co(a, j) + co(b, j)));
}

/** r = a - b. */
export function polySub(r: usize, a: usize, b: usize): void {
  for (let j: usize = 0; j < N; j++) set(r, j, csubq(co(a, j) + Q - co(b, j)));
}

/**
 * Algorithm 7: SampleNTT(seed ‖ x ‖ y) with seed the 32 bytes at `rho`,
 * using the sponge `ctx` and 168 bytes of scratch at `buf`. The bytes come
 * from the public ρ, so rejection branches on them.
 */
export function sampleNtt(f: usize, ctx: usize, buf: usize, rho: usize, x: u8, y: u8): void {
  keccakInit(ctx);
  keccakAbsorb(ctx, RATE_SHAKE128, rho, 32);
  store<u8>(buf, x);
  store<u8>(buf + 1, y);
  keccakAbsorb(ctx, RATE_SHAKE128, buf, 2);
  keccakFinish(ctx, RATE_SHAKE128, DS_SHAKE);
  let j: usize = 0;
  while (j < N) {
    keccakSqueezeBlocks(ctx, RATE_SHAKE128, buf, 1);
    for (let i: usize = 0; i < RATE_SHAKE128 && j < N; i += 3) {
      const b0 = <u32>load<u8>(buf + i), b1 = <u32>load<u8>(buf + i + 1), b2 = <u32>load<u8>(buf + i + 2);
      const d1 = b0 | ((b1 & 15) << 8);
      const d2 = (b1 >> 4) | (b2 << 4);
      if (d1 < Q) set(f, j++, d1);
      if (d2 < Q && j < N) set(f, j++, d2);
    }
  }
}

/**
 * Algorithm 8 with η = 2 over PRF_2(s, b) = SHAKE256(s ‖ b, 128) (§4.1):
 * f = CBD_2 of the 128 bytes, s the 32 bytes at `seed`. `buf` (128 bytes)
 * and `ctx` hold secrets afterwards; the caller wipes them.
 */
export function sampleCbd2(f: usize, ctx: usize, buf: usize, seed: usize, b: u8): void {
  keccakInit(ctx);
  keccakAbsorb(ctx, RATE_SHAKE256, seed, 32);
  store<u8>(buf, b);
  keccakAbsorb(ctx, RATE_SHAKE256, buf, 1);
  keccakFinish(ctx, RATE_SHAKE256, DS_SHAKE);
  keccakSqueeze(ctx, RATE_SHAKE256, buf, 128);
  for (let i: usize = 0; i < 32; i++) {
    // Each 4 bits hold x = β0 + β1 and y = β2 + β3 of one coefficient.
    const t = load<u32>(buf + (i << 2));
    const d = (t & 0x55555555) + ((t >> 1) & 0x55555555);
    for (let k: u32 = 0; k < 8; k++) {
      const r = ((d >> (4 * k)) & 3) - ((d >> (4 * k + 2)) & 3);
      set(f, (i << 3) + <usize>k, r + (Q & <u32>(<i32>r >> 31)));
    }
  }
}

/**
 * Compress_d(x) = round(2^d x / q) mod 2^d (§4.2.1) as
 * floor((2^(d+1) x + q) / 2q), the division done as a multiplication by
 * floor(2^32 / 6658) = 645083 and one masked correction.
 */
// @ts-ignore: decorator
@inline
function compress(x: u32, d: u32): u32 {
  const n = (x << (d + 1)) + Q;
  let t = <u32>((<u64>n * 645083) >> 32);
  const r = n - t * 6658;
  t += (6657 - r) >> 31;
  return t & ((<u32>1 << d) - 1);
}

/** Decompress_d(y) = round(q y / 2^d) (§4.2.1). */
// @ts-ignore: decorator
@inline
function decompress(y: u32, d: u32): u32 {
  return (y * Q + (<u32>1 << (d - 1))) >> d;
}

/** ByteEncode_12 (Algorithm 5): 384 bytes at `out`. */
export function encode12(out: usize, f: usize): void {
  for (let i: usize = 0; i < 128; i++) {
    const a = co(f, 2 * i), b = co(f, 2 * i + 1);
    store<u8>(out + 3 * i, <u8>a);
    store<u8>(out + 3 * i + 1, <u8>((a >> 8) | (b << 4)));
    store<u8>(out + 3 * i + 2, <u8>(b >> 4));
  }
}

/**
 * ByteDecode_12 (Algorithm 6) of 384 bytes at `p`, each coefficient reduced
 * mod q. Returns 1 when some 12-bit value was >= q (the modulus check of
 * §7.2 fails), else 0, without branching on the values.
 */
export function decode12(f: usize, p: usize): u32 {
  let over: u32 = 0;
  for (let i: usize = 0; i < 128; i++) {
    const b0 = <u32>load<u8>(p + 3 * i), b1 = <u32>load<u8>(p + 3 * i + 1), b2 = <u32>load<u8>(p + 3 * i + 2);
    const a = b0 | ((b1 & 15) << 8);
    const b = (b1 >> 4) | (b2 << 4);
    over |= (Q - 1 - a) | (Q - 1 - b);
    set(f, 2 * i, csubq(a));
    set(f, 2 * i + 1, csubq(b));
  }
  return over >> 31;
}

/** ByteEncode_10(Compress_10(f)): 320 bytes at `out`. */
export function compressEncode10(out: usize, f: usize): void {
  for (let i: usize = 0; i < 64; i++) {
    const j = i << 2;
    const v = <u64>compress(co(f, j), 10) | (<u64>compress(co(f, j + 1), 10) << 10) |
      (<u64>compress(co(f, j + 2), 10) << 20) | (<u64>compress(co(f, j + 3), 10) << 30);
    store<u32>(out + 5 * i, <u32>v);
    store<u8>(out + 5 * i + 4, <u8>(v >> 32));
  }
}

/** Decompress_10(ByteDecode_10) of 320 bytes at `p`. */
export function decodeDecompress10(f: usize, p: usize): void {
  for (let i: usize = 0; i < 64; i++) {
    const v = <u64>load<u32>(p + 5 * i) | (<u64>load<u8>(p + 5 * i + 4) << 32);
    const j = i << 2;
    set(f, j, decompress(<u32>v & 1023, 10));
    set(f, j + 1, decompress(<u32>(v >> 10) & 1023, 10));
    set(f, j + 2, decompress(<u32>(v >> 20) & 1023, 10));
    set(f, j + 3, decompress(<u32>(v >> 30) & 1023, 10));
  }
}

/** ByteEncode_4(Compress_4(f)): 128 bytes at `out`. */
export function compressEncode4(out: usize, f: usize): void {
  for (let i: usize = 0; i < 128; i++) {
    store<u8>(out + i, <u8>(compress(co(f, 2 * i), 4) | (compress(co(f, 2 * i + 1), 4) << 4)));
  }
}

/** Decompress_4(ByteDecode_4) of 128 bytes at `p`. */
export function decodeDecompress4(f: usize, p: usize): void {
  for (let i: usize = 0; i < 128; i++) {
    const b = <u32>load<u8>(p + i);
    set(f, 2 * i, decompress(b & 15, 4));
    set(f, 2 * i + 1, decompress(b >> 4, 4));
  }
}

/** ByteEncode_1(Compress_1(f)): the 32-byte message at `out` (K-PKE.Decrypt step 7). */
export function compressEncode1(out: usize, f: usize): void {
  for (let i: usize = 0; i < 32; i++) {
    let byte: u32 = 0;
    for (let k: usize = 0; k < 8; k++) byte |= compress(co(f, 8 * i + k), 1) << <u32>k;
    store<u8>(out + i, <u8>byte);
  }
}

/** Decompress_1(ByteDecode_1) of the 32-byte message at `p`: bit b becomes b ⌈q/2⌋ = 1665 b, by mask. */
export function decodeDecompress1(f: usize, p: usize): void {
  for (let i: usize = 0; i < 32; i++) {
    const byte = <u32>load<u8>(p + i);
    for (let k: usize = 0; k < 8; k++) set(f, 8 * i + k, (0 - ((byte >> <u32>k) & 1)) & 1665);
  }
}
