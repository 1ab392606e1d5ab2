// AES-GCM, NIST SP 800-38D §7, over the bitsliced AES of aes.ts and the
// table-free GHASH of ghash.ts.
//
// The boundary is stateful across calls so inputs larger than IO stream
// through it, but holds no secret between operations: JavaScript keeps each
// key's context (CTX: bitsliced round keys, H^1..H^8, Nr), copies it in for
// an operation and calls gcmWipe when the operation ends. That costs a
// 2 KiB copy and the expansion of the GHASH table (a few hundred vector
// operations) per operation, against about 3,000 instructions for a single
// batch of eight AES blocks; a key cache inside WASM would save little and
// would leave round keys in memory between operations.
//
// Operation: gcmBegin (J0, first counter batch), then gcmAad per chunk of
// associated data, then either gcmSeal per chunk (encrypt + GHASH) and
// gcmTag, or, to open, gcmHash per chunk of ciphertext, gcmVerify, and only
// then gcmCtr per chunk: no plaintext exists before the tag has been checked.
// Every chunk but the last of each input must be a multiple of 16 bytes.

import { AES_RK_BYTES, aesEncrypt, aesExpandKey } from './aes';
import { ctEqual, wipe } from './ct';
import { GH_AGG, GH_POWER, GH_TABLE, ghashBlocks, ghashPowers, ghashTable, rform } from './ghash';
import { IO } from './io';

// Key context, in JavaScript's keeping between operations.
const CTX_POW: usize = <usize>AES_RK_BYTES; // H^1..H^8, R form
const CTX_NR: usize = CTX_POW + 128;
export const GCM_CTX: i32 = AES_RK_BYTES + 128 + 16;
const CTX: usize = memory.data(GCM_CTX, 16);

// The GHASH key table, rebuilt from the powers for each operation.
const TAB: usize = memory.data(GH_TABLE, 16);

// Operation state.
const S_J0: usize = 0; // pre-counter block J0 (§7.1 step 2)
const S_EJ0: usize = 16; // E_K(J0), masks the tag
const S_ACC: usize = 32; // GHASH accumulator, R form
const S_PAD: usize = 48; // a zero-padded final block
const S_AAD: usize = 64; // bytes of associated data (u64)
const S_CT: usize = 72; // bytes of ciphertext (u64)
const S_CTR: usize = 80; // next counter value to encrypt (u32)
const S_KSPOS: usize = 84; // bytes of KS used (u32)
const S_KSLEN: usize = 88; // bytes of KS filled by the last refill (u32)
const S_KS: usize = 96; // eight or sixteen keystream blocks
const S_TAG: usize = 352; // the computed tag while it is compared
const S_POWERS: usize = 368; // powers of H expanded into TAB (u32)
const S_SIZE: i32 = 384;
const ST: usize = memory.data(S_SIZE, 16);

/** Address of the key context that JavaScript copies in and out. */
export function gcmCtxPtr(): usize {
  return CTX;
}

/** Size of the key context. */
export function gcmCtxSize(): i32 {
  return GCM_CTX;
}

/**
 * Key setup: a 16-, 24- or 32-byte key at IO[0..keyLen) to the context
 * (round keys, then H = E_K(0^128) (§6.4) and its powers for aggregated
 * GHASH). The context has room for AES-256's 15 round keys whatever the key
 * size, so its size and the offsets of H^i and Nr are constants.
 */
export function gcmKey(keyLen: i32): void {
  const nr = aesExpandKey(IO, keyLen, CTX);
  store<u32>(CTX + CTX_NR, nr);
  const ks = ST + S_KS;
  memory.fill(ks, 0, 128);
  aesEncrypt(CTX, nr, ks, false);
  ghashPowers(ks, CTX + CTX_POW, TAB);
  wipe(ks, 128);
  wipe(TAB, GH_TABLE);
}

/**
 * Encrypts the next eight counter blocks (§6.5 CTR with inc32) into KS, or
 * sixteen when more than 192 of the `more` bytes still to come would use
 * them: sixteen cost about 1.65 times eight (see aesEncrypt).
 */
function refill(nr: i32, more: usize): void {
  const ks = ST + S_KS;
  const j0 = v128.load(ST + S_J0);
  const ctr = load<u32>(ST + S_CTR);
  const n: u32 = more > 192 ? 16 : 8;
  // inc32 (§6.2): the counter is the last 32 bits, big-endian, mod 2^32.
  for (let i: u32 = 0; i < n; i++) {
    v128.store(ks + (<usize>i << 4), i32x4.replace_lane(j0, 3, bswap<u32>(ctr + i)));
  }
  store<u32>(ST + S_CTR, ctr + n);
  aesEncrypt(CTX, nr, ks, n == 16);
  store<u32>(ST + S_KSPOS, 0);
  store<u32>(ST + S_KSLEN, n << 4);
}

/**
 * Starts an operation with the context in CTX and the nonce at
 * IO[0..nonceLen) (nonceLen >= 1). `blocks` is the largest number of blocks
 * any single GHASH call of this operation will see (1 or more; powers of H
 * beyond it are not expanded).
 */
export function gcmBegin(nonceLen: i32, blocks: i32): void {
  const nr = <i32>load<u32>(CTX + CTX_NR);
  memory.fill(ST, 0, <usize>S_SIZE);
  const n = nonceLen != 12 || blocks > GH_AGG ? GH_AGG : blocks < 1 ? 1 : blocks;
  ghashTable(CTX + CTX_POW, TAB, n);
  store<u32>(ST + S_POWERS, <u32>n);
  const j0 = ST + S_J0;
  if (nonceLen == 12) {
    // §7.1 step 2: J0 = IV || 0^31 || 1.
    memory.copy(j0, IO, 12);
    store<u32>(j0 + 12, bswap<u32>(1));
  } else {
    // J0 = GHASH_H(IV || 0^(s+64) || [len(IV)]_64).
    const acc = ST + S_ACC;
    absorb(IO, <usize>nonceLen);
    const pad = ST + S_PAD;
    store<u64>(pad, 0);
    store<u64>(pad + 8, bswap<u64>(<u64>nonceLen << 3));
    ghashBlocks(acc, TAB, pad, 1);
    v128.store(j0, rform(v128.load(acc)));
    v128.store(acc, i64x2.splat(0));
  }
  // The first batch encrypts J0 itself (for the tag) and inc32(J0) onwards.
  store<u32>(ST + S_CTR, bswap<u32>(load<u32>(j0 + 12)));
  refill(nr, 0);
  v128.store(ST + S_EJ0, v128.load(ST + S_KS));
  store<u32>(ST + S_KSPOS, 16);
}

/** GHASH over `len` bytes at `p`, the last partial block zero-padded. */
function absorb(p: usize, len: usize): void {
  const acc = ST + S_ACC;
  const full = len >> 4;
  if (full != 0) ghashBlocks(acc, TAB, p, full);
  const rem = len & 15;
  if (rem != 0) {
    const pad = ST + S_PAD;
    v128.store(pad, i64x2.splat(0));
    memory.copy(pad, p + (full << 4), rem);
    ghashBlocks(acc, TAB, pad, 1);
    v128.store(pad, i64x2.splat(0));
  }
}

/**
 * XORs the keystream into `len` bytes at `p` (§7.2 steps 3–4, GCTR);
 * `more` further bytes will follow in this operation's call.
 */
function ctrXor(p: usize, len: usize, more: usize): void {
  const nr = <i32>load<u32>(CTX + CTX_NR);
  const ks = ST + S_KS;
  let pos = <usize>load<u32>(ST + S_KSPOS);
  let end = <usize>load<u32>(ST + S_KSLEN);
  let i: usize = 0;
  while (i < len) {
    if (pos == end) {
      refill(nr, len - i + more);
      pos = 0;
      end = <usize>load<u32>(ST + S_KSLEN);
    }
    if (i + 16 <= len) {
      v128.store(p + i, v128.xor(v128.load(p + i), v128.load(ks + pos)));
      i += 16;
      pos += 16;
    } else {
      // The final partial block; nothing follows it in this operation.
      for (; i < len; i++, pos++) store<u8>(p + i, load<u8>(p + i) ^ load<u8>(ks + pos));
    }
  }
  store<u32>(ST + S_KSPOS, <u32>pos);
}

/** Associated data: a chunk at IO[0..len). */
export function gcmAad(len: i32): void {
  absorb(IO, <usize>len);
  store<u64>(ST + S_AAD, load<u64>(ST + S_AAD) + <u64>len);
}

// Seal encrypts and hashes in pieces of this many bytes, so GHASH reads the
// ciphertext from L1 rather than after the whole chunk has gone by.
const PIECE: usize = 2048;

/** Seal: encrypts IO[0..len) in place and absorbs the ciphertext. */
export function gcmSeal(len: i32): void {
  let p = IO;
  let left = <usize>len;
  while (left != 0) {
    const n = left < PIECE ? left : PIECE;
    ctrXor(p, n, left - n);
    absorb(p, n);
    p += n;
    left -= n;
  }
  store<u64>(ST + S_CT, load<u64>(ST + S_CT) + <u64>len);
}

/** Open, first pass: absorbs the ciphertext chunk at IO[0..len). */
export function gcmHash(len: i32): void {
  absorb(IO, <usize>len);
  store<u64>(ST + S_CT, load<u64>(ST + S_CT) + <u64>len);
}

/** Open, second pass (after gcmVerify): decrypts IO[0..len) in place. */
export function gcmCtr(len: i32): void {
  ctrXor(IO, <usize>len, 0);
}

/** §7.2 steps 5–7: S = GHASH(A || C || lengths), T = E(J0) xor S, at `out`. */
function tag(out: usize): void {
  const pad = ST + S_PAD;
  store<u64>(pad, bswap<u64>(load<u64>(ST + S_AAD) << 3));
  store<u64>(pad + 8, bswap<u64>(load<u64>(ST + S_CT) << 3));
  const acc = ST + S_ACC;
  ghashBlocks(acc, TAB, pad, 1);
  v128.store(out, v128.xor(rform(v128.load(acc)), v128.load(ST + S_EJ0)));
  v128.store(pad, i64x2.splat(0));
}

/** Writes the 16-byte tag at IO[off..off+16). */
export function gcmTag(off: i32): void {
  tag(IO + <usize>off);
}

/**
 * §7.3 step 8: compares, in constant time, the tag at IO[off..off+16) with
 * the computed one. Returns 1 when equal, else 0.
 */
export function gcmVerify(off: i32): i32 {
  const t = ST + S_TAG;
  tag(t);
  const ok = ctEqual(t, IO + <usize>off, 16);
  wipe(t, 16);
  return ok;
}

/** Zeroes the context, the key table and the operation state. */
export function gcmWipe(): void {
  // Only the expanded part of the table: a 64-byte message expands 4 of the
  // 8 powers, and the full table is 4.5 KiB.
  const powers = <usize>load<u32>(ST + S_POWERS);
  wipe(TAB, (powers > <usize>GH_AGG ? <usize>GH_AGG : powers) * <usize>GH_POWER);
  wipe(CTX, <usize>GCM_CTX);
  wipe(ST, <usize>S_SIZE);
}
