// The TLS 1.3 key schedule (RFC 8446 §7.1-§7.5) and transcript hash (§4.4.1).
//
// The schedule is staged as types, rustls key_schedule.rs style:
//
//   earlySecret(hash, psk?) -> EarlySecret
//     .intoHandshake(ecdhe) -> HandshakeSecret     (EarlySecret wiped)
//       .intoMaster()       -> MasterSecret        (HandshakeSecret wiped)
//
// The classes are not exported, only their types: the only way to hold a
// MasterSecret is to have gone through a HandshakeSecret, so application
// traffic secrets cannot be derived before the handshake secret exists.
// Every object holding a secret has wipe(), which zeroes its bytes; moving to
// the next stage, and updating an application traffic secret (§7.2), wipe
// the previous one.

import { internalError, TlsError } from './errors.js';
import type { Hasher, TlsHash } from './provider.js';
import { messageHash } from './wire/handshake.js';

export type { TlsHash } from './provider.js';

const encoder = new TextEncoder();
const emptyHashes = new Map<string, Uint8Array>();

function emptyHash(h: TlsHash): Uint8Array {
  let e = emptyHashes.get(h.name);
  if (e === undefined) {
    e = h.digest(new Uint8Array(0));
    emptyHashes.set(h.name, e);
  }
  return e;
}

/**
 * HKDF-Expand-Label (RFC 8446 §7.1):
 * ```
 * HKDF-Expand(Secret, HkdfLabel, Length) with
 * struct { uint16 length = Length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255> = Context; } HkdfLabel;
 * ```
 * @example hkdfExpandLabel(SHA256, secret, 'key', new Uint8Array(0), 16)
 */
export function hkdfExpandLabel(h: TlsHash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const l = labelBytes(label);
  if (!Number.isInteger(length) || length < 0 || length > 0xffff) throw internalError(`HkdfLabel: length ${length} is not a uint16`);
  if (context.length > 255) throw internalError(`HkdfLabel: context of ${context.length} bytes exceeds 255`);
  // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; }
  const info = new Uint8Array(2 + 1 + l.length + 1 + context.length);
  info[0] = length >>> 8;
  info[1] = length & 0xff;
  info[2] = l.length;
  info.set(l, 3);
  info[3 + l.length] = context.length;
  info.set(context, 4 + l.length);
  return h.expand(secret, info, length);
}

/**
 * `"tls13 " + label` as bytes, encoded once per label: a handshake expands
 * some 40 labels, all from a fixed set (profiled: TextEncoder and the
 * generic Writer took 60 % of hkdfExpandLabel's time, the HKDF itself 40 %).
 */
const LABELS = new Map<string, Uint8Array>();
function labelBytes(label: string): Uint8Array {
  let b = LABELS.get(label);
  if (b === undefined) {
    b = encoder.encode(`tls13 ${label}`);
    // §7.1 writes label<7..255>, but an exporter label may be empty (RFC 5705
    // sets no minimum; BoringSSL, Go and OpenSSL accept ""), giving 6 bytes.
    if (b.length > 255) throw internalError(`HkdfLabel: label of ${b.length} bytes exceeds 255`);
    // Labels come from this library's code, but bound the cache anyway.
    if (LABELS.size < 64) LABELS.set(label, b);
  }
  return b;
}

/**
 * Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
 * Transcript-Hash(Messages), Hash.length) (RFC 8446 §7.1). Takes the
 * transcript hash, not the messages: see {@link Transcript.digest}.
 * @example deriveSecret(SHA256, handshakeSecret, 'c hs traffic', transcript.digest())
 */
export function deriveSecret(h: TlsHash, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  if (transcriptHash.length !== h.length) {
    throw internalError(`Derive-Secret "${label}": transcript hash of ${transcriptHash.length} bytes, expected ${h.length} for ${h.name}`);
  }
  return hkdfExpandLabel(h, secret, label, transcriptHash, h.length);
}

/** Compares two byte strings in time that depends only on their lengths. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Base of every object that holds a secret: one Uint8Array, zeroed by wipe(). */
abstract class SecretHolder {
  /** The hash of the suite this secret belongs to. */
  readonly hash: TlsHash;
  #secret: Uint8Array | undefined;
  readonly #what: string;

  protected constructor(hash: TlsHash, secret: Uint8Array, what: string) {
    this.hash = hash;
    this.#secret = secret;
    this.#what = what;
  }

  /** True once wipe() ran (directly or by moving to the next stage). */
  get wiped(): boolean {
    return this.#secret === undefined;
  }

  /**
   * A copy of the secret bytes, for SSLKEYLOGFILE-style logging and tests.
   * Copying a secret out defeats wipe() for that copy: zero it when done.
   */
  exportSecret(): Uint8Array {
    return this.secret.slice();
  }

  /** Zeroes the secret; every later use throws. */
  wipe(): void {
    this.#secret?.fill(0);
    this.#secret = undefined;
  }

  protected get secret(): Uint8Array {
    if (this.#secret === undefined) throw internalError(`key schedule: ${this.#what} was used after being wiped`);
    return this.#secret;
  }
}

/** AEAD key and IV of one direction (RFC 8446 §7.3). The caller owns and wipes them. */
export interface TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

/** Labels of the traffic secrets (RFC 8446 §7.1), also their names in a trace. */
export type TrafficLabel = 'c e traffic' | 'c hs traffic' | 's hs traffic' | 'c ap traffic' | 's ap traffic';

/** A traffic secret (RFC 8446 §7.1): the source of one direction's record keys. */
class TrafficSecretImpl extends SecretHolder {
  /** Which secret this is. */
  readonly label: TrafficLabel;

  constructor(hash: TlsHash, secret: Uint8Array, label: TrafficLabel) {
    super(hash, secret, label);
    this.label = label;
  }

  /**
   * Traffic key and IV (RFC 8446 §7.3):
   * `key = HKDF-Expand-Label(Secret, "key", "", key_length)`,
   * `iv = HKDF-Expand-Label(Secret, "iv", "", iv_length)`.
   */
  keys(keyLength: number, ivLength = 12): TrafficKeys {
    const empty = new Uint8Array(0);
    return {
      key: hkdfExpandLabel(this.hash, this.secret, 'key', empty, keyLength),
      iv: hkdfExpandLabel(this.hash, this.secret, 'iv', empty, ivLength),
    };
  }
}

/** client/server_handshake_traffic_secret: record keys plus the Finished MAC key (§4.4.4). */
class HandshakeTrafficSecretImpl extends TrafficSecretImpl {
  /**
   * Finished.verify_data (§4.4.4):
   * `HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*))`
   * with `finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)`.
   */
  verifyData(transcriptHash: Uint8Array): Uint8Array {
    return finishedMac(this.hash, this.secret, transcriptHash);
  }

  /** Checks a received Finished; a mismatch is decrypt_error (§4.4.4). */
  verifyFinished(transcriptHash: Uint8Array, received: Uint8Array): void {
    const expected = this.verifyData(transcriptHash);
    const ok = constantTimeEqual(expected, received);
    expected.fill(0);
    if (!ok) throw new TlsError('decrypt_error', `Finished: verify_data does not match the transcript (${this.label}, RFC 8446 §4.4.4)`);
  }
}

/** client/server_application_traffic_secret_N, updatable by KeyUpdate (§7.2). */
class ApplicationTrafficSecretImpl extends TrafficSecretImpl {
  /** N in application_traffic_secret_N. */
  readonly generation: number;

  constructor(hash: TlsHash, secret: Uint8Array, label: TrafficLabel, generation: number) {
    super(hash, secret, label);
    this.generation = generation;
  }

  /**
   * application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length)
   * (§7.2). Wipes this secret: §7.2 says to delete secret_N once N+1 is computed.
   */
  next(): ApplicationTrafficSecretImpl {
    const n = hkdfExpandLabel(this.hash, this.secret, 'traffic upd', new Uint8Array(0), this.hash.length);
    const out = new ApplicationTrafficSecretImpl(this.hash, n, this.label, this.generation + 1);
    this.wipe();
    return out;
  }
}

function finishedMac(h: TlsHash, baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
  if (transcriptHash.length !== h.length) throw internalError(`Finished: transcript hash of ${transcriptHash.length} bytes, expected ${h.length}`);
  const finishedKey = hkdfExpandLabel(h, baseKey, 'finished', new Uint8Array(0), h.length);
  const mac = h.hmac(finishedKey, transcriptHash);
  finishedKey.fill(0);
  return mac;
}

/** exporter_master_secret or early_exporter_master_secret, for TLS-Exporter (§7.5). */
class ExporterImpl extends SecretHolder {
  constructor(hash: TlsHash, secret: Uint8Array, what: string) {
    super(hash, secret, what);
  }

  /**
   * `TLS-Exporter(label, context_value, key_length) =
   * HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value), key_length)`
   * (§7.5). No context and an empty context are the same in TLS 1.3.
   */
  export(label: string, context: Uint8Array, length: number): Uint8Array {
    const inner = deriveSecret(this.hash, this.secret, label, emptyHash(this.hash));
    const out = hkdfExpandLabel(this.hash, inner, 'exporter', this.hash.digest(context), length);
    inner.fill(0);
    return out;
  }
}

/** resumption_master_secret: the source of ticket PSKs (§4.6.1). */
class ResumptionMasterSecretImpl extends SecretHolder {
  constructor(hash: TlsHash, secret: Uint8Array) {
    super(hash, secret, 'resumption_master_secret');
  }

  /** The PSK of a ticket: `HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)` (§4.6.1). */
  psk(ticketNonce: Uint8Array): Uint8Array {
    return hkdfExpandLabel(this.hash, this.secret, 'resumption', ticketNonce, this.hash.length);
  }
}

/** Early Secret = HKDF-Extract(0, PSK) (§7.1). */
class EarlySecretImpl extends SecretHolder {
  constructor(hash: TlsHash, secret: Uint8Array) {
    super(hash, secret, 'early secret');
  }

  /**
   * A PSK binder (§4.2.11.2): the Finished computation keyed by
   * `binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "")`,
   * over `Transcript-Hash(Truncate(ClientHello))`.
   */
  binder(kind: 'external' | 'resumption', truncatedTranscriptHash: Uint8Array): Uint8Array {
    const binderKey = deriveSecret(this.hash, this.secret, kind === 'external' ? 'ext binder' : 'res binder', emptyHash(this.hash));
    const mac = finishedMac(this.hash, binderKey, truncatedTranscriptHash);
    binderKey.fill(0);
    return mac;
  }

  /** Checks a received binder; a mismatch is decrypt_error (§4.2.11, §6.2). */
  verifyBinder(kind: 'external' | 'resumption', truncatedTranscriptHash: Uint8Array, received: Uint8Array): void {
    const expected = this.binder(kind, truncatedTranscriptHash);
    const ok = constantTimeEqual(expected, received);
    expected.fill(0);
    if (!ok) throw new TlsError('decrypt_error', 'ClientHello: PSK binder does not match (RFC 8446 §4.2.11.2)');
  }

  /** client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello) (§7.1). */
  clientEarlyTrafficSecret(clientHelloHash: Uint8Array): TrafficSecretImpl {
    return new TrafficSecretImpl(this.hash, deriveSecret(this.hash, this.secret, 'c e traffic', clientHelloHash), 'c e traffic');
  }

  /** early_exporter_master_secret = Derive-Secret(Early Secret, "e exp master", ClientHello) (§7.1). */
  earlyExporterMasterSecret(clientHelloHash: Uint8Array): ExporterImpl {
    return new ExporterImpl(this.hash, deriveSecret(this.hash, this.secret, 'e exp master', clientHelloHash), 'early_exporter_master_secret');
  }

  /**
   * Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE)
   * (§7.1). Without (EC)DHE (psk_ke), the input is Hash.length zeros.
   * Wipes this EarlySecret.
   */
  intoHandshake(sharedSecret?: Uint8Array): HandshakeSecretImpl {
    const salt = deriveSecret(this.hash, this.secret, 'derived', emptyHash(this.hash));
    const ikm = sharedSecret ?? new Uint8Array(this.hash.length);
    const hs = new HandshakeSecretImpl(this.hash, this.hash.extract(salt, ikm));
    salt.fill(0);
    this.wipe();
    return hs;
  }
}

/** Handshake Secret (§7.1). */
class HandshakeSecretImpl extends SecretHolder {
  constructor(hash: TlsHash, secret: Uint8Array) {
    super(hash, secret, 'handshake secret');
  }

  /** client_handshake_traffic_secret = Derive-Secret(., "c hs traffic", ClientHello...ServerHello). */
  clientHandshakeTrafficSecret(helloHash: Uint8Array): HandshakeTrafficSecretImpl {
    return new HandshakeTrafficSecretImpl(this.hash, deriveSecret(this.hash, this.secret, 'c hs traffic', helloHash), 'c hs traffic');
  }

  /** server_handshake_traffic_secret = Derive-Secret(., "s hs traffic", ClientHello...ServerHello). */
  serverHandshakeTrafficSecret(helloHash: Uint8Array): HandshakeTrafficSecretImpl {
    return new HandshakeTrafficSecretImpl(this.hash, deriveSecret(this.hash, this.secret, 's hs traffic', helloHash), 's hs traffic');
  }

  /**
   * Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0) (§7.1).
   * Derive both handshake traffic secrets first: this wipes the HandshakeSecret.
   */
  intoMaster(): MasterSecretImpl {
    const salt = deriveSecret(this.hash, this.secret, 'derived', emptyHash(this.hash));
    const ms = new MasterSecretImpl(this.hash, this.hash.extract(salt, new Uint8Array(this.hash.length)));
    salt.fill(0);
    this.wipe();
    return ms;
  }
}

/** Master Secret (§7.1). */
class MasterSecretImpl extends SecretHolder {
  constructor(hash: TlsHash, secret: Uint8Array) {
    super(hash, secret, 'master secret');
  }

  /** client_application_traffic_secret_0 = Derive-Secret(., "c ap traffic", ClientHello...server Finished). */
  clientApplicationTrafficSecret(throughServerFinished: Uint8Array): ApplicationTrafficSecretImpl {
    return new ApplicationTrafficSecretImpl(this.hash, deriveSecret(this.hash, this.secret, 'c ap traffic', throughServerFinished), 'c ap traffic', 0);
  }

  /** server_application_traffic_secret_0 = Derive-Secret(., "s ap traffic", ClientHello...server Finished). */
  serverApplicationTrafficSecret(throughServerFinished: Uint8Array): ApplicationTrafficSecretImpl {
    return new ApplicationTrafficSecretImpl(this.hash, deriveSecret(this.hash, this.secret, 's ap traffic', throughServerFinished), 's ap traffic', 0);
  }

  /** exporter_master_secret = Derive-Secret(., "exp master", ClientHello...server Finished). */
  exporterMasterSecret(throughServerFinished: Uint8Array): ExporterImpl {
    return new ExporterImpl(this.hash, deriveSecret(this.hash, this.secret, 'exp master', throughServerFinished), 'exporter_master_secret');
  }

  /** resumption_master_secret = Derive-Secret(., "res master", ClientHello...client Finished). */
  resumptionMasterSecret(throughClientFinished: Uint8Array): ResumptionMasterSecretImpl {
    return new ResumptionMasterSecretImpl(this.hash, deriveSecret(this.hash, this.secret, 'res master', throughClientFinished));
  }
}

/** Stage 1 of the key schedule; obtained from {@link earlySecret} only. */
export type EarlySecret = EarlySecretImpl;
/** Stage 2; obtained from {@link EarlySecret.intoHandshake} only. */
export type HandshakeSecret = HandshakeSecretImpl;
/** Stage 3; obtained from {@link HandshakeSecret.intoMaster} only. */
export type MasterSecret = MasterSecretImpl;
/** A traffic secret: record keys for one direction. */
export type TrafficSecret = TrafficSecretImpl;
/** A handshake traffic secret: record keys and the Finished MAC. */
export type HandshakeTrafficSecret = HandshakeTrafficSecretImpl;
/** An application traffic secret: record keys and KeyUpdate. */
export type ApplicationTrafficSecret = ApplicationTrafficSecretImpl;
/** An (early) exporter master secret. */
export type Exporter = ExporterImpl;
/** The resumption master secret. */
export type ResumptionMasterSecret = ResumptionMasterSecretImpl;

/**
 * Starts the key schedule: Early Secret = HKDF-Extract(0, PSK), with
 * Hash.length zeros when there is no PSK (RFC 8446 §7.1).
 * @example
 * const hs = earlySecret(SHA256).intoHandshake(ecdheSharedSecret);
 * const c = hs.clientHandshakeTrafficSecret(transcript.digest());
 */
export function earlySecret(hash: TlsHash, psk?: Uint8Array): EarlySecret {
  if (psk !== undefined && psk.length === 0) throw internalError('key schedule: an empty PSK');
  const ikm = psk ?? new Uint8Array(hash.length);
  return new EarlySecretImpl(hash, hash.extract(new Uint8Array(hash.length), ikm));
}

/**
 * The running transcript (RFC 8446 §4.4.1): the handshake messages so far,
 * headers included, and their hash on demand.
 *
 * The hash may be set after messages are added, because a client sends
 * ClientHello before it knows the suite. The messages are kept back to back
 * and digest() hashes them in one shot: the core's hashers cannot be forked
 * mid-stream, and a TLS 1.3 transcript is a few KB hashed some eight times per
 * handshake. Measured on the RFC 8448 §3 flight in Node: 0.12-0.16 ms per
 * handshake this way, against 0.34-0.54 ms replaying each message into a
 * `create()` hasher (whose per-call state copies dominate at this size). The
 * last digest is cached until the next add().
 *
 * @example
 * const t = new Transcript();
 * t.add(clientHello1);          // client, before the suite is known
 * t.setHash(SHA256);            // from the HelloRetryRequest's suite
 * t.helloRetry();               // ClientHello1 -> message_hash (§4.4.1)
 * t.add(helloRetryRequest); t.add(clientHello2); t.add(serverHello);
 * const helloHash = t.digest();
 */
export class Transcript {
  #hash: TlsHash | undefined;
  /** The messages back to back, in a buffer that doubles as needed. */
  #buf = new Uint8Array(1024);
  #len = 0;
  #count = 0;
  #cache: Uint8Array | undefined;
  /**
   * The hash of #buf[0, #hashed), kept running so that each message is
   * hashed once however often the transcript is digested (about six times
   * per side in a full handshake). Profiled: rehashing the whole buffer
   * for every digest was about 1 % of an in-memory handshake's CPU.
   */
  #running: Hasher | undefined;
  #hashed = 0;

  /** @param hash the suite's hash, if already known */
  constructor(hash?: TlsHash) {
    this.#hash = hash;
  }

  /**
   * A transcript that starts with message_hash(Hash(ClientHello1)), for a
   * server that keeps the ClientHello1 hash in its HelloRetryRequest cookie
   * instead of in memory (§4.2.2, §4.4.1).
   */
  static afterHelloRetry(hash: TlsHash, clientHello1Hash: Uint8Array): Transcript {
    if (clientHello1Hash.length !== hash.length) throw internalError(`Transcript: a ${clientHello1Hash.length}-byte ClientHello1 hash for ${hash.name}`);
    const t = new Transcript(hash);
    t.add(messageHash(clientHello1Hash));
    return t;
  }

  /** The hash, once known. */
  get hash(): TlsHash | undefined {
    return this.#hash;
  }

  /** Number of messages (message_hash counts as one). */
  get messageCount(): number {
    return this.#count;
  }

  /** Sets the suite's hash; setting a different one later is an internal_error. */
  setHash(hash: TlsHash): void {
    if (this.#hash !== undefined && this.#hash.name !== hash.name) {
      throw internalError(`Transcript: hash already ${this.#hash.name}, cannot switch to ${hash.name}`);
    }
    this.#hash = hash;
  }

  /** Appends a handshake message, 4-byte header included (copied). */
  add(message: Uint8Array): void {
    if (this.#len + message.length > this.#buf.length) {
      let cap = this.#buf.length * 2;
      while (cap < this.#len + message.length) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf.fill(0);
      this.#buf = next;
    }
    this.#buf.set(message, this.#len);
    this.#len += message.length;
    this.#count++;
    this.#cache = undefined;
  }

  /** Transcript-Hash of the messages so far. */
  digest(): Uint8Array {
    if (this.#cache === undefined) this.#cache = this.#caughtUp().clone().digest();
    return this.#cache.slice();
  }

  /**
   * Transcript-Hash of the messages so far followed by `partial`, without
   * adding it: e.g. Truncate(ClientHello) for PSK binders (§4.2.11.2).
   */
  digestWith(partial: Uint8Array): Uint8Array {
    return this.#caughtUp().clone().update(partial).digest();
  }

  /**
   * Applies the HelloRetryRequest rule (§4.4.1): replaces ClientHello1, which
   * must be the only message so far, with
   * `message_hash || 00 00 Hash.length || Hash(ClientHello1)`.
   * Call it before adding the HelloRetryRequest.
   */
  helloRetry(): void {
    if (this.#count !== 1 || this.#buf[0] !== 1) {
      throw internalError(`Transcript: the HelloRetryRequest rule needs exactly ClientHello1 in the transcript, found ${this.#count} message(s)`);
    }
    const synthetic = messageHash(this.#needHash().digest(this.#buf.subarray(0, this.#len)));
    this.clear();
    this.add(synthetic);
  }

  /** Drops (and zeroes) every message. */
  clear(): void {
    this.#buf.fill(0, 0, this.#len);
    this.#len = 0;
    this.#count = 0;
    this.#cache = undefined;
    this.#running = undefined;
    this.#hashed = 0;
  }

  /** The running hash, fed every message added since the last call. */
  #caughtUp(): Hasher {
    if (this.#running === undefined) {
      this.#running = this.#needHash().create();
      this.#hashed = 0;
    }
    if (this.#hashed < this.#len) {
      this.#running.update(this.#buf.subarray(this.#hashed, this.#len));
      this.#hashed = this.#len;
    }
    return this.#running;
  }

  #needHash(): TlsHash {
    if (this.#hash === undefined) throw internalError('Transcript: the hash is not known yet (call setHash once the suite is chosen)');
    return this.#hash;
  }
}
