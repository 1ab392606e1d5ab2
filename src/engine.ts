// The sans-I/O TLS 1.3 engine (RFC 8446): bytes in, bytes out, events.
//
//   transport bytes ─> receive() ─> RecordDeframer ─> RecordProtection.open
//       ─> HandshakeReassembler ─> state.handle() (src/handshake)
//   write()/close()/keyUpdate() ─> RecordProtection.seal ─> takeOutput() ─> transport
//
// The engine owns records, keys and events; the handshake states own the
// protocol decisions and act only through the HandshakeContext below. It
// never does I/O, never starts timers and never calls the clock except
// through the `now` option (certificate validation).

import { clientConfig, serverConfig, type TlsClientConfig, type TlsServerConfig } from './config.js';
import { AlertDescription, internalError, TlsError } from './errors.js';
import type { TrafficSecret } from './keyschedule.js';
import type { AeadCipher, CryptoProvider } from './provider.js';
import { RecordDeframer, type TlsRecord } from './record/deframer.js';
import { frameRecords } from './record/framer.js';
import { HandshakeReassembler } from './record/handshake-reassembler.js';
import { defaultRecordLimit, RecordProtection } from './record/protection.js';
import { Tls12Protection } from './record/tls12-protection.js';
import { Connected12 } from './handshake/tls12/connected.js';
import { startClient } from './handshake/client.js';
import type { CommonConfig, HandshakeContext, HandshakeState, KeyLogLabel, ReadEpoch, RecordProtector, TestHooks } from './handshake/common.js';
import { Connected } from './handshake/connected.js';
import { startServer } from './handshake/server.js';
import { CIPHER_SUITE_PARAMS, ContentType, contentTypeName, HandshakeType, handshakeTypeName, MAX_PLAINTEXT_LENGTH } from './wire/constants.js';
import { decodeHandshake, encodeHandshake, type HandshakeMessage } from './wire/handshake.js';
import type { TraceEvent } from './trace/event.js';
import { Tracer } from './trace/tracer.js';
import type { HandshakeInfo, TlsClientOptions, TlsEvents, TlsServerOptions } from './types.js';

export type { CertificateInput, HandshakeInfo, KeyInput, TlsClientOptions, TlsCommonOptions, TlsEvents, TlsServerOptions, TraceEvent } from './types.js';
export { clientConfig, serverConfig, type TlsClientConfig, type TlsServerConfig } from './config.js';

/** Consecutive empty application_data records accepted (a peer could send them forever). */
export const MAX_EMPTY_RECORDS = 32;
/** change_cipher_spec records accepted per handshake (§D.4: a peer sends one). */
export const MAX_CHANGE_CIPHER_SPECS = 2;
/** user_canceled warning alerts accepted (§6.1). */
export const MAX_WARNING_ALERTS = 4;
/** Bytes of rejected 0-RTT records a server skips (§4.2.10: up to max_early_data_size; wasmtls never advertises any). */
export const EARLY_DATA_SKIP_LIMIT = 65536;

const CCS_RECORD = Uint8Array.of(ContentType.change_cipher_spec, 0x03, 0x03, 0x00, 0x01, 0x01);

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

type Listeners = { [K in keyof TlsEvents]: TlsEvents[K][] };

/**
 * The part of the engine shared by {@link TlsClient} and {@link TlsServer}.
 *
 * Drive it with bytes: call {@link TlsConnection.receive} with what the
 * transport read, {@link TlsConnection.takeOutput} after every call and
 * write what it returns to the transport, and
 * {@link TlsConnection.transportClosed} when the transport reaches its end.
 * Listeners run synchronously inside these calls; they may call `write()`,
 * `close()` and `keyUpdate()`, but not `receive()`.
 *
 * Errors: every protocol failure is a {@link TlsError}. The engine queues
 * the fatal alert (encrypted once keys exist), emits `error` once, wipes its
 * secrets and ignores all later input. With no `error` listener the error
 * is thrown from the call that caused it instead, like a Node EventEmitter.
 * A transport that ends without the peer's close_notify is reported as a
 * TlsError with `alert: 'close_notify'`, `side: 'remote'` and a message
 * starting with `truncated:` (nothing is sent for it).
 *
 * Not here, by design (the transport's job): timeouts (handshake, idle),
 * limits on concurrent connections, back-pressure.
 */
export abstract class TlsConnection {
  /** `'client'` or `'server'`. */
  abstract readonly side: 'client' | 'server';
  readonly #provider: CryptoProvider;
  readonly #common: CommonConfig;
  readonly #deframer = new RecordDeframer();
  readonly #reassembler: HandshakeReassembler;
  readonly #listeners: Listeners = { handshake: [], data: [], close: [], error: [], trace: [] };
  readonly #keylog: ((line: string) => void) | undefined;
  readonly #traceSinks: readonly ((event: TraceEvent) => void)[];
  readonly #traceEvents: boolean;
  /** Client: what the trace says about the certificate check. */
  readonly #traceCertificate: { enforced: boolean; serverName: string | undefined };
  #tracer: Tracer | undefined;
  /** Trace events waiting for the first `trace` listener (option `trace: true`). */
  #traceBacklog: TraceEvent[] = [];
  readonly #hooks: TestHooks | undefined;
  readonly #now: () => Date;
  readonly #ctx: HandshakeContext;

  #state: HandshakeState | undefined;
  #phase: 'handshake' | 'connected' | 'failed' = 'handshake';
  #read: RecordProtector | undefined;
  #readEpoch: ReadEpoch = 'handshake';
  #write: RecordProtector | undefined;
  /** TLS 1.2 was negotiated: ChangeCipherSpec is a protocol message (RFC 5246 §7.1). */
  #tls12 = false;
  #out: Uint8Array[] = [];
  #pendingHandshake: Uint8Array[] = [];
  #initialClientHello = true;
  #messagesReceived = 0;
  #ccsReceived = 0;
  #emptyRecords = 0;
  #warningAlerts = 0;
  #earlySkip = 0;
  #readClosed = false;
  #writeClosed = false;
  #closeQueued = false;
  #queuedWrites: Uint8Array[] = [];
  #done: HandshakeInfo | undefined;
  #info: HandshakeInfo | undefined;
  #error: TlsError | undefined;
  #busy = false;

  protected constructor(config: TlsClientConfig | TlsServerConfig) {
    this.#provider = config.provider;
    this.#common = config;
    const settings = config.engine;
    this.#reassembler = new HandshakeReassembler({ maxMessageLength: settings.maxHandshakeMessageSize });
    this.#keylog = settings.keylog;
    this.#traceSinks = settings.traceSinks;
    this.#traceEvents = settings.traceEvents;
    this.#traceCertificate =
      config.side === 'client' ? { enforced: config.rejectUnauthorized, serverName: config.serverName } : { enforced: true, serverName: undefined };
    this.#hooks = settings.hooks;
    this.#now = settings.now;
    this.#ctx = this.#makeContext();
  }

  /** Starts the handshake state machine (the client sends its ClientHello here). */
  protected begin(start: (ctx: HandshakeContext) => HandshakeState): void {
    if (this.#traceEvents || this.#traceSinks.length > 0) {
      this.#tracer = new Tracer({
        side: this.side,
        emit: (e) => this.#emitTrace(e),
        enforcesCertificate: this.#traceCertificate.enforced,
        serverName: this.#traceCertificate.serverName,
      });
    }
    this.#state = start(this.#ctx);
    this.#flushHandshake();
  }

  /** Subscribes to an event. */
  on<K extends keyof TlsEvents>(event: K, listener: TlsEvents[K]): this {
    this.#listeners[event].push(listener);
    if (event === 'trace' && this.#traceBacklog.length > 0) {
      const backlog = this.#traceBacklog;
      this.#traceBacklog = [];
      for (const e of backlog) (listener as TlsEvents['trace'])(e);
    }
    return this;
  }

  /** Unsubscribes. */
  off<K extends keyof TlsEvents>(event: K, listener: TlsEvents[K]): this {
    const list = this.#listeners[event] as TlsEvents[K][];
    const i = list.indexOf(listener);
    if (i !== -1) list.splice(i, 1);
    return this;
  }

  /** The handshake result, once the `handshake` event fired. */
  get handshakeInfo(): HandshakeInfo | undefined {
    return this.#info;
  }

  /** The error that ended the connection, if any. */
  get error(): TlsError | undefined {
    return this.#error;
  }

  /** The current handshake state's name (`'ExpectServerHello'`, ..., `'Connected'`), or `'Failed'`. */
  get stateName(): string {
    return this.#phase === 'failed' ? 'Failed' : (this.#state?.name ?? 'Start');
  }

  /** True between the `handshake` event and an error or a full close. */
  get connected(): boolean {
    return this.#phase === 'connected';
  }

  /** True once the peer's close_notify arrived. */
  get readClosed(): boolean {
    return this.#readClosed;
  }

  /** True once our close_notify (or a fatal alert) was queued. */
  get writeClosed(): boolean {
    return this.#writeClosed;
  }

  /** True when output is waiting for {@link TlsConnection.takeOutput}. */
  get hasOutput(): boolean {
    return this.#out.length > 0;
  }

  /**
   * Feeds bytes read from the transport (any fragmentation). Processes every
   * complete record; events fire synchronously. Ignored after an error or
   * after the peer's close_notify (RFC 8446 §6.1).
   */
  receive(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('receive(bytes): bytes must be a Uint8Array');
    this.#enter();
    try {
      if (this.#phase === 'failed' || this.#readClosed) return;
      this.#deframer.push(bytes);
      for (;;) {
        const record = this.#deframer.next();
        if (record === undefined) break;
        this.#record(record);
        if (this.#readClosed || (this.#phase as string) === 'failed') break;
      }
      this.#flushHandshake();
    } catch (e) {
      this.#fail(e, true);
    } finally {
      this.#busy = false;
    }
    this.#throwIfUnheard();
  }

  /**
   * Takes the bytes to send to the peer, in order, and clears the queue.
   * Call it after every other method.
   */
  takeOutput(): Uint8Array[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /**
   * Sends application data, split into records of at most 2^14 bytes. Before
   * the handshake completes it is queued and sent right after it. Throws an
   * Error after close(); ignored after an error.
   */
  write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError('write(data): data must be a Uint8Array');
    if (this.#phase === 'failed') return;
    if (this.#writeClosed || this.#closeQueued) throw new Error('write after close()');
    if (this.#phase === 'handshake') {
      this.#queuedWrites.push(data.slice());
      return;
    }
    this.#guard(() => this.#sealApplicationData(data));
  }

  /**
   * Sends close_notify (RFC 8446 §6.1) and closes our write side; the peer
   * may keep sending until its own close_notify (`close` event). During the
   * handshake, the close is queued after any queued data.
   */
  close(): void {
    if (this.#phase === 'failed' || this.#writeClosed) return;
    if (this.#phase === 'handshake') {
      this.#closeQueued = true;
      return;
    }
    this.#guard(() => this.#sendCloseNotify());
  }

  /**
   * Sends a KeyUpdate (RFC 8446 §4.6.3) and switches to the next write key;
   * with `requestPeer`, asks the peer to update its key too.
   */
  keyUpdate(requestPeer = false): void {
    const state = this.#state;
    if (state instanceof Connected12) throw new Error('keyUpdate(): this connection is TLS 1.2, which has no KeyUpdate (RFC 8446 §4.6.3 is TLS 1.3 only)');
    if (this.#phase !== 'connected' || !(state instanceof Connected)) throw new Error('keyUpdate() needs a completed handshake');
    if (this.#writeClosed) throw new Error('keyUpdate() after close()');
    this.#guard(() => {
      state.sendKeyUpdate(this.#ctx, requestPeer === true);
      this.#flushHandshake();
    });
  }

  /**
   * Keying material exported from the connection (RFC 8446 §7.5, RFC 5705).
   * @param length bytes wanted
   * @param label the exporter label
   * @param context optional context (absent and empty are the same in TLS 1.3, different in TLS 1.2: RFC 5705 §4)
   */
  exportKeyingMaterial(length: number, label: string, context?: Uint8Array): Uint8Array {
    const state = this.#state;
    if (this.#phase !== 'connected' || !(state instanceof Connected || state instanceof Connected12)) throw new Error('exportKeyingMaterial() needs a completed handshake');
    if (!Number.isInteger(length) || length < 0 || length > 255 * 64) throw new RangeError(`length must be an integer in 0..16320, got ${length}`);
    if (context !== undefined && !(context instanceof Uint8Array)) throw new TypeError('context must be a Uint8Array');
    if (state instanceof Connected12) return state.exportKeyingMaterial(label, context, length);
    // HkdfLabel holds "tls13 " + label in at most 255 bytes (RFC 8446 §7.1).
    const labelLength = new TextEncoder().encode(label).length;
    if (labelLength > 249) throw new RangeError(`label must be at most 249 bytes of UTF-8, got ${labelLength}`);
    return state.exportKeyingMaterial(label, context ?? new Uint8Array(0), length);
  }

  /**
   * The transport reached its end (TCP FIN, stream closed). Without the
   * peer's close_notify first, this is a truncation (RFC 8446 §6.1) and is
   * reported as an error; after it, a clean end. Wipes every secret.
   */
  transportClosed(): void {
    if (this.#phase !== 'failed' && !this.#readClosed) {
      const during = this.#phase === 'handshake' ? ' during the handshake' : '';
      this.#fail(
        new TlsError('close_notify', `truncated: the transport closed${during} without the peer's close_notify (RFC 8446 §6.1); data may be missing`, { side: 'remote' }),
        false,
      );
    } else {
      this.#wipe();
    }
    this.#throwIfUnheard();
  }

  // ---- internals --------------------------------------------------------

  #enter(): void {
    if (this.#busy) throw new Error('receive() may not be called from an event listener of the same connection');
    this.#busy = true;
  }

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#fail(e, true);
    }
    this.#throwIfUnheard();
  }

  #emit<K extends keyof TlsEvents>(event: K, ...args: Parameters<TlsEvents[K]>): void {
    for (const l of [...this.#listeners[event]]) (l as (...a: Parameters<TlsEvents[K]>) => void)(...args);
  }

  #emitTrace(event: TraceEvent): void {
    for (const sink of this.#traceSinks) sink(event);
    if (!this.#traceEvents) return;
    // The backlog is bounded: a handshake has about 12 events; beyond that nobody is listening.
    if (this.#listeners.trace.length === 0) {
      if (this.#traceBacklog.length < 64) this.#traceBacklog.push(event);
    } else {
      this.#emit('trace', event);
    }
  }

  #unheard: TlsError | undefined;

  #throwIfUnheard(): void {
    const e = this.#unheard;
    if (e !== undefined) {
      this.#unheard = undefined;
      throw e;
    }
  }

  /** The one way a connection fails: alert, event, wipe, then silence. */
  #fail(e: unknown, sendAlert: boolean): void {
    if (this.#phase === 'failed') return;
    const err =
      e instanceof TlsError ? e : new TlsError('internal_error', `internal error: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    this.#phase = 'failed';
    this.#error = err;
    if (sendAlert && err.side === 'local' && !this.#writeClosed && err.alert !== 'close_notify') {
      try {
        this.#sendAlert(2, err.code);
      } catch {
        // The alert is best effort; the error is reported either way.
      }
    }
    this.#writeClosed = true;
    this.#wipe();
    if (this.#listeners.error.length === 0) this.#unheard = err;
    else this.#emit('error', err);
  }

  #wipe(): void {
    if (this.#state instanceof Connected || this.#state instanceof Connected12) this.#state.wipe();
    this.#read?.dispose();
    this.#write?.dispose();
    this.#read = undefined;
    this.#write = undefined;
    this.#deframer.clear();
    this.#reassembler.clear();
    for (const q of this.#queuedWrites) q.fill(0);
    this.#queuedWrites = [];
    for (const p of this.#pendingHandshake) p.fill(0);
    this.#pendingHandshake = [];
  }

  #makeContext(): HandshakeContext {
    const self = this;
    return {
      provider: this.#provider,
      get writable() {
        return !self.#writeClosed;
      },
      sendHandshake: (m) => this.#sendHandshake(m),
      sendChangeCipherSpec: () => {
        this.#flushHandshake();
        this.#out.push(CCS_RECORD.slice());
        this.#tracer?.changeCipherSpec('sent', CCS_RECORD);
      },
      setWriteKey: (suite, secret) => {
        this.#flushHandshake();
        this.#write?.dispose();
        this.#write = this.#protection(suite, secret);
        this.#tracer?.keyInstalled('write', suite);
      },
      setReadKey: (suite, secret, epoch) => {
        // §5.1: handshake messages must not span a key change.
        this.#reassembler.assertAtBoundary('a key change');
        this.#read?.dispose();
        this.#read = this.#protection(suite, secret);
        this.#readEpoch = epoch;
        this.#tracer?.keyInstalled('read', suite);
      },
      skipEarlyData: () => {
        this.#earlySkip = EARLY_DATA_SKIP_LIMIT;
      },
      keyLog: (label: KeyLogLabel, clientRandom, secret) => {
        if (this.#keylog === undefined) return;
        const bytes = secret.exportSecret();
        const line = `${label} ${hex(clientRandom)} ${hex(bytes)}`;
        bytes.fill(0);
        this.#keylog(line);
      },
      handshakeDone: (info) => {
        this.#done = info;
      },
      now: this.#now,
      negotiatedTls12: (suite) => {
        this.#tls12 = true;
        this.#tracer?.tls12(suite);
      },
      setWriteProtection: (p) => {
        this.#flushHandshake();
        this.#write?.dispose();
        this.#write = p;
      },
      setReadProtection: (p, epoch) => {
        // RFC 5246 §7.1 / RFC 8446 §5.1: no handshake message spans a key change.
        this.#reassembler.assertAtBoundary('a ChangeCipherSpec');
        this.#read?.dispose();
        this.#read = p;
        this.#readEpoch = epoch;
      },
      setReadEpoch: (epoch) => {
        this.#readEpoch = epoch;
      },
      sendWarningAlert: (code) => this.#sendAlert(1, code),
    };
  }

  #protection(suite: number, secret: TrafficSecret): RecordProtection {
    const params = CIPHER_SUITE_PARAMS[suite];
    if (params === undefined) throw internalError(`no record parameters for suite 0x${suite.toString(16)}`);
    const keys = secret.keys(params.keyLength, params.ivLength);
    let aead: AeadCipher;
    try {
      aead = this.#provider.aead(suite, keys.key);
    } finally {
      keys.key.fill(0);
    }
    const p = new RecordProtection(aead, keys.iv, this.#common.keyUpdateAfterRecords ?? defaultRecordLimit(suite));
    keys.iv.fill(0);
    return p;
  }

  #sendHandshake(message: HandshakeMessage): { raw: Uint8Array; message: HandshakeMessage } | undefined {
    let m: HandshakeMessage | Uint8Array | null = message;
    if (this.#hooks?.handshake !== undefined) m = this.#hooks.handshake(message);
    if (m === null) return undefined;
    const raw = m instanceof Uint8Array ? m : encodeHandshake(m);
    const sent = m instanceof Uint8Array ? message : m;
    this.#tracer?.sent(raw, sent, this.#write !== undefined);
    this.#pendingHandshake.push(raw);
    return { raw, message: sent };
  }

  /** Frames queued handshake messages: coalesced, in records of at most 2^14 bytes. */
  #flushHandshake(): void {
    const pending = this.#pendingHandshake;
    if (pending.length === 0) return;
    this.#pendingHandshake = [];
    let total = 0;
    for (const p of pending) total += p.length;
    const data = new Uint8Array(total);
    let at = 0;
    for (const p of pending) {
      data.set(p, at);
      at += p.length;
    }
    if (this.#write !== undefined) {
      for (let off = 0; off < data.length; off += MAX_PLAINTEXT_LENGTH) {
        this.#out.push(this.#write.seal(ContentType.handshake, data.subarray(off, Math.min(off + MAX_PLAINTEXT_LENGTH, data.length))));
      }
      data.fill(0);
    } else {
      // §5.1: 0x0301 is allowed for an initial ClientHello only; 0x0303 otherwise.
      const version = this.side === 'client' && this.#initialClientHello ? 0x0301 : 0x0303;
      this.#initialClientHello = false;
      this.#out.push(frameRecords(ContentType.handshake, data, version));
    }
  }

  #sendAlert(level: 1 | 2, code: number): void {
    this.#flushHandshake();
    const body = Uint8Array.of(level, code);
    this.#tracer?.alert('sent', level, code, this.#write !== undefined, this.#phase === 'connected');
    this.#out.push(this.#write !== undefined ? this.#write.seal(ContentType.alert, body) : frameRecords(ContentType.alert, body));
  }

  #sendCloseNotify(): void {
    this.#sendAlert(1, AlertDescription.close_notify);
    this.#writeClosed = true;
    this.#write?.dispose();
    this.#write = undefined;
    if (this.#readClosed) this.#wipe();
  }

  #sealApplicationData(data: Uint8Array): void {
    const state = this.#state;
    for (let off = 0; off < data.length; off += MAX_PLAINTEXT_LENGTH) {
      const w = this.#write;
      if (w === undefined) throw internalError('no write key for application data');
      if (w.exhausted && state instanceof Connected) {
        // §5.5: update the key before the AEAD's limit is passed.
        state.sendKeyUpdate(this.#ctx, false);
        this.#flushHandshake();
      }
      const piece = data.subarray(off, Math.min(off + MAX_PLAINTEXT_LENGTH, data.length));
      const record = (this.#write as RecordProtection).seal(ContentType.application_data, piece);
      this.#tracer?.applicationData('sent', record, piece);
      this.#out.push(record);
    }
  }

  /** One record off the wire (RFC 8446 §5). */
  #record(rec: TlsRecord): void {
    // TLS 1.2 after ChangeCipherSpec: every record but ChangeCipherSpec is protected under its real type (RFC 5246 §6.2.3).
    if (this.#read instanceof Tls12Protection && rec.type !== ContentType.change_cipher_spec) return this.#protected(rec);
    switch (rec.type) {
      case ContentType.change_cipher_spec:
        this.#changeCipherSpec(rec.fragment);
        this.#tracer?.changeCipherSpec('received', concat(rec.header, rec.fragment));
        return;
      case ContentType.alert:
        if (this.#read !== undefined && this.#phase !== 'handshake') {
          throw new TlsError('unexpected_message', 'Record: a plaintext alert after the handshake (RFC 8446 §5)');
        }
        // During the handshake a peer that failed before it had our keys sends its alert in the clear.
        this.#reassembler.assertAtBoundary('an alert record');
        return this.#alert(rec.fragment);
      case ContentType.handshake:
        if (this.#read !== undefined) throw new TlsError('unexpected_message', 'Record: a plaintext handshake record after keys were installed (RFC 8446 §5)');
        this.#reassembler.push(rec.fragment);
        return this.#handshakeMessages();
      default:
        return this.#protected(rec);
    }
  }

  /** §5: a single 0x01 byte, between the first ClientHello and the peer's Finished, is dropped; anything else is unexpected_message. */
  #changeCipherSpec(fragment: Uint8Array): void {
    this.#reassembler.assertAtBoundary('a change_cipher_spec record');
    if (this.#tls12) {
      if (fragment.length !== 1 || fragment[0] !== 1) {
        throw new TlsError('unexpected_message', `Record: ChangeCipherSpec must be the single byte 0x01, got ${fragment.length} byte(s) (RFC 5246 §7.1)`);
      }
      const state = this.#state;
      if (this.#phase !== 'handshake' || state?.changeCipherSpec === undefined) {
        throw new TlsError('unexpected_message', `Record: ChangeCipherSpec is not expected in state ${this.stateName} (RFC 5246 §7.1)`);
      }
      this.#state = state.changeCipherSpec(this.#ctx);
      return;
    }
    if (this.#phase !== 'handshake' || (this.side === 'server' && this.#messagesReceived === 0)) {
      throw new TlsError('unexpected_message', `Record: change_cipher_spec ${this.#phase === 'handshake' ? 'before the first ClientHello' : 'after the handshake'} (RFC 8446 §5)`);
    }
    if (fragment.length !== 1 || fragment[0] !== 1) {
      throw new TlsError('unexpected_message', `Record: change_cipher_spec must be the single byte 0x01, got ${fragment.length} byte(s) (RFC 8446 §5)`);
    }
    if (++this.#ccsReceived > MAX_CHANGE_CIPHER_SPECS) throw new TlsError('unexpected_message', `Record: more than ${MAX_CHANGE_CIPHER_SPECS} change_cipher_spec records`);
  }

  #protected(rec: TlsRecord): void {
    const read = this.#read;
    if (read === undefined) {
      if (this.#earlySkip >= rec.fragment.length) {
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
        this.#reassembler.push(content);
        content.fill(0);
        return this.#handshakeMessages();
      case ContentType.alert:
        this.#reassembler.assertAtBoundary('an alert record');
        return this.#alert(content);
      case ContentType.application_data: {
        this.#reassembler.assertAtBoundary('application data');
        if (this.#readEpoch !== 'application') {
          throw new TlsError('unexpected_message', 'Record: application data before the handshake completed (RFC 8446 §2)');
        }
        if (content.length === 0) {
          if (++this.#emptyRecords > MAX_EMPTY_RECORDS) throw new TlsError('unexpected_message', `Record: more than ${MAX_EMPTY_RECORDS} empty application_data records in a row`);
          return;
        }
        this.#emptyRecords = 0;
        this.#tracer?.applicationData('received', concat(rec.header, rec.fragment), content);
        if (this.#state instanceof Connected) this.#state.noteApplicationData();
        this.#emit('data', content);
        return;
      }
      default:
        throw new TlsError('unexpected_message', `Record: inner content type ${contentTypeName(type)} is not allowed in a protected record (RFC 8446 §5)`);
    }
  }

  /** An alert (RFC 8446 §6). */
  #alert(fragment: Uint8Array): void {
    if (fragment.length !== 2) throw new TlsError('decode_error', `Alert: ${fragment.length} bytes, an alert is exactly 2 (RFC 8446 §6)`);
    const code = fragment[1] as number;
    this.#tracer?.alert('received', fragment[0] as number, code, this.#read !== undefined, this.#phase === 'connected');
    if (code === AlertDescription.close_notify) {
      if (this.#phase === 'handshake') {
        throw new TlsError('close_notify', 'the peer closed the connection (close_notify) before the handshake completed', { side: 'remote' });
      }
      this.#readClosed = true;
      this.#deframer.clear();
      this.#read?.dispose();
      this.#read = undefined;
      if (this.#writeClosed) this.#wipe();
      this.#emit('close');
      return;
    }
    if (code === AlertDescription.user_canceled) {
      // §6.1: user_canceled cancels the handshake and is followed by close_notify.
      if (++this.#warningAlerts > MAX_WARNING_ALERTS) throw new TlsError('unexpected_message', `Alert: more than ${MAX_WARNING_ALERTS} user_canceled alerts`);
      return;
    }
    // §6: every other alert is an error alert, whatever its level.
    throw TlsError.fromAlert(code);
  }

  /** Whole handshake messages from the reassembler, one state step each. */
  #handshakeMessages(): void {
    for (;;) {
      const frame = this.#reassembler.next();
      if (frame === undefined) return;
      const state = this.#state;
      if (state === undefined || this.#phase === 'failed') return;
      this.#messagesReceived++;
      if (!state.expects.includes(frame.msgType)) {
        throw new TlsError(
          'unexpected_message',
          `${handshakeName(frame.msgType)} is not expected in state ${state.name} (expecting ${state.expects.map(handshakeName).join(' or ')})`,
        );
      }
      const message = decodeHandshake(frame, { ...(state.hashLength === undefined ? {} : { hashLength: state.hashLength }), ...(state.tls12 === true ? { tls12: true } : {}) });
      const tracer = this.#tracer;
      if (tracer === undefined) {
        this.#state = state.handle(this.#ctx, message, frame.raw);
      } else {
        const encrypted = this.#read !== undefined;
        const raw = frame.raw.slice();
        tracer.hold(message);
        try {
          this.#state = state.handle(this.#ctx, message, frame.raw);
        } catch (e) {
          tracer.received(raw, message, encrypted, e);
          throw e;
        }
        tracer.received(raw, message, encrypted, undefined);
      }
      frame.raw.fill(0);
      const done = this.#done;
      if (done !== undefined) {
        this.#done = undefined;
        this.#connected(done);
        if ((this.#phase as string) === 'failed') return;
      }
    }
  }

  #connected(info: HandshakeInfo): void {
    this.#phase = 'connected';
    this.#info = info;
    this.#ccsReceived = 0;
    for (const m of this.#hooks?.afterHandshake?.() ?? []) {
      if (m instanceof Uint8Array) this.#pendingHandshake.push(m);
      else this.#sendHandshake(m);
    }
    this.#flushHandshake();
    this.#emit('handshake', info);
    if (this.#phase !== 'connected') return;
    const queued = this.#queuedWrites;
    this.#queuedWrites = [];
    for (const q of queued) {
      this.#sealApplicationData(q);
      q.fill(0);
    }
    if (this.#closeQueued && !this.#writeClosed) this.#sendCloseNotify();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function handshakeName(code: number): string {
  const names: Partial<Record<number, string>> = {
    [HandshakeType.client_hello]: 'ClientHello',
    [HandshakeType.server_hello]: 'ServerHello',
    [HandshakeType.new_session_ticket]: 'NewSessionTicket',
    [HandshakeType.end_of_early_data]: 'EndOfEarlyData',
    [HandshakeType.encrypted_extensions]: 'EncryptedExtensions',
    [HandshakeType.certificate]: 'Certificate',
    [HandshakeType.certificate_request]: 'CertificateRequest',
    [HandshakeType.certificate_verify]: 'CertificateVerify',
    [HandshakeType.finished]: 'Finished',
    [HandshakeType.key_update]: 'KeyUpdate',
  };
  return names[code] ?? handshakeTypeName(code);
}

/**
 * A TLS 1.3 client connection (RFC 8446), sans I/O. The ClientHello is
 * queued by the constructor: call {@link TlsConnection.takeOutput} first.
 *
 * @example
 * const tls = new TlsClient({ serverName: 'example.com', ca: caPem, alpn: ['http/1.1'] });
 * tls.on('handshake', (info) => console.log(info.cipherSuite, info.alpn));
 * tls.on('data', (bytes) => process.stdout.write(bytes));
 * tls.on('error', (err) => console.error(`error: ${err.alert}: ${err.message}`));
 * socket.on('data', (b) => { tls.receive(b); for (const o of tls.takeOutput()) socket.write(o); });
 * socket.on('end', () => tls.transportClosed());
 * for (const o of tls.takeOutput()) socket.write(o); // the ClientHello
 */
export class TlsClient extends TlsConnection {
  readonly side = 'client' as const;

  /** @param options the client's options, or a config made once by {@link clientConfig} and shared */
  constructor(options: TlsClientOptions | TlsClientConfig) {
    const config = clientConfig(options);
    super(config);
    this.begin((ctx) => startClient(ctx, config));
  }
}

/**
 * A TLS 1.3 server connection (RFC 8446), sans I/O: one per accepted
 * transport connection. Build one {@link serverConfig} and pass it to
 * every connection: the chain and key are then parsed once.
 *
 * @example
 * const tls = new TlsServer({ cert: fullchainPem, key: keyPem, alpn: ['http/1.1'] });
 * tls.on('data', (bytes) => { tls.write(bytes); for (const o of tls.takeOutput()) socket.write(o); });
 * socket.on('data', (b) => { tls.receive(b); for (const o of tls.takeOutput()) socket.write(o); });
 */
export class TlsServer extends TlsConnection {
  readonly side = 'server' as const;

  /** @param options the server's options, or a config made once by {@link serverConfig} and shared */
  constructor(options: TlsServerOptions | TlsServerConfig) {
    const config = serverConfig(options);
    super(config);
    this.begin(() => startServer(config));
  }
}
