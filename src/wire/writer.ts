// Growable writer for the TLS presentation language (RFC 8446 §3).
//
// Vectors are written rustls-style: reserve the length prefix, write the body,
// then patch the prefix with the body's real length, so a prefix can never
// disagree with what follows it. The body is checked against the prefix width
// and the <floor..ceiling> the RFC declares; a violation is this endpoint's
// fault, so it is an internal_error, never silently truncated.

import { internalError } from '../errors.js';
import type { FieldObserver } from './reader.js';

const PREFIX_MAX = [0, 0xff, 0xffff, 0xffffff] as const;

/**
 * Builds a TLS message into a buffer that doubles as needed.
 *
 * @example
 * const w = new Writer('ClientHello');
 * w.u16(0x0303, 'legacy_version');
 * w.vec16('cipher_suites', 2, 0xfffe, () => { for (const s of suites) w.u16(s, 'cipher_suite'); });
 * const body = w.finish();
 */
export class Writer {
  /** Names the message being written, for error messages. */
  readonly context: string;
  #buf: Uint8Array;
  #len = 0;
  readonly #observe: FieldObserver | undefined;

  /**
   * @param context what is being written (e.g. "ClientHello")
   * @param observe optional hook that sees every field written
   * @param capacity initial buffer size in bytes
   */
  constructor(context: string, observe?: FieldObserver, capacity = 256) {
    this.context = context;
    this.#observe = observe;
    this.#buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  /** Writes a uint8. */
  u8(value: number, what: string): void {
    this.#uint(value, 1, what);
  }

  /** Writes a big-endian uint16. */
  u16(value: number, what: string): void {
    this.#uint(value, 2, what);
  }

  /** Writes a big-endian uint24. */
  u24(value: number, what: string): void {
    this.#uint(value, 3, what);
  }

  /** Writes a big-endian uint32. */
  u32(value: number, what: string): void {
    this.#uint(value, 4, what);
  }

  /** Writes raw bytes (a fixed-length field, or an already-encoded body). */
  bytes(data: Uint8Array, what: string): void {
    const at = this.#reserve(data.length);
    this.#buf.set(data, at);
    this.#note(what, at);
  }

  /**
   * Writes a fixed-length field, checking its size (e.g. `Random random`,
   * 32 bytes).
   */
  fixed(data: Uint8Array, length: number, what: string): void {
    if (data.length !== length) {
      throw internalError(`${this.context}: ${what} must be ${length} bytes, got ${data.length}`);
    }
    this.bytes(data, what);
  }

  /**
   * Writes a vector with a 1-byte length prefix: reserves the prefix, runs
   * `body`, then patches the prefix with the length it wrote.
   */
  vec8(what: string, min: number, max: number, body: () => void): void {
    this.#vec(1, what, min, max, body);
  }

  /** Like {@link Writer.vec8} with a 2-byte length prefix. */
  vec16(what: string, min: number, max: number, body: () => void): void {
    this.#vec(2, what, min, max, body);
  }

  /** Like {@link Writer.vec8} with a 3-byte length prefix. */
  vec24(what: string, min: number, max: number, body: () => void): void {
    this.#vec(3, what, min, max, body);
  }

  /** Writes `opaque what<min..max>` with a 1-byte prefix. */
  opaque8(what: string, data: Uint8Array, min: number, max: number): void {
    this.#vec(1, what, min, max, () => this.bytes(data, what));
  }

  /** Writes `opaque what<min..max>` with a 2-byte prefix. */
  opaque16(what: string, data: Uint8Array, min: number, max: number): void {
    this.#vec(2, what, min, max, () => this.bytes(data, what));
  }

  /** Writes `opaque what<min..max>` with a 3-byte prefix. */
  opaque24(what: string, data: Uint8Array, min: number, max: number): void {
    this.#vec(3, what, min, max, () => this.bytes(data, what));
  }

  /** Writes `uint8 what<min..max>` (bounds in bytes) with a 1-byte prefix. */
  u8List(what: string, values: readonly number[], min: number, max: number): void {
    this.#vec(1, what, min, max, () => {
      for (const v of values) this.u8(v, what);
    });
  }

  /** Writes `uint16 what<min..max>` (bounds in bytes) with a `prefix`-byte length. */
  u16List(prefix: 1 | 2, what: string, values: readonly number[], min: number, max: number): void {
    this.#vec(prefix, what, min, max, () => {
      for (const v of values) this.u16(v, what);
    });
  }

  /** Returns a copy of the bytes written. The writer stays usable. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }

  #uint(value: number, size: 1 | 2 | 3 | 4, what: string): void {
    const max = size === 4 ? 0xffffffff : PREFIX_MAX[size];
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw internalError(`${this.context}: ${what} must be an integer in 0..${max}, got ${value}`);
    }
    const at = this.#reserve(size);
    const b = this.#buf;
    for (let i = size - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) b[at + i] = v & 0xff;
    this.#note(what, at);
  }

  #vec(prefix: 1 | 2 | 3, what: string, min: number, max: number, body: () => void): void {
    const at = this.#reserve(prefix);
    const start = this.#len;
    body();
    const len = this.#len - start;
    if (len > PREFIX_MAX[prefix]) {
      throw internalError(`${this.context}: ${what} of ${len} bytes does not fit a ${prefix}-byte length`);
    }
    if (len > max) throw internalError(`${this.context}: ${what} of ${len} bytes exceeds ${max}`);
    if (len < min) throw internalError(`${this.context}: ${what} of ${len} bytes is below the minimum ${min}`);
    const b = this.#buf;
    for (let i = prefix - 1, v = len; i >= 0; i--, v >>>= 8) b[at + i] = v & 0xff;
    this.#note(what, at);
  }

  #reserve(n: number): number {
    const need = this.#len + n;
    if (need > this.#buf.length) {
      let cap = this.#buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
    }
    const at = this.#len;
    this.#len = need;
    return at;
  }

  #note(what: string, start: number): void {
    if (this.#observe !== undefined) this.#observe(`${this.context}.${what}`, start, this.#len);
  }
}
