// ChaCha20, RFC 8439 §2.3-§2.4.
//
// State layout (CHACHA20_STATE bytes at `st`), RFC 8439 §2.3:
//   words 0..3   the constants "expand 32-byte k"
//   words 4..11  the key, little-endian words
//   word  12     the block counter
//   words 13..15 the nonce, little-endian words
// chacha20Xor advances word 12 by the number of blocks it used, so
// consecutive calls continue the key stream when every call but the last
// covers a multiple of 64 bytes.
//
// Four blocks at a time with v128: lane j of vector i holds word i of block
// counter+j, so a quarter-round on four vectors is four blocks' quarter-rounds
// at once. Fewer than four blocks left go through the scalar block function.
//
// Measured on Node 20 (x64, 16 KiB): 1.1 GB/s. Two blocks with one v128 per
// row (lanes rotated between column and diagonal rounds, no transpose)
// measured 0.66 GB/s. Byte shuffles or shift pairs for the 16- and 8-bit
// rotations, quarter-round order and unrolling the rounds all measured the
// same: V8 spills part of the sixteen state vectors whichever way.

import { wipe } from './ct';

export const CHACHA20_STATE: i32 = 64;
export const CHACHA20_BLOCK: i32 = 64;

/** One key-stream block for the scalar path; wiped before chacha20Xor returns. */
const KS: usize = memory.data(64, 16);

/** RFC 8439 §2.3: the state words for `key` (32 bytes), `nonce` (12 bytes) and `counter`. */
export function chacha20Setup(st: usize, key: usize, nonce: usize, counter: u32): void {
  store<u32>(st, 0x61707865, 0);
  store<u32>(st, 0x3320646e, 4);
  store<u32>(st, 0x79622d32, 8);
  store<u32>(st, 0x6b206574, 12);
  memory.copy(st + 16, key, 32);
  store<u32>(st, counter, 48);
  memory.copy(st + 52, nonce, 12);
}

/** RFC 8439 §2.3.1: the block for the state at `st` with counter `ctr`, to `out` (64 bytes). */
export function chacha20Block(st: usize, ctr: u32, out: usize): void {
  let x0 = load<u32>(st, 0), x1 = load<u32>(st, 4), x2 = load<u32>(st, 8), x3 = load<u32>(st, 12);
  let x4 = load<u32>(st, 16), x5 = load<u32>(st, 20), x6 = load<u32>(st, 24), x7 = load<u32>(st, 28);
  let x8 = load<u32>(st, 32), x9 = load<u32>(st, 36), x10 = load<u32>(st, 40), x11 = load<u32>(st, 44);
  let x12 = ctr, x13 = load<u32>(st, 52), x14 = load<u32>(st, 56), x15 = load<u32>(st, 60);
  for (let i = 0; i < 10; i++) {
    // RFC 8439 §2.1 quarter-rounds, §2.3 column round ...
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 16); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 12);
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 8); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 7);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 16); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 12);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 8); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 7);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 16); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 12);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 8); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 7);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 16); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 12);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 8); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 7);
    // ... then diagonal round.
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 16); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 12);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 8); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 7);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 16); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 12);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 8); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 7);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 16); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 12);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 8); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 7);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 16); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 12);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 8); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 7);
  }
  store<u32>(out, x0 + load<u32>(st, 0), 0);
  store<u32>(out, x1 + load<u32>(st, 4), 4);
  store<u32>(out, x2 + load<u32>(st, 8), 8);
  store<u32>(out, x3 + load<u32>(st, 12), 12);
  store<u32>(out, x4 + load<u32>(st, 16), 16);
  store<u32>(out, x5 + load<u32>(st, 20), 20);
  store<u32>(out, x6 + load<u32>(st, 24), 24);
  store<u32>(out, x7 + load<u32>(st, 28), 28);
  store<u32>(out, x8 + load<u32>(st, 32), 32);
  store<u32>(out, x9 + load<u32>(st, 36), 36);
  store<u32>(out, x10 + load<u32>(st, 40), 40);
  store<u32>(out, x11 + load<u32>(st, 44), 44);
  store<u32>(out, x12 + ctr, 48);
  store<u32>(out, x13 + load<u32>(st, 52), 52);
  store<u32>(out, x14 + load<u32>(st, 56), 56);
  store<u32>(out, x15 + load<u32>(st, 60), 60);
}

// Rotations of every 32-bit lane. By 16 and 8 they move whole bytes, so one
// byte shuffle (pshufb on x64) does them; by 12 and 7 take shifts and an or.
// @ts-ignore: decorator
@inline function rotl16(x: v128): v128 {
  return i8x16.shuffle(x, x, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
}
// @ts-ignore: decorator
@inline function rotl8(x: v128): v128 {
  return i8x16.shuffle(x, x, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
}
// @ts-ignore: decorator
@inline function rotl12(x: v128): v128 {
  return v128.or(i32x4.shl(x, 12), i32x4.shr_u(x, 20));
}
// @ts-ignore: decorator
@inline function rotl7(x: v128): v128 {
  return v128.or(i32x4.shl(x, 7), i32x4.shr_u(x, 25));
}

/**
 * XORs four words (one per block) into the four blocks at `src`, to `dst`:
 * transposes a, b, c, d (lane j = word k..k+3 of block j) into rows, so block
 * j's bytes 4k..4k+15 are one v128.
 */
// @ts-ignore: decorator
@inline function xorRows(a: v128, b: v128, c: v128, d: v128, src: usize, dst: usize, k: usize): void {
  const ab0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const ab1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
  const cd0 = i32x4.shuffle(c, d, 0, 4, 1, 5);
  const cd1 = i32x4.shuffle(c, d, 2, 6, 3, 7);
  const s = src + k, o = dst + k;
  v128.store(o, v128.xor(v128.load(s, 0), i64x2.shuffle(ab0, cd0, 0, 2)), 0);
  v128.store(o, v128.xor(v128.load(s, 64), i64x2.shuffle(ab0, cd0, 1, 3)), 64);
  v128.store(o, v128.xor(v128.load(s, 128), i64x2.shuffle(ab1, cd1, 0, 2)), 128);
  v128.store(o, v128.xor(v128.load(s, 192), i64x2.shuffle(ab1, cd1, 1, 3)), 192);
}

/** XORs `groups` × 256 bytes of key stream, counters ctr, ctr+1, ..., into src to dst. */
function xor4(st: usize, ctr: u32, src: usize, dst: usize, groups: usize): void {
  const lanes = i32x4(0, 1, 2, 3);
  for (let g: usize = 0; g < groups; g++, ctr += 4, src += 256, dst += 256) {
    let v0 = v128.load32_splat(st, 0), v1 = v128.load32_splat(st, 4);
    let v2 = v128.load32_splat(st, 8), v3 = v128.load32_splat(st, 12);
    let v4 = v128.load32_splat(st, 16), v5 = v128.load32_splat(st, 20);
    let v6 = v128.load32_splat(st, 24), v7 = v128.load32_splat(st, 28);
    let v8 = v128.load32_splat(st, 32), v9 = v128.load32_splat(st, 36);
    let v10 = v128.load32_splat(st, 40), v11 = v128.load32_splat(st, 44);
    const c12 = i32x4.add(i32x4.splat(ctr), lanes);
    let v12 = c12, v13 = v128.load32_splat(st, 52);
    let v14 = v128.load32_splat(st, 56), v15 = v128.load32_splat(st, 60);
    for (let i = 0; i < 10; i++) {
      // RFC 8439 §2.3 column round, each step on the four columns.
      v0 = i32x4.add(v0, v4); v1 = i32x4.add(v1, v5); v2 = i32x4.add(v2, v6); v3 = i32x4.add(v3, v7);
      v12 = rotl16(v128.xor(v12, v0)); v13 = rotl16(v128.xor(v13, v1));
      v14 = rotl16(v128.xor(v14, v2)); v15 = rotl16(v128.xor(v15, v3));
      v8 = i32x4.add(v8, v12); v9 = i32x4.add(v9, v13); v10 = i32x4.add(v10, v14); v11 = i32x4.add(v11, v15);
      v4 = rotl12(v128.xor(v4, v8)); v5 = rotl12(v128.xor(v5, v9));
      v6 = rotl12(v128.xor(v6, v10)); v7 = rotl12(v128.xor(v7, v11));
      v0 = i32x4.add(v0, v4); v1 = i32x4.add(v1, v5); v2 = i32x4.add(v2, v6); v3 = i32x4.add(v3, v7);
      v12 = rotl8(v128.xor(v12, v0)); v13 = rotl8(v128.xor(v13, v1));
      v14 = rotl8(v128.xor(v14, v2)); v15 = rotl8(v128.xor(v15, v3));
      v8 = i32x4.add(v8, v12); v9 = i32x4.add(v9, v13); v10 = i32x4.add(v10, v14); v11 = i32x4.add(v11, v15);
      v4 = rotl7(v128.xor(v4, v8)); v5 = rotl7(v128.xor(v5, v9));
      v6 = rotl7(v128.xor(v6, v10)); v7 = rotl7(v128.xor(v7, v11));
      // Diagonal round.
      v0 = i32x4.add(v0, v5); v1 = i32x4.add(v1, v6); v2 = i32x4.add(v2, v7); v3 = i32x4.add(v3, v4);
      v15 = rotl16(v128.xor(v15, v0)); v12 = rotl16(v128.xor(v12, v1));
      v13 = rotl16(v128.xor(v13, v2)); v14 = rotl16(v128.xor(v14, v3));
      v10 = i32x4.add(v10, v15); v11 = i32x4.add(v11, v12); v8 = i32x4.add(v8, v13); v9 = i32x4.add(v9, v14);
      v5 = rotl12(v128.xor(v5, v10)); v6 = rotl12(v128.xor(v6, v11));
      v7 = rotl12(v128.xor(v7, v8)); v4 = rotl12(v128.xor(v4, v9));
      v0 = i32x4.add(v0, v5); v1 = i32x4.add(v1, v6); v2 = i32x4.add(v2, v7); v3 = i32x4.add(v3, v4);
      v15 = rotl8(v128.xor(v15, v0)); v12 = rotl8(v128.xor(v12, v1));
      v13 = rotl8(v128.xor(v13, v2)); v14 = rotl8(v128.xor(v14, v3));
      v10 = i32x4.add(v10, v15); v11 = i32x4.add(v11, v12); v8 = i32x4.add(v8, v13); v9 = i32x4.add(v9, v14);
      v5 = rotl7(v128.xor(v5, v10)); v6 = rotl7(v128.xor(v6, v11));
      v7 = rotl7(v128.xor(v7, v8)); v4 = rotl7(v128.xor(v4, v9));
    }
    // RFC 8439 §2.3: add the input state, then §2.4 XOR into the message.
    v0 = i32x4.add(v0, v128.load32_splat(st, 0)); v1 = i32x4.add(v1, v128.load32_splat(st, 4));
    v2 = i32x4.add(v2, v128.load32_splat(st, 8)); v3 = i32x4.add(v3, v128.load32_splat(st, 12));
    xorRows(v0, v1, v2, v3, src, dst, 0);
    v4 = i32x4.add(v4, v128.load32_splat(st, 16)); v5 = i32x4.add(v5, v128.load32_splat(st, 20));
    v6 = i32x4.add(v6, v128.load32_splat(st, 24)); v7 = i32x4.add(v7, v128.load32_splat(st, 28));
    xorRows(v4, v5, v6, v7, src, dst, 16);
    v8 = i32x4.add(v8, v128.load32_splat(st, 32)); v9 = i32x4.add(v9, v128.load32_splat(st, 36));
    v10 = i32x4.add(v10, v128.load32_splat(st, 40)); v11 = i32x4.add(v11, v128.load32_splat(st, 44));
    xorRows(v8, v9, v10, v11, src, dst, 32);
    v12 = i32x4.add(v12, c12); v13 = i32x4.add(v13, v128.load32_splat(st, 52));
    v14 = i32x4.add(v14, v128.load32_splat(st, 56)); v15 = i32x4.add(v15, v128.load32_splat(st, 60));
    xorRows(v12, v13, v14, v15, src, dst, 48);
  }
}

/**
 * RFC 8439 §2.4: XORs `len` bytes of key stream into `src`, to `dst` (may be
 * the same address), starting at the state's counter, and advances the
 * counter by the blocks used. The 32-bit counter wraps; callers bound `len`.
 */
export function chacha20Xor(st: usize, src: usize, dst: usize, len: usize): void {
  let ctr = load<u32>(st, 48);
  const groups = len >> 8;
  if (groups != 0) {
    xor4(st, ctr, src, dst, groups);
    ctr += <u32>(groups << 2);
    const done = groups << 8;
    src += done;
    dst += done;
    len -= done;
  }
  while (len != 0) {
    chacha20Block(st, ctr, KS);
    ctr++;
    if (len >= 64) {
      for (let i: usize = 0; i < 64; i += 8) store<u64>(dst + i, load<u64>(src + i) ^ load<u64>(KS + i));
      src += 64;
      dst += 64;
      len -= 64;
    } else {
      for (let i: usize = 0; i < len; i++) store<u8>(dst + i, load<u8>(src + i) ^ load<u8>(KS + i));
      len = 0;
    }
  }
  store<u32>(st, ctr, 48);
  wipe(KS, 64);
}

// Boundary: raw ChaCha20 (RFC 8439 §2.4) for tests and protocols that use the
// cipher alone. Key IO[0..32), nonce IO[32..44), data IO[64..64+len) XORed in
// place; the key, nonce and state are wiped.
import { IO } from './io';

const BS: usize = memory.data(CHACHA20_STATE, 16);

export function chacha20Io(counter: u32, len: i32): void {
  chacha20Setup(BS, IO, IO + 32, counter);
  wipe(IO, 64);
  chacha20Xor(BS, IO + 64, IO + 64, <usize>len);
  wipe(BS, CHACHA20_STATE);
}
