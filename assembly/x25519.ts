// X25519, RFC 7748 §5: the Montgomery ladder on Curve25519.
//
// Every step does the same field operations whatever the scalar bit; the
// bit only drives constant-time conditional swaps (masks, no branches, no
// secret-dependent addresses). The scalar is read bit by bit at positions
// given by the public loop counter.
//
// Measured alternatives (Node 20.20, x64 AMD EPYC, 2 shared cores; one
// shared secret, best of 15 runs of 300, A/B builds run alternately):
//   This ladder (ref10-style radix 2^25.5, A, B, C, D formed inside the
//   products): 74.6-76.5 µs; storing A, B, C, D first: 76.9-77.5 µs.
//   libsodium-wrappers crypto_scalarmult: 77-88 µs in the same sessions.
//   19·g_j as shifts and adds instead of i64.mul: 79-89 µs (slower).
//   Two products per i64x2.extmul_low_i32x4_s, the whole ladder in pair
//   layout ((DA, CB), (AA, BB), (x3, (DA-CB)^2), (x3·1, x1·t), (AA·BB, E·F)):
//   74-81 µs against 75-78 µs, no gain. A pair multiply costs 1.5-1.7
//   scalar ones (V8 emits two unpacks per extmul, i64x2.shr_s is emulated,
//   and 34 live vectors spill the 16 XMM registers) and a pair square 2.1.
//   Running a pair multiply next to two scalar squares does not overlap
//   them either: 87.3 ns together against 50.8 + 36.8 ns apart.
//   f64x2 with twelve radix-2^21.25 limbs (products exact below 2^53): a
//   pair multiply costs 2.0-2.5 scalar ones, a pair square 1.4-1.6.
//   Scalar products loading operands from memory each time: 15% slower;
//   operand scanning (ten accumulators, g and 19·g from an i64 scratch so
//   V8 can fold the loads into imul): 34 ns per multiply against 28 ns.
// The scalar multiply is at the multiplier's throughput (about 100 i64.mul
// per field multiplication at one per cycle), the same bound libsodium's
// WebAssembly build has, hence parity rather than a large margin.

import { FE, feAdd, feCopy, feCswap, feFromBytes, feInvert, feMul, feMul121666Add, feMulSubAdd, feOne, feSqAdd, feSqSub, feSub, feToBytes, feZero } from './fe25519';
import { P3, geScalarMultBase, geWipe } from './ge25519';
import { IO } from './io';

// Ladder state and scratch, one region so one fill wipes it.
const LADDER: usize = memory.data(11 * <i32>FE + 32, 16);
const X1: usize = LADDER;
const X2: usize = LADDER + FE;
const Z2: usize = LADDER + 2 * FE;
const X3: usize = LADDER + 3 * FE;
const Z3: usize = LADDER + 4 * FE;
const TA: usize = LADDER + 5 * FE;
const TB: usize = LADDER + 6 * FE;
const TC: usize = LADDER + 7 * FE;
const TD: usize = LADDER + 8 * FE;
const TE: usize = LADDER + 9 * FE;
const TF: usize = LADDER + 10 * FE;
const K: usize = LADDER + 11 * FE;

/**
 * RFC 7748 §5 decodeScalar25519: clear bits 0-2 and 255, set bit 254. Writes
 * the clamped copy to K.
 */
function clamp(k: usize): void {
  memory.copy(K, k, 32);
  store<u8>(K, load<u8>(K) & 248);
  store<u8>(K + 31, (load<u8>(K + 31) & 127) | 64);
}

/**
 * out = X25519(k, u) per RFC 7748 §5: clamp k, decode u (top bit masked),
 * run the ladder over bits 254..0, return x2 / z2 encoded. out may alias k
 * or u. Returns 1 when the result is not all zero, else 0 (§6.1 check),
 * computed without branching on the result.
 */
export function x25519(out: usize, k: usize, u: usize): u32 {
  clamp(k);
  feFromBytes(X1, u);
  feOne(X2);
  feZero(Z2);
  feCopy(X3, X1);
  feOne(Z3);
  let swap: u32 = 0;
  for (let t = 254; t >= 0; t--) {
    const kt = (<u32>load<u8>(K + (<usize>t >> 3)) >> (<u32>t & 7)) & 1;
    swap ^= kt;
    feCswap(X2, X3, swap);
    feCswap(Z2, Z3, swap);
    swap = kt;
    // A = x2 + z2, B = x2 - z2, C = x3 + z3, D = x3 - z3 are formed inside
    // the products instead of being stored (measured above).
    feMulSubAdd(TD, X3, Z3, X2, Z2); // DA = D * A
    feMulSubAdd(TC, X2, Z2, X3, Z3); // CB = C * B
    feSqAdd(TA, X2, Z2);             // AA = A^2
    feSqSub(TB, X2, Z2);             // BB = B^2
    feSqAdd(X3, TD, TC);             // x3 = (DA + CB)^2
    feSqSub(Z3, TD, TC);
    feMul(Z3, Z3, X1);               // z3 = x1 * (DA - CB)^2
    feMul(X2, TA, TB);               // x2 = AA * BB
    feSub(TE, TA, TB);               // E = AA - BB
    feMul121666Add(TF, TE, TB);      // BB + a24 * E, a24 = 121666
    feMul(Z2, TE, TF);               // z2 = E * (BB + a24 * E)
  }
  feCswap(X2, X3, swap);
  feCswap(Z2, Z3, swap);
  feInvert(Z2, Z2);
  feMul(X2, X2, Z2);
  feToBytes(out, X2);
  memory.fill(LADDER, 0, 11 * FE + 32);
  let acc: u64 = load<u64>(out, 0) | load<u64>(out, 8) | load<u64>(out, 16) | load<u64>(out, 24);
  return <u32>((acc | (0 - acc)) >> 63);
}

// Boundary.

/**
 * Shared secret: scalar at IO[0..32), peer u-coordinate at IO[32..64); the
 * result to IO[0..32). Returns 0 when it is all zero (RFC 7748 §6.1).
 */
export function x25519Io(): u32 {
  return x25519(IO, IO, IO + 32);
}

const EDW: usize = memory.data(<i32>P3, 16);

/**
 * Public key: scalar at IO[0..32), X25519(k, 9) to IO[0..32). Computed as
 * [k]B on edwards25519 with the constant-time fixed-base tables of
 * ge25519.ts and mapped to u = (1 + y) / (1 - y) = (Z + Y) / (Z - Y)
 * (RFC 7748 §4.1; B maps to u = 9). [k]B is never the identity: the clamped
 * k = 8m with 2^251 <= m < 2^252 < L. 3.1x faster than the ladder from
 * u = 9 (39,700 against 12,900 per second).
 */
export function x25519BaseIo(): void {
  clamp(IO);
  geScalarMultBase(EDW, K);
  feAdd(TA, EDW + 2 * FE, EDW + FE);
  feSub(TB, EDW + 2 * FE, EDW + FE);
  feInvert(TB, TB);
  feMul(TA, TA, TB);
  feToBytes(IO, TA);
  memory.fill(LADDER, 0, 11 * FE + 32);
  memory.fill(EDW, 0, P3);
  geWipe();
}
