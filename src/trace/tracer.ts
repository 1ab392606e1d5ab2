// Builds the step-by-step trace for one connection. The engine makes a
// Tracer only when tracing is on (options `trace` or `onTrace`), so a
// connection without tracing pays one `undefined` check per message and
// builds no fields, explanations or copies.
//
// Ordering: a received message is reported after its state handled it (so
// the event can say whether its checks passed), yet before what handling it
// caused (the reply, new keys): the engine calls hold() before the state
// runs, and received() emits the message and then everything held.

import { TlsError } from '../errors.js';
import { CIPHER_SUITE_PARAMS, cipherSuiteName, namedGroupName, signatureSchemeName } from '../wire/constants.js';
import type { HandshakeMessage } from '../wire/handshake.js';
import { type TraceCheck, type TraceEvent, type TraceField, type TraceKind, TRACE_STEPS, type TraceStep } from './event.js';
import { APPLICATION_DATA_EXPLANATION, CCS_EXPLANATION, TLS12_APPLICATION_DATA_EXPLANATION, TLS12_CCS_EXPLANATION, type Explanation, explainAlert, explainHandshake, explainKeys } from './explain.js';
import { alertFields, handshakeFields, preview, traceField } from './fields.js';

const MESSAGE_NAMES: Readonly<Record<HandshakeMessage['type'], string>> = {
  client_hello: 'ClientHello',
  server_hello: 'ServerHello',
  hello_retry_request: 'HelloRetryRequest',
  end_of_early_data: 'EndOfEarlyData',
  encrypted_extensions: 'EncryptedExtensions',
  certificate: 'Certificate',
  certificate_request: 'CertificateRequest',
  certificate_verify: 'CertificateVerify',
  finished: 'Finished',
  new_session_ticket: 'NewSessionTicket',
  key_update: 'KeyUpdate',
  hello_request: 'HelloRequest',
  server_key_exchange: 'ServerKeyExchange',
  server_hello_done: 'ServerHelloDone',
  client_key_exchange: 'ClientKeyExchange',
};

/**
 * The name of a handshake message value.
 * @example handshakeMessageName({ type: 'finished', verifyData }) // 'Finished'
 */
export function handshakeMessageName(m: HandshakeMessage): string {
  return MESSAGE_NAMES[m.type];
}

/** What a Tracer needs from its connection. */
export interface TracerOptions {
  readonly side: 'client' | 'server';
  /** Receives each event, in order. */
  readonly emit: (event: TraceEvent) => void;
  /** Client: the chain is validated and the handshake refused if it fails (`rejectUnauthorized`). */
  readonly enforcesCertificate: boolean;
  /** Client: the name checked against the certificate. */
  readonly serverName: string | undefined;
}

const EMPTY = new Uint8Array(0);
/** Held events beyond this are a bug in the engine's hold/release pairing, not a trace to keep. */
const MAX_HELD = 64;

/** The trace of one connection. Internal: the engine drives it. */
export class Tracer {
  readonly #o: TracerOptions;
  #held: TraceEvent[] | undefined;
  #lastStep: TraceStep = 1;
  #retried = false;
  #tls12 = false;
  #group: number | undefined;
  #suite: number | undefined;
  #readGeneration = 0;
  #writeGeneration = 0;
  #milestones = 0;
  #dataSent = false;
  #dataReceived = false;

  constructor(options: TracerOptions) {
    this.#o = options;
  }

  get #peer(): 'client' | 'server' {
    return this.#o.side === 'client' ? 'server' : 'client';
  }

  /** A handshake message this side sent (bytes with header, before record protection). */
  sent(raw: Uint8Array, m: HandshakeMessage, encrypted: boolean): void {
    this.#note(m);
    const e = explainHandshake(m, { from: this.#o.side, retried: m.type === 'client_hello' && this.#retried });
    this.#push(this.#event('handshake', 'sent', MESSAGE_NAMES[m.type], encrypted, raw.slice(), m, handshakeFields(m), undefined, e));
  }

  /** Holds events until {@link Tracer.received}: call before the state handles received message `m`. */
  hold(m: HandshakeMessage): void {
    this.#note(m);
    this.#held = [];
  }

  /**
   * A received message, after its state handled it (`error` is what it
   * threw, if anything); then the events held since {@link Tracer.hold}.
   */
  received(raw: Uint8Array, m: HandshakeMessage, encrypted: boolean, error: unknown): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    const e = explainHandshake(m, { from: this.#peer, retried: m.type === 'client_hello' && this.#retried });
    const check: TraceCheck =
      error === undefined ? { ok: true, text: this.#checked(m) } : { ok: false, text: error instanceof TlsError ? `${error.alert}: ${error.message}` : String(error) };
    this.#push(this.#event('handshake', 'received', MESSAGE_NAMES[m.type], encrypted, raw.slice(), m, handshakeFields(m), check, e));
    const last = held[held.length - 1];
    if (last !== undefined) this.#lastStep = last.step;
    for (const h of held) this.#o.emit(h);
  }

  /** TLS 1.2 was negotiated: ChangeCipherSpec and records are explained as TLS 1.2's. */
  tls12(suite: number): void {
    this.#tls12 = true;
    this.#suite = suite;
  }

  /** A change_cipher_spec record, as on the wire. */
  changeCipherSpec(direction: 'sent' | 'received', record: Uint8Array): void {
    const e: Explanation = { ...(this.#tls12 ? TLS12_CCS_EXPLANATION : CCS_EXPLANATION), step: this.#lastStep };
    const value = this.#tls12 ? `0x01 (${direction === 'sent' ? 'our' : "the peer's"} records are encrypted from here on)` : '0x01 (ignored)';
    this.#push(this.#event('change_cipher_spec', direction, 'ChangeCipherSpec', false, record.slice(), undefined, [traceField('change_cipher_spec', value)], undefined, e));
  }

  /** A read or write key was installed; the first key of each generation is a milestone. */
  keyInstalled(which: 'read' | 'write', suite: number): void {
    this.#suite = suite;
    const generation = which === 'read' ? ++this.#readGeneration : ++this.#writeGeneration;
    if (generation <= this.#milestones) return;
    this.#milestones = generation;
    const e = explainKeys(generation, this.#group);
    const p = CIPHER_SUITE_PARAMS[suite];
    const secrets =
      generation === 1
        ? 'client_handshake_traffic_secret, server_handshake_traffic_secret'
        : generation === 2
          ? 'client_application_traffic_secret_0, server_application_traffic_secret_0, exporter_master_secret'
          : `${which === 'write' ? this.#o.side : this.#peer}_application_traffic_secret_${generation - 2}`;
    const fields: TraceField[] = [
      traceField('cipher suite', cipherSuiteName(suite)),
      ...(generation === 1 && this.#group !== undefined ? [traceField('key exchange', `${namedGroupName(this.#group)} (ephemeral; the shared secret is never sent)`)] : []),
      traceField('secrets', secrets),
      ...(p === undefined ? [] : [traceField('per direction', `AEAD key ${p.keyLength} bytes, IV ${p.ivLength} bytes, HKDF-${p.hash.toUpperCase()}`)]),
    ];
    const name = generation === 1 ? 'Handshake keys' : generation === 2 ? 'Application keys' : 'Updated keys';
    this.#push(this.#event('keys', 'local', name, false, EMPTY, undefined, fields, undefined, e));
  }

  /** Application data: only the first record in each direction is reported. */
  applicationData(direction: 'sent' | 'received', record: Uint8Array, plaintext: Uint8Array): void {
    if (direction === 'sent' ? this.#dataSent : this.#dataReceived) return;
    if (direction === 'sent') this.#dataSent = true;
    else this.#dataReceived = true;
    const fields: TraceField[] = this.#tls12
      ? [
          // RFC 5246 §6.2.3.3: the real type in the header; GCM adds an 8-byte explicit nonce (RFC 5288 §3).
          traceField('on the wire', `${record.length} bytes: 5-byte header 17 03 03 (application_data, 0x0303), ${plaintext.length} bytes of ciphertext, 16-byte tag${record.length - plaintext.length - 21 === 8 ? ', after an 8-byte explicit nonce' : ''}`),
          traceField('content type', 'application_data (23), in the clear in the header (TLS 1.2)'),
        ]
      : [
          // Every TLS 1.3 AEAD has a 16-byte tag (RFC 5116 §5.1, RFC 8439 §2.8).
          traceField('on the wire', `${record.length} bytes: 5-byte header 17 03 03 (application_data, 0x0303), ${record.length - 21} bytes of ciphertext, 16-byte tag`),
          traceField('inner content type', 'application_data (23), inside the encryption'),
        ];
    fields.push(
      traceField('plaintext', `${plaintext.length} bytes: ${preview(plaintext)}`),
      ...(this.#suite === undefined ? [] : [traceField('sealed with', cipherSuiteName(this.#suite))]),
    );
    this.#push(this.#event('application_data', direction, 'Application data', true, record.slice(), undefined, fields, undefined, this.#tls12 ? TLS12_APPLICATION_DATA_EXPLANATION : APPLICATION_DATA_EXPLANATION));
  }

  /** An alert sent or received: close_notify or an error. */
  alert(direction: 'sent' | 'received', level: number, code: number, encrypted: boolean, connected: boolean): void {
    const e = explainAlert(code, connected, this.#lastStep);
    const name = code === 0 ? 'close_notify' : 'Alert';
    this.#push(this.#event('alert', direction, name, encrypted, Uint8Array.of(level, code), undefined, alertFields(level, code), undefined, e));
  }

  /** Remembers what later explanations refer to. */
  #note(m: HandshakeMessage): void {
    if (m.type === 'hello_retry_request') this.#retried = true;
    if (m.type === 'server_hello') {
      const ks = m.extensions.find((x) => x.type === 'key_share');
      if (ks !== undefined && 'share' in ks) this.#group = ks.share.group;
    }
  }

  /** What the receiving side verified in a message it accepted. */
  #checked(m: HandshakeMessage): string {
    switch (m.type) {
      case 'client_hello':
        return 'TLS 1.3 offered; a cipher suite, group and signature scheme in common';
      case 'server_hello':
        return 'TLS 1.3 selected; the suite and the key share group were offered; legacy_session_id echoed';
      case 'hello_retry_request':
        return 'the group asked for was offered and had no key share yet';
      case 'encrypted_extensions':
        return 'decrypted with the handshake key; only answers to extensions that were offered';
      case 'certificate':
        if (this.#o.side === 'server') return 'accepted';
        return this.#o.enforcesCertificate
          ? `the chain leads to a trusted CA, every certificate is within its validity, and it names ${this.#o.serverName ?? 'the server'}`
          : "not enforced (rejectUnauthorized: false): the handshake event's `authorized` says whether the chain validated";
      case 'certificate_verify':
        return `the ${signatureSchemeName(m.algorithm)} signature over the transcript hash verifies under the certificate's public key`;
      case 'finished':
        return 'verify_data equals the HMAC this side computed over the same transcript';
      case 'certificate_request':
        return 'understood';
      case 'new_session_ticket':
        return 'well-formed (wasmtls does not resume sessions, so it is not stored)';
      case 'key_update':
        return 'read key switched to the next generation';
      case 'end_of_early_data':
      case 'server_hello_done':
      case 'client_key_exchange':
        return 'accepted';
      case 'server_key_exchange':
        return `the ${signatureSchemeName(m.scheme)} signature over both randoms and the ${namedGroupName(m.namedCurve)} key verifies under the certificate's public key`;
      case 'hello_request':
        return 'refused: wasmtls never renegotiates';
    }
  }

  #event(
    kind: TraceKind,
    direction: TraceEvent['direction'],
    name: string,
    encrypted: boolean,
    bytes: Uint8Array,
    decoded: HandshakeMessage | undefined,
    fields: readonly TraceField[],
    check: TraceCheck | undefined,
    e: Explanation,
  ): TraceEvent {
    this.#lastStep = e.step;
    const from = direction === 'received' ? this.#peer : this.#o.side;
    return { kind, step: e.step, stepTitle: TRACE_STEPS[e.step], side: this.#o.side, direction, from, name, encrypted, bytes, decoded, fields, check, explanation: e.text, rfc: e.rfc };
  }

  #push(event: TraceEvent): void {
    const held = this.#held;
    if (held !== undefined && held.length < MAX_HELD) held.push(event);
    else this.#o.emit(event);
  }
}
