// Keccak-f[1600] and the sponge functions of FIPS 202: SHA3-256, SHA3-512,
// SHAKE128 and SHAKE256 (§6.1, §6.2), which ML-KEM uses as H, G, XOF, PRF
// and J (FIPS 203 §4.1).
//
// The state is 25 little-endian u64 lanes, lane (x, y) at byte 8 (x + 5 y)
// (FIPS 202 §3.1.2 with the byte order of its Appendix B.1). The permutation
// runs over 25 locals with the five steps (§3.2) unrolled per round; only the
// round constant is read from memory, by the public round index.
//
// Constant time: the permutation is straight-line code of xor, and-not and
// fixed rotations; absorbing and squeezing branch and index on lengths only.
//
// A sponge context is KECCAK_CTX bytes: the state, then the byte position in
// the current block (u32). Rates (§6.1, §6.2): SHAKE128 168, SHA3-256 and
// SHAKE256 136, SHA3-512 72 bytes.

import { IO } from './io';

export const KECCAK_CTX: usize = 208;
export const RATE_SHAKE128: usize = 168;
export const RATE_SHAKE256: usize = 136;
export const RATE_SHA3_256: usize = 136;
export const RATE_SHA3_512: usize = 72;
/** Domain separation and first padding bit (FIPS 202 §6.1, §6.2, B.2). */
export const DS_SHA3: u8 = 0x06;
export const DS_SHAKE: u8 = 0x1f;

// §3.2.5, Algorithm 6: the 24 round constants RC[ir].
const RC: usize = memory.data<u64>([
  0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000,
  0x000000000000808b, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
  0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
  0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003,
  0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
  0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]);

/** Keccak-f[1600] (FIPS 202 §3.3, 24 rounds of Keccak-p) on the state at `s`. */
export function keccakF1600(s: usize): void {
  let a0 = load<u64>(s, 0), a1 = load<u64>(s, 8), a2 = load<u64>(s, 16), a3 = load<u64>(s, 24), a4 = load<u64>(s, 32);
  let a5 = load<u64>(s, 40), a6 = load<u64>(s, 48), a7 = load<u64>(s, 56), a8 = load<u64>(s, 64), a9 = load<u64>(s, 72);
  let a10 = load<u64>(s, 80), a11 = load<u64>(s, 88), a12 = load<u64>(s, 96), a13 = load<u64>(s, 104), a14 = load<u64>(s, 112);
  let a15 = load<u64>(s, 120), a16 = load<u64>(s, 128), a17 = load<u64>(s, 136), a18 = load<u64>(s, 144), a19 = load<u64>(s, 152);
  let a20 = load<u64>(s, 160), a21 = load<u64>(s, 168), a22 = load<u64>(s, 176), a23 = load<u64>(s, 184), a24 = load<u64>(s, 192);
  for (let r: usize = 0; r < 24 * 8; r += 8) {
    // θ (§3.2.1)
    const c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
    const c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
    const c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
    const c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
    const c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
    const d0 = c4 ^ rotl<u64>(c1, 1);
    const d1 = c0 ^ rotl<u64>(c2, 1);
    const d2 = c1 ^ rotl<u64>(c3, 1);
    const d3 = c2 ^ rotl<u64>(c4, 1);
    const d4 = c3 ^ rotl<u64>(c0, 1);
    // ρ and π (§3.2.2, §3.2.3): b[y, 2x + 3y] = rot(a[x, y] ^ d[x], r[x, y])
    const b0 = a0 ^ d0;
    const b16 = rotl<u64>(a5 ^ d0, 36);
    const b7 = rotl<u64>(a10 ^ d0, 3);
    const b23 = rotl<u64>(a15 ^ d0, 41);
    const b14 = rotl<u64>(a20 ^ d0, 18);
    const b10 = rotl<u64>(a1 ^ d1, 1);
    const b1 = rotl<u64>(a6 ^ d1, 44);
    const b17 = rotl<u64>(a11 ^ d1, 10);
    const b8 = rotl<u64>(a16 ^ d1, 45);
    const b24 = rotl<u64>(a21 ^ d1, 2);
    const b20 = rotl<u64>(a2 ^ d2, 62);
    const b11 = rotl<u64>(a7 ^ d2, 6);
    const b2 = rotl<u64>(a12 ^ d2, 43);
    const b18 = rotl<u64>(a17 ^ d2, 15);
    const b9 = rotl<u64>(a22 ^ d2, 61);
    const b5 = rotl<u64>(a3 ^ d3, 28);
    const b21 = rotl<u64>(a8 ^ d3, 55);
    const b12 = rotl<u64>(a13 ^ d3, 25);
    const b3 = rotl<u64>(a18 ^ d3, 21);
    const b19 = rotl<u64>(a23 ^ d3, 56);
    const b15 = rotl<u64>(a4 ^ d4, 27);
    const b6 = rotl<u64>(a9 ^ d4, 20);
    const b22 = rotl<u64>(a14 ^ d4, 39);
    const b13 = rotl<u64>(a19 ^ d4, 8);
    const b4 = rotl<u64>(a24 ^ d4, 14);
    // χ (§3.2.4)
    a0 = b0 ^ (~b1 & b2);
    a1 = b1 ^ (~b2 & b3);
    a2 = b2 ^ (~b3 & b4);
    a3 = b3 ^ (~b4 & b0);
    a4 = b4 ^ (~b0 & b1);
    a5 = b5 ^ (~b6 & b7);
    a6 = b6 ^ (~b7 & b8);
    a7 = b7 ^ (~b8 & b9);
    a8 = b8 ^ (~b9 & b5);
    a9 = b9 ^ (~b5 & b6);
    a10 = b10 ^ (~b11 & b12);
    a11 = b11 ^ (~b12 & b13);
    a12 = b12 ^ (~b13 & b14);
    a13 = b13 ^ (~b14 & b10);
    a14 = b14 ^ (~b10 & b11);
    a15 = b15 ^ (~b16 & b17);
    a16 = b16 ^ (~b17 & b18);
    a17 = b17 ^ (~b18 & b19);
    a18 = b18 ^ (~b19 & b15);
    a19 = b19 ^ (~b15 & b16);
    a20 = b20 ^ (~b21 & b22);
    a21 = b21 ^ (~b22 & b23);
    a22 = b22 ^ (~b23 & b24);
    a23 = b23 ^ (~b24 & b20);
    a24 = b24 ^ (~b20 & b21);
    // ι (§3.2.5)
    a0 ^= load<u64>(RC + r);
  }
  store<u64>(s, a0, 0); store<u64>(s, a1, 8); store<u64>(s, a2, 16); store<u64>(s, a3, 24); store<u64>(s, a4, 32);
  store<u64>(s, a5, 40); store<u64>(s, a6, 48); store<u64>(s, a7, 56); store<u64>(s, a8, 64); store<u64>(s, a9, 72);
  store<u64>(s, a10, 80); store<u64>(s, a11, 88); store<u64>(s, a12, 96); store<u64>(s, a13, 104); store<u64>(s, a14, 112);
  store<u64>(s, a15, 120); store<u64>(s, a16, 128); store<u64>(s, a17, 136); store<u64>(s, a18, 144); store<u64>(s, a19, 152);
  store<u64>(s, a20, 160); store<u64>(s, a21, 168); store<u64>(s, a22, 176); store<u64>(s, a23, 184); store<u64>(s, a24, 192);
}

/** Empties the context at `ctx` (state all zero, position 0). */
export function keccakInit(ctx: usize): void {
  memory.fill(ctx, 0, KECCAK_CTX);
}

/** Absorbs `len` bytes at `p` (FIPS 202 §4, Algorithm 8 step 6), any split. */
export function keccakAbsorb(ctx: usize, rate: usize, p: usize, len: usize): void {
  let pos = <usize>load<u32>(ctx, 200);
  let i: usize = 0;
  // Whole lanes when the position and input allow it: 8x fewer loads.
  while (i < len) {
    if ((pos & 7) == 0 && len - i >= 8 && pos + 8 <= rate) {
      store<u64>(ctx + pos, load<u64>(ctx + pos) ^ load<u64>(p + i));
      pos += 8;
      i += 8;
    } else {
      store<u8>(ctx + pos, load<u8>(ctx + pos) ^ load<u8>(p + i));
      pos++;
      i++;
    }
    if (pos == rate) {
      keccakF1600(ctx);
      pos = 0;
    }
  }
  store<u32>(ctx, <u32>pos, 200);
}

/**
 * Ends absorbing: the domain bits and pad10*1 (FIPS 202 §5.1, §6, B.2) and
 * the permutation; squeezing starts at position 0.
 */
export function keccakFinish(ctx: usize, rate: usize, ds: u8): void {
  const pos = <usize>load<u32>(ctx, 200);
  store<u8>(ctx + pos, load<u8>(ctx + pos) ^ ds);
  store<u8>(ctx + rate - 1, load<u8>(ctx + rate - 1) ^ 0x80);
  keccakF1600(ctx);
  store<u32>(ctx, 0, 200);
}

/** Squeezes `len` bytes to `out` (Algorithm 8 steps 8-10), any split. */
export function keccakSqueeze(ctx: usize, rate: usize, out: usize, len: usize): void {
  let pos = <usize>load<u32>(ctx, 200);
  for (let i: usize = 0; i < len; i++) {
    if (pos == rate) {
      keccakF1600(ctx);
      pos = 0;
    }
    store<u8>(out + i, load<u8>(ctx + pos));
    pos++;
  }
  store<u32>(ctx, <u32>pos, 200);
}

/** Squeezes `blocks` whole blocks straight from the state to `out` (the position must be 0). */
export function keccakSqueezeBlocks(ctx: usize, rate: usize, out: usize, blocks: usize): void {
  for (let b: usize = 0; b < blocks; b++) {
    memory.copy(out + b * rate, ctx, rate);
    keccakF1600(ctx);
  }
}

/** One-shot SHA3-256 / SHA3-512 / SHAKE of `len` bytes at `p` into `outLen` bytes at `out`, using `ctx`. */
export function keccakOneShot(ctx: usize, rate: usize, ds: u8, p: usize, len: usize, out: usize, outLen: usize): void {
  keccakInit(ctx);
  keccakAbsorb(ctx, rate, p, len);
  keccakFinish(ctx, rate, ds);
  keccakSqueeze(ctx, rate, out, outLen);
  memory.fill(ctx, 0, KECCAK_CTX);
}

// Boundary: one sponge for JavaScript, fed from IO. `kind` 0 SHA3-256,
// 1 SHA3-512, 2 SHAKE128, 3 SHAKE256 (public).

const KS: usize = memory.data(<i32>KECCAK_CTX, 16);

function rateOf(kind: i32): usize {
  return kind == 0 ? RATE_SHA3_256 : kind == 1 ? RATE_SHA3_512 : kind == 2 ? RATE_SHAKE128 : RATE_SHAKE256;
}

export function keccakIoInit(): void {
  keccakInit(KS);
}

export function keccakIoUpdate(kind: i32, len: i32): void {
  keccakAbsorb(KS, rateOf(kind), IO, <usize>len);
}

/** Pads and squeezes `outLen` bytes (at most the IO size) to IO, then wipes the sponge. */
export function keccakIoFinal(kind: i32, outLen: i32): void {
  const rate = rateOf(kind);
  keccakFinish(KS, rate, kind < 2 ? DS_SHA3 : DS_SHAKE);
  keccakSqueeze(KS, rate, IO, <usize>outLen);
  memory.fill(KS, 0, KECCAK_CTX);
}
