// Arithmetic in GF(2^255 - 19), the field of Curve25519 and Edwards25519
// (RFC 7748 §4.1, RFC 8032 §5.1).
//
// An element is ten signed limbs of 26, 25, 26, 25, ... bits (radix 2^25.5):
// h = h0 + h1·2^26 + h2·2^51 + h3·2^77 + ... + h9·2^230, stored as ten i32 at
// a pointer (FE bytes). Products of two limbs fit in i64, so a multiplication
// is 100 i64 multiply-adds with the wrap-around 2^255 = 19 folded into the
// precomputed 19·g_j. WebAssembly has no 64×64→128 multiply, which rules out
// radix 2^51.
//
// Bounds (as in ref10): the outputs of feMul, feSq, feMul121666Add, feCarry and
// feFromBytes have |h_i| <= 2^25 (even i) and 2^24 (odd i) plus a small slack;
// feAdd/feSub do not carry, and their outputs may feed feMul/feSq directly
// (limbs below 2^27: a product term is below 2^54·38 and ten of them below 2^63).
//
// Nothing here branches or indexes memory on limb values.

export const FE: usize = 40;

// @ts-ignore: decorator
@inline function ld(p: usize, off: usize): i64 {
  return <i64>load<i32>(p + off);
}

/**
 * Carries h0..h9 (each below 2^62.7 in magnitude) into the limb bounds above and
 * stores them. Carries round to nearest (add 2^25 before the shift), so limbs
 * end up signed and centred; the two chains 0→1→2→3→4 and 4→5→...→9→0 run
 * interleaved, as ref10 does, for instruction-level parallelism.
 */
// @ts-ignore: decorator
@inline function carryStore(
  out: usize,
  h0: i64, h1: i64, h2: i64, h3: i64, h4: i64, h5: i64, h6: i64, h7: i64, h8: i64, h9: i64,
): void {
  let c: i64;
  c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + (1 << 24)) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + (1 << 24)) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + (1 << 25)) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + (1 << 25)) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + (1 << 24)) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + (1 << 24)) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + (1 << 25)) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + (1 << 24)) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(out, <i32>h0, 0); store<i32>(out, <i32>h1, 4);
  store<i32>(out, <i32>h2, 8); store<i32>(out, <i32>h3, 12);
  store<i32>(out, <i32>h4, 16); store<i32>(out, <i32>h5, 20);
  store<i32>(out, <i32>h6, 24); store<i32>(out, <i32>h7, 28);
  store<i32>(out, <i32>h8, 32); store<i32>(out, <i32>h9, 36);
}

export function feZero(h: usize): void {
  memory.fill(h, 0, FE);
}

export function feOne(h: usize): void {
  memory.fill(h, 0, FE);
  store<i32>(h, 1);
}

export function feCopy(h: usize, f: usize): void {
  memory.copy(h, f, FE);
}

/** h = f + g, without carrying. */
export function feAdd(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < FE; i += 4) store<i32>(h + i, load<i32>(f + i) + load<i32>(g + i));
}

/** h = f - g, without carrying (limbs are signed, so no bias is needed). */
export function feSub(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < FE; i += 4) store<i32>(h + i, load<i32>(f + i) - load<i32>(g + i));
}

/** h = -f, without carrying. */
export function feNeg(h: usize, f: usize): void {
  for (let i: usize = 0; i < FE; i += 4) store<i32>(h + i, -load<i32>(f + i));
}

/** Brings the limbs of f (e.g. a sum of several elements) back into bounds. */
export function feCarry(h: usize, f: usize): void {
  carryStore(h, ld(f, 0), ld(f, 4), ld(f, 8), ld(f, 12), ld(f, 16), ld(f, 20), ld(f, 24), ld(f, 28), ld(f, 32), ld(f, 36));
}

/**
 * h = f·g on limbs given as values. Schoolbook over the ten limbs; a product
 * f_i·g_j lands at limb i+j, times 2 when i and j are both odd (two
 * half-bits of the radix), and times 19 when i+j >= 10 (2^255 = 19 mod p).
 * Inlined into each entry point, so the ladder can feed sums and
 * differences straight from memory without storing them first.
 */
// @ts-ignore: decorator
@inline function mulCore(
  h: usize,
  f0: i64, f1: i64, f2: i64, f3: i64, f4: i64, f5: i64, f6: i64, f7: i64, f8: i64, f9: i64,
  g0: i64, g1: i64, g2: i64, g3: i64, g4: i64, g5: i64, g6: i64, g7: i64, g8: i64, g9: i64,
): void {
  const g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4, g5_19 = 19 * g5;
  const g6_19 = 19 * g6, g7_19 = 19 * g7, g8_19 = 19 * g8, g9_19 = 19 * g9;
  const f1_2 = 2 * f1, f3_2 = 2 * f3, f5_2 = 2 * f5, f7_2 = 2 * f7, f9_2 = 2 * f9;
  const h0 = f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
  const h1 = f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
  const h2 = f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
  const h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  const h4 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
  const h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  const h6 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
  const h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  const h8 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  const h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  carryStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}


/** h = f·g; h may alias f or g. */
export function feMul(h: usize, f: usize, g: usize): void {
  mulCore(
    h,
    ld(f, 0), ld(f, 4), ld(f, 8), ld(f, 12), ld(f, 16), ld(f, 20), ld(f, 24), ld(f, 28), ld(f, 32), ld(f, 36),
    ld(g, 0), ld(g, 4), ld(g, 8), ld(g, 12), ld(g, 16), ld(g, 20), ld(g, 24), ld(g, 28), ld(g, 32), ld(g, 36),
  );
}

// @ts-ignore: decorator
@inline function sub(a: usize, b: usize, off: usize): i64 {
  return ld(a, off) - ld(b, off);
}
// @ts-ignore: decorator
@inline function add(a: usize, b: usize, off: usize): i64 {
  return ld(a, off) + ld(b, off);
}

/** h = (a - b)·(c + d) (RFC 7748 §5 ladder: DA and CB); h may alias the inputs. */
export function feMulSubAdd(h: usize, a: usize, b: usize, c: usize, d: usize): void {
  mulCore(
    h,
    sub(a, b, 0), sub(a, b, 4), sub(a, b, 8), sub(a, b, 12), sub(a, b, 16),
    sub(a, b, 20), sub(a, b, 24), sub(a, b, 28), sub(a, b, 32), sub(a, b, 36),
    add(c, d, 0), add(c, d, 4), add(c, d, 8), add(c, d, 12), add(c, d, 16),
    add(c, d, 20), add(c, d, 24), add(c, d, 28), add(c, d, 32), add(c, d, 36),
  );
}

/** h = (a - b)·g (RFC 8032 §5.1.4 addition: A = (Y1 - X1)·(Y2 - X2)). */
export function feMulSub(h: usize, a: usize, b: usize, g: usize): void {
  mulCore(
    h,
    sub(a, b, 0), sub(a, b, 4), sub(a, b, 8), sub(a, b, 12), sub(a, b, 16),
    sub(a, b, 20), sub(a, b, 24), sub(a, b, 28), sub(a, b, 32), sub(a, b, 36),
    ld(g, 0), ld(g, 4), ld(g, 8), ld(g, 12), ld(g, 16), ld(g, 20), ld(g, 24), ld(g, 28), ld(g, 32), ld(g, 36),
  );
}

/** h = (a + b)·g (RFC 8032 §5.1.4 addition: B = (Y1 + X1)·(Y2 + X2)). */
export function feMulAdd(h: usize, a: usize, b: usize, g: usize): void {
  mulCore(
    h,
    add(a, b, 0), add(a, b, 4), add(a, b, 8), add(a, b, 12), add(a, b, 16),
    add(a, b, 20), add(a, b, 24), add(a, b, 28), add(a, b, 32), add(a, b, 36),
    ld(g, 0), ld(g, 4), ld(g, 8), ld(g, 12), ld(g, 16), ld(g, 20), ld(g, 24), ld(g, 28), ld(g, 32), ld(g, 36),
  );
}

/**
 * h = f^2, or 2·f^2 when `twice` (a compile-time constant), on limbs given
 * as values: the 45 cross products appear twice, so they are computed once
 * against 2·f_i (55 multiplications instead of 100).
 */
// @ts-ignore: decorator
@inline function sqCore(
  h: usize, twice: bool,
  f0: i64, f1: i64, f2: i64, f3: i64, f4: i64, f5: i64, f6: i64, f7: i64, f8: i64, f9: i64,
): void {
  const f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3, f4_2 = 2 * f4;
  const f5_2 = 2 * f5, f6_2 = 2 * f6, f7_2 = 2 * f7, f8_2 = 2 * f8;
  const f5_38 = 38 * f5, f6_19 = 19 * f6, f7_19 = 19 * f7, f7_38 = 38 * f7;
  const f8_19 = 19 * f8, f9_19 = 19 * f9, f9_38 = 38 * f9;
  const h0 = f0 * f0 + f1_2 * f9_38 + f2_2 * f8_19 + f3_2 * f7_38 + f4_2 * f6_19 + f5 * f5_38;
  const h1 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  const h2 = f0_2 * f2 + f1 * f1_2 + f3_2 * f9_38 + f4_2 * f8_19 + f5_2 * f7_38 + f6 * f6_19;
  const h3 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  const h4 = f0_2 * f4 + f1_2 * f3_2 + f2 * f2 + f5_2 * f9_38 + f6_2 * f8_19 + f7 * f7_38;
  const h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  const h6 = f0_2 * f6 + f1_2 * f5_2 + f2_2 * f4 + f3 * f3_2 + f7_2 * f9_38 + f8 * f8_19;
  const h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  const h8 = f0_2 * f8 + f1_2 * f7_2 + f2_2 * f6 + f3_2 * f5_2 + f4 * f4 + f9 * f9_38;
  const h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  if (twice) {
    carryStore(h, 2 * h0, 2 * h1, 2 * h2, 2 * h3, 2 * h4, 2 * h5, 2 * h6, 2 * h7, 2 * h8, 2 * h9);
  } else {
    carryStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
  }
}

/** h = f^2; h may alias f. */
export function feSq(h: usize, f: usize): void {
  sqCore(h, false, ld(f, 0), ld(f, 4), ld(f, 8), ld(f, 12), ld(f, 16), ld(f, 20), ld(f, 24), ld(f, 28), ld(f, 32), ld(f, 36));
}

/** h = (a + b)^2 (ladder: AA and x3); h may alias a or b. */
export function feSqAdd(h: usize, a: usize, b: usize): void {
  sqCore(
    h, false,
    add(a, b, 0), add(a, b, 4), add(a, b, 8), add(a, b, 12), add(a, b, 16),
    add(a, b, 20), add(a, b, 24), add(a, b, 28), add(a, b, 32), add(a, b, 36),
  );
}

/** h = (a - b)^2 (ladder: BB and (DA - CB)^2); h may alias a or b. */
export function feSqSub(h: usize, a: usize, b: usize): void {
  sqCore(
    h, false,
    sub(a, b, 0), sub(a, b, 4), sub(a, b, 8), sub(a, b, 12), sub(a, b, 16),
    sub(a, b, 20), sub(a, b, 24), sub(a, b, 28), sub(a, b, 32), sub(a, b, 36),
  );
}

/** h = f^(2^n): n repeated squarings (n is public). */
export function feSqN(h: usize, f: usize, n: i32): void {
  feSq(h, f);
  for (let i = 1; i < n; i++) feSq(h, h);
}

/**
 * h = 2·f^2 (the doubling formula of RFC 8032 §5.1.4 needs 2·Z^2). f must be
 * carried (|f_i| <= 2^25 + slack) so the doubled sums stay below 2^62.
 */
export function feSq2(h: usize, f: usize): void {
  sqCore(h, true, ld(f, 0), ld(f, 4), ld(f, 8), ld(f, 12), ld(f, 16), ld(f, 20), ld(f, 24), ld(f, 28), ld(f, 32), ld(f, 36));
}

/**
 * h = 121666·f + g: 121666 = (A + 2) / 4 for A = 486662 is the ladder's a24
 * (RFC 7748 §5), paired with BB rather than AA (AA + 121665·E = BB + 121666·E).
 */
export function feMul121666Add(h: usize, f: usize, g: usize): void {
  carryStore(
    h,
    ld(f, 0) * 121666 + ld(g, 0), ld(f, 4) * 121666 + ld(g, 4), ld(f, 8) * 121666 + ld(g, 8),
    ld(f, 12) * 121666 + ld(g, 12), ld(f, 16) * 121666 + ld(g, 16), ld(f, 20) * 121666 + ld(g, 20),
    ld(f, 24) * 121666 + ld(g, 24), ld(f, 28) * 121666 + ld(g, 28), ld(f, 32) * 121666 + ld(g, 32),
    ld(f, 36) * 121666 + ld(g, 36),
  );
}

/** Swaps f and g when b = 1, leaves them when b = 0, without branching on b. */
export function feCswap(f: usize, g: usize, b: u32): void {
  const m = <i32>(0 - b);
  for (let i: usize = 0; i < FE; i += 4) {
    const x = load<i32>(f + i), y = load<i32>(g + i);
    const t = (x ^ y) & m;
    store<i32>(f + i, x ^ t);
    store<i32>(g + i, y ^ t);
  }
}

/** f = g when b = 1, unchanged when b = 0, without branching on b. */
export function feCmov(f: usize, g: usize, b: u32): void {
  const m = <i32>(0 - b);
  for (let i: usize = 0; i < FE; i += 4) {
    const x = load<i32>(f + i);
    store<i32>(f + i, x ^ ((x ^ load<i32>(g + i)) & m));
  }
}

/**
 * Decodes 32 little-endian bytes (RFC 7748 §5 decodeUCoordinate): the top bit
 * is ignored, and values from p to 2^255 - 1 are accepted as they are (they
 * reduce mod p in the arithmetic). Each limb is one unaligned u32 load: the
 * limb's bit offset within its first byte plus its width never exceeds 32.
 */
export function feFromBytes(h: usize, s: usize): void {
  store<i32>(h, <i32>(load<u32>(s, 0) & 0x3ffffff), 0);
  store<i32>(h, <i32>((load<u32>(s, 3) >> 2) & 0x1ffffff), 4);
  store<i32>(h, <i32>((load<u32>(s, 6) >> 3) & 0x3ffffff), 8);
  store<i32>(h, <i32>((load<u32>(s, 9) >> 5) & 0x1ffffff), 12);
  store<i32>(h, <i32>((load<u32>(s, 12) >> 6) & 0x3ffffff), 16);
  store<i32>(h, <i32>(load<u32>(s, 16) & 0x1ffffff), 20);
  store<i32>(h, <i32>((load<u32>(s, 19) >> 1) & 0x3ffffff), 24);
  store<i32>(h, <i32>((load<u32>(s, 22) >> 3) & 0x1ffffff), 28);
  store<i32>(h, <i32>((load<u32>(s, 25) >> 4) & 0x3ffffff), 32);
  store<i32>(h, <i32>((load<u32>(s, 28) >> 6) & 0x1ffffff), 36);
}

/**
 * Encodes f as the canonical 32 bytes of its value in [0, p) (RFC 7748 §5
 * encodeUCoordinate). Takes limbs below 2^27 in magnitude (carried, or one
 * uncarried sum).
 */
export function feToBytes(s: usize, f: usize): void {
  // Adding 4p limb by limb (4p = (2^28 - 76) + (2^27 - 4)·2^26 + (2^28 - 4)·2^51
  // + ...) makes every limb non-negative, so one floor-carry pass leaves limbs
  // 1..9 in range and a value V in [0, 2^255 + 2^9), below 2p.
  let h0 = ld(f, 0) + 0xfffffb4, h1 = ld(f, 4) + 0x7fffffc, h2 = ld(f, 8) + 0xffffffc;
  let h3 = ld(f, 12) + 0x7fffffc, h4 = ld(f, 16) + 0xffffffc, h5 = ld(f, 20) + 0x7fffffc;
  let h6 = ld(f, 24) + 0xffffffc, h7 = ld(f, 28) + 0x7fffffc, h8 = ld(f, 32) + 0xffffffc;
  let h9 = ld(f, 36) + 0x7fffffc;
  let c: i64;
  c = h0 >> 26; h1 += c; h0 -= c << 26;
  c = h1 >> 25; h2 += c; h1 -= c << 25;
  c = h2 >> 26; h3 += c; h2 -= c << 26;
  c = h3 >> 25; h4 += c; h3 -= c << 25;
  c = h4 >> 26; h5 += c; h4 -= c << 26;
  c = h5 >> 25; h6 += c; h5 -= c << 25;
  c = h6 >> 26; h7 += c; h6 -= c << 26;
  c = h7 >> 25; h8 += c; h7 -= c << 25;
  c = h8 >> 26; h9 += c; h8 -= c << 26;
  c = h9 >> 25; h0 += 19 * c; h9 -= c << 25;
  // q = floor((V + 19) / 2^255) is 1 exactly when V >= p; each step is an
  // exact floor division, so the chain needs no assumption on h0's range.
  let q = (h0 + 19) >> 26;
  q = (h1 + q) >> 25; q = (h2 + q) >> 26; q = (h3 + q) >> 25; q = (h4 + q) >> 26;
  q = (h5 + q) >> 25; q = (h6 + q) >> 26; q = (h7 + q) >> 25; q = (h8 + q) >> 26;
  q = (h9 + q) >> 25;
  // V - q·p = V + 19q - 2^255·q: add 19q, carry, and drop bit 255.
  h0 += 19 * q;
  c = h0 >> 26; h1 += c; h0 -= c << 26;
  c = h1 >> 25; h2 += c; h1 -= c << 25;
  c = h2 >> 26; h3 += c; h2 -= c << 26;
  c = h3 >> 25; h4 += c; h3 -= c << 25;
  c = h4 >> 26; h5 += c; h4 -= c << 26;
  c = h5 >> 25; h6 += c; h5 -= c << 25;
  c = h6 >> 26; h7 += c; h6 -= c << 26;
  c = h7 >> 25; h8 += c; h7 -= c << 25;
  c = h8 >> 26; h9 += c; h8 -= c << 26;
  h9 &= 0x1ffffff;
  // Pack the limbs at bit offsets 0, 26, 51, 77, 102, 128, 153, 179, 204, 230.
  const w0 = <u64>h0 | (<u64>h1 << 26) | (<u64>h2 << 51);
  const w1 = (<u64>h2 >> 13) | (<u64>h3 << 13) | (<u64>h4 << 38);
  const w2 = <u64>h5 | (<u64>h6 << 25) | (<u64>h7 << 51);
  const w3 = (<u64>h7 >> 13) | (<u64>h8 << 12) | (<u64>h9 << 38);
  store<u64>(s, w0, 0);
  store<u64>(s, w1, 8);
  store<u64>(s, w2, 16);
  store<u64>(s, w3, 24);
}

// Scratch for the exponentiation chains; wiped after use, since the ladder
// inverts a secret-dependent Z.
const T0: usize = memory.data(4 * <i32>FE, 16);
const T1: usize = T0 + FE;
const T2: usize = T0 + 2 * FE;
const T3: usize = T0 + 3 * FE;

/**
 * Leaves z^11 in T0 and z^(2^250 - 1) in T1: the common prefix of
 * z^(p-2) and z^((p-5)/8) (the addition chain of ref10: 11 multiplications,
 * 250 + 4 squarings in total for the inverse).
 */
function powPrefix(z: usize): void {
  feSq(T0, z);             // z^2
  feSqN(T1, T0, 2);        // z^8
  feMul(T1, z, T1);        // z^9
  feMul(T0, T0, T1);       // z^11
  feSq(T2, T0);            // z^22
  feMul(T1, T1, T2);       // z^31 = z^(2^5 - 1)
  feSqN(T2, T1, 5);
  feMul(T1, T2, T1);       // z^(2^10 - 1)
  feSqN(T2, T1, 10);
  feMul(T2, T2, T1);       // z^(2^20 - 1)
  feSqN(T3, T2, 20);
  feMul(T2, T3, T2);       // z^(2^40 - 1)
  feSqN(T2, T2, 10);
  feMul(T1, T2, T1);       // z^(2^50 - 1)
  feSqN(T2, T1, 50);
  feMul(T2, T2, T1);       // z^(2^100 - 1)
  feSqN(T3, T2, 100);
  feMul(T2, T3, T2);       // z^(2^200 - 1)
  feSqN(T2, T2, 50);
  feMul(T1, T2, T1);       // z^(2^250 - 1) in T1, z^11 in T0
}

/** out = z^(p-2) = 1/z (Fermat; 0 maps to 0). */
export function feInvert(out: usize, z: usize): void {
  powPrefix(z);
  feSqN(T1, T1, 5);        // z^(2^255 - 32)
  feMul(out, T1, T0);      // z^(2^255 - 21) = z^(p - 2)
  memory.fill(T0, 0, 4 * FE);
}

/** out = z^((p-5)/8) = z^(2^252 - 3), for square roots (RFC 8032 §5.1.3). */
export function fePow22523(out: usize, z: usize): void {
  powPrefix(z);
  feSqN(T1, T1, 2);        // z^(2^252 - 4)
  feMul(out, T1, z);       // z^(2^252 - 3)
  memory.fill(T0, 0, 4 * FE);
}

const ENC: usize = memory.data(32, 16);

/** 1 when f = 0 mod p, else 0, in constant time. */
export function feIsZero(f: usize): u32 {
  feToBytes(ENC, f);
  const acc = load<u64>(ENC, 0) | load<u64>(ENC, 8) | load<u64>(ENC, 16) | load<u64>(ENC, 24);
  memory.fill(ENC, 0, 32);
  return <u32>(((acc | (0 - acc)) >> 63) ^ 1);
}

/** The low bit of the canonical encoding of f (RFC 8032 §5.1.2 "negative"). */
export function feIsNegative(f: usize): u32 {
  feToBytes(ENC, f);
  const b = <u32>load<u8>(ENC) & 1;
  memory.fill(ENC, 0, 32);
  return b;
}
