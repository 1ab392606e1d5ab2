// ChaCha20-Poly1305 (RFC 8439 §2.8) over the WASM core.

import { AuthenticationError } from './errors.js';
import { type Core, getCore, wipeIo } from './loader.js';
import { sealRecordViaSeal } from './seal-record.js';
import { bytes, bytesOfLength, integer } from './validate.js';

interface ChaChaPolyExports {
  chacha20Io(counter: number, len: number): void;
  poly1305Io(len: number): void;
  chachaPolySeal(aadLen: number, len: number): void;
  chachaPolyOpen(aadLen: number, len: number): number;
  chachaPolyStart(): void;
  chachaPolyAad(len: number): void;
  chachaPolyEncrypt(len: number): void;
  chachaPolyFinish(): void;
  chachaPolyAbsorb(len: number): void;
  chachaPolyVerify(): number;
  chachaPolyDecrypt(len: number): number;
  chachaPolyWipe(): void;
}

const KEY_LEN = 32;
const NONCE_LEN = 12;
const TAG_LEN = 16;
/** Where the one-shot calls of assembly/chacha20poly1305.ts expect the aad. */
const DATA_AT = 64;
/** RFC 8439 §2.8: the plaintext is at most 2^38 - 64 bytes (the 32-bit block counter). */
const MAX_TEXT = 2 ** 38 - 64;
const EMPTY = new Uint8Array(0);

function exportsOf(c: Core): ChaChaPolyExports {
  return c.x as unknown as ChaChaPolyExports;
}

/** Key and nonce to IO[0..44), where every entry point of the core takes them. */
function putKeyNonce(c: Core, key: Uint8Array, nonce: Uint8Array): void {
  c.mem.set(key, c.io);
  c.mem.set(nonce, c.io + KEY_LEN);
}

/** Feeds `data` through `fn` in IO-sized chunks (a multiple of 64 bytes, as the core requires). */
function chunks(c: Core, data: Uint8Array, fn: (n: number, off: number) => void): void {
  for (let off = 0; off < data.length; off += c.ioSize) {
    const n = Math.min(c.ioSize, data.length - off);
    c.mem.set(data.subarray(off, off + n), c.io);
    fn(n, off);
  }
}

/**
 * ChaCha20-Poly1305 authenticated encryption (RFC 8439 §2.8) with a 32-byte
 * key, 12-byte nonces and 16-byte tags. The key stays in this object and is
 * copied into WebAssembly memory only for the length of each call; `open`
 * checks the tag in constant time before any plaintext leaves WebAssembly.
 * @example
 * const aead = new ChaCha20Poly1305(key);
 * const sealed = aead.seal(nonce, plaintext, aad); // ciphertext || tag
 * const opened = aead.open(nonce, sealed, aad);    // throws AuthenticationError if altered
 * aead.dispose();
 */
export class ChaCha20Poly1305 {
  /** Key length in bytes. */
  static readonly keyLength = KEY_LEN;
  /** Nonce length in bytes. */
  static readonly nonceLength = NONCE_LEN;
  /** Tag length in bytes. */
  static readonly tagLength = TAG_LEN;

  #key: Uint8Array | undefined;

  /** @param key 32 bytes; copied, so the caller may wipe its own copy. */
  constructor(key: Uint8Array) {
    // A copy even when `key` is a Buffer, whose slice() would share memory.
    this.#key = new Uint8Array(bytesOfLength('key', key, KEY_LEN));
  }

  /**
   * Encrypts and authenticates `plaintext` with `aad`. A nonce must never be
   * used twice with one key.
   * @returns ciphertext || 16-byte tag
   * @example const sealed = aead.seal(nonce, utf8('hello'), header)
   */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = EMPTY): Uint8Array {
    const key = this.#live();
    bytesOfLength('nonce', nonce, NONCE_LEN);
    bytes('plaintext', plaintext);
    bytes('aad', aad);
    integer('plaintext.length', plaintext.length, 0, MAX_TEXT);
    const c = getCore();
    const x = exportsOf(c);
    const n = plaintext.length;
    const total = DATA_AT + aad.length + n + TAG_LEN;
    if (total <= c.ioSize) {
      putKeyNonce(c, key, nonce);
      c.mem.set(aad, c.io + DATA_AT);
      const at = c.io + DATA_AT + aad.length;
      c.mem.set(plaintext, at);
      x.chachaPolySeal(aad.length, n);
      const out = c.mem.slice(at, at + n + TAG_LEN);
      wipeIo(c, total);
      return out;
    }
    const out = new Uint8Array(n + TAG_LEN);
    try {
      putKeyNonce(c, key, nonce);
      x.chachaPolyStart();
      chunks(c, aad, (len) => x.chachaPolyAad(len));
      chunks(c, plaintext, (len, off) => {
        x.chachaPolyEncrypt(len);
        out.set(c.mem.subarray(c.io, c.io + len), off);
      });
      x.chachaPolyFinish();
      out.set(c.mem.subarray(c.io, c.io + TAG_LEN), n);
    } finally {
      x.chachaPolyWipe();
      wipeIo(c, c.ioSize);
    }
    return out;
  }

  /**
   * The TLS record fast path: seals `content || type` with `header` as the
   * additional data and returns `header || ciphertext || tag` (header and
   * ciphertext lie next to each other in WASM memory: one copy out). Equal to
   * concatenating `header` and `seal(nonce, content || type, header)`.
   * @example const record = aead.sealRecord(nonce, header, appData, 23);
   */
  sealRecord(nonce: Uint8Array, header: Uint8Array, content: Uint8Array, type: number): Uint8Array {
    const key = this.#live();
    bytesOfLength('nonce', nonce, NONCE_LEN);
    bytes('header', header);
    bytes('content', content);
    integer('type', type, 0, 255);
    const c = getCore();
    const n = content.length + 1;
    const total = DATA_AT + header.length + n + TAG_LEN;
    if (total > c.ioSize) {
      return sealRecordViaSeal((nn, pt, aad) => this.seal(nn, pt, aad), nonce, header, content, type);
    }
    const x = exportsOf(c);
    putKeyNonce(c, key, nonce);
    c.mem.set(header, c.io + DATA_AT);
    const at = c.io + DATA_AT + header.length;
    c.mem.set(content, at);
    c.mem[at + content.length] = type;
    x.chachaPolySeal(header.length, n);
    const out = new Uint8Array(header.length + n + TAG_LEN);
    out.set(c.mem.subarray(c.io + DATA_AT, at + n + TAG_LEN));
    wipeIo(c, total);
    return out;
  }

  /**
   * Checks and decrypts `sealed` (ciphertext || tag) with `aad`.
   * @throws AuthenticationError when the tag does not match; no plaintext is released.
   * @example const plaintext = aead.open(nonce, sealed, header)
   */
  open(nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array = EMPTY): Uint8Array {
    const key = this.#live();
    bytesOfLength('nonce', nonce, NONCE_LEN);
    bytes('sealed', sealed);
    bytes('aad', aad);
    integer('sealed.length', sealed.length, TAG_LEN, MAX_TEXT + TAG_LEN);
    const c = getCore();
    const x = exportsOf(c);
    const n = sealed.length - TAG_LEN;
    const total = DATA_AT + aad.length + sealed.length;
    if (total <= c.ioSize) {
      putKeyNonce(c, key, nonce);
      c.mem.set(aad, c.io + DATA_AT);
      const at = c.io + DATA_AT + aad.length;
      c.mem.set(sealed, at);
      const ok = x.chachaPolyOpen(aad.length, n);
      const out = ok ? c.mem.slice(at, at + n) : EMPTY;
      wipeIo(c, total);
      if (!ok) throw new AuthenticationError();
      return out;
    }
    // Two passes: authenticate every chunk of ciphertext, then decrypt, so no
    // plaintext exists before the tag is known good (IO cannot hold it all).
    // Another thread could rewrite shared memory between the passes, so
    // ciphertext there is copied first.
    const shared = typeof SharedArrayBuffer !== 'undefined' && sealed.buffer instanceof SharedArrayBuffer;
    const ct = shared ? sealed.slice(0, n) : sealed.subarray(0, n);
    const out = new Uint8Array(n);
    try {
      putKeyNonce(c, key, nonce);
      x.chachaPolyStart();
      chunks(c, aad, (len) => x.chachaPolyAad(len));
      chunks(c, ct, (len) => x.chachaPolyAbsorb(len));
      c.mem.set(sealed.subarray(n), c.io);
      if (x.chachaPolyVerify() !== 1) throw new AuthenticationError();
      chunks(c, ct, (len, off) => {
        x.chachaPolyDecrypt(len);
        out.set(c.mem.subarray(c.io, c.io + len), off);
      });
    } finally {
      x.chachaPolyWipe();
      wipeIo(c, c.ioSize);
    }
    return out;
  }

  /** Zeroes this object's copy of the key; any later call throws. */
  dispose(): void {
    this.#key?.fill(0);
    this.#key = undefined;
  }

  #live(): Uint8Array {
    if (this.#key === undefined) throw new Error('ChaCha20Poly1305 used after dispose()');
    return this.#key;
  }
}

/**
 * Raw ChaCha20 (RFC 8439 §2.4): `data` XORed with the key stream from block
 * `counter`. Internal: for tests and the RFC's examples; not authenticated.
 */
export function chacha20(key: Uint8Array, nonce: Uint8Array, counter: number, data: Uint8Array): Uint8Array {
  bytesOfLength('key', key, KEY_LEN);
  bytesOfLength('nonce', nonce, NONCE_LEN);
  integer('counter', counter, 0, 0xffffffff);
  bytes('data', data);
  const c = getCore();
  const max = c.ioSize - DATA_AT;
  if (data.length > max) throw new RangeError(`data must be at most ${max} bytes, got ${data.length}`);
  putKeyNonce(c, key, nonce);
  c.mem.set(data, c.io + DATA_AT);
  exportsOf(c).chacha20Io(counter, data.length);
  const out = c.mem.slice(c.io + DATA_AT, c.io + DATA_AT + data.length);
  wipeIo(c, DATA_AT + data.length);
  return out;
}

/**
 * Raw Poly1305 (RFC 8439 §2.5) of `message` under a one-time 32-byte key.
 * Internal: for tests and the RFC's examples.
 */
export function poly1305(key: Uint8Array, message: Uint8Array): Uint8Array {
  bytesOfLength('key', key, KEY_LEN);
  bytes('message', message);
  const c = getCore();
  const max = c.ioSize - KEY_LEN;
  if (message.length > max) throw new RangeError(`message must be at most ${max} bytes, got ${message.length}`);
  c.mem.set(key, c.io);
  c.mem.set(message, c.io + KEY_LEN);
  exportsOf(c).poly1305Io(message.length);
  const out = c.mem.slice(c.io, c.io + TAG_LEN);
  wipeIo(c, KEY_LEN + message.length);
  return out;
}
