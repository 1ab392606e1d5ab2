// The send half of the record layer (RFC 8446 §5; rustls conn/send.rs):
// handshake messages coalesced into as few records as fit, the dummy
// change_cipher_spec, alerts and application data, sealed under the current
// write key or framed in the clear before there is one, queued for the
// transport in order.

import { internalError } from '../errors.js';
import type { Tracer } from '../trace/tracer.js';
import { ContentType, MAX_PLAINTEXT_LENGTH } from '../wire/constants.js';
import { frameRecords } from './framer.js';
import type { RecordProtection } from './protection.js';
import { concat } from '../../bindings/bytes.js';
import type { RecordProtector } from '../handshake/common.js';

/** The middlebox-compatibility change_cipher_spec record (RFC 8446 §D.4). */
const CCS_RECORD = Uint8Array.of(ContentType.change_cipher_spec, 0x03, 0x03, 0x00, 0x01, 0x01);

/**
 * One connection's send path. Handshake messages are queued by
 * {@link RecordSender.queueHandshake} and framed together by
 * {@link RecordSender.flushHandshake} (called before anything else is sent
 * and before a key change), so one flight goes out in as few records as fit.
 *
 * @example
 * const tx = new RecordSender('client');
 * tx.queueHandshake(clientHelloBytes);
 * tx.flushHandshake();
 * for (const chunk of tx.take()) socket.write(chunk);
 */
export class RecordSender {
  /** The step-by-step trace, when on (set by the engine). */
  tracer: Tracer | undefined;
  #write: RecordProtector | undefined;
  #out: Uint8Array[] = [];
  #pending: Uint8Array[] = [];
  /** §5.1: a client's first ClientHello may go out at legacy_record_version 0x0301. */
  #initialClientHello: boolean;
  /** §D.4: the dummy change_cipher_spec is still to be sent before the first encrypted record. */
  #ccsDue: boolean;
  #ccsSent = false;

  /**
   * @param side `'client'` frames its first ClientHello at 0x0301 (§5.1)
   * @param middleboxCompat a client in compatibility mode (§D.4): the one
   *   dummy change_cipher_spec goes out before its first encrypted record of
   *   any kind, an alert included, if the handshake has not sent it earlier
   */
  constructor(side: 'client' | 'server', middleboxCompat = false) {
    this.#initialClientHello = side === 'client';
    this.#ccsDue = side === 'client' && middleboxCompat;
  }

  /** True once a write key is installed. */
  get encrypted(): boolean {
    return this.#write !== undefined;
  }

  /** True when records wait for {@link RecordSender.take}. */
  get hasOutput(): boolean {
    return this.#out.length > 0;
  }

  /** True when the write key reached its usage limit (§5.5): a KeyUpdate is due. */
  get keyExhausted(): boolean {
    return this.#write?.exhausted === true;
  }

  /** Takes the records to send, in order. */
  take(): Uint8Array[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /** Queues an encoded handshake message (header included); it goes out with the next flush. */
  queueHandshake(raw: Uint8Array): void {
    this.#pending.push(raw);
  }

  /** Frames queued handshake messages: coalesced, in records of at most 2^14 bytes. */
  flushHandshake(): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const data = concat(pending);
    if (this.#write !== undefined) {
      this.#ccsBeforeEncrypted();
      for (let off = 0; off < data.length; off += MAX_PLAINTEXT_LENGTH) {
        this.#out.push(this.#write.seal(ContentType.handshake, data.subarray(off, Math.min(off + MAX_PLAINTEXT_LENGTH, data.length))));
      }
      data.fill(0);
    } else {
      // §5.1: 0x0301 is allowed for an initial ClientHello only; 0x0303 otherwise.
      const version = this.#initialClientHello ? 0x0301 : 0x0303;
      this.#initialClientHello = false;
      this.#out.push(frameRecords(ContentType.handshake, data, version));
    }
  }

  /** Queues the dummy change_cipher_spec (§D.4), after the handshake bytes queued so far; only one is ever sent. */
  changeCipherSpec(): void {
    this.flushHandshake();
    if (this.#ccsSent) return;
    this.#ccsDue = false;
    this.#ccsSent = true;
    this.#out.push(CCS_RECORD.slice());
    this.tracer?.changeCipherSpec('sent', CCS_RECORD);
  }

  /** Compatibility mode: the change_cipher_spec not sent yet goes before the first encrypted record (§D.4). */
  #ccsBeforeEncrypted(): void {
    if (!this.#ccsDue) return;
    this.#ccsDue = false;
    this.#ccsSent = true;
    this.#out.push(CCS_RECORD.slice());
    this.tracer?.changeCipherSpec('sent', CCS_RECORD);
  }

  /** Replaces the write key, after sealing queued handshake bytes under the old one. */
  setKey(protection: RecordProtector): void {
    this.flushHandshake();
    this.#write?.dispose();
    this.#write = protection;
  }

  /** Queues an alert (§6), encrypted once there is a write key. */
  alert(level: 1 | 2, code: number, connected: boolean): void {
    this.flushHandshake();
    const body = Uint8Array.of(level, code);
    if (this.#write !== undefined) this.#ccsBeforeEncrypted();
    this.tracer?.alert('sent', level, code, this.#write !== undefined, connected);
    this.#out.push(this.#write !== undefined ? this.#write.seal(ContentType.alert, body) : frameRecords(ContentType.alert, body));
  }

  /**
   * Seals application data in records of at most 2^14 bytes. `beforeRecord`
   * runs before each record while the key is exhausted (§5.5): the engine
   * sends its KeyUpdate there.
   */
  applicationData(data: Uint8Array, beforeRecord: () => void): void {
    for (let off = 0; off < data.length; off += MAX_PLAINTEXT_LENGTH) {
      if (this.keyExhausted) {
        beforeRecord();
        this.flushHandshake();
      }
      const w = this.#write;
      if (w === undefined) throw internalError('no write key for application data');
      this.#ccsBeforeEncrypted();
      const piece = data.subarray(off, Math.min(off + MAX_PLAINTEXT_LENGTH, data.length));
      const record = w.seal(ContentType.application_data, piece);
      this.tracer?.applicationData('sent', record, piece);
      this.#out.push(record);
    }
  }

  /** Our write side is closed (close_notify sent): the key is wiped. */
  closeWrite(): void {
    this.#write?.dispose();
    this.#write = undefined;
  }

  /** Wipes the key and queued handshake bytes (records already queued stay, to be sent). */
  wipe(): void {
    this.closeWrite();
    for (const p of this.#pending) p.fill(0);
    this.#pending = [];
  }
}
