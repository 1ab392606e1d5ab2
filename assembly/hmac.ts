// HMAC, RFC 2104, over any hash of hash.ts.
//
// State layout (HMAC_STATE bytes at `st`): the inner hash state, then the
// outer one, each already keyed (K xor ipad, K xor opad absorbed), so a keyed
// state can be copied and reused (HKDF-Expand does that per output block).

import { wipe } from './ct';
import { HASH_BLOCK_MAX, HASH_OUT_MAX, HASH_STATE_MAX, hashBlockLen, hashFinal, hashInit, hashOutLen, hashUpdate } from './hash';

export const HMAC_STATE: i32 = 2 * HASH_STATE_MAX;

const PAD: usize = memory.data(HASH_BLOCK_MAX, 16);
const TMP: usize = memory.data(HASH_OUT_MAX, 16);

export function hmacInit(alg: i32, st: usize, key: usize, keyLen: usize): void {
  const block = <usize>hashBlockLen(alg);
  const inner = st, outer = st + HASH_STATE_MAX;
  memory.fill(PAD, 0, block);
  // RFC 2104 §2: keys longer than the block are hashed first; shorter ones
  // are zero-padded, which is why an empty key equals a zero key of any
  // length up to the block size (RFC 5869 §2.2 relies on that for HKDF).
  if (keyLen > block) {
    hashInit(alg, inner);
    hashUpdate(alg, inner, key, keyLen);
    hashFinal(alg, inner, PAD);
  } else {
    memory.copy(PAD, key, keyLen);
  }
  for (let i: usize = 0; i < block; i += 8) store<u64>(PAD + i, load<u64>(PAD + i) ^ 0x3636363636363636);
  hashInit(alg, inner);
  hashUpdate(alg, inner, PAD, block);
  // 0x36 ^ 0x5c turns the inner pad into the outer pad in place.
  for (let i: usize = 0; i < block; i += 8) store<u64>(PAD + i, load<u64>(PAD + i) ^ 0x6a6a6a6a6a6a6a6a);
  hashInit(alg, outer);
  hashUpdate(alg, outer, PAD, block);
  wipe(PAD, HASH_BLOCK_MAX);
}

export function hmacUpdate(alg: i32, st: usize, p: usize, len: usize): void {
  hashUpdate(alg, st, p, len);
}

/** Writes hashOutLen(alg) bytes at `out` and wipes the state. */
export function hmacFinal(alg: i32, st: usize, out: usize): void {
  const outer = st + HASH_STATE_MAX;
  hashFinal(alg, st, TMP);
  hashUpdate(alg, outer, TMP, <usize>hashOutLen(alg));
  hashFinal(alg, outer, out);
  wipe(TMP, HASH_OUT_MAX);
}

// Boundary: key and data in IO; streaming for data larger than IO.
import { IO } from './io';

const HMS: usize = memory.data(HMAC_STATE, 16);

/** HMAC(IO[0..keyLen), IO[keyLen..keyLen+dataLen)) to IO[0..outLen). */
export function hmacIo(alg: i32, keyLen: i32, dataLen: i32): void {
  hmacInit(alg, HMS, IO, <usize>keyLen);
  hmacUpdate(alg, HMS, IO + <usize>keyLen, <usize>dataLen);
  hmacFinal(alg, HMS, IO);
}

export function hmacIoInit(alg: i32, keyLen: i32): void {
  hmacInit(alg, HMS, IO, <usize>keyLen);
}

export function hmacIoUpdate(alg: i32, len: i32): void {
  hmacUpdate(alg, HMS, IO, <usize>len);
}

export function hmacIoFinal(alg: i32): void {
  hmacFinal(alg, HMS, IO);
}
