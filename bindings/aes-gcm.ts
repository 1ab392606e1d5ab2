// AES-128-GCM, AES-192-GCM and AES-256-GCM (NIST SP 800-38D) over the WASM
// core.
//
// Constant time: the core's AES is bitsliced and its GHASH multiplies with
// integer multiplications on masked words, so no memory index or branch
// depends on the key, H or the data, and the tag is compared without early
// exit. Key material: the constructor computes the bitsliced round keys and
// H^1..H^8 once and keeps them in a private Uint8Array; each seal/open copies
// them into WASM memory and wipes every secret from it (context, GHASH table,
// counters, keystream, the IO bytes used) before returning or throwing.

import { AuthenticationError } from './errors.js';
import { type Core, getCore } from './loader.js';
import { sealRecordViaSeal } from './seal-record.js';
import { bytes } from './validate.js';

export { AuthenticationError } from './errors.js';

interface GcmExports {
  gcmCtxPtr(): number;
  gcmCtxSize(): number;
  gcmKey(keyLen: number): void;
  gcmBegin(nonceLen: number, blocks: number): void;
  gcmAad(len: number): void;
  gcmSeal(len: number): void;
  gcmHash(len: number): void;
  gcmCtr(len: number): void;
  gcmTag(off: number): void;
  gcmVerify(off: number): number;
  gcmWipe(): void;
}

/** Tag length in bytes; shorter tags (SP 800-38D §5.2.1.2) are not offered. */
const TAG = 16;
/** SP 800-38D §5.2.1.1: len(P) <= 2^39 - 256 bits. */
const MAX_PLAINTEXT = 2 ** 36 - 32;
/** Blocks per aggregated GHASH reduction in the core (assembly/ghash.ts). */
const GH_AGG = 8;
const EMPTY = new Uint8Array(0);

function exportsOf(c: Core): GcmExports {
  return c.x as unknown as GcmExports;
}

/**
 * AES-GCM with a 16-byte (AES-128), 24-byte (AES-192) or 32-byte (AES-256)
 * key and 16-byte tags.
 *
 * Nonces of 12 bytes take the fast path of SP 800-38D §7.1; any other length
 * from 1 byte up to 65,536 bytes is hashed into the pre-counter block as the
 * standard says. Never seal twice with the same key and nonce. Inputs of any
 * size are processed in 64 KiB chunks. Call `dispose()` to zero the key
 * material held by the instance.
 *
 * @example
 * const aead = new AesGcm(key); // 16, 24 or 32 bytes
 * const sealed = aead.seal(nonce, plaintext, aad); // ciphertext || 16-byte tag
 * const opened = aead.open(nonce, sealed, aad); // throws AuthenticationError if modified
 * aead.dispose();
 */
export class AesGcm {
  /** Bitsliced round keys, H^1..H^8 and Nr, as laid out by assembly/gcm.ts. */
  #ctx: Uint8Array | undefined;

  /**
   * Expands `key` (16, 24 or 32 bytes). Throws TypeError if it is not a
   * Uint8Array, RangeError if its length is none of these.
   */
  constructor(key: Uint8Array) {
    bytes('key', key);
    if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
      throw new RangeError(`key must be 16, 24 or 32 bytes, got ${key.length}`);
    }
    const c = getCore();
    const x = exportsOf(c);
    const ptr = x.gcmCtxPtr();
    try {
      c.mem.set(key, c.io);
      x.gcmKey(key.length);
      this.#ctx = c.mem.slice(ptr, ptr + x.gcmCtxSize());
    } finally {
      x.gcmWipe();
      c.mem.fill(0, c.io, c.io + key.length);
    }
  }

  /**
   * Encrypts and authenticates: returns ciphertext || tag (plaintext length
   * + 16 bytes). `aad` is authenticated, not encrypted.
   * @example const sealed = aead.seal(nonce, new TextEncoder().encode('hi'), header);
   */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
    const ctx = this.#live();
    bytes('plaintext', plaintext);
    if (plaintext.length > MAX_PLAINTEXT) {
      throw new RangeError(`plaintext must be at most ${MAX_PLAINTEXT} bytes, got ${plaintext.length}`);
    }
    const c = getCore();
    const x = exportsOf(c);
    const ad = aadOf(aad);
    let used = begin(c, x, ctx, nonceOf(c, nonce), ad, plaintext.length);
    try {
      const n = plaintext.length;
      if (n + TAG <= c.ioSize) {
        c.mem.set(plaintext, c.io);
        x.gcmSeal(n);
        x.gcmTag(n);
        used = Math.max(used, n + TAG);
        return copyOut(c, n + TAG);
      }
      const out = new Uint8Array(n + TAG);
      for (let off = 0; off < n; off += c.ioSize) {
        const len = Math.min(c.ioSize, n - off);
        c.mem.set(plaintext.subarray(off, off + len), c.io);
        x.gcmSeal(len);
        out.set(c.mem.subarray(c.io, c.io + len), off);
      }
      x.gcmTag(0);
      out.set(c.mem.subarray(c.io, c.io + TAG), n);
      used = c.ioSize;
      return out;
    } finally {
      end(c, x, used);
    }
  }

  /**
   * The TLS record fast path: seals `content || type` with `header` as the
   * additional data and returns `header || ciphertext || tag`, one
   * allocation, the inner plaintext assembled in WASM memory. Equal to
   * concatenating `header` and `seal(nonce, content || type, header)`.
   * @example const record = aead.sealRecord(nonce, header, appData, 23);
   */
  sealRecord(nonce: Uint8Array, header: Uint8Array, content: Uint8Array, type: number): Uint8Array {
    const ctx = this.#live();
    bytes('header', header);
    bytes('content', content);
    if (!Number.isInteger(type) || type < 0 || type > 255) throw new RangeError(`type must be a byte, got ${type}`);
    const c = getCore();
    const n = content.length + 1;
    if (n + TAG > c.ioSize || header.length > c.ioSize) {
      return sealRecordViaSeal((nn, pt, aad) => this.seal(nn, pt, aad), nonce, header, content, type);
    }
    const x = exportsOf(c);
    let used = begin(c, x, ctx, nonceOf(c, nonce), header, n);
    try {
      c.mem.set(content, c.io);
      c.mem[c.io + content.length] = type;
      used = Math.max(used, n + TAG);
      x.gcmSeal(n);
      x.gcmTag(n);
      const out = new Uint8Array(header.length + n + TAG);
      out.set(header);
      out.set(c.mem.subarray(c.io, c.io + n + TAG), header.length);
      return out;
    } finally {
      end(c, x, used);
    }
  }

  /**
   * Checks the tag and decrypts `sealed` (ciphertext || tag). Throws
   * {@link AuthenticationError} when the tag does not match, before any
   * plaintext is produced; throws RangeError when `sealed` is shorter than
   * the 16-byte tag.
   * @example const plaintext = aead.open(nonce, sealed, header);
   */
  open(nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
    const ctx = this.#live();
    bytes('sealed', sealed);
    if (sealed.length < TAG) {
      throw new RangeError(`sealed must be at least ${TAG} bytes (the tag), got ${sealed.length}`);
    }
    if (sealed.length - TAG > MAX_PLAINTEXT) {
      throw new RangeError(`sealed must be at most ${MAX_PLAINTEXT + TAG} bytes, got ${sealed.length}`);
    }
    const c = getCore();
    const x = exportsOf(c);
    const ad = aadOf(aad);
    const n = sealed.length - TAG;
    let used = begin(c, x, ctx, nonceOf(c, nonce), ad, n);
    try {
      if (sealed.length <= c.ioSize) {
        // Ciphertext and tag in IO at once: hash, verify, then decrypt in place.
        c.mem.set(sealed, c.io);
        used = Math.max(used, sealed.length);
        x.gcmHash(n);
        if (x.gcmVerify(n) !== 1) throw new AuthenticationError();
        x.gcmCtr(n);
        return copyOut(c, n);
      }
      // Larger inputs: a GHASH pass over all the ciphertext, the tag check,
      // and only then a CTR pass producing plaintext.
      used = c.ioSize;
      for (let off = 0; off < n; off += c.ioSize) {
        const len = Math.min(c.ioSize, n - off);
        c.mem.set(sealed.subarray(off, off + len), c.io);
        x.gcmHash(len);
      }
      c.mem.set(sealed.subarray(n), c.io);
      if (x.gcmVerify(0) !== 1) throw new AuthenticationError();
      const out = new Uint8Array(n);
      for (let off = 0; off < n; off += c.ioSize) {
        const len = Math.min(c.ioSize, n - off);
        c.mem.set(sealed.subarray(off, off + len), c.io);
        x.gcmCtr(len);
        out.set(c.mem.subarray(c.io, c.io + len), off);
      }
      return out;
    } finally {
      end(c, x, used);
    }
  }

  /** Zeroes the key material; any later call throws. */
  dispose(): void {
    this.#ctx?.fill(0);
    this.#ctx = undefined;
  }

  #live(): Uint8Array {
    if (this.#ctx === undefined) throw new Error('AesGcm instance has been disposed');
    return this.#ctx;
  }
}

function aadOf(aad: Uint8Array | undefined): Uint8Array {
  return aad === undefined ? EMPTY : bytes('aad', aad);
}

function nonceOf(c: Core, nonce: Uint8Array): Uint8Array {
  bytes('nonce', nonce);
  if (nonce.length < 1 || nonce.length > c.ioSize) {
    throw new RangeError(`nonce must be between 1 and ${c.ioSize} bytes, got ${nonce.length}`);
  }
  return nonce;
}

/**
 * Copies the key context in, derives J0 from the nonce and absorbs the
 * associated data. Returns how many IO bytes were used.
 */
function begin(c: Core, x: GcmExports, ctx: Uint8Array, nonce: Uint8Array, aad: Uint8Array, n: number): number {
  let used = nonce.length;
  try {
    c.mem.set(ctx, x.gcmCtxPtr());
    c.mem.set(nonce, c.io);
    // The largest single GHASH call: powers of H beyond it are not expanded.
    const chunk = Math.max(Math.min(aad.length, c.ioSize), Math.min(n, c.ioSize));
    x.gcmBegin(nonce.length, Math.min(GH_AGG, Math.max(1, Math.ceil(chunk / 16))));
    if (aad.length <= c.ioSize) {
      if (aad.length > 0) {
        c.mem.set(aad, c.io);
        used = Math.max(used, aad.length);
        x.gcmAad(aad.length);
      }
    } else {
      for (let off = 0; off < aad.length; off += c.ioSize) {
        const len = Math.min(c.ioSize, aad.length - off);
        c.mem.set(aad.subarray(off, off + len), c.io);
        x.gcmAad(len);
      }
      used = c.ioSize;
    }
    return used;
  } catch (e) {
    end(c, x, used);
    throw e;
  }
}

/**
 * A copy of IO[0..len). Measured: slice() on a view of WASM memory took
 * twice as long as allocating and set() from a subarray (Node 20).
 */
function copyOut(c: Core, len: number): Uint8Array {
  const out = new Uint8Array(len);
  out.set(c.mem.subarray(c.io, c.io + len));
  return out;
}

/** Wipes the core's GCM state and the IO bytes used. */
function end(c: Core, x: GcmExports, used: number): void {
  x.gcmWipe();
  c.mem.fill(0, c.io, c.io + used);
}
