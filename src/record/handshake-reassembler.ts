// Handshake message reassembly (RFC 8446 §5.1): handshake messages may be
// coalesced into one record or fragmented across several; this turns the
// handshake records' fragments back into whole messages.

import { TlsError } from '../errors.js';
import type { HandshakeFrame } from '../wire/handshake.js';
import { HANDSHAKE_HEADER_LENGTH, handshakeTypeName } from '../wire/constants.js';
import { FrameAssembler } from './frame-assembler.js';

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
  readonly #frames: FrameAssembler;

  /** @param options the size cap; throws RangeError unless it is an integer in 0..2^24-1 */
  constructor(options: ReassemblerOptions = {}) {
    const max = options.maxMessageLength ?? DEFAULT_MAX_HANDSHAKE_MESSAGE;
    if (!Number.isInteger(max) || max < 0 || max > 0xffffff) {
      throw new RangeError(`maxMessageLength must be an integer in 0..16777215, got ${max}`);
    }
    this.maxMessageLength = max;
    this.#frames = new FrameAssembler(HANDSHAKE_HEADER_LENGTH, (h) => {
      const length = ((h[1] as number) << 16) | ((h[2] as number) << 8) | (h[3] as number);
      if (length <= max) return length;
      return new TlsError(
        'decode_error',
        `Handshake: ${handshakeTypeName(h[0] as number)} of ${length} bytes exceeds the ${max}-byte limit (ReassemblerOptions.maxMessageLength)`,
      );
    });
  }

  /** True while any handshake byte is buffered: a partial message or messages not yet taken. */
  get hasPendingData(): boolean {
    return this.bufferedBytes > 0;
  }

  /** Bytes buffered. */
  get bufferedBytes(): number {
    return this.#frames.bufferedBytes;
  }

  /** Appends the fragment of one handshake record (copied). Never throws. */
  push(fragment: Uint8Array): void {
    this.#frames.push(fragment);
  }

  /** The next complete message, or undefined when more fragments are needed. */
  next(): HandshakeFrame | undefined {
    const raw = this.#frames.take();
    if (raw === undefined) return undefined;
    return { msgType: raw[0] as number, body: raw.subarray(HANDSHAKE_HEADER_LENGTH), raw };
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
    this.#frames.clear();
  }
}
