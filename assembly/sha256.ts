// SHA-256, FIPS 180-4 §6.2.
//
// State layout (SHA256_STATE bytes at `st`):
//   0..31   H0..H7, native-endian u32
//   32..95  partial block
//   96..103 total bytes absorbed (u64); the partial block holds total % 64
// The message schedule lives in a static scratch region wiped after each call.

import { wipe } from './ct';

export const SHA256_STATE: i32 = 112;
export const SHA256_BLOCK: i32 = 64;
export const SHA256_OUT: i32 = 32;

// FIPS 180-4 §4.2.2: first 32 bits of the fractional parts of the cube roots
// of the first 64 primes.
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const W: usize = memory.data(256, 16);

// @ts-ignore: decorator
@inline function bsig0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
// @ts-ignore: decorator
@inline function bsig1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
// @ts-ignore: decorator
@inline function ssig0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >> 3); }
// @ts-ignore: decorator
@inline function ssig1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >> 10); }
// Ch and Maj in the forms with one fewer operation than FIPS 180-4 §4.1.2.
// @ts-ignore: decorator
@inline function ch(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function maj(x: u32, y: u32, z: u32): u32 { return (x & y) | (z & (x | y)); }

/** Processes `blocks` 64-byte blocks at `p` into the chaining value at `st`. */
function compress(st: usize, p: usize, blocks: usize): void {
  let h0 = load<u32>(st, 0), h1 = load<u32>(st, 4), h2 = load<u32>(st, 8), h3 = load<u32>(st, 12);
  let h4 = load<u32>(st, 16), h5 = load<u32>(st, 20), h6 = load<u32>(st, 24), h7 = load<u32>(st, 28);
  for (let n: usize = 0; n < blocks; n++, p += 64) {
    for (let i: usize = 0; i < 64; i += 4) {
      store<u32>(W + i, bswap<u32>(load<u32>(p + i)));
    }
    for (let i: usize = 64; i < 256; i += 4) {
      const w = W + i;
      store<u32>(w, ssig1(load<u32>(w - 8)) + load<u32>(w - 28) + ssig0(load<u32>(w - 60)) + load<u32>(w - 64));
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    // Eight rounds per iteration with the variables renamed instead of shifted.
    for (let i: usize = 0; i < 256; i += 32) {
      const k = K + i, w = W + i;
      let t = h + bsig1(e) + ch(e, f, g) + load<u32>(k, 0) + load<u32>(w, 0); d += t; h = t + bsig0(a) + maj(a, b, c);
      t = g + bsig1(d) + ch(d, e, f) + load<u32>(k, 4) + load<u32>(w, 4); c += t; g = t + bsig0(h) + maj(h, a, b);
      t = f + bsig1(c) + ch(c, d, e) + load<u32>(k, 8) + load<u32>(w, 8); b += t; f = t + bsig0(g) + maj(g, h, a);
      t = e + bsig1(b) + ch(b, c, d) + load<u32>(k, 12) + load<u32>(w, 12); a += t; e = t + bsig0(f) + maj(f, g, h);
      t = d + bsig1(a) + ch(a, b, c) + load<u32>(k, 16) + load<u32>(w, 16); h += t; d = t + bsig0(e) + maj(e, f, g);
      t = c + bsig1(h) + ch(h, a, b) + load<u32>(k, 20) + load<u32>(w, 20); g += t; c = t + bsig0(d) + maj(d, e, f);
      t = b + bsig1(g) + ch(g, h, a) + load<u32>(k, 24) + load<u32>(w, 24); f += t; b = t + bsig0(c) + maj(c, d, e);
      t = a + bsig1(f) + ch(f, g, h) + load<u32>(k, 28) + load<u32>(w, 28); e += t; a = t + bsig0(b) + maj(b, c, d);
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(st, h0, 0); store<u32>(st, h1, 4); store<u32>(st, h2, 8); store<u32>(st, h3, 12);
  store<u32>(st, h4, 16); store<u32>(st, h5, 20); store<u32>(st, h6, 24); store<u32>(st, h7, 28);
  wipe(W, 256);
}

/** FIPS 180-4 §5.3.3 initial hash value. */
export function sha256Init(st: usize): void {
  store<u32>(st, 0x6a09e667, 0); store<u32>(st, 0xbb67ae85, 4);
  store<u32>(st, 0x3c6ef372, 8); store<u32>(st, 0xa54ff53a, 12);
  store<u32>(st, 0x510e527f, 16); store<u32>(st, 0x9b05688c, 20);
  store<u32>(st, 0x1f83d9ab, 24); store<u32>(st, 0x5be0cd19, 28);
  store<u64>(st, 0, 96);
}

export function sha256Update(st: usize, p: usize, len: usize): void {
  const total = load<u64>(st, 96);
  store<u64>(st, total + <u64>len, 96);
  let fill = <usize>(total & 63);
  if (fill != 0) {
    const room: usize = 64 - fill;
    const take = len < room ? len : room;
    memory.copy(st + 32 + fill, p, take);
    p += take;
    len -= take;
    if (fill + take < 64) return;
    compress(st, st + 32, 1);
  }
  const blocks = len >> 6;
  if (blocks != 0) {
    compress(st, p, blocks);
    p += blocks << 6;
    len &= 63;
  }
  if (len != 0) memory.copy(st + 32, p, len);
}

/** FIPS 180-4 §5.1.1 padding; writes 32 bytes at `out` and wipes the state. */
export function sha256Final(st: usize, out: usize): void {
  const total = load<u64>(st, 96);
  let fill = <usize>(total & 63);
  const buf = st + 32;
  store<u8>(buf + fill, 0x80);
  fill++;
  if (fill > 56) {
    memory.fill(buf + fill, 0, 64 - fill);
    compress(st, buf, 1);
    fill = 0;
  }
  memory.fill(buf + fill, 0, 56 - fill);
  store<u64>(buf, bswap<u64>(total << 3), 56);
  compress(st, buf, 1);
  for (let i: usize = 0; i < 32; i += 4) {
    store<u32>(out + i, bswap<u32>(load<u32>(st + i)));
  }
  wipe(st, SHA256_STATE);
}
