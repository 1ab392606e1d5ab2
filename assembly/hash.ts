// One interface over the SHA-2 functions, so HMAC, HKDF and the signature
// schemes take the hash as a parameter. The algorithm id is public, so
// switching on it leaks nothing.

import { SHA224_OUT, SHA256_BLOCK, SHA256_OUT, sha224Init, sha256Final, sha256Init, sha256Update } from './sha256';
import { SHA384_OUT, SHA512_BLOCK, SHA512_OUT, sha384Init, sha512Final, sha512Init, sha512Update } from './sha512';

export const SHA256: i32 = 0;
export const SHA384: i32 = 1;
export const SHA512: i32 = 2;
export const SHA224: i32 = 3;

/** Large enough for the state of any supported hash. */
export const HASH_STATE_MAX: i32 = 208;
/** Largest block and digest sizes. */
export const HASH_BLOCK_MAX: i32 = 128;
export const HASH_OUT_MAX: i32 = 64;

export function hashBlockLen(alg: i32): i32 {
  return alg == SHA256 || alg == SHA224 ? SHA256_BLOCK : SHA512_BLOCK;
}

export function hashOutLen(alg: i32): i32 {
  return alg == SHA256 ? SHA256_OUT : alg == SHA384 ? SHA384_OUT : alg == SHA224 ? SHA224_OUT : SHA512_OUT;
}

export function hashInit(alg: i32, st: usize): void {
  if (alg == SHA256) sha256Init(st);
  else if (alg == SHA224) sha224Init(st);
  else if (alg == SHA384) sha384Init(st);
  else sha512Init(st);
}

export function hashUpdate(alg: i32, st: usize, p: usize, len: usize): void {
  if (alg == SHA256 || alg == SHA224) sha256Update(st, p, len);
  else sha512Update(st, p, len);
}

/** Writes hashOutLen(alg) bytes at `out` and wipes the state. */
export function hashFinal(alg: i32, st: usize, out: usize): void {
  if (alg == SHA256 || alg == SHA224) sha256Final(st, out, <usize>hashOutLen(alg));
  else sha512Final(st, out, <usize>hashOutLen(alg));
}

// Boundary: one hash state for JavaScript, fed from IO. Streaming hashers in
// JavaScript keep their own copy of the state and swap it in per call.
import { IO } from './io';

const HS: usize = memory.data(HASH_STATE_MAX, 16);

export function hashStatePtr(): usize {
  return HS;
}

export function hashIoInit(alg: i32): void {
  hashInit(alg, HS);
}

export function hashIoUpdate(alg: i32, len: i32): void {
  hashUpdate(alg, HS, IO, <usize>len);
}

/** Digest to IO[0..outLen). */
export function hashIoFinal(alg: i32): void {
  hashFinal(alg, HS, IO);
}

/** Hash of IO[0..len) to IO[0..outLen). */
export function hashIoOneShot(alg: i32, len: i32): void {
  hashInit(alg, HS);
  hashUpdate(alg, HS, IO, <usize>len);
  hashFinal(alg, HS, IO);
}
