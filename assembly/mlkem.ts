// ML-KEM-768 (FIPS 203): K-PKE (§5, Algorithms 13-15) and the KEM's internal
// algorithms (§6, Algorithms 16-18) with k = 3, η1 = η2 = 2, du = 10, dv = 4
// (§8, Table 2). Sizes (Table 3): encapsulation key 1184 bytes, decapsulation
// key 2400, ciphertext 1088, shared secret 32.
//
// The randomness (the keygen seed d ‖ z, the encapsulation message m) comes
// from the caller, so the known answers of FIPS 203 / Wycheproof drive the
// exact code that TLS runs. The input checks of §7.2 and §7.3 are here: the
// encapsulation key's modulus check, the decapsulation key's hash check
// (lengths are the wrapper's).
//
// Constant time: the polynomial code (mlkem_poly.ts) is branch-free on
// secrets; Decaps compares the re-encryption with the ciphertext over all
// 1088 bytes without early exit and picks K' or K̄ by mask (Algorithm 18
// steps 9-10), so an invalid ciphertext costs the same as a valid one.
// Secret intermediates (s, e, y, e1, e2, m, r, σ, the PRF output and the
// sponge) are wiped before each boundary function returns.

import { ctEqual } from './ct';
import { IO } from './io';
import {
  DS_SHA3, DS_SHAKE, KECCAK_CTX, keccakAbsorb, keccakFinish, keccakInit, keccakOneShot, keccakSqueeze,
  RATE_SHA3_256, RATE_SHA3_512, RATE_SHAKE256,
} from './keccak';
import {
  compressEncode1, compressEncode10, compressEncode4, decode12, decodeDecompress1, decodeDecompress10,
  decodeDecompress4, dot3, encode12, invNtt, ntt, POLY, polyAdd, polySetup, polySub, sampleCbd2, sampleNtt,
} from './mlkem_poly';

const K: usize = 3;
export const EK_LEN: usize = 1184;
export const DK_LEN: usize = 2400;
export const CT_LEN: usize = 1088;
const PKE_LEN: usize = 384 * K; // 1152
const C1_LEN: usize = 320 * K; // 960

// State, all static; every region is wiped by wipeAll().
const A: usize = memory.data(<i32>(K * K * POLY), 16); // Â (or Âᵀ), public
const T: usize = memory.data(<i32>(K * POLY), 16); // t̂ (public) / u (decaps)
const S: usize = memory.data(<i32>(K * POLY), 16); // ŝ, ŷ: secret
const E: usize = memory.data(<i32>(K * POLY), 16); // e, e1: secret
const V: usize = memory.data(<i32>POLY, 16);
const W: usize = memory.data(<i32>POLY, 16);
const CTX: usize = memory.data(<i32>KECCAK_CTX, 16);
const BUF: usize = memory.data(168, 16);
const SEED: usize = memory.data(64, 16); // d ‖ z, or m ‖ H(ek)
const GOUT: usize = memory.data(64, 16); // (ρ, σ) or (K, r)
const RHO: usize = memory.data(32, 16);
const HEK: usize = memory.data(32, 16);
const KBAR: usize = memory.data(32, 16);
const CT: usize = memory.data(<i32>CT_LEN, 16);

function wipeAll(): void {
  memory.fill(A, 0, K * K * POLY);
  memory.fill(T, 0, K * POLY);
  memory.fill(S, 0, K * POLY);
  memory.fill(E, 0, K * POLY);
  memory.fill(V, 0, POLY);
  memory.fill(W, 0, POLY);
  memory.fill(CTX, 0, KECCAK_CTX);
  memory.fill(BUF, 0, 168);
  memory.fill(SEED, 0, 64);
  memory.fill(GOUT, 0, 64);
  memory.fill(RHO, 0, 32);
  memory.fill(HEK, 0, 32);
  memory.fill(KBAR, 0, 32);
  memory.fill(CT, 0, CT_LEN);
}

// @ts-ignore: decorator
@inline
function poly(base: usize, i: usize): usize {
  return base + i * POLY;
}

/** Â[i][j] = SampleNTT(ρ ‖ j ‖ i) (Algorithm 13 step 6), or its transpose. */
function genMatrix(rho: usize, transposed: bool): void {
  for (let i: usize = 0; i < K; i++) {
    for (let j: usize = 0; j < K; j++) {
      const f = poly(A, i * K + j);
      if (transposed) sampleNtt(f, CTX, BUF, rho, <u8>i, <u8>j);
      else sampleNtt(f, CTX, BUF, rho, <u8>j, <u8>i);
    }
  }
}

/** H(ek) = SHA3-256 over `len` bytes (§4.1). */
function sha3_256(out: usize, p: usize, len: usize): void {
  keccakOneShot(CTX, RATE_SHA3_256, DS_SHA3, p, len, out, 32);
}

/** G(c) = SHA3-512 (§4.1) of `len` bytes. */
function sha3_512(out: usize, p: usize, len: usize): void {
  keccakOneShot(CTX, RATE_SHA3_512, DS_SHA3, p, len, out, 64);
}

/**
 * K-PKE.KeyGen(d) (Algorithm 13) with d at SEED[0..32): writes ek_PKE (1184) at
 * `ek` and dk_PKE (1152) at `dk`.
 */
function pkeKeyGen(ek: usize, dk: usize): void {
  // Step 1: (ρ, σ) = G(d ‖ k).
  memory.copy(BUF, SEED, 32);
  store<u8>(BUF + 32, <u8>K);
  sha3_512(GOUT, BUF, 33);
  memory.copy(RHO, GOUT, 32);
  const sigma = GOUT + 32;
  genMatrix(RHO, false);
  for (let i: usize = 0; i < K; i++) sampleCbd2(poly(S, i), CTX, BUF, sigma, <u8>i);
  for (let i: usize = 0; i < K; i++) sampleCbd2(poly(E, i), CTX, BUF, sigma, <u8>(K + i));
  for (let i: usize = 0; i < K; i++) {
    ntt(poly(S, i));
    ntt(poly(E, i));
  }
  // Step 18: t̂ = Â ∘ ŝ + ê.
  for (let i: usize = 0; i < K; i++) {
    dot3(poly(T, i), poly(A, i * K), poly(A, i * K + 1), poly(A, i * K + 2), S);
    polyAdd(poly(T, i), poly(T, i), poly(E, i));
  }
  for (let i: usize = 0; i < K; i++) {
    encode12(ek + 384 * i, poly(T, i));
    encode12(dk + 384 * i, poly(S, i));
  }
  memory.copy(ek + PKE_LEN, RHO, 32);
}

/**
 * K-PKE.Encrypt(ek_PKE, m, r) (Algorithm 14) with t̂ already decoded into T
 * and ρ at RHO, m at `m`, r at `r`; the ciphertext goes to CT.
 */
function pkeEncrypt(m: usize, r: usize): void {
  genMatrix(RHO, true);
  for (let i: usize = 0; i < K; i++) sampleCbd2(poly(S, i), CTX, BUF, r, <u8>i);
  for (let i: usize = 0; i < K; i++) sampleCbd2(poly(E, i), CTX, BUF, r, <u8>(K + i));
  sampleCbd2(W, CTX, BUF, r, <u8>(2 * K));
  for (let i: usize = 0; i < K; i++) ntt(poly(S, i));
  // Steps 19, 22: u = NTT^-1(Âᵀ ∘ ŷ) + e1, written compressed.
  for (let i: usize = 0; i < K; i++) {
    dot3(V, poly(A, i * K), poly(A, i * K + 1), poly(A, i * K + 2), S);
    invNtt(V);
    polyAdd(V, V, poly(E, i));
    compressEncode10(CT + 320 * i, V);
  }
  // Steps 20-21, 23: v = NTT^-1(t̂ᵀ ∘ ŷ) + e2 + μ.
  dot3(V, T, poly(T, 1), poly(T, 2), S);
  invNtt(V);
  polyAdd(V, V, W);
  decodeDecompress1(W, m);
  polyAdd(V, V, W);
  compressEncode4(CT + C1_LEN, V);
}

/** K-PKE.Decrypt(dk_PKE, c) (Algorithm 15): the 32-byte message to `m`. */
function pkeDecrypt(m: usize, dk: usize, c: usize): void {
  for (let i: usize = 0; i < K; i++) {
    decodeDecompress10(poly(T, i), c + 320 * i);
    ntt(poly(T, i));
    decode12(poly(S, i), dk + 384 * i);
  }
  decodeDecompress4(V, c + C1_LEN);
  // Step 6: w = v' - NTT^-1(ŝᵀ ∘ NTT(u')).
  dot3(W, S, poly(S, 1), poly(S, 2), T);
  invNtt(W);
  polySub(W, V, W);
  compressEncode1(m, W);
}

/** Decodes ek's t̂ into T and ρ into RHO; returns 1 when the modulus check (§7.2) fails. */
function loadEk(ek: usize): u32 {
  let over: u32 = 0;
  for (let i: usize = 0; i < K; i++) over |= decode12(poly(T, i), ek + 384 * i);
  memory.copy(RHO, ek + PKE_LEN, 32);
  return over;
}

// Boundary.

/**
 * ML-KEM.KeyGen_internal(d, z) (Algorithm 16): d ‖ z at IO[0..64). Writes
 * ek at IO[0..1184) and dk = dk_PKE ‖ ek ‖ H(ek) ‖ z at IO[1184..3584).
 */
export function mlkem768KeygenIo(): void {
  polySetup();
  memory.copy(SEED, IO, 64);
  const ek = IO;
  const dk = IO + EK_LEN;
  pkeKeyGen(ek, dk);
  memory.copy(dk + PKE_LEN, ek, EK_LEN);
  sha3_256(dk + PKE_LEN + EK_LEN, ek, EK_LEN);
  memory.copy(dk + PKE_LEN + EK_LEN + 32, SEED + 32, 32);
  wipeAll();
}

/**
 * ML-KEM.Encaps_internal(ek, m) (Algorithm 17) with the modulus check of
 * §7.2: ek at IO[0..1184), m at IO[1184..1216). Writes c at IO[0..1088) and
 * K at IO[1088..1120). Returns 1, or 0 (nothing written) when ek fails the
 * modulus check.
 */
export function mlkem768EncapsIo(): i32 {
  polySetup();
  const ek = IO;
  if (loadEk(ek) != 0) {
    wipeAll();
    return 0;
  }
  // Step 1: (K, r) = G(m ‖ H(ek)).
  memory.copy(SEED, IO + EK_LEN, 32);
  sha3_256(SEED + 32, ek, EK_LEN);
  sha3_512(GOUT, SEED, 64);
  pkeEncrypt(SEED, GOUT + 32);
  memory.copy(IO, CT, CT_LEN);
  memory.copy(IO + CT_LEN, GOUT, 32);
  memory.fill(IO + CT_LEN + 32, 0, EK_LEN + 32 - CT_LEN - 32);
  wipeAll();
  return 1;
}

/**
 * ML-KEM.Decaps_internal(dk, c) (Algorithm 18) with the hash check of §7.3:
 * dk at IO[0..2400), c at IO[2400..3488). Writes K to IO[0..32) and zeroes
 * the rest of the input. Returns 1, or 0 (nothing written) when
 * H(dk[384k : 768k + 32]) differs from dk[768k + 32 : 768k + 64].
 */
export function mlkem768DecapsIo(): i32 {
  polySetup();
  const dk = IO;
  const c = IO + DK_LEN;
  const ekPke = dk + PKE_LEN;
  const h = ekPke + EK_LEN;
  const z = h + 32;
  sha3_256(HEK, ekPke, EK_LEN);
  if (ctEqual(HEK, h, 32) == 0) {
    wipeAll();
    memory.fill(IO, 0, DK_LEN + CT_LEN);
    return 0;
  }
  // Steps 7-8: m' = Decrypt(dk_PKE, c); (K', r') = G(m' ‖ h).
  pkeDecrypt(SEED, dk, c);
  memory.copy(SEED + 32, h, 32);
  sha3_512(GOUT, SEED, 64);
  // Step 9: K̄ = J(z ‖ c) = SHAKE256(z ‖ c, 32).
  keccakInit(CTX);
  keccakAbsorb(CTX, RATE_SHAKE256, z, 32);
  keccakAbsorb(CTX, RATE_SHAKE256, c, CT_LEN);
  keccakFinish(CTX, RATE_SHAKE256, DS_SHAKE);
  keccakSqueeze(CTX, RATE_SHAKE256, KBAR, 32);
  // Step 10: c' = Encrypt(ek_PKE, m', r'). ek inside dk passed the hash
  // check, so its coefficients are taken mod q as ByteDecode_12 defines.
  loadEk(ekPke);
  pkeEncrypt(SEED, GOUT + 32);
  // Steps 11-12: K = K' when c = c', else K̄; by mask, over all of c.
  const mask = <u8>(0 - ctEqual(c, CT, CT_LEN));
  for (let i: usize = 0; i < 32; i++) {
    store<u8>(IO + i, (load<u8>(GOUT + i) & mask) | (load<u8>(KBAR + i) & ~mask));
  }
  memory.fill(IO + 32, 0, DK_LEN + CT_LEN - 32);
  wipeAll();
  return 1;
}
