// ChaCha20-Poly1305 AEAD, RFC 8439 §2.8.
//
// One stream lives in static regions between boundary calls, so inputs larger
// than IO go through in chunks: the ChaCha20 state (key, nonce, counter), the
// Poly1305 state and the two lengths. Every path that ends a stream wipes it.
//
// Opening never produces plaintext before the tag is known good: the
// ciphertext is authenticated first (chachaPolyOpen in one call, or
// chachaPolyAbsorb chunks then chachaPolyVerify), and only a verified stream
// decrypts (chachaPolyDecrypt refuses otherwise).

import { CHACHA20_STATE, chacha20Block, chacha20Setup, chacha20Xor } from './chacha20';
import { ctEqual, wipe } from './ct';
import { IO } from './io';
import { POLY1305_STATE, poly1305Final, poly1305Init, poly1305Pad16, poly1305Update } from './poly1305';

export const KEY_LEN: i32 = 32;
export const NONCE_LEN: i32 = 12;
export const TAG_LEN: i32 = 16;
/** Offset in IO of the data that follows the key and nonce in one-shot calls. */
export const DATA_AT: i32 = 64;

const CS: usize = memory.data(CHACHA20_STATE, 16);
const PS: usize = memory.data(POLY1305_STATE, 16);
/** aad length, ciphertext length (u64 each), phase (u32). */
const LENS: usize = memory.data(24, 16);
/** The Poly1305 key block (RFC 8439 §2.6), then the computed tag. */
const SCRATCH: usize = memory.data(64, 16);

// Phases of a stream, public.
const PHASE_AAD: u32 = 0;
const PHASE_TEXT: u32 = 1;
const PHASE_VERIFIED: u32 = 2;

/** RFC 8439 §2.6 and §2.8: key and nonce set up, Poly1305 keyed from block 0, counter 1. */
function start(key: usize, nonce: usize): void {
  chacha20Setup(CS, key, nonce, 0);
  chacha20Block(CS, 0, SCRATCH);
  poly1305Init(PS, SCRATCH);
  wipe(SCRATCH, 64);
  store<u32>(CS, 1, 48);
  store<u64>(LENS, 0, 0);
  store<u64>(LENS, 0, 8);
  store<u32>(LENS, PHASE_AAD, 16);
}

function aad(p: usize, len: usize): void {
  poly1305Update(PS, p, len);
  store<u64>(LENS, load<u64>(LENS, 0) + <u64>len, 0);
}

/** Ciphertext into the MAC, after the aad's pad16 on the first call. */
function absorb(p: usize, len: usize): void {
  if (load<u32>(LENS, 16) == PHASE_AAD) {
    poly1305Pad16(PS);
    store<u32>(LENS, PHASE_TEXT, 16);
  }
  poly1305Update(PS, p, len);
  store<u64>(LENS, load<u64>(LENS, 8) + <u64>len, 8);
}

/** RFC 8439 §2.8: pad16(ciphertext), both lengths as little-endian u64, the tag to `out`. */
function finish(out: usize): void {
  if (load<u32>(LENS, 16) == PHASE_AAD) poly1305Pad16(PS);
  poly1305Pad16(PS);
  poly1305Update(PS, LENS, 16);
  poly1305Final(PS, out);
}

/** Forgets the stream: key, counter, MAC state, lengths. */
export function chachaPolyWipe(): void {
  wipe(CS, CHACHA20_STATE);
  wipe(PS, POLY1305_STATE);
  wipe(LENS, 24);
  wipe(SCRATCH, 64);
}

// Boundary, one-shot: key IO[0..32), nonce IO[32..44), aad at IO[64..),
// then the text, then room for the tag. The key and nonce are wiped from IO.

/** Encrypts the text in place and writes the tag after it. */
export function chachaPolySeal(aadLen: i32, len: i32): void {
  const a = IO + <usize>DATA_AT, t = a + <usize>aadLen, n = <usize>len;
  start(IO, IO + <usize>KEY_LEN);
  wipe(IO, DATA_AT);
  aad(a, <usize>aadLen);
  chacha20Xor(CS, t, t, n);
  absorb(t, n);
  finish(t + n);
  chachaPolyWipe();
}

/**
 * Checks the tag after the ciphertext; when it matches, decrypts in place and
 * returns 1. Otherwise returns 0 having decrypted nothing.
 */
export function chachaPolyOpen(aadLen: i32, len: i32): i32 {
  const a = IO + <usize>DATA_AT, t = a + <usize>aadLen, n = <usize>len;
  start(IO, IO + <usize>KEY_LEN);
  wipe(IO, DATA_AT);
  aad(a, <usize>aadLen);
  absorb(t, n);
  finish(SCRATCH);
  const ok = ctEqual(SCRATCH, t + n, <usize>TAG_LEN);
  if (ok) chacha20Xor(CS, t, t, n);
  chachaPolyWipe();
  return ok;
}

// Boundary, streaming: chachaPolyStart, chachaPolyAad*, then to seal
// chachaPolyEncrypt* and chachaPolyFinish; to open chachaPolyAbsorb*,
// chachaPolyVerify and, when it returned 1, chachaPolyDecrypt*. Every
// Encrypt or Decrypt chunk but the last must be a multiple of 64 bytes.

/** Key IO[0..32), nonce IO[32..44); wipes them from IO. */
export function chachaPolyStart(): void {
  start(IO, IO + <usize>KEY_LEN);
  wipe(IO, DATA_AT);
}

export function chachaPolyAad(len: i32): void {
  aad(IO, <usize>len);
}

/** Encrypts IO[0..len) in place and authenticates the ciphertext. */
export function chachaPolyEncrypt(len: i32): void {
  chacha20Xor(CS, IO, IO, <usize>len);
  absorb(IO, <usize>len);
}

/** Tag to IO[0..16); ends the stream. */
export function chachaPolyFinish(): void {
  finish(IO);
  chachaPolyWipe();
}

/** Authenticates ciphertext IO[0..len) without decrypting it. */
export function chachaPolyAbsorb(len: i32): void {
  absorb(IO, <usize>len);
}

/**
 * Compares the tag with IO[0..16) in constant time. On a match returns 1 and
 * keeps the cipher state for chachaPolyDecrypt; otherwise ends the stream and
 * returns 0.
 */
export function chachaPolyVerify(): i32 {
  finish(SCRATCH);
  const ok = ctEqual(SCRATCH, IO, <usize>TAG_LEN);
  wipe(SCRATCH, 64);
  if (ok) store<u32>(LENS, PHASE_VERIFIED, 16);
  else chachaPolyWipe();
  return ok;
}

/** Decrypts IO[0..len) in place after a successful chachaPolyVerify; returns 0 (doing nothing) otherwise. */
export function chachaPolyDecrypt(len: i32): i32 {
  if (load<u32>(LENS, 16) != PHASE_VERIFIED) return 0;
  chacha20Xor(CS, IO, IO, <usize>len);
  return 1;
}
