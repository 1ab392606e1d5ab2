// The receive half of the record layer (RFC 8446 §5, §6; rustls
// conn/receive.rs, Go's halfConn): bytes from the transport in, handshake
// messages, application data and alerts out, with the record policies
// that do not depend on the handshake state:
//
// - which plaintext records are allowed once keys exist (§5);
// - change_cipher_spec: a single 0x01 byte, between the first ClientHello and
//   the peer's Finished, dropped (§5, §D.4), at most MAX_CHANGE_CIPHER_SPECS;
// - empty records: handshake and alert content must not be empty (§5.4),
//   empty application_data is dropped up to MAX_EMPTY_RECORDS in a row once
//   keys exist, and is unexpected_message before;
// - alerts: close_notify closes the read side, user_canceled is tolerated
//   up to MAX_WARNING_ALERTS, anything else is the peer's error (§6);
// - a server rejecting 0-RTT skips undecryptable records up to
//   EARLY_DATA_SKIP_LIMIT bytes (§4.2.10), until a record decrypts or the
//   next plaintext handshake record (ClientHello 2 after a HelloRetryRequest);
// - no handshake message may span a key change or another record type (§5.1).
//
// The engine (src/engine.ts) owns the handshake states; this class calls it
// back through a ReceiveHandler.

import { AlertDescription, TlsError } from '../errors.js';
import type { ReadEpoch, RecordProtector } from '../handshake/common.js';
import type { Tracer } from '../trace/tracer.js';
import { ContentType, contentTypeName } from '../wire/constants.js';
import { RecordDeframer, type TlsRecord } from './deframer.js';
import { HandshakeReassembler } from './handshake-reassembler.js';
import type { RecordProtection } from './protection.js';
import { concat } from '../../bindings/bytes.js';
import { Tls12Protection } from './tls12-protection.js';

/** Consecutive empty application_data records accepted (a peer could send them forever). */
export const MAX_EMPTY_RECORDS = 32;
/** change_cipher_spec records accepted per handshake (§D.4: a peer sends one). */
export const MAX_CHANGE_CIPHER_SPECS = 2;
/** user_canceled warning alerts accepted (§6.1). */
export const MAX_WARNING_ALERTS = 4;
/** Bytes of rejected 0-RTT records a server skips (§4.2.10: up to max_early_data_size; wasmtls never advertises any). */
export const EARLY_DATA_SKIP_LIMIT = 65536;

/** What the receive path needs from the engine. */
export interface ReceiveHandler {
  readonly side: 'client' | 'server';
  /** True until the handshake completed. */
  readonly handshaking: boolean;
  /** Handshake messages processed so far (a server's first one is the ClientHello). */
  readonly messagesReceived: number;
  /** The step-by-step trace, when on. */
  readonly tracer: Tracer | undefined;
  /** Whole handshake messages may be waiting in {@link RecordReceiver.reassembler}. */
  handshakeMessages(): void;
  /** Application data (non-empty) from a protected record. */
  applicationData(content: Uint8Array, record: TlsRecord): void;
  /** The peer's close_notify after the handshake: the read side is closed. */
  closeNotify(): void;
  /** TLS 1.2 was negotiated: ChangeCipherSpec is a protocol message (RFC 5246 §7.1). */
  readonly tls12: boolean;
  /** TLS 1.2: the peer's ChangeCipherSpec, for the handshake state (unexpected_message where it is not expected). */
  changeCipherSpec(): void;
}

/**
 * One connection's receive path: deframer, read protection, handshake
 * reassembly and the record policies above.
 *
 * @example
 * const rx = new RecordReceiver(65536, handler);
 * rx.receive(bytes, () => engine.stopped);
 */
export class RecordReceiver {
  readonly #deframer = new RecordDeframer();
  /** Handshake bytes to whole messages; the engine takes them with next(). */
  readonly reassembler: HandshakeReassembler;
  readonly #handler: ReceiveHandler;
  #read: RecordProtector | undefined;
  #epoch: ReadEpoch = 'handshake';
  #ccs = 0;
  #empty = 0;
  #warnings = 0;
  #earlySkip = 0;

  /**
   * @param maxHandshakeMessage largest handshake message accepted, bytes
   * @param handler the engine
   */
  constructor(maxHandshakeMessage: number, handler: ReceiveHandler) {
    this.reassembler = new HandshakeReassembler({ maxMessageLength: maxHandshakeMessage });
    this.#handler = handler;
  }

  /** True once a read key is installed. */
  get encrypted(): boolean {
    return this.#read !== undefined;
  }

  /** Processes every complete record in `bytes` (any fragmentation) until `stop()` says so. */
  receive(bytes: Uint8Array, stop: () => boolean): void {
    this.#deframer.push(bytes);
    for (;;) {
      const record = this.#deframer.next();
      if (record === undefined) return;
      this.#record(record);
      if (stop()) return;
    }
  }

  /** Replaces the read key; unexpected_message when a partial handshake message is buffered (§5.1). */
  setKey(protection: RecordProtector, epoch: ReadEpoch): void {
    this.reassembler.assertAtBoundary('a key change');
    this.#read?.dispose();
    this.#read = protection;
    this.#epoch = epoch;
  }

  /** TLS 1.2: the peer's Finished verified, application data may now come under the same key. */
  setEpoch(epoch: ReadEpoch): void {
    this.#epoch = epoch;
  }

  /** Server: early data was offered and is rejected; skip what cannot be decrypted, up to the budget (§4.2.10). */
  skipEarlyData(): void {
    this.#earlySkip = EARLY_DATA_SKIP_LIMIT;
  }

  /** The handshake completed: change_cipher_spec is no longer allowed at all. */
  handshakeDone(): void {
    this.#ccs = 0;
  }

  /** The read side is closed (close_notify): drops what is buffered and the key. */
  closeRead(): void {
    this.#deframer.clear();
    this.#read?.dispose();
    this.#read = undefined;
  }

  /** Wipes keys and buffers. */
  wipe(): void {
    this.closeRead();
    this.reassembler.clear();
  }

  /** One record off the wire (RFC 8446 §5). */
  #record(rec: TlsRecord): void {
    // TLS 1.2 after ChangeCipherSpec: every record but ChangeCipherSpec is protected under its real type (RFC 5246 §6.2.3).
    if (this.#read instanceof Tls12Protection && rec.type !== ContentType.change_cipher_spec) return this.#protected(rec);
    switch (rec.type) {
      case ContentType.change_cipher_spec:
        this.#changeCipherSpec(rec.fragment);
        this.#handler.tracer?.changeCipherSpec('received', concat([rec.header, rec.fragment]));
        return;
      case ContentType.alert:
        if (this.#read !== undefined && !this.#handler.handshaking) {
          throw new TlsError('unexpected_message', 'Record: a plaintext alert after the handshake (RFC 8446 §5)');
        }
        // During the handshake a peer that failed before it had our keys sends its alert in the clear.
        this.reassembler.assertAtBoundary('an alert record');
        return this.#alert(rec.fragment);
      case ContentType.handshake:
        if (this.#read !== undefined) throw new TlsError('unexpected_message', 'Record: a plaintext handshake record after keys were installed (RFC 8446 §5)');
        // §4.2.10: rejected 0-RTT records are skipped up to the next ClientHello (after a HelloRetryRequest,
        // ClientHello 2, which cannot offer early data) or the first record that decrypts; no further.
        this.#earlySkip = 0;
        this.reassembler.push(rec.fragment);
        return this.#handler.handshakeMessages();
      default:
        return this.#protected(rec);
    }
  }

  /** §5: a single 0x01 byte, between the first ClientHello and the peer's Finished, is dropped; anything else is unexpected_message. */
  #changeCipherSpec(fragment: Uint8Array): void {
    this.reassembler.assertAtBoundary('a change_cipher_spec record');
    const h = this.#handler;
    if (h.tls12) {
      if (fragment.length !== 1 || fragment[0] !== 1) {
        throw new TlsError('unexpected_message', `Record: ChangeCipherSpec must be the single byte 0x01, got ${fragment.length} byte(s) (RFC 5246 §7.1)`);
      }
      return h.changeCipherSpec();
    }
    if (!h.handshaking || (h.side === 'server' && h.messagesReceived === 0)) {
      throw new TlsError('unexpected_message', `Record: change_cipher_spec ${h.handshaking ? 'before the first ClientHello' : 'after the handshake'} (RFC 8446 §5)`);
    }
    if (fragment.length !== 1 || fragment[0] !== 1) {
      throw new TlsError('unexpected_message', `Record: change_cipher_spec must be the single byte 0x01, got ${fragment.length} byte(s) (RFC 8446 §5)`);
    }
    if (++this.#ccs > MAX_CHANGE_CIPHER_SPECS) throw new TlsError('unexpected_message', `Record: more than ${MAX_CHANGE_CIPHER_SPECS} change_cipher_spec records`);
  }

  #protected(rec: TlsRecord): void {
    const read = this.#read;
    if (read === undefined) {
      // §5.1: no record of another type between the fragments of a handshake message.
      this.reassembler.assertAtBoundary('a protected record');
      // An empty record is no early data: nothing may be dropped before a key exists without a budget (§5).
      if (this.#earlySkip > 0 && this.#earlySkip >= rec.fragment.length) {
        this.#earlySkip -= rec.fragment.length;
        return;
      }
      throw new TlsError('unexpected_message', `Record: ${contentTypeName(rec.type)} record before any key was agreed (RFC 8446 §5)`);
    }
    let inner: { type: number; content: Uint8Array };
    try {
      inner = read.open(rec.header, rec.fragment);
    } catch (e) {
      // §4.2.10: a server rejecting 0-RTT skips records it cannot decrypt, up to a limit.
      if (e instanceof TlsError && e.alert === 'bad_record_mac' && this.#earlySkip >= rec.fragment.length) {
        this.#earlySkip -= rec.fragment.length;
        return;
      }
      throw e;
    }
    this.#earlySkip = 0;
    const { type, content } = inner;
    switch (type) {
      case ContentType.handshake:
        if (content.length === 0) throw new TlsError('unexpected_message', 'Record: an empty handshake record (RFC 8446 §5.4)');
        this.reassembler.push(content);
        content.fill(0);
        return this.#handler.handshakeMessages();
      case ContentType.alert:
        if (content.length === 0) throw new TlsError('unexpected_message', 'Record: an empty alert record (RFC 8446 §5.4)');
        this.reassembler.assertAtBoundary('an alert record');
        return this.#alert(content);
      case ContentType.application_data: {
        this.reassembler.assertAtBoundary('application data');
        if (this.#epoch !== 'application') {
          throw new TlsError('unexpected_message', 'Record: application data before the handshake completed (RFC 8446 §2)');
        }
        if (content.length === 0) {
          if (++this.#empty > MAX_EMPTY_RECORDS) throw new TlsError('unexpected_message', `Record: more than ${MAX_EMPTY_RECORDS} empty application_data records in a row`);
          return;
        }
        this.#empty = 0;
        return this.#handler.applicationData(content, rec);
      }
      default:
        throw new TlsError('unexpected_message', `Record: inner content type ${contentTypeName(type)} is not allowed in a protected record (RFC 8446 §5)`);
    }
  }

  /** An alert (RFC 8446 §6). */
  #alert(fragment: Uint8Array): void {
    if (fragment.length !== 2) throw new TlsError('decode_error', `Alert: ${fragment.length} bytes, an alert is exactly 2 (RFC 8446 §6)`);
    const code = fragment[1] as number;
    const h = this.#handler;
    h.tracer?.alert('received', fragment[0] as number, code, this.#read !== undefined, !h.handshaking);
    if (code === AlertDescription.close_notify) {
      if (h.handshaking) {
        throw new TlsError('close_notify', 'the peer closed the connection (close_notify) before the handshake completed', { side: 'remote', reason: 'closed' });
      }
      this.closeRead();
      return h.closeNotify();
    }
    if (code === AlertDescription.user_canceled) {
      // §6.1: user_canceled cancels the handshake and is followed by close_notify.
      if (++this.#warnings > MAX_WARNING_ALERTS) throw new TlsError('unexpected_message', `Alert: more than ${MAX_WARNING_ALERTS} user_canceled alerts`);
      return;
    }
    // §6: every other alert is an error alert, whatever its level.
    throw TlsError.fromAlert(code);
  }
}
