// Bounds-checked reader for the TLS presentation language (RFC 8446 §3).
//
// Every read checks the bytes are there before it slices or allocates; every
// vector length is checked against the <floor..ceiling> the RFC declares before
// its contents are touched. Failures are decode_error (RFC 8446 §6.2: "some
// field was out of the specified range or the length of the message was
// incorrect"), with a message naming the message, the field and the numbers.

import { decodeError } from '../errors.js';

/**
 * Receives every field a {@link Reader} or {@link Writer} touches, with its
 * byte range in the outermost buffer: the hook for a step-by-step trace.
 * Costs one `undefined` check per field when absent.
 */
export type FieldObserver = (label: string, start: number, end: number) => void;

/**
 * A cursor over a Uint8Array that reads TLS wire types (RFC 8446 §3).
 *
 * `context` names where the bytes come from ("ClientHello"); sub-readers for
 * vectors extend it ("ClientHello.extensions"), so a failure deep inside a
 * message reads like "ClientHello.extensions.key_share.client_shares:
 * key_exchange of 0 bytes is below the minimum 1".
 *
 * @example
 * const r = new Reader(body, 'ServerHello');
 * const version = r.u16('legacy_version');
 * const random = r.bytes(32, 'random');
 * const sid = r.opaque8('legacy_session_id_echo', 0, 32);
 */
export class Reader {
  /** Names the message and field path this reader covers. */
  readonly context: string;
  readonly #buf: Uint8Array;
  #pos = 0;
  /** Offset of `#buf` in the outermost buffer, for the observer. */
  readonly #base: number;
  readonly #observe: FieldObserver | undefined;

  /**
   * @param bytes the bytes to read; not copied, so they must not change while read
   * @param context what the bytes are, for error messages (e.g. "ClientHello")
   * @param observe optional hook that sees every field read
   * @param base offset of `bytes` in the outermost buffer, reported to `observe`
   */
  constructor(bytes: Uint8Array, context: string, observe?: FieldObserver, base = 0) {
    this.#buf = bytes;
    this.context = context;
    this.#observe = observe;
    this.#base = base;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.#buf.length - this.#pos;
  }

  /** True when every byte has been read. */
  get isEmpty(): boolean {
    return this.#pos === this.#buf.length;
  }

  /** Bytes read so far. */
  get position(): number {
    return this.#pos;
  }

  /** Reads a uint8. */
  u8(what: string): number {
    const at = this.#take(1, what);
    return this.#buf[at] as number;
  }

  /** Reads a big-endian uint16. */
  u16(what: string): number {
    const at = this.#take(2, what);
    const b = this.#buf;
    return ((b[at] as number) << 8) | (b[at + 1] as number);
  }

  /** Reads a big-endian uint24. */
  u24(what: string): number {
    const at = this.#take(3, what);
    const b = this.#buf;
    return ((b[at] as number) << 16) | ((b[at + 1] as number) << 8) | (b[at + 2] as number);
  }

  /** Reads a big-endian uint32 (as a non-negative number). */
  u32(what: string): number {
    const at = this.#take(4, what);
    const b = this.#buf;
    return (
      (b[at] as number) * 0x1000000 + (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number))
    );
  }

  /** Reads `n` bytes (a fixed-length `opaque x[n]`) into a new array. */
  bytes(n: number, what: string): Uint8Array {
    const at = this.#take(n, what);
    return this.#buf.slice(at, at + n);
  }

  /** Copies out every byte not read yet. */
  rest(what: string): Uint8Array {
    return this.bytes(this.remaining, what);
  }

  /**
   * Reads a vector with a 1-byte length prefix, `T what<min..max>`, and
   * returns a reader over its contents.
   */
  vec8(what: string, min: number, max: number): Reader {
    return this.#vec(1, what, min, max);
  }

  /** Like {@link Reader.vec8} with a 2-byte length prefix. */
  vec16(what: string, min: number, max: number): Reader {
    return this.#vec(2, what, min, max);
  }

  /** Like {@link Reader.vec8} with a 3-byte length prefix. */
  vec24(what: string, min: number, max: number): Reader {
    return this.#vec(3, what, min, max);
  }

  /** Reads `opaque what<min..max>` with a 1-byte prefix into a new array. */
  opaque8(what: string, min: number, max: number): Uint8Array {
    return this.#vec(1, what, min, max).#all();
  }

  /** Reads `opaque what<min..max>` with a 2-byte prefix into a new array. */
  opaque16(what: string, min: number, max: number): Uint8Array {
    return this.#vec(2, what, min, max).#all();
  }

  /** Reads `opaque what<min..max>` with a 3-byte prefix into a new array. */
  opaque24(what: string, min: number, max: number): Uint8Array {
    return this.#vec(3, what, min, max).#all();
  }

  /**
   * Reads a vector of uint8 values, `uint8 what<min..max>`, with a 1-byte
   * prefix (bounds in bytes, as the RFC writes them).
   */
  u8List(what: string, min: number, max: number): number[] {
    return Array.from(this.opaque8(what, min, max));
  }

  /**
   * Reads a vector of uint16 values, `uint16 what<min..max>`, with a
   * `prefix`-byte length (bounds in bytes, as the RFC writes them). An odd
   * length is a decode_error.
   */
  u16List(prefix: 1 | 2, what: string, min: number, max: number): number[] {
    const r = this.#vec(prefix, what, min, max);
    if (r.remaining % 2 !== 0) {
      throw decodeError(`${this.context}: ${what} has an odd length (${r.remaining} bytes) for a list of uint16`);
    }
    const out: number[] = [];
    while (!r.isEmpty) out.push(r.u16(what));
    return out;
  }

  /** Rejects trailing bytes: a message or vector must be consumed exactly (RFC 8446 §6.2 decode_error). */
  end(): void {
    if (this.#pos !== this.#buf.length) {
      throw decodeError(`${this.context}: ${this.remaining} unexpected trailing byte(s) after the last field`);
    }
  }

  #take(n: number, what: string): number {
    const left = this.#buf.length - this.#pos;
    if (n > left) {
      throw decodeError(`${this.context}: truncated ${what}: needs ${n} byte(s), ${left} left`);
    }
    const at = this.#pos;
    this.#pos += n;
    if (this.#observe !== undefined) this.#observe(`${this.context}.${what}`, this.#base + at, this.#base + at + n);
    return at;
  }

  #vec(prefix: 1 | 2 | 3, what: string, min: number, max: number): Reader {
    const start = this.#pos;
    const len = prefix === 1 ? this.u8(`${what} length`) : prefix === 2 ? this.u16(`${what} length`) : this.u24(`${what} length`);
    if (len > max) throw decodeError(`${this.context}: ${what} of ${len} bytes exceeds ${max}`);
    if (len < min) throw decodeError(`${this.context}: ${what} of ${len} bytes is below the minimum ${min}`);
    const left = this.#buf.length - this.#pos;
    if (len > left) {
      throw decodeError(`${this.context}: truncated ${what}: declares ${len} byte(s), ${left} left`);
    }
    const at = this.#pos;
    this.#pos += len;
    if (this.#observe !== undefined) this.#observe(`${this.context}.${what}`, this.#base + start, this.#base + at + len);
    return new Reader(this.#buf.subarray(at, at + len), `${this.context}.${what}`, this.#observe, this.#base + at);
  }

  #all(): Uint8Array {
    const out = this.#buf.slice(this.#pos);
    this.#pos = this.#buf.length;
    return out;
  }
}
