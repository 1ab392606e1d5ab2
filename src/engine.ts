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

import { AlertDescription, internalError, TlsError } from './errors.js';
import type { TrafficSecret } from './keyschedule.js';
import { type AeadCipher, type CryptoProvider, schemeFitsKey, signatureSchemeInfo } from './provider.js';
import { wasmProvider } from './provider-wasm.js';
import { RecordDeframer, type TlsRecord } from './record/deframer.js';
import { frameRecords } from './record/framer.js';
import { DEFAULT_MAX_HANDSHAKE_MESSAGE, HandshakeReassembler } from './record/handshake-reassembler.js';
import { defaultRecordLimit, RecordProtection } from './record/protection.js';
import { Tls12Protection } from './record/tls12-protection.js';
import { Connected12 } from './handshake/tls12/connected.js';
import { TLS12_SUITES, tls12Suite } from './handshake/tls12/suites.js';
import { DEFAULT_CIPHER_SUITES, startClient } from './handshake/client.js';
import {
  type ClientConfig,
  type CommonConfig,
  type HandshakeContext,
  type HandshakeInfo,
  type HandshakeState,
  type KeyLogLabel,
  type ReadEpoch,
  type RecordProtector,
  type TlsVersionName,
  type ServerConfig,
  TEST_HOOKS,
  type TestHooks,
} from './handshake/common.js';
import { Connected } from './handshake/connected.js';
import { startServer } from './handshake/server.js';
import {
  CIPHER_SUITE_PARAMS,
  CipherSuite,
  type CipherSuiteName,
  ContentType,
  contentTypeName,
  HandshakeType,
  handshakeTypeName,
  MAX_PLAINTEXT_LENGTH,
  NamedGroup,
  type NamedGroupName,
  SignatureScheme,
  type SignatureSchemeName,
} from './wire/constants.js';
import { decodeHandshake, encodeHandshake, type HandshakeMessage } from './wire/handshake.js';
import { type Certificate, type CertificateInput, certificatesFrom } from './x509/certificate.js';
import { parsePrivateKey, type PrivateKey } from './x509/keys.js';
import { parseReferenceIdentity } from './x509/hostname.js';
import type { TraceEvent } from './trace/event.js';
import { Tracer } from './trace/tracer.js';

export type { HandshakeInfo } from './handshake/common.js';
export type { TraceEvent } from './trace/event.js';

/** Events of {@link TlsClient} and {@link TlsServer}. */
export interface TlsEvents {
  /** The handshake completed (client: server's Finished verified; server: client's Finished verified). */
  handshake: (info: HandshakeInfo) => void;
  /** Application data from the peer. */
  data: (data: Uint8Array) => void;
  /** The peer sent close_notify: it will send nothing more. Call close() to send ours. */
  close: () => void;
  /** The connection failed; emitted once, after the fatal alert (if any) was queued. */
  error: (error: TlsError) => void;
  /**
   * One step of the handshake trace; only with the option `trace: true`.
   * Events raised before the first `trace` listener subscribed (the
   * client's ClientHello is sent by the constructor) are delivered to it
   * when it subscribes.
   */
  trace: (event: TraceEvent) => void;
}

export type { CertificateInput } from './x509/certificate.js';

/** Options common to client and server. */
export interface TlsCommonOptions {
  /**
   * Cipher suites in order of preference, by IANA name or code. Default
   * TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256.
   */
  cipherSuites?: readonly (CipherSuiteName | number)[];
  /**
   * Key exchange groups in order of preference. Default x25519, secp256r1.
   * The client sends a key share for the first one only.
   */
  groups?: readonly (NamedGroupName | number)[];
  /**
   * Signature schemes for CertificateVerify, in order of preference. Client:
   * those it accepts (default ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384,
   * rsa_pss_rsae_sha256/384/512, ed25519; rsa_pkcs1_* are added to
   * signature_algorithms for certificates only). Server: those it may sign
   * with (default: all its key and provider allow).
   */
  signatureSchemes?: readonly (SignatureSchemeName | number)[];
  /** ALPN protocol names (RFC 7301), in order of preference. */
  alpn?: readonly string[];
  /** The crypto provider; default {@link wasmProvider}. */
  provider?: CryptoProvider;
  /** Largest handshake message accepted, in bytes (certificates count in). Default 65536. */
  maxHandshakeMessageSize?: number;
  /**
   * Called with each NSS key log line (`CLIENT_HANDSHAKE_TRAFFIC_SECRET <client_random> <secret>`,
   * the format of SSLKEYLOGFILE), for Wireshark. Exposes the session's secrets.
   */
  keylog?: (line: string) => void;
  /**
   * The step-by-step trace: every handshake message, the dummy
   * change_cipher_spec, each new generation of traffic keys, the first
   * application data record each way and alerts, as {@link TraceEvent}s
   * with readable fields and an explanation citing RFC 8446. `true` emits
   * them as `trace` events of the connection; a function is called with
   * each. Nothing is built when tracing is off.
   */
  trace?: boolean | ((event: TraceEvent) => void);
  /** Called with each trace event (like a `trace` function; both may be given). */
  onTrace?: (event: TraceEvent) => void;
  /**
   * Records sent under one key before a KeyUpdate is sent automatically.
   * Default: RFC 8446 §5.5's limit for the suite (2^24.5 records for
   * AES-GCM; none that matters for ChaCha20-Poly1305).
   */
  keyUpdateAfterRecords?: number;
  /**
   * Lowest protocol version to negotiate, node:tls's names: `'TLSv1.2'`
   * (default) or `'TLSv1.3'`. TLS 1.0 and 1.1 are not implemented.
   */
  minVersion?: TlsVersionName;
  /** Highest protocol version to negotiate: `'TLSv1.3'` (default) or `'TLSv1.2'`. */
  maxVersion?: TlsVersionName;
  /**
   * TLS 1.2: refuse a peer that does not do the extended master secret
   * (RFC 7627), as rustls does (default true). Without it a TLS 1.2 session
   * is open to the triple-handshake attack; set false only for a peer that
   * cannot be fixed.
   */
  requireExtendedMasterSecret?: boolean;
}

/** Options of {@link TlsClient}. */
export interface TlsClientOptions extends TlsCommonOptions {
  /**
   * The server's DNS name or IP address: sent as SNI when it is a name
   * (never for IP literals, RFC 6066 §3), and checked against the
   * certificate's subjectAltName. Required unless `rejectUnauthorized` is false.
   */
  serverName?: string;
  /** Trust anchors: PEM text (any number of CERTIFICATE blocks), DER, parsed certificates, or a list of those. */
  ca?: CertificateInput | readonly CertificateInput[];
  /**
   * Refuse a server whose chain does not validate (default true). When
   * false, the handshake still checks the CertificateVerify signature with
   * the leaf's key and reports the validation result in `handshake`.
   */
  rejectUnauthorized?: boolean;
  /** The time certificates are validated at; default the current time. */
  now?: Date | (() => Date);
  /**
   * Middlebox compatibility mode (RFC 8446 §D.4): a 32-byte
   * legacy_session_id and a dummy change_cipher_spec. Default true, like
   * browsers and OpenSSL.
   */
  middleboxCompat?: boolean;
  /** Most intermediates between the leaf and a trust anchor; default 8. */
  maxIntermediates?: number;
}

/** Options of {@link TlsServer}. */
export interface TlsServerOptions extends TlsCommonOptions {
  /**
   * The certificate chain, leaf first: PEM text (a fullchain file), DER of
   * the leaf, parsed certificates (parsed once, not per connection), or a
   * list. All of it is sent.
   */
  cert: CertificateInput | readonly CertificateInput[];
  /** The leaf's private key: PEM (PKCS#8, SEC1, PKCS#1), DER, or parsed. ECDSA P-256, RSA 2048-4096 or Ed25519. */
  key: string | Uint8Array | PrivateKey;
}

/** Consecutive empty application_data records accepted (a peer could send them forever). */
export const MAX_EMPTY_RECORDS = 32;
/** change_cipher_spec records accepted per handshake (§D.4: a peer sends one). */
export const MAX_CHANGE_CIPHER_SPECS = 2;
/** user_canceled warning alerts accepted (§6.1). */
export const MAX_WARNING_ALERTS = 4;
/** Bytes of rejected 0-RTT records a server skips (§4.2.10: up to max_early_data_size; wasmtls never advertises any). */
export const EARLY_DATA_SKIP_LIMIT = 65536;

const DEFAULT_GROUPS: readonly number[] = [NamedGroup.x25519, NamedGroup.secp256r1];
const DEFAULT_SCHEMES: readonly number[] = [
  SignatureScheme.ecdsa_secp256r1_sha256,
  SignatureScheme.ecdsa_secp384r1_sha384,
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.rsa_pss_rsae_sha384,
  SignatureScheme.rsa_pss_rsae_sha512,
  SignatureScheme.ed25519,
];
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

  protected constructor(options: TlsCommonOptions, common: CommonConfig, now: () => Date) {
    this.#provider = common.provider;
    this.#common = common;
    const max = options.maxHandshakeMessageSize ?? DEFAULT_MAX_HANDSHAKE_MESSAGE;
    if (!Number.isInteger(max) || max < 1024 || max > 0xffffff) throw new RangeError(`maxHandshakeMessageSize must be an integer in 1024..16777215, got ${max}`);
    this.#reassembler = new HandshakeReassembler({ maxMessageLength: max });
    if (options.keylog !== undefined && typeof options.keylog !== 'function') throw new TypeError('keylog must be a function');
    const trace = options.trace;
    if (trace !== undefined && typeof trace !== 'function' && typeof trace !== 'boolean') throw new TypeError('trace must be a boolean or a function');
    if (options.onTrace !== undefined && typeof options.onTrace !== 'function') throw new TypeError('onTrace must be a function');
    this.#keylog = options.keylog;
    this.#traceSinks = [typeof trace === 'function' ? trace : undefined, options.onTrace].filter((f) => f !== undefined);
    this.#traceEvents = trace === true;
    const client = options as TlsClientOptions;
    this.#traceCertificate = { enforced: client.rejectUnauthorized !== false, serverName: client.serverName };
    this.#hooks = (options as { [TEST_HOOKS]?: TestHooks })[TEST_HOOKS];
    this.#now = now;
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
      endInitialRecordPhase: () => this.#deframer.endInitialPhase(),
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

// ---- configuration -------------------------------------------------------

function codes<T extends Record<string, number>>(what: string, table: T, list: readonly (keyof T | number)[] | undefined, fallback: readonly number[]): number[] {
  if (list === undefined) return [...fallback];
  if (!Array.isArray(list)) throw new TypeError(`${what} must be an array`);
  return list.map((x) => {
    const c = typeof x === 'number' ? x : table[x as keyof T];
    if (typeof c !== 'number') throw new TypeError(`${what}: unknown name ${String(x)}`);
    return c;
  });
}

function resolveCommon(options: TlsCommonOptions, side: 'client' | 'server'): CommonConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const provider = options.provider ?? wasmProvider;
  const versions = resolveVersions(options);
  // One list for both versions (by IANA name or code): a version whose suites the list does not name keeps its defaults.
  const listed = codes('cipherSuites', CipherSuite, options.cipherSuites, []);
  if (options.cipherSuites !== undefined && listed.length === 0) throw new RangeError('cipherSuites: none left (the list is empty)');
  const listed12 = listed.filter((s) => tls12Suite(s) !== undefined);
  const listed13 = listed.filter((s) => tls12Suite(s) === undefined);
  const tls12CipherSuites = listed12.length > 0 ? listed12 : TLS12_SUITES.filter((s) => provider.cipherSuites.includes((tls12Suite(s) as { aeadSuite: number }).aeadSuite));
  for (const s of tls12CipherSuites) {
    const aead = (tls12Suite(s) as { aeadSuite: number }).aeadSuite;
    if (!provider.cipherSuites.includes(aead)) throw new RangeError(`cipherSuites: the ${provider.name} provider lacks the AEAD of 0x${s.toString(16)}`);
  }
  const cipherSuites = listed13.length > 0 ? listed13 : DEFAULT_CIPHER_SUITES.filter((s) => provider.cipherSuites.includes(s));
  for (const s of cipherSuites) {
    if (CIPHER_SUITE_PARAMS[s] === undefined) throw new RangeError(`cipherSuites: 0x${s.toString(16)} is not a TLS 1.3 suite wasmtls implements`);
    if (!provider.cipherSuites.includes(s)) throw new RangeError(`cipherSuites: the ${provider.name} provider does not support 0x${s.toString(16)}`);
  }
  if (cipherSuites.length === 0) throw new RangeError(`cipherSuites: none left (the ${provider.name} provider supports ${provider.cipherSuites.length} suites)`);
  const groups = codes('groups', NamedGroup, options.groups, DEFAULT_GROUPS.filter((g) => provider.groups.includes(g)));
  for (const g of groups) if (!provider.groups.includes(g)) throw new RangeError(`groups: the ${provider.name} provider does not support group 0x${g.toString(16)}`);
  if (groups.length === 0) throw new RangeError('groups: none left');
  if (new Set(groups).size !== groups.length || new Set(cipherSuites).size !== cipherSuites.length) throw new RangeError('cipherSuites and groups must not repeat an entry');
  const defaultSchemes = side === 'client' ? DEFAULT_SCHEMES.filter((s) => provider.verifySchemes.includes(s)) : DEFAULT_SCHEMES;
  const signatureSchemes = codes('signatureSchemes', SignatureScheme, options.signatureSchemes, defaultSchemes);
  for (const s of signatureSchemes) {
    const info = signatureSchemeInfo(s);
    if (info === undefined) throw new RangeError(`signatureSchemes: 0x${s.toString(16)} is not a scheme wasmtls implements`);
    if (info.kind === 'rsa-pkcs1') throw new RangeError('signatureSchemes: rsa_pkcs1_* may not sign a TLS 1.3 handshake (RFC 8446 §4.2.3)');
    if (side === 'client' && !provider.verifySchemes.includes(s)) throw new RangeError(`signatureSchemes: the ${provider.name} provider cannot verify 0x${s.toString(16)}`);
  }
  const alpn = (options.alpn ?? []).map((p) => {
    if (typeof p !== 'string') throw new TypeError('alpn must be an array of strings');
    const b = new TextEncoder().encode(p);
    if (b.length < 1 || b.length > 255) throw new RangeError(`alpn: "${p}" must be 1 to 255 bytes (RFC 7301 §3.1)`);
    return b;
  });
  const k = options.keyUpdateAfterRecords;
  if (k !== undefined && (!Number.isInteger(k) || k < 1)) throw new RangeError(`keyUpdateAfterRecords must be a positive integer, got ${k}`);
  const ems = options.requireExtendedMasterSecret ?? true;
  if (typeof ems !== 'boolean') throw new TypeError('requireExtendedMasterSecret must be a boolean');
  return { provider, cipherSuites, groups, signatureSchemes, alpn, keyUpdateAfterRecords: k, ...versions, tls12CipherSuites, requireExtendedMasterSecret: ems };
}

const VERSION_NAMES: readonly string[] = ['TLSv1.2', 'TLSv1.3'];

/** minVersion/maxVersion with node:tls's names; TLS 1.0 and 1.1 are refused with a reason. */
function resolveVersions(options: TlsCommonOptions): { minVersion: TlsVersionName; maxVersion: TlsVersionName } {
  const check = (what: string, v: unknown, fallback: TlsVersionName): TlsVersionName => {
    if (v === undefined) return fallback;
    if (v === 'TLSv1' || v === 'TLSv1.1') throw new RangeError(`${what}: ${v} is not supported; wasmtls implements TLSv1.2 and TLSv1.3 (RFC 8996 deprecates TLS 1.0 and 1.1)`);
    if (typeof v !== 'string' || !VERSION_NAMES.includes(v)) throw new RangeError(`${what} must be 'TLSv1.2' or 'TLSv1.3', got ${String(v)}`);
    return v as TlsVersionName;
  };
  const minVersion = check('minVersion', options.minVersion, 'TLSv1.2');
  const maxVersion = check('maxVersion', options.maxVersion, 'TLSv1.3');
  if (minVersion === 'TLSv1.3' && maxVersion === 'TLSv1.2') throw new RangeError('minVersion TLSv1.3 is above maxVersion TLSv1.2');
  return { minVersion, maxVersion };
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

  constructor(options: TlsClientOptions) {
    const common = resolveCommon(options, 'client');
    const rejectUnauthorized = options.rejectUnauthorized ?? true;
    if (typeof rejectUnauthorized !== 'boolean') throw new TypeError('rejectUnauthorized must be a boolean');
    const serverName = options.serverName;
    if (serverName !== undefined) {
      if (typeof serverName !== 'string' || serverName === '') throw new TypeError('serverName must be a non-empty string');
      try {
        parseReferenceIdentity(serverName);
      } catch (e) {
        throw new TypeError(`serverName: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    } else if (rejectUnauthorized) {
      throw new TypeError("serverName is required to check the server's certificate (or set rejectUnauthorized: false)");
    }
    const now = options.now;
    const clock = now === undefined ? () => new Date() : now instanceof Date ? () => now : now;
    if (typeof clock !== 'function') throw new TypeError('now must be a Date or a function returning one');
    const maxIntermediates = options.maxIntermediates;
    if (maxIntermediates !== undefined && (!Number.isInteger(maxIntermediates) || maxIntermediates < 0)) throw new RangeError('maxIntermediates must be a non-negative integer');
    const config: ClientConfig = {
      ...common,
      serverName,
      trustAnchors: options.ca === undefined ? [] : certificatesFrom('ca', options.ca),
      rejectUnauthorized,
      middleboxCompat: options.middleboxCompat ?? true,
      maxIntermediates,
    };
    super(options, common, clock);
    this.begin((ctx) => startClient(ctx, config));
  }
}

/**
 * A TLS 1.3 server connection (RFC 8446), sans I/O: one per accepted
 * transport connection. Parse the certificate and key once and share the
 * parsed forms across connections to save work.
 *
 * @example
 * const tls = new TlsServer({ cert: fullchainPem, key: keyPem, alpn: ['http/1.1'] });
 * tls.on('data', (bytes) => { tls.write(bytes); for (const o of tls.takeOutput()) socket.write(o); });
 * socket.on('data', (b) => { tls.receive(b); for (const o of tls.takeOutput()) socket.write(o); });
 */
export class TlsServer extends TlsConnection {
  readonly side = 'server' as const;

  constructor(options: TlsServerOptions) {
    const common = resolveCommon(options, 'server');
    if (options.cert === undefined) throw new TypeError('cert is required');
    if (options.key === undefined) throw new TypeError('key is required');
    const chain = certificatesFrom('cert', options.cert);
    const leaf = chain[0];
    if (leaf === undefined) throw new TypeError('cert: no certificate');
    let key: PrivateKey;
    if (typeof options.key === 'string' || options.key instanceof Uint8Array) {
      try {
        key = parsePrivateKey(options.key);
      } catch (e) {
        throw new TypeError(`key: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    } else {
      key = options.key;
    }
    checkKeyMatches(key, leaf);
    const signSchemes = common.provider.signSchemes(key).filter((s) => common.signatureSchemes.includes(s) && schemeFitsKey(s, leaf.publicKey));
    if (signSchemes.length === 0) {
      throw new RangeError(`key: the ${common.provider.name} provider can sign with none of the configured schemes using this ${key.type} key`);
    }
    const config: ServerConfig = { ...common, certificateChain: chain.map((c) => c.der), leaf, key, signSchemes };
    super(options, common, () => new Date());
    this.begin(() => startServer(config));
  }
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Refuses a key that is not the leaf certificate's (as far as the key encoding shows). */
function checkKeyMatches(key: PrivateKey, leaf: Certificate): void {
  const pub = leaf.publicKey;
  const mismatch = () => new TypeError(`key: this ${key.type} key does not belong to the certificate ${leaf.subject.text} (${pub.type} key)`);
  switch (key.type) {
    case 'ec':
      if (pub.type !== 'ec' || pub.curve !== key.curve) throw mismatch();
      if (key.publicKey !== undefined && !sameBytes(key.publicKey, pub.point)) throw mismatch();
      return;
    case 'rsa':
      if (pub.type !== 'rsa' || !sameBytes(stripZeros(pub.n), stripZeros(key.n)) || !sameBytes(stripZeros(pub.e), stripZeros(key.e))) throw mismatch();
      return;
    case 'ed25519':
      if (pub.type !== 'ed25519') throw mismatch();
      if (key.publicKey !== undefined && !sameBytes(key.publicKey, pub.publicKey)) throw mismatch();
      return;
  }
}
