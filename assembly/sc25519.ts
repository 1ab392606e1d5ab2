// Arithmetic modulo L = 2^252 + 27742317777372353535851937790883648493, the
// order of the edwards25519 base point (RFC 8032 §5.1), for Ed25519: reducing
// the 64-byte SHA-512 outputs, S = (r + k·s) mod L, and the S < L check.
//
// Numbers are i64 limbs of 21 bits in a scratch array. Reduction folds
// 2^252 = -c (mod L), with c = L - 2^252 < 2^125, from the top limb down.
// Loops run over public limb indices only, and carries are arithmetic
// shifts, so nothing branches on or indexes by the (secret) values.

const C0: i64 = 1430509;
const C1: i64 = 1626855;
const C2: i64 = 1442968;
const C3: i64 = 997804;
const C4: i64 = 1960495;
const C5: i64 = 683900; // c = sum C_j·2^(21j)

const MASK21: i64 = 0x1fffff;

/** 25 limbs of a product or a 64-byte input, plus room for the top carry. */
const S: usize = memory.data(26 * 8, 16);
const A: usize = memory.data(13 * 8, 16);
const B: usize = memory.data(13 * 8, 16);
/** Zero-padded copy of an input, so limb loads never read past it. */
const PAD: usize = memory.data(72, 16);

// @ts-ignore: decorator
@inline function get(p: usize, i: i32): i64 {
  return load<i64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function set(p: usize, i: i32, v: i64): void {
  store<i64>(p + (<usize>i << 3), v);
}

/** Splits `len` little-endian bytes at `src` into `n` limbs of 21 bits at `dst`. */
function toLimbs(dst: usize, src: usize, len: usize, n: i32): void {
  memory.fill(PAD, 0, 72);
  memory.copy(PAD, src, len);
  for (let k = 0; k < n; k++) {
    const bit = <usize>(21 * k);
    set(dst, k, <i64>((load<u64>(PAD + (bit >> 3)) >> (bit & 7)) & <u64>MASK21));
  }
  memory.fill(PAD, 0, 72);
}

/** Floor carries from limb `from` up to limb `to` (exclusive): limbs below `to` end in [0, 2^21). */
function carry(from: i32, to: i32): void {
  for (let k = from; k < to; k++) {
    const x = get(S, k);
    const c = x >> 21;
    set(S, k + 1, get(S, k + 1) + c);
    set(S, k, x - (c << 21));
  }
}

/** S[at..at+6) -= x·c: folds x·2^(21·(at+12)) = x·2^(21·at)·2^252 = -x·c·2^(21·at). */
function fold(at: i32, x: i64): void {
  set(S, at, get(S, at) - x * C0);
  set(S, at + 1, get(S, at + 1) - x * C1);
  set(S, at + 2, get(S, at + 2) - x * C2);
  set(S, at + 3, get(S, at + 3) - x * C3);
  set(S, at + 4, get(S, at + 4) - x * C4);
  set(S, at + 5, get(S, at + 5) - x * C5);
}

/**
 * Reduces the n limbs in S (n <= 25, any magnitudes below 2^62) mod L and
 * writes the canonical 32 bytes to `out`.
 */
function reduce(out: usize, n: i32): void {
  // Bring every limb below 2^21 so a fold's products stay below 2^50.
  carry(0, n - 1);
  // Fold limbs n-1 .. 12 into limbs 0..11. After each fold, carry the
  // touched range so the next limb to fold (i-1) stays small.
  for (let i = n - 1; i >= 12; i--) {
    const x = get(S, i);
    set(S, i, 0);
    fold(i - 12, x);
    carry(i - 12, i - 1);
  }
  // Now v = S[0..11] with limbs 0..10 in [0, 2^21). Two more folds of the
  // bits from 252 up: afterwards v lies in (-c, L).
  for (let round = 0; round < 2; round++) {
    const x = get(S, 11);
    const hi = x >> 21;
    set(S, 11, x - (hi << 21));
    fold(0, hi);
    carry(0, 11);
  }
  // v < 0 exactly when limb 11 is negative: add L = 2^252 + c under a mask.
  const m = get(S, 11) >> 63;
  set(S, 0, get(S, 0) + (C0 & m));
  set(S, 1, get(S, 1) + (C1 & m));
  set(S, 2, get(S, 2) + (C2 & m));
  set(S, 3, get(S, 3) + (C3 & m));
  set(S, 4, get(S, 4) + (C4 & m));
  set(S, 5, get(S, 5) + (C5 & m));
  set(S, 11, get(S, 11) + ((<i64>1 << 21) & m));
  carry(0, 11);
  // Pack limbs 0..11 (0 <= v < L < 2^253) into 32 bytes.
  let acc: u64 = 0;
  let bits: u32 = 0;
  let o: usize = 0;
  for (let k = 0; k < 12; k++) {
    acc |= <u64>get(S, k) << bits;
    bits += 21;
    while (bits >= 8) {
      store<u8>(out + o, <u8>acc);
      o++;
      acc >>= 8;
      bits -= 8;
    }
  }
  store<u8>(out + 31, <u8>acc);
  memory.fill(S, 0, 26 * 8);
}

/** out = in mod L for a 64-byte little-endian `in` (RFC 8032 §5.1.6 steps 2 and 4). */
export function scReduce64(out: usize, inp: usize): void {
  toLimbs(S, inp, 64, 25);
  set(S, 25, 0);
  reduce(out, 25);
}

/** out = (a·b + c) mod L for 32-byte little-endian a, b, c (RFC 8032 §5.1.6 step 5). */
export function scMulAdd(out: usize, a: usize, b: usize, c: usize): void {
  toLimbs(A, a, 32, 13);
  toLimbs(B, b, 32, 13);
  toLimbs(S, c, 32, 13);
  for (let k = 13; k < 26; k++) set(S, k, 0);
  // Product limbs: at most 13 terms below 2^42 each, so below 2^46.
  for (let i = 0; i < 13; i++) {
    const ai = get(A, i);
    for (let j = 0; j < 13; j++) set(S, i + j, get(S, i + j) + ai * get(B, j));
  }
  memory.fill(A, 0, 13 * 8);
  memory.fill(B, 0, 13 * 8);
  reduce(out, 25);
}

/**
 * 1 when the 32-byte little-endian s is below L (RFC 8032 §5.1.7 step 1), else
 * 0. Runs on public signature bytes, so it may return early.
 */
export function scIsCanonical(s: usize): u32 {
  // L as four little-endian u64 words, compared from the top.
  const l3: u64 = 0x1000000000000000, l2: u64 = 0;
  const l1: u64 = 0x14def9dea2f79cd6, l0: u64 = 0x5812631a5cf5d3ed;
  const s3 = load<u64>(s, 24), s2 = load<u64>(s, 16), s1 = load<u64>(s, 8), s0 = load<u64>(s, 0);
  if (s3 != l3) return s3 < l3 ? 1 : 0;
  if (s2 != l2) return s2 < l2 ? 1 : 0;
  if (s1 != l1) return s1 < l1 ? 1 : 0;
  return s0 < l0 ? 1 : 0;
}
