// HKDF, RFC 5869 §2, over any hash of hash.ts.

import { wipe } from './ct';
import { HASH_OUT_MAX, hashOutLen } from './hash';
import { HMAC_STATE, hmacFinal, hmacInit, hmacUpdate } from './hmac';

const KEYED: usize = memory.data(HMAC_STATE, 16);
const WORK: usize = memory.data(HMAC_STATE, 16);
const T: usize = memory.data(HASH_OUT_MAX + 1, 16);

/** RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an empty salt acts as HashLen zeros. */
export function hkdfExtract(alg: i32, salt: usize, saltLen: usize, ikm: usize, ikmLen: usize, out: usize): void {
  hmacInit(alg, WORK, salt, saltLen);
  hmacUpdate(alg, WORK, ikm, ikmLen);
  hmacFinal(alg, WORK, out);
}

/**
 * RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i). The caller checks
 * len <= 255 * HashLen. `out` must not overlap the inputs.
 */
export function hkdfExpand(alg: i32, prk: usize, prkLen: usize, info: usize, infoLen: usize, out: usize, len: usize): void {
  const hl = <usize>hashOutLen(alg);
  // Key once; each block starts from a copy of the keyed state.
  hmacInit(alg, KEYED, prk, prkLen);
  let done: usize = 0;
  for (let i: u32 = 1; done < len; i++) {
    memory.copy(WORK, KEYED, HMAC_STATE);
    if (i > 1) hmacUpdate(alg, WORK, T, hl);
    hmacUpdate(alg, WORK, info, infoLen);
    store<u8>(T + hl, <u8>i);
    hmacUpdate(alg, WORK, T + hl, 1);
    hmacFinal(alg, WORK, T);
    const take = len - done < hl ? len - done : hl;
    memory.copy(out + done, T, take);
    done += take;
  }
  wipe(KEYED, HMAC_STATE);
  wipe(WORK, HMAC_STATE);
  wipe(T, HASH_OUT_MAX + 1);
}

// Boundary.
import { IO } from './io';

/** PRK at IO[0..prkLen), info after it, output after the info. */
export function hkdfIoExpand(alg: i32, prkLen: i32, infoLen: i32, len: i32): void {
  const info = IO + <usize>prkLen;
  hkdfExpand(alg, IO, <usize>prkLen, info, <usize>infoLen, info + <usize>infoLen, <usize>len);
}
