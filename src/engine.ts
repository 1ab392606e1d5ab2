// The sans-I/O TLS 1.3 engine (RFC 8446): bytes in, bytes out, events.
//
//   transport bytes ─> receive() ─> RecordReceiver (src/record/receive.ts)
//       ─> handshake messages ─> state.handle() (src/handshake)
//   write()/close()/keyUpdate() ─> RecordSender (src/record/send.ts) ─> takeOutput() ─> transport
//
// The engine is the wiring: the record layer owns records, their policies
// and sealing; the handshake states own the protocol decisions and act only
// through the HandshakeContext below; the engine owns the phase, keys'
// installation, events and failure. It never does I/O, never starts timers
// and never calls the clock except through the `now` option (certificate
// validation). The configuration is checked once, in src/config.ts.

import { clientConfig, serverConfig, type TlsClientConfig, type TlsServerConfig } from './config.js';
import { AlertDescription, TlsError } from './errors.js';
import type { TrafficSecret } from './keyschedule.js';
import { protectionFor, type RecordProtection } from './record/protection.js';
import { RecordReceiver } from './record/receive.js';
import { RecordSender } from './record/send.js';
import { startClient } from './handshake/client.js';
import type { HandshakeContext, HandshakeState, KeyLogLabel, TestHooks } from './handshake/common.js';
import { Connected } from './handshake/connected.js';
import { Connected12 } from './handshake/tls12/connected.js';
import { step } from './handshake/step.js';
import { startServer } from './handshake/server.js';
import { encodeHandshake, type HandshakeMessage } from './wire/handshake.js';
import type { TraceEvent } from './trace/event.js';
import type { Tracer } from './trace/tracer.js';
import { ConnectionEvents } from './events.js';
import { concat, hex } from '../bindings/bytes.js';
import type { HandshakeInfo, TlsClientOptions, TlsEvents, TlsServerOptions } from './types.js';

export type { CertificateInput, HandshakeInfo, KeyInput, TlsClientOptions, TlsCommonOptions, TlsEvents, TlsServerOptions, TraceEvent } from './types.js';
export { clientConfig, serverConfig, type TlsClientConfig, type TlsServerConfig } from './config.js';

export { EARLY_DATA_SKIP_LIMIT, MAX_CHANGE_CIPHER_SPECS, MAX_EMPTY_RECORDS, MAX_WARNING_ALERTS } from './record/receive.js';

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
  readonly #config: TlsClientConfig | TlsServerConfig;
  readonly #rx: RecordReceiver;
  readonly #tx: RecordSender;
  readonly #events: ConnectionEvents;
  readonly #tracer: Tracer | undefined;
  readonly #hooks: TestHooks | undefined;
  readonly #ctx: HandshakeContext;

  #state: HandshakeState | undefined;
  #phase: 'handshake' | 'connected' | 'failed' = 'handshake';
  #messagesReceived = 0;
  /** TLS 1.2 was negotiated: ChangeCipherSpec is a protocol message (RFC 5246 §7.1). */
  #tls12 = false;
  #readClosed = false;
  #writeClosed = false;
  #closeQueued = false;
  #queuedWrites: Uint8Array[] = [];
  #done: HandshakeInfo | undefined;
  #info: HandshakeInfo | undefined;
  #error: TlsError | undefined;
  #busy = false;
  #unheard: TlsError | undefined;

  protected constructor(config: TlsClientConfig | TlsServerConfig) {
    this.#config = config;
    const self = this;
    this.#rx = new RecordReceiver(config.engine.maxHandshakeMessageSize, {
      side: config.side,
      get handshaking() {
        return self.#phase === 'handshake';
      },
      get messagesReceived() {
        return self.#messagesReceived;
      },
      get tracer() {
        return self.#tracer;
      },
      handshakeMessages: () => this.#handshakeMessages(),
      applicationData: (content, rec) => {
        this.#tracer?.applicationData('received', concat([rec.header, rec.fragment]), content);
        if (this.#state instanceof Connected) this.#state.noteApplicationData();
        this.#events.emit('data', content);
      },
      closeNotify: () => {
        this.#readClosed = true;
        if (this.#writeClosed) this.#wipe();
        this.#events.emit('close');
      },
      get tls12() {
        return self.#tls12;
      },
      changeCipherSpec: () => {
        const state = this.#state;
        if (this.#phase !== 'handshake' || state?.changeCipherSpec === undefined) {
          throw new TlsError('unexpected_message', `Record: ChangeCipherSpec is not expected in state ${this.stateName} (RFC 5246 §7.1)`);
        }
        this.#state = state.changeCipherSpec(this.#ctx);
      },
    });
    this.#events = new ConnectionEvents(config);
    this.#tracer = this.#events.tracer;
    this.#tx = new RecordSender(config.side, config.side === 'client' && config.middleboxCompat);
    this.#tx.tracer = this.#tracer;
    this.#hooks = config.engine.hooks;
    this.#ctx = this.#makeContext();
  }

  /** Starts the handshake state machine (the client sends its ClientHello here). */
  protected begin(start: (ctx: HandshakeContext) => HandshakeState): void {
    this.#state = start(this.#ctx);
    this.#tx.flushHandshake();
  }

  /** Subscribes to an event. */
  on<K extends keyof TlsEvents>(event: K, listener: TlsEvents[K]): this {
    this.#events.on(event, listener);
    return this;
  }

  /** Unsubscribes. */
  off<K extends keyof TlsEvents>(event: K, listener: TlsEvents[K]): this {
    this.#events.off(event, listener);
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
    return this.#tx.hasOutput;
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
      this.#rx.receive(bytes, () => this.#readClosed || (this.#phase as string) === 'failed');
      if (this.#state instanceof Connected && this.#phase === 'connected') this.#state.answerKeyUpdate(this.#ctx);
      this.#tx.flushHandshake();
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
    return this.#tx.take();
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
      this.#tx.flushHandshake();
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
    // RFC 5705 §4: in TLS 1.2 an absent context differs from an empty one.
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
      this.#fail(TlsError.truncated(this.#phase === 'handshake'), false);
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
        this.#tx.alert(2, err.code, false);
      } catch {
        // The alert is best effort; the error is reported either way.
      }
    }
    this.#writeClosed = true;
    this.#wipe();
    if (!this.#events.has('error')) this.#unheard = err;
    else this.#events.emit('error', err);
  }

  #wipe(): void {
    if (this.#state instanceof Connected || this.#state instanceof Connected12) this.#state.wipe();
    this.#rx.wipe();
    this.#tx.wipe();
    for (const q of this.#queuedWrites) q.fill(0);
    this.#queuedWrites = [];
  }

  #makeContext(): HandshakeContext {
    const self = this;
    return {
      provider: this.#config.provider,
      get writable() {
        return !self.#writeClosed;
      },
      sendHandshake: (m) => this.#sendHandshake(m),
      sendChangeCipherSpec: () => this.#tx.changeCipherSpec(),
      setWriteKey: (suite, secret) => {
        this.#tx.flushHandshake();
        this.#tx.setKey(this.#protection(suite, secret));
        this.#tracer?.keyInstalled('write', suite);
      },
      setReadKey: (suite, secret, epoch) => {
        // §5.1: handshake messages must not span a key change (checked before the key is derived).
        this.#rx.reassembler.assertAtBoundary('a key change');
        this.#rx.setKey(this.#protection(suite, secret), epoch);
        this.#tracer?.keyInstalled('read', suite);
      },
      skipEarlyData: () => this.#rx.skipEarlyData(),
      keyLog: (label: KeyLogLabel, clientRandom, secret) => {
        const keylog = this.#config.engine.keylog;
        const listened = this.#events.has('keylog');
        // Nobody asks for it: the secret is not copied out at all.
        if (keylog === undefined && !listened) return;
        const bytes = secret.exportSecret();
        const line = `${label} ${hex(clientRandom)} ${hex(bytes)}`;
        bytes.fill(0);
        keylog?.(line);
        if (listened) this.#events.emit('keylog', line);
      },
      handshakeDone: (info) => {
        this.#done = info;
      },
      now: this.#config.engine.now,
      negotiatedTls12: (suite) => {
        this.#tls12 = true;
        this.#tracer?.tls12(suite);
      },
      setWriteProtection: (p) => {
        this.#tx.flushHandshake();
        this.#tx.setKey(p);
      },
      // RFC 5246 §7.1 / RFC 8446 §5.1: no handshake message spans a key change (setKey checks).
      setReadProtection: (p, epoch) => this.#rx.setKey(p, epoch),
      setReadEpoch: (epoch) => this.#rx.setEpoch(epoch),
      sendWarningAlert: (code) => this.#tx.alert(1, code, this.#phase === 'connected'),
    };
  }

  #protection(suite: number, secret: TrafficSecret): RecordProtection {
    return protectionFor(this.#config.provider, suite, secret, this.#config.keyUpdateAfterRecords);
  }

  #sendHandshake(message: HandshakeMessage): { raw: Uint8Array; message: HandshakeMessage } | undefined {
    let m: HandshakeMessage | Uint8Array | null = message;
    if (this.#hooks?.handshake !== undefined) m = this.#hooks.handshake(message);
    if (m === null) return undefined;
    const raw = m instanceof Uint8Array ? m : encodeHandshake(m);
    const sent = m instanceof Uint8Array ? message : m;
    this.#tracer?.sent(raw, sent, this.#tx.encrypted);
    this.#tx.queueHandshake(raw);
    return { raw, message: sent };
  }

  #sendCloseNotify(): void {
    this.#tx.alert(1, AlertDescription.close_notify, this.#phase === 'connected');
    this.#writeClosed = true;
    this.#tx.closeWrite();
    if (this.#readClosed) this.#wipe();
  }

  #sealApplicationData(data: Uint8Array): void {
    const state = this.#state;
    // §4.6.3: a requested KeyUpdate goes out before our next application data record.
    if (state instanceof Connected) state.answerKeyUpdate(this.#ctx);
    // §5.5: update the key before the AEAD's limit is passed.
    this.#tx.applicationData(data, () => {
      if (state instanceof Connected) state.sendKeyUpdate(this.#ctx, false);
    });
  }

  /** Whole handshake messages from the reassembler, one state step each. */
  #handshakeMessages(): void {
    for (;;) {
      const frame = this.#rx.reassembler.next();
      if (frame === undefined) return;
      const state = this.#state;
      if (state === undefined || this.#phase === 'failed') return;
      this.#messagesReceived++;
      this.#state = step(state, this.#ctx, frame, this.#tracer, this.#rx.encrypted);
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
    this.#rx.handshakeDone();
    for (const m of this.#hooks?.afterHandshake?.() ?? []) {
      if (m instanceof Uint8Array) this.#tx.queueHandshake(m);
      else this.#sendHandshake(m);
    }
    this.#tx.flushHandshake();
    this.#events.emit('handshake', info);
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
