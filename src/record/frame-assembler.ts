// Length-prefixed frames cut out of a byte stream at their exact size: the
// mechanism shared by the record deframer (5-byte TLSPlaintext header, RFC
// 8446 §5.1) and the handshake reassembler (4-byte Handshake header, §4).
//
// Memory: each frame gets one buffer of exactly header + length bytes,
// allocated once its header has passed the caller's check, and handed over by
// take(); nothing grows by doubling and nothing is copied twice
// (bench/handshake-memory.ts measured a connection stalled in a 60 KiB
// handshake message at 266 KiB with a doubling queue, 135 KiB with this).

import type { TlsError } from '../errors.js';

const EMPTY = new Uint8Array(0);

/**
 * Reads a complete frame header: the body length to expect, or the error that
 * stops the stream (nothing of that frame's body is then buffered).
 */
export type FrameHeaderCheck = (header: Uint8Array) => number | TlsError;

/**
 * Splits a byte stream into frames of `headerLength` + the length the header
 * announces. Frames complete before a bad header are still delivered; the
 * error is thrown once they have been taken, and keeps being thrown.
 */
export class FrameAssembler {
  readonly #check: FrameHeaderCheck;
  readonly #header: Uint8Array;
  #headerFill = 0;
  /** Complete frames not yet taken, from #head on. */
  #frames: Uint8Array[] = [];
  #head = 0;
  /** Bytes in the complete frames not yet taken. */
  #completeBytes = 0;
  /** The frame being filled (header included), or undefined between frames. */
  #current: Uint8Array | undefined;
  #fill = 0;
  #error: TlsError | undefined;

  constructor(headerLength: number, check: FrameHeaderCheck) {
    this.#header = new Uint8Array(headerLength);
    this.#check = check;
  }

  /** Bytes held: complete frames not yet taken, plus a partial one. */
  get bufferedBytes(): number {
    return this.#completeBytes + this.#fill + this.#headerFill;
  }

  /** Appends bytes (copied). Never throws; bytes pushed after a failure are dropped. */
  push(chunk: Uint8Array): void {
    const headerLength = this.#header.length;
    let off = 0;
    while (off < chunk.length && this.#error === undefined) {
      const current = this.#current;
      if (current !== undefined) {
        const n = Math.min(current.length - this.#fill, chunk.length - off);
        current.set(chunk.subarray(off, off + n), this.#fill);
        this.#fill += n;
        off += n;
        if (this.#fill === current.length) this.#complete(current);
        continue;
      }
      const n = Math.min(headerLength - this.#headerFill, chunk.length - off);
      this.#header.set(chunk.subarray(off, off + n), this.#headerFill);
      this.#headerFill += n;
      off += n;
      if (this.#headerFill < headerLength) return;
      this.#headerFill = 0;
      const length = this.#check(this.#header);
      if (typeof length !== 'number') {
        this.#error = length;
        this.#header.fill(0);
        return;
      }
      const frame = new Uint8Array(headerLength + length);
      frame.set(this.#header);
      this.#header.fill(0);
      this.#current = frame;
      this.#fill = headerLength;
      if (length === 0) this.#complete(frame);
    }
  }

  /** The next complete frame (header included), undefined when more bytes are needed; throws the stream's error once no frame is left. */
  take(): Uint8Array | undefined {
    const frame = this.#frames[this.#head];
    if (frame !== undefined) {
      this.#frames[this.#head++] = EMPTY;
      this.#completeBytes -= frame.length;
      if (this.#head === this.#frames.length) {
        this.#frames = [];
        this.#head = 0;
      }
      return frame;
    }
    if (this.#error !== undefined) throw this.#error;
    return undefined;
  }

  /** Fails the stream with `error`: everything buffered is dropped and take() throws it from now on. */
  fail(error: TlsError): void {
    this.#error = error;
    this.clear();
  }

  /** Drops (and zeroes) everything buffered; a failed stream stays failed. */
  clear(): void {
    for (let i = this.#head; i < this.#frames.length; i++) (this.#frames[i] as Uint8Array).fill(0);
    this.#frames = [];
    this.#head = 0;
    this.#completeBytes = 0;
    this.#current?.fill(0);
    this.#current = undefined;
    this.#fill = 0;
    this.#header.fill(0);
    this.#headerFill = 0;
  }

  #complete(frame: Uint8Array): void {
    this.#frames.push(frame);
    this.#completeBytes += frame.length;
    this.#current = undefined;
    this.#fill = 0;
  }
}
