// RSA primitives, RFC 8017 §5.2: RSAVP1 (public, s^e mod n) and RSASP1
// (private, CRT form of §5.2.1 step 2.b), over bignum.ts. Padding (EMSA-PSS,
// EMSA-PKCS1-v1_5) lives in bindings/rsa.ts: it only touches public data.
//
// The private operation, for a message representative c:
//   1. checks n = p q (inconsistent keys are refused, not computed with);
//   2. blinds: c' = c r^e mod n for a random 0 < r < n from the caller
//      (crypto.getRandomValues), so the exponentiations see a value
//      unrelated to c;
//   3. m1' = c'^dp mod p = m1 r mod p and m2' = c'^dq mod q = m2 r mod q
//      (e dp = 1 mod p-1), by bnPowSecret: constant-time fixed windows;
//   4. unblinds each half with (r mod p)^-1 and (r mod q)^-1, computed by the
//      constant-time binary GCD of bignum.ts (bnModInverse) at half size:
//      two 1024-bit inversions took 0.77 ms where one 2048-bit inversion
//      took 1.63 ms (both the step count and the digit count halve); each
//      costs about 95 montMul against 1,310 for each exponentiation, and no
//      precomputed blinding pair has to be kept between calls;
//   5. recombines (Garner): h = qi (m1 - m2) mod p, s = m2 + h q;
//   6. checks s < n and s^e mod n = c before releasing s (a fault in steps
//      3-5 would otherwise leak a factor of n: Boneh, DeMillo, Lipton 1997);
//      on mismatch, wipes and reports failure.
// Every region holding key material or intermediate values is wiped before
// returning, whatever the outcome.
//
// Window width (bignum.ts WIN): 5 bits. Best-of-five times of bnPowSecret,
// quiet machine: 1024-bit exponent (2048-bit keys) w=4 0.873 ms, w=5 0.860,
// w=6 0.883; 2048-bit exponent (4096-bit keys) w=4 5.61 ms, w=5 5.46,
// w=6 5.48. The table scan reads all 2^w entries per window, which is why
// w=6 gains nothing.

import { wipe } from './ct';
import {
  BN_BYTES,
  bnEqMask,
  bnFromBytes,
  bnFromMont,
  bnIsZeroMask,
  bnLtMask,
  bnModInverse,
  bnMulAdd,
  bnPowPublic,
  bnPowSecret,
  bnToBytes,
  bnToMont,
  bnToMontPublic,
  bnWipeScratch,
  bnZero,
  digitsOf,
  montInverse,
  montMul,
  montR2,
  modSub,
} from './bignum';
import { IO } from './io';

// Number slots. N, NR2 and the public-operation values are public; every
// other slot is wiped after a private operation.
const N: usize = memory.data(BN_BYTES, 16);
const NR2: usize = memory.data(BN_BYTES, 16);
const S: usize = memory.data(BN_BYTES, 16);
const OUT: usize = memory.data(BN_BYTES, 16);
const P: usize = memory.data(BN_BYTES, 16);
const PR2: usize = memory.data(BN_BYTES, 16);
const Q: usize = memory.data(BN_BYTES, 16);
const QR2: usize = memory.data(BN_BYTES, 16);
const DP: usize = memory.data(BN_BYTES, 16);
const DQ: usize = memory.data(BN_BYTES, 16);
const QI: usize = memory.data(BN_BYTES, 16);
const C: usize = memory.data(BN_BYTES, 16);
const R: usize = memory.data(BN_BYTES, 16);
const RE: usize = memory.data(BN_BYTES, 16);
const CB: usize = memory.data(BN_BYTES, 16);
const X: usize = memory.data(BN_BYTES, 16);
const M1: usize = memory.data(BN_BYTES, 16);
const M2: usize = memory.data(BN_BYTES, 16);
const RI: usize = memory.data(BN_BYTES, 16);
const H: usize = memory.data(BN_BYTES, 16);

/** Result codes of rsaPrivateIo. */
const OK: i32 = 1;
const BAD_KEY: i32 = 0;
const FAULT: i32 = -1;
const BAD_BLIND: i32 = -2;

/**
 * RSAVP1, RFC 8017 §5.2.2: n at IO[0..nLen), e at IO[nLen..nLen+eLen),
 * s at the next nLen bytes; writes m = s^e mod n to IO[0..nLen). Returns 0
 * when s >= n ("signature representative out of range", step 1), else 1.
 * The caller ensures n odd with a nonzero first byte, 1 < e, nLen <= 512.
 * All inputs are public.
 */
export function rsaPublicIo(nLen: i32, eLen: i32): i32 {
  const L = digitsOf(nLen);
  const e = IO + <usize>nLen;
  bnFromBytes(N, IO, nLen);
  bnFromBytes(S, e + <usize>eLen, nLen);
  if (bnLtMask(S, N, L) == 0) return 0;
  const n0 = montInverse(load<u32>(N));
  // s R mod n by division: no R^2 needed for one conversion of public data.
  bnToMontPublic(X, S, N, L);
  bnPowPublic(OUT, S, X, e, eLen, N, n0, L);
  bnToBytes(IO, nLen, OUT, L);
  bnWipeScratch();
  return 1;
}

function wipePrivate(): void {
  wipe(P, BN_BYTES);
  wipe(PR2, BN_BYTES);
  wipe(Q, BN_BYTES);
  wipe(QR2, BN_BYTES);
  wipe(DP, BN_BYTES);
  wipe(DQ, BN_BYTES);
  wipe(QI, BN_BYTES);
  wipe(C, BN_BYTES);
  wipe(R, BN_BYTES);
  wipe(RE, BN_BYTES);
  wipe(CB, BN_BYTES);
  wipe(X, BN_BYTES);
  wipe(M1, BN_BYTES);
  wipe(M2, BN_BYTES);
  wipe(RI, BN_BYTES);
  wipe(H, BN_BYTES);
  wipe(S, BN_BYTES);
  wipe(OUT, BN_BYTES);
  bnWipeScratch();
}

/**
 * One CRT half: out = c'^d mod m, unblinded with (r mod m)^-1, plain
 * residue < m. Returns 0 when r mod m is not invertible.
 */
function crtHalf(out: usize, m: usize, mr2: usize, d: usize, dBits: i32, len: i32, nDigits: i32): u32 {
  const m0 = montInverse(load<u32>(m));
  montR2(mr2, m, m0, len, dBits - 8);
  bnToMont(X, CB, nDigits, m, m0, mr2, len);
  bnPowSecret(out, X, d, dBits, m, m0, mr2, len);
  // r mod m, plain, then its inverse and that inverse's Montgomery form.
  bnToMont(X, R, nDigits, m, m0, mr2, len);
  bnFromMont(X, X, m, m0, len);
  const ok = bnModInverse(RI, X, m, len);
  montMul(RI, RI, mr2, m, m0, len);
  // (m r R)(r^-1 R) R^-1 = m R, then out of the domain.
  montMul(out, out, RI, m, m0, len);
  bnFromMont(out, out, m, m0, len);
  return ok;
}

/**
 * RSASP1 with CRT, RFC 8017 §5.2.1. IO holds, big-endian and in order:
 * n (nLen), e (eLen), p (pLen), q (qLen), dp (pLen), dq (qLen), qi (pLen),
 * the representative c (nLen, c < n), the blinding value r (nLen). Writes
 * s = c^d mod n to IO[0..nLen) and returns 1; returns 0 when the key is
 * inconsistent (p or q even, or n != p q), -2 when r is not in [1, n) or
 * not invertible (the caller draws another), -1 when the result fails the
 * s^e = c check. The caller ensures n odd, 1 < e, nLen <= 512, nonzero
 * first bytes of n, p and q, pLen + qLen <= nLen + 1, and wipes the IO
 * bytes it used.
 */
export function rsaPrivateIo(nLen: i32, eLen: i32, pLen: i32, qLen: i32): i32 {
  const L = digitsOf(nLen), Lp = digitsOf(pLen), Lq = digitsOf(qLen);
  let at = IO;
  bnFromBytes(N, at, nLen);
  at += <usize>nLen;
  const e = at;
  at += <usize>eLen;
  bnFromBytes(P, at, pLen);
  at += <usize>pLen;
  bnFromBytes(Q, at, qLen);
  at += <usize>qLen;
  bnFromBytes(DP, at, pLen);
  at += <usize>pLen;
  bnFromBytes(DQ, at, qLen);
  at += <usize>qLen;
  bnFromBytes(QI, at, pLen);
  at += <usize>pLen;
  bnFromBytes(C, at, nLen);
  at += <usize>nLen;
  bnFromBytes(R, at, nLen);
  // The key bytes, now in digits, leave IO (e and the public n stay).
  wipe(IO + <usize>(nLen + eLen), <usize>(2 * nLen + 3 * pLen + 2 * qLen));

  const code = privateOp(nLen, eLen, e, pLen, qLen, L, Lp, Lq);
  if (code == OK) bnToBytes(IO, nLen, S, L);
  else wipe(IO, <usize>nLen);
  wipePrivate();
  return code;
}

function privateOp(nLen: i32, eLen: i32, e: usize, pLen: i32, qLen: i32, L: i32, Lp: i32, Lq: i32): i32 {
  // Key consistency: p, q odd and p q = n (over the longer of both lengths).
  if ((load<u32>(P) & load<u32>(Q) & 1) == 0) return BAD_KEY;
  bnZero(X);
  bnZero(H);
  bnMulAdd(X, P, Lp, Q, Lq, H);
  const span = Lp + Lq > L ? Lp + Lq : L;
  if (bnEqMask(X, N, span) == 0) return BAD_KEY;
  if (bnLtMask(C, N, L) == 0) return BAD_KEY;
  // The blinding value: 0 < r < n. Rejecting a draw reveals nothing about
  // the value finally used.
  if ((bnLtMask(R, N, L) & ~bnIsZeroMask(R, L)) == 0) return BAD_BLIND;

  const n0 = montInverse(load<u32>(N));
  montR2(NR2, N, n0, L, 8 * (nLen - 1));
  // c' = c r^e mod n: montMul(c, r^e) = c r^e R^-1, times R^2 then R^-1.
  montMul(X, R, NR2, N, n0, L);
  bnPowPublic(RE, R, X, e, eLen, N, n0, L);
  montMul(CB, C, RE, N, n0, L);
  montMul(CB, CB, NR2, N, n0, L);

  let ok = crtHalf(M1, P, PR2, DP, 8 * pLen, Lp, L);
  ok &= crtHalf(M2, Q, QR2, DQ, 8 * qLen, Lq, L);
  if (ok == 0) return BAD_BLIND;

  // Garner: h = qi (m1 - m2) mod p in the Montgomery domain of p, where
  // m2 (< q, possibly >= p) is first reduced mod p.
  const p0 = montInverse(load<u32>(P));
  montMul(X, M1, PR2, P, p0, Lp);
  bnToMont(H, M2, Lq, P, p0, PR2, Lp);
  modSub(X, X, H, P, Lp);
  bnZero(H);
  montMul(H, X, QI, P, p0, Lp);
  // s = m2 + h q < p q = n.
  bnZero(S);
  bnMulAdd(S, H, Lp, Q, Lq, M2);

  // Fault check before release: s < n, no bits above n's digits, s^e = c.
  let good = bnLtMask(S, N, L);
  if (Lp + Lq > L) good &= bnIsZeroMask(S + (<usize>L << 2), Lp + Lq - L);
  montMul(X, S, NR2, N, n0, L);
  bnPowPublic(OUT, S, X, e, eLen, N, n0, L);
  good &= bnEqMask(OUT, C, L);
  return good == 0 ? FAULT : OK;
}
