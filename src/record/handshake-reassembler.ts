// Handshake message reassembly (RFC 8446 §5.1): handshake messages may be
// coalesced into one record or fragmented across several; this turns the
// handshake records' fragments back into whole messages.

import { TlsError } from '../errors.js';
import type { HandshakeFrame } from '../wire/handshake.js';
import { HANDSHAKE_HEADER_LENGTH, handshakeTypeName } from '../wire/constants.js';
import { ByteQueue } from './byte-queue.js';

/** Options of {@link HandshakeReassembler}. */
export interface ReassemblerOptions {
  /**
   * Largest handshake message body accepted, in bytes. Default 65536: the
   * uint24 length allows 16 MiB, which a peer could announce to make us
   * buffer that much. Raise it for servers with very long certificate chains.
   */
  maxMessageLength?: number;
}

/** Default {@link ReassemblerOptions.maxMessageLength}: 64 KiB. */
export const DEFAULT_MAX_HANDSHAKE_MESSAGE = 65536;

/**
 * Reassembles handshake messages from the fragments of handshake records.
 *
 * The 4-byte header (msg_type, uint24 length) is checked against
 * `maxMessageLength` as soon as it is complete, before any of the body is
 * buffered; the failure (decode_error) surfaces from next() after the
 * messages before it. Bytes after an oversized header are dropped.
 *
 * §5.1: "Handshake messages MUST NOT span key changes" and must not be
 * interleaved with other record types. Before installing new keys, and on a
 * non-handshake record, the engine calls
 * {@link HandshakeReassembler.assertAtBoundary}, which throws
 * unexpected_message while any handshake byte is buffered.
 *
 * @example
 * const hs = new HandshakeReassembler();
 * hs.push(record.fragment);
 * for (let m = hs.next(); m; m = hs.next()) transcript.add(m.raw), handle(decodeHandshake(m));
 */
export class HandshakeReassembler {
  /** The body-length cap in force (see {@link ReassemblerOptions.maxMessageLength}). */
  readonly maxMessageLength: number;
  readonly #queue = new ByteQueue();
  readonly #header = new Uint8Array(HANDSHAKE_HEADER_LENGTH);
  #headerFill = 0;
  #bodyLeft = 0;
  #error: TlsError | undefined;

  /** @param options the size cap; throws RangeError unless it is an integer in 0..2^24-1 */
  constructor(options: ReassemblerOptions = {}) {
    const max = options.maxMessageLength ?? DEFAULT_MAX_HANDSHAKE_MESSAGE;
    if (!Number.isInteger(max) || max < 0 || max > 0xffffff) {
      throw new RangeError(`maxMessageLength must be an integer in 0..16777215, got ${max}`);
    }
    this.maxMessageLength = max;
  }

  /** True while any handshake byte is buffered: a partial message or messages not yet taken. */
  get hasPendingData(): boolean {
    return this.#queue.length + this.#headerFill > 0;
  }

  /** Bytes buffered. */
  get bufferedBytes(): number {
    return this.#queue.length + this.#headerFill;
  }

  /** Appends the fragment of one handshake record (copied). Never throws. */
  push(fragment: Uint8Array): void {
    let off = 0;
    while (off < fragment.length && this.#error === undefined) {
      if (this.#bodyLeft > 0) {
        const n = Math.min(this.#bodyLeft, fragment.length - off);
        this.#queue.append(fragment.subarray(off, off + n));
        this.#bodyLeft -= n;
        off += n;
        continue;
      }
      const n = Math.min(HANDSHAKE_HEADER_LENGTH - this.#headerFill, fragment.length - off);
      this.#header.set(fragment.subarray(off, off + n), this.#headerFill);
      this.#headerFill += n;
      off += n;
      if (this.#headerFill < HANDSHAKE_HEADER_LENGTH) return;
      const h = this.#header;
      const length = ((h[1] as number) << 16) | ((h[2] as number) << 8) | (h[3] as number);
      if (length > this.maxMessageLength) {
        this.#error = new TlsError(
          'decode_error',
          `Handshake: ${handshakeTypeName(h[0] as number)} of ${length} bytes exceeds the ${this.maxMessageLength}-byte limit (ReassemblerOptions.maxMessageLength)`,
        );
        h.fill(0);
        this.#headerFill = 0;
        return;
      }
      this.#queue.append(h);
      this.#headerFill = 0;
      this.#bodyLeft = length;
    }
  }

  /** The next complete message, or undefined when more fragments are needed. */
  next(): HandshakeFrame | undefined {
    const q = this.#queue;
    if (q.length >= HANDSHAKE_HEADER_LENGTH) {
      const length = (q.at(1) << 16) | (q.at(2) << 8) | q.at(3);
      if (q.length >= HANDSHAKE_HEADER_LENGTH + length) {
        const raw = q.take(HANDSHAKE_HEADER_LENGTH + length);
        return { msgType: raw[0] as number, body: raw.subarray(HANDSHAKE_HEADER_LENGTH), raw };
      }
    }
    if (this.#error !== undefined && q.length === 0) throw this.#error;
    return undefined;
  }

  /**
   * Throws unexpected_message when handshake bytes are buffered (§5.1): call
   * before a key change and when a record of another type arrives.
   * @param why what is happening, for the message ("a key change")
   */
  assertAtBoundary(why: string): void {
    if (this.hasPendingData) {
      throw new TlsError(
        'unexpected_message',
        `Handshake: ${this.bufferedBytes} handshake byte(s) still buffered at ${why}; a handshake message must not span it (RFC 8446 §5.1)`,
      );
    }
  }

  /** Drops (and zeroes) everything buffered. */
  clear(): void {
    this.#queue.clear();
    this.#header.fill(0);
    this.#headerFill = 0;
    this.#bodyLeft = 0;
  }
}
