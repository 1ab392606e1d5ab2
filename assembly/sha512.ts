// SHA-512 and SHA-384, FIPS 180-4 §6.4 and §6.5.
//
// State layout (SHA512_STATE bytes at `st`):
//   0..63    H0..H7, native-endian u64
//   64..191  partial block
//   192..199 total bytes absorbed (u64); inputs above 2^61 bytes are not supported
// SHA-384 is SHA-512 with another initial value, truncated to 48 bytes.
// No scratch in linear memory: the message schedule rolls through 16 locals.
//
// Schedule layouts measured (issue 18 item 6; 64 KiB inputs; callgrind with
// node --single-threaded --no-liftoff --no-wasm-tier-up, instructions per
// 64 KiB; tinybench `npm run bench -- sha2`, two runs each, against hash-wasm
// in the same run, Intel Xeon, load average 11-20; WASM core size):
//   - 80-word W array in memory, expanded before the rounds, 8-round loop
//     (the previous version): 3.73M instructions; 0.76x / 0.76x; 100,801 B.
//   - all 80 rounds unrolled, K as immediates, W in 16 locals: 3.93M (more
//     register spills), yet 1.05x / 1.05x: the memory round trip of W was
//     the cost, not the instruction count; 110,599 B.
//   - rounds 0-15 unrolled, then a loop of four 16-round passes computing
//     each schedule word inside its round: 3.43M, 1.18x / 1.18x; 104,358 B,
//     which takes the browser bundle 0.6 KiB over its 110 KiB budget.
//   - one loop of five 16-round passes, the 16 new schedule words computed
//     in a block before passes 2-5: 3.38M, but 0.91x / 0.91x; 103,036 B.
//   - this one: one loop of five passes, each schedule word computed inside
//     its round and masked to zero in the first pass (a public mask, no
//     branch): 3.59M, 1.02x / 0.99x; 103,076 B (bundle 109.6 KiB). The masked
//     first-pass schedule is the 0.2x given up against the version above.
// Constant time: no branch or memory index depends on the data.

import { wipe } from './ct';

export const SHA512_STATE: i32 = 208;
export const SHA512_BLOCK: i32 = 128;
export const SHA512_OUT: i32 = 64;
export const SHA384_OUT: i32 = 48;

// FIPS 180-4 §4.2.3: first 64 bits of the fractional parts of the cube roots
// of the first 80 primes.
const K: usize = memory.data<u64>([
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
  0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
  0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
  0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
  0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
  0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
  0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
  0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
  0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
  0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
  0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
  0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
  0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]);

// @ts-ignore: decorator
@inline function bsig0(x: u64): u64 { return rotr<u64>(x, 28) ^ rotr<u64>(x, 34) ^ rotr<u64>(x, 39); }
// @ts-ignore: decorator
@inline function bsig1(x: u64): u64 { return rotr<u64>(x, 14) ^ rotr<u64>(x, 18) ^ rotr<u64>(x, 41); }
// @ts-ignore: decorator
@inline function ssig0(x: u64): u64 { return rotr<u64>(x, 1) ^ rotr<u64>(x, 8) ^ (x >> 7); }
// @ts-ignore: decorator
@inline function ssig1(x: u64): u64 { return rotr<u64>(x, 19) ^ rotr<u64>(x, 61) ^ (x >> 6); }
// @ts-ignore: decorator
@inline function ch(x: u64, y: u64, z: u64): u64 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function maj(x: u64, y: u64, z: u64): u64 { return (x & y) | (z & (x | y)); }

function compress(st: usize, p: usize, blocks: usize): void {
  let h0 = load<u64>(st, 0), h1 = load<u64>(st, 8), h2 = load<u64>(st, 16), h3 = load<u64>(st, 24);
  let h4 = load<u64>(st, 32), h5 = load<u64>(st, 40), h6 = load<u64>(st, 48), h7 = load<u64>(st, 56);
  for (let n: usize = 0; n < blocks; n++, p += 128) {
    let w0 = bswap<u64>(load<u64>(p, 0));
    let w1 = bswap<u64>(load<u64>(p, 8));
    let w2 = bswap<u64>(load<u64>(p, 16));
    let w3 = bswap<u64>(load<u64>(p, 24));
    let w4 = bswap<u64>(load<u64>(p, 32));
    let w5 = bswap<u64>(load<u64>(p, 40));
    let w6 = bswap<u64>(load<u64>(p, 48));
    let w7 = bswap<u64>(load<u64>(p, 56));
    let w8 = bswap<u64>(load<u64>(p, 64));
    let w9 = bswap<u64>(load<u64>(p, 72));
    let w10 = bswap<u64>(load<u64>(p, 80));
    let w11 = bswap<u64>(load<u64>(p, 88));
    let w12 = bswap<u64>(load<u64>(p, 96));
    let w13 = bswap<u64>(load<u64>(p, 104));
    let w14 = bswap<u64>(load<u64>(p, 112));
    let w15 = bswap<u64>(load<u64>(p, 120));
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    let t: u64;
    // Five passes of 16 rounds; from the second on, each round first computes
    // its schedule word in place of the one 16 back (FIPS 180-4 §6.4.2 step 1).
    // `more` is 0 in the first pass and all ones after: a mask, not a branch.
    let more: u64 = 0;
    for (let k = K; k < K + 640; k += 128) {
      w0 += (ssig1(w14) + w9 + ssig0(w1)) & more;
      t = h + bsig1(e) + ch(e, f, g) + load<u64>(k, 0) + w0; d += t; h = t + bsig0(a) + maj(a, b, c);
      w1 += (ssig1(w15) + w10 + ssig0(w2)) & more;
      t = g + bsig1(d) + ch(d, e, f) + load<u64>(k, 8) + w1; c += t; g = t + bsig0(h) + maj(h, a, b);
      w2 += (ssig1(w0) + w11 + ssig0(w3)) & more;
      t = f + bsig1(c) + ch(c, d, e) + load<u64>(k, 16) + w2; b += t; f = t + bsig0(g) + maj(g, h, a);
      w3 += (ssig1(w1) + w12 + ssig0(w4)) & more;
      t = e + bsig1(b) + ch(b, c, d) + load<u64>(k, 24) + w3; a += t; e = t + bsig0(f) + maj(f, g, h);
      w4 += (ssig1(w2) + w13 + ssig0(w5)) & more;
      t = d + bsig1(a) + ch(a, b, c) + load<u64>(k, 32) + w4; h += t; d = t + bsig0(e) + maj(e, f, g);
      w5 += (ssig1(w3) + w14 + ssig0(w6)) & more;
      t = c + bsig1(h) + ch(h, a, b) + load<u64>(k, 40) + w5; g += t; c = t + bsig0(d) + maj(d, e, f);
      w6 += (ssig1(w4) + w15 + ssig0(w7)) & more;
      t = b + bsig1(g) + ch(g, h, a) + load<u64>(k, 48) + w6; f += t; b = t + bsig0(c) + maj(c, d, e);
      w7 += (ssig1(w5) + w0 + ssig0(w8)) & more;
      t = a + bsig1(f) + ch(f, g, h) + load<u64>(k, 56) + w7; e += t; a = t + bsig0(b) + maj(b, c, d);
      w8 += (ssig1(w6) + w1 + ssig0(w9)) & more;
      t = h + bsig1(e) + ch(e, f, g) + load<u64>(k, 64) + w8; d += t; h = t + bsig0(a) + maj(a, b, c);
      w9 += (ssig1(w7) + w2 + ssig0(w10)) & more;
      t = g + bsig1(d) + ch(d, e, f) + load<u64>(k, 72) + w9; c += t; g = t + bsig0(h) + maj(h, a, b);
      w10 += (ssig1(w8) + w3 + ssig0(w11)) & more;
      t = f + bsig1(c) + ch(c, d, e) + load<u64>(k, 80) + w10; b += t; f = t + bsig0(g) + maj(g, h, a);
      w11 += (ssig1(w9) + w4 + ssig0(w12)) & more;
      t = e + bsig1(b) + ch(b, c, d) + load<u64>(k, 88) + w11; a += t; e = t + bsig0(f) + maj(f, g, h);
      w12 += (ssig1(w10) + w5 + ssig0(w13)) & more;
      t = d + bsig1(a) + ch(a, b, c) + load<u64>(k, 96) + w12; h += t; d = t + bsig0(e) + maj(e, f, g);
      w13 += (ssig1(w11) + w6 + ssig0(w14)) & more;
      t = c + bsig1(h) + ch(h, a, b) + load<u64>(k, 104) + w13; g += t; c = t + bsig0(d) + maj(d, e, f);
      w14 += (ssig1(w12) + w7 + ssig0(w15)) & more;
      t = b + bsig1(g) + ch(g, h, a) + load<u64>(k, 112) + w14; f += t; b = t + bsig0(c) + maj(c, d, e);
      w15 += (ssig1(w13) + w8 + ssig0(w0)) & more;
      t = a + bsig1(f) + ch(f, g, h) + load<u64>(k, 120) + w15; e += t; a = t + bsig0(b) + maj(b, c, d);
      more = <u64>-1;
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u64>(st, h0, 0); store<u64>(st, h1, 8); store<u64>(st, h2, 16); store<u64>(st, h3, 24);
  store<u64>(st, h4, 32); store<u64>(st, h5, 40); store<u64>(st, h6, 48); store<u64>(st, h7, 56);
}

/** FIPS 180-4 §5.3.5 initial hash value. */
export function sha512Init(st: usize): void {
  store<u64>(st, 0x6a09e667f3bcc908, 0); store<u64>(st, 0xbb67ae8584caa73b, 8);
  store<u64>(st, 0x3c6ef372fe94f82b, 16); store<u64>(st, 0xa54ff53a5f1d36f1, 24);
  store<u64>(st, 0x510e527fade682d1, 32); store<u64>(st, 0x9b05688c2b3e6c1f, 40);
  store<u64>(st, 0x1f83d9abfb41bd6b, 48); store<u64>(st, 0x5be0cd19137e2179, 56);
  store<u64>(st, 0, 192);
}

/** FIPS 180-4 §5.3.4 initial hash value. */
export function sha384Init(st: usize): void {
  store<u64>(st, 0xcbbb9d5dc1059ed8, 0); store<u64>(st, 0x629a292a367cd507, 8);
  store<u64>(st, 0x9159015a3070dd17, 16); store<u64>(st, 0x152fecd8f70e5939, 24);
  store<u64>(st, 0x67332667ffc00b31, 32); store<u64>(st, 0x8eb44a8768581511, 40);
  store<u64>(st, 0xdb0c2e0d64f98fa7, 48); store<u64>(st, 0x47b5481dbefa4fa4, 56);
  store<u64>(st, 0, 192);
}

export function sha512Update(st: usize, p: usize, len: usize): void {
  const total = load<u64>(st, 192);
  store<u64>(st, total + <u64>len, 192);
  let fill = <usize>(total & 127);
  if (fill != 0) {
    const room: usize = 128 - fill;
    const take = len < room ? len : room;
    memory.copy(st + 64 + fill, p, take);
    p += take;
    len -= take;
    if (fill + take < 128) return;
    compress(st, st + 64, 1);
  }
  const blocks = len >> 7;
  if (blocks != 0) {
    compress(st, p, blocks);
    p += blocks << 7;
    len &= 127;
  }
  if (len != 0) memory.copy(st + 64, p, len);
}

/** FIPS 180-4 §5.1.2 padding; writes `outLen` (64 or 48) bytes and wipes the state. */
export function sha512Final(st: usize, out: usize, outLen: usize): void {
  const total = load<u64>(st, 192);
  let fill = <usize>(total & 127);
  const buf = st + 64;
  store<u8>(buf + fill, 0x80);
  fill++;
  if (fill > 112) {
    memory.fill(buf + fill, 0, 128 - fill);
    compress(st, buf, 1);
    fill = 0;
  }
  // The 128-bit length field: the high 64 bits hold total >> 61.
  memory.fill(buf + fill, 0, 112 - fill);
  store<u64>(buf, bswap<u64>(total >> 61), 112);
  store<u64>(buf, bswap<u64>(total << 3), 120);
  compress(st, buf, 1);
  for (let i: usize = 0; i < outLen; i += 8) {
    store<u64>(out + i, bswap<u64>(load<u64>(st + i)));
  }
  wipe(st, SHA512_STATE);
}
