// Handshake message reassembly (RFC 8446 §5.1): handshake messages may be
// coalesced into one record or fragmented across several; this turns the
// handshake records' fragments back into whole messages.

import { TlsError } from '../errors.js';
import type { HandshakeFrame } from '../wire/handshake.js';
import { HANDSHAKE_HEADER_LENGTH, handshakeTypeName } from '../wire/constants.js';

const EMPTY = new Uint8Array(0);

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
  // Memory: each message gets one buffer of exactly 4 + length bytes,
  // allocated once its header has passed the cap check and handed to the
  // caller by next(); no queue growing by doubling and no second copy
  // (bench/handshake-memory.ts: a connection stalled in a 60 KiB message
  // held 266 KiB with a doubling queue).
  /** Complete messages not yet taken, from #head on. */
  #messages: Uint8Array[] = [];
  #head = 0;
  /** Bytes in the complete messages not yet taken. */
  #completeBytes = 0;
  /** The message being filled (header included), or undefined between messages. */
  #current: Uint8Array | undefined;
  #fill = 0;
  readonly #header = new Uint8Array(HANDSHAKE_HEADER_LENGTH);
  #headerFill = 0;
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
    return this.bufferedBytes > 0;
  }

  /** Bytes buffered. */
  get bufferedBytes(): number {
    return this.#completeBytes + this.#fill + this.#headerFill;
  }

  /** Appends the fragment of one handshake record (copied). Never throws. */
  push(fragment: Uint8Array): void {
    let off = 0;
    while (off < fragment.length && this.#error === undefined) {
      const current = this.#current;
      if (current !== undefined) {
        const n = Math.min(current.length - this.#fill, fragment.length - off);
        current.set(fragment.subarray(off, off + n), this.#fill);
        this.#fill += n;
        off += n;
        if (this.#fill === current.length) this.#complete(current);
        continue;
      }
      const n = Math.min(HANDSHAKE_HEADER_LENGTH - this.#headerFill, fragment.length - off);
      this.#header.set(fragment.subarray(off, off + n), this.#headerFill);
      this.#headerFill += n;
      off += n;
      if (this.#headerFill < HANDSHAKE_HEADER_LENGTH) return;
      const h = this.#header;
      const length = ((h[1] as number) << 16) | ((h[2] as number) << 8) | (h[3] as number);
      this.#headerFill = 0;
      if (length > this.maxMessageLength) {
        this.#error = new TlsError(
          'decode_error',
          `Handshake: ${handshakeTypeName(h[0] as number)} of ${length} bytes exceeds the ${this.maxMessageLength}-byte limit (ReassemblerOptions.maxMessageLength)`,
        );
        h.fill(0);
        return;
      }
      const message = new Uint8Array(HANDSHAKE_HEADER_LENGTH + length);
      message.set(h);
      h.fill(0);
      this.#current = message;
      this.#fill = HANDSHAKE_HEADER_LENGTH;
      if (length === 0) this.#complete(message);
    }
  }

  /** The next complete message, or undefined when more fragments are needed. */
  next(): HandshakeFrame | undefined {
    const raw = this.#messages[this.#head];
    if (raw !== undefined) {
      this.#messages[this.#head++] = EMPTY;
      this.#completeBytes -= raw.length;
      if (this.#head === this.#messages.length) {
        this.#messages = [];
        this.#head = 0;
      }
      return { msgType: raw[0] as number, body: raw.subarray(HANDSHAKE_HEADER_LENGTH), raw };
    }
    if (this.#error !== undefined) throw this.#error;
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
    for (let i = this.#head; i < this.#messages.length; i++) (this.#messages[i] as Uint8Array).fill(0);
    this.#messages = [];
    this.#head = 0;
    this.#completeBytes = 0;
    this.#current?.fill(0);
    this.#current = undefined;
    this.#fill = 0;
    this.#header.fill(0);
    this.#headerFill = 0;
  }

  #complete(message: Uint8Array): void {
    this.#messages.push(message);
    this.#completeBytes += message.length;
    this.#current = undefined;
    this.#fill = 0;
  }
}
