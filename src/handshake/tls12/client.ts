// The TLS 1.2 client handshake (RFC 5246 §7.3, RFC 8422, RFC 7627, RFC 5746),
// full handshakes with ECDHE and an AEAD only, one class per state:
//
//   (TLS 1.3 ExpectServerHello sees a TLS 1.2 ServerHello) -> startTls12Client
//   ExpectCertificate12 -> ExpectServerKeyExchange
//     ──(ServerKeyExchangeVerified)──> ExpectServerHelloDone
//         │ ServerHelloDone: ClientKeyExchange, ChangeCipherSpec, Finished
//   ExpectServerChangeCipherSpec ──CCS──> ExpectServerFinished
//     ──(Finished12Verified)──> Connected12
//
// No resumption: the client sends no session_ticket and an empty session id
// is fine; a NewSessionTicket before the server's ChangeCipherSpec (sent only
// when asked, RFC 5077 §3.3) is ignored, not stored.

import { TlsError } from '../../errors.js';
import type { TlsHash, Transcript } from '../../keyschedule.js';
import type { KeyExchange } from '../../provider.js';
import { Tls12Protection } from '../../record/tls12-protection.js';
import type { Certificate as CertificateMessage } from '../../wire/certificate.js';
import { cipherSuiteName, ExtensionType, extensionName, HandshakeType, namedGroupName, signatureSchemeName } from '../../wire/constants.js';
import { extensionCode } from '../../wire/extensions/index.js';
import { checkEcPointFormats, hasExtendedMasterSecret, rawExtension, readRenegotiationInfo } from '../../wire/extensions/tls12.js';
import type { HandshakeMessage } from '../../wire/handshake.js';
import { Reader } from '../../wire/reader.js';
import type { ServerHello } from '../../wire/server-hello.js';
import type { ServerKeyExchange } from '../../wire/tls12-messages.js';
import { type Certificate, parseCertificate } from '../../x509/certificate.js';
import { validateChain } from '../../x509/validate.js';
import type { ClientConfig, HandshakeContext, HandshakeState } from '../common.js';
import { computeSharedSecret } from '../key-share.js';
import { Connected12 } from './connected.js';
import { extendedMasterSecret, legacyMasterSecret, type MasterSecret } from './key-schedule.js';
import { checkFinished12, type ServerKeyExchangeVerified, verifyServerKeyExchange } from './proofs.js';
import { isTls13Suite, TLS12_GROUPS, type Tls12Suite, tls12Suite } from './suites.js';

/** Most certificates accepted in the server's Certificate (as for TLS 1.3). */
const MAX_PEER_CERTIFICATES = 16;
const ascii = new TextDecoder();

/** What the client's ClientHello offered, as the TLS 1.3 state read it. */
export interface Tls12ClientOffer {
  readonly suites: readonly number[];
  readonly groups: readonly number[];
  readonly schemes: readonly number[];
  readonly alpn: readonly Uint8Array[];
  readonly extensions: ReadonlySet<number>;
}

interface Client12 {
  readonly config: ClientConfig;
  readonly offer: Tls12ClientOffer;
  readonly suite: Tls12Suite;
  /** The PRF and transcript hash (the provider's, for the suite's hash). */
  readonly hash: TlsHash;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
  readonly transcript: Transcript;
  readonly extendedMasterSecret: boolean;
  /** The TLS 1.3 key shares of the ClientHello: one is reused when the server picks its group. */
  readonly shares: Map<number, KeyExchange>;
  readonly alpn: Uint8Array | undefined;
}

function disposeShares(c: Client12): void {
  for (const kx of c.shares.values()) kx.dispose();
  c.shares.clear();
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The TLS 1.2 ServerHello checks and the first TLS 1.2 state. Called by the
 * TLS 1.3 client's ExpectServerHello once the version is known to be 1.2
 * (and the downgrade sentinel was checked there).
 */
export function startTls12Client(
  ctx: HandshakeContext,
  config: ClientConfig,
  offer: Tls12ClientOffer,
  clientRandom: Uint8Array,
  transcript: Transcript,
  shares: Map<number, KeyExchange>,
  m: ServerHello,
  raw: Uint8Array,
): HandshakeState {
  const suite = tls12Suite(m.cipherSuite);
  if (!offer.suites.includes(m.cipherSuite) || suite === undefined) {
    const why = isTls13Suite(m.cipherSuite) ? 'a TLS 1.3 suite, which a TLS 1.2 ServerHello must not choose' : 'which was not offered';
    throw new TlsError('illegal_parameter', `ServerHello: TLS 1.2 with cipher suite ${cipherSuiteName(m.cipherSuite)}, ${why} (RFC 5246 §7.4.1.3)`);
  }
  if (m.legacyCompressionMethod !== 0) {
    throw new TlsError('illegal_parameter', `ServerHello: compression method ${m.legacyCompressionMethod}; only null (0) was offered (RFC 5246 §7.4.1.3)`);
  }
  const where = 'ServerHello';
  for (const e of m.extensions) {
    const code = extensionCode(e);
    // RFC 5246 §7.4.1.4: an extension the client did not offer is unsupported_extension.
    if (!offer.extensions.has(code)) throw new TlsError('unsupported_extension', `${where}: extension ${extensionName(code)} was not offered (RFC 5246 §7.4.1.4)`);
  }
  const reneg = readRenegotiationInfo(m.extensions, where);
  if (reneg === undefined) {
    // RFC 5746 §3.4 lets a client refuse a server without secure renegotiation; wasmtls does (a modern-only profile).
    throw new TlsError('handshake_failure', `${where}: no renegotiation_info: the server does not support secure renegotiation (RFC 5746 §3.4)`);
  }
  if (reneg.length !== 0) {
    throw new TlsError('handshake_failure', `${where}: renegotiation_info with ${reneg.length} bytes of renegotiated_connection on an initial handshake (RFC 5746 §3.4)`);
  }
  const ems = hasExtendedMasterSecret(m.extensions, where);
  if (!ems && config.requireExtendedMasterSecret) {
    throw new TlsError(
      'handshake_failure',
      `${where}: no extended_master_secret; wasmtls requires it (RFC 7627 §5.2; set requireExtendedMasterSecret: false to allow such a server)`,
    );
  }
  checkEcPointFormats(m.extensions, where);
  let alpn: Uint8Array | undefined;
  const alpnBody = rawExtension(m.extensions, ExtensionType.application_layer_protocol_negotiation);
  if (alpnBody !== undefined) {
    const r = new Reader(alpnBody, `${where}.application_layer_protocol_negotiation`);
    const list = r.vec16('protocol_name_list', 2, 0xffff);
    const protocol = list.opaque8('ProtocolName', 1, 255);
    list.end();
    r.end();
    if (!offer.alpn.some((p) => equalBytes(p, protocol))) {
      throw new TlsError('illegal_parameter', `${where}: the server selected ALPN protocol "${ascii.decode(protocol)}", which was not offered (RFC 7301 §3.2)`);
    }
    alpn = protocol;
  }
  ctx.negotiatedTls12(suite.code);
  const hash = ctx.provider.hash(suite.aeadSuite);
  transcript.setHash(hash);
  transcript.add(raw);
  return new ExpectCertificate12({
    config,
    offer,
    suite,
    hash,
    clientRandom,
    serverRandom: m.random,
    transcript,
    extendedMasterSecret: ems,
    shares,
    alpn,
  });
}

/** Base of the TLS 1.2 client states: TLS 1.2 decoding and key wiping on failure. */
abstract class Client12State implements HandshakeState {
  abstract readonly name: string;
  abstract readonly expects: readonly number[];
  readonly tls12 = true;
  readonly hashLength = 12;
  protected readonly c: Client12;

  constructor(c: Client12) {
    this.c = c;
  }

  handle(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    try {
      return this.step(ctx, m, raw);
    } catch (e) {
      this.fail();
      throw e;
    }
  }

  protected fail(): void {
    disposeShares(this.c);
  }

  protected abstract step(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState;
}

/** The server's Certificate (RFC 5246 §7.4.2), validated as in TLS 1.3. */
class ExpectCertificate12 extends Client12State {
  readonly name = 'ExpectCertificate12';
  readonly expects = [HandshakeType.certificate];

  protected step(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    const cm = m as CertificateMessage;
    if (cm.entries.length === 0) throw new TlsError('decode_error', 'Certificate: the server sent no certificate (RFC 5246 §7.4.2)');
    if (cm.entries.length > MAX_PEER_CERTIFICATES) throw new TlsError('bad_certificate', `Certificate: ${cm.entries.length} certificates exceed the limit of ${MAX_PEER_CERTIFICATES}`);
    const certificates = cm.entries.map((e, i) => {
      try {
        return parseCertificate(e.data);
      } catch (cause) {
        if (cause instanceof TlsError) throw new TlsError(cause.alert === 'unknown' ? 'bad_certificate' : cause.alert, `certificate ${i} of the server's chain: ${cause.message}`, { cause });
        throw cause;
      }
    });
    const n = this.c;
    let authorizationError: TlsError | undefined;
    try {
      validateChain(certificates, {
        trustAnchors: n.config.trustAnchors,
        verifier: ctx.provider.x509,
        hostname: n.config.serverName,
        time: ctx.now(),
        maxIntermediates: n.config.maxIntermediates,
      });
    } catch (e) {
      if (!(e instanceof TlsError) || n.config.rejectUnauthorized) throw e;
      authorizationError = e;
    }
    const leafKey = (certificates[0] as Certificate).publicKey;
    const wantEc = n.suite.auth === 'ecdsa';
    if ((leafKey.type === 'ec') !== wantEc || (!wantEc && leafKey.type !== 'rsa')) {
      // RFC 8422 §6 / RFC 5246 §7.4.2: the certificate key must be the suite's kind.
      throw new TlsError('unsupported_certificate', `Certificate: a ${leafKey.type} key cannot authenticate ${n.suite.name}`);
    }
    n.transcript.add(raw);
    return new ExpectServerKeyExchange(n, certificates, authorizationError);
  }
}

/** ServerKeyExchange (RFC 8422 §5.4): the only producer of ServerKeyExchangeVerified. */
class ExpectServerKeyExchange extends Client12State {
  readonly name = 'ExpectServerKeyExchange';
  readonly expects = [HandshakeType.server_key_exchange];
  readonly #certificates: readonly Certificate[];
  readonly #authorizationError: TlsError | undefined;

  constructor(c: Client12, certificates: readonly Certificate[], authorizationError: TlsError | undefined) {
    super(c);
    this.#certificates = certificates;
    this.#authorizationError = authorizationError;
  }

  protected step(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    const ske = m as ServerKeyExchange;
    const n = this.c;
    if (!n.offer.groups.includes(ske.namedCurve) || !TLS12_GROUPS.includes(ske.namedCurve)) {
      // RFC 8422 §5.4: the curve must be one the client offered.
      throw new TlsError('illegal_parameter', `ServerKeyExchange: curve ${namedGroupName(ske.namedCurve)} was not offered in supported_groups (RFC 8422 §5.4)`);
    }
    const leaf = this.#certificates[0] as Certificate;
    const proof = verifyServerKeyExchange(ctx.provider, n.suite, n.offer.schemes, leaf.publicKey, n.clientRandom, n.serverRandom, ske);
    // The ClientHello's key share for this group, if it had one, is reused; otherwise a fresh key.
    const kx = n.shares.get(ske.namedCurve) ?? ctx.provider.keyExchange(ske.namedCurve);
    n.shares.delete(ske.namedCurve);
    disposeShares(n);
    let preMaster: Uint8Array;
    try {
      preMaster = computeSharedSecret(kx, ske.publicKey);
    } catch (e) {
      kx.dispose();
      throw e;
    }
    const ours = kx.publicKey.slice();
    kx.dispose();
    n.transcript.add(raw);
    return new ExpectServerHelloDone(n, proof, this.#certificates, this.#authorizationError, ske.namedCurve, preMaster, ours);
  }
}

/** ServerHelloDone (RFC 5246 §7.4.5); then the client's flight. */
class ExpectServerHelloDone extends Client12State {
  readonly name = 'ExpectServerHelloDone';
  readonly expects = [HandshakeType.server_hello_done];
  readonly #verified: ServerKeyExchangeVerified;
  readonly #certificates: readonly Certificate[];
  readonly #authorizationError: TlsError | undefined;
  readonly #group: number;
  readonly #preMaster: Uint8Array;
  readonly #publicKey: Uint8Array;

  constructor(
    c: Client12,
    verified: ServerKeyExchangeVerified,
    certificates: readonly Certificate[],
    authorizationError: TlsError | undefined,
    group: number,
    preMaster: Uint8Array,
    publicKey: Uint8Array,
  ) {
    super(c);
    this.#verified = verified;
    this.#certificates = certificates;
    this.#authorizationError = authorizationError;
    this.#group = group;
    this.#preMaster = preMaster;
    this.#publicKey = publicKey;
  }

  protected override fail(): void {
    super.fail();
    this.#preMaster.fill(0);
  }

  protected step(ctx: HandshakeContext, _m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    const n = this.c;
    const t = n.transcript;
    t.add(raw);
    const cke = ctx.sendHandshake({ type: 'client_key_exchange', publicKey: this.#publicKey });
    if (cke !== undefined) t.add(cke.raw);
    // RFC 7627 §4: session_hash covers every message through ClientKeyExchange.
    const master = n.extendedMasterSecret
      ? extendedMasterSecret(n.hash, this.#preMaster, t.digest())
      : legacyMasterSecret(n.hash, this.#preMaster, n.clientRandom, n.serverRandom);
    ctx.keyLog('CLIENT_RANDOM', n.clientRandom, master);
    const keys = master.keyBlock(n.clientRandom, n.serverRandom, n.suite.keyLength, n.suite.ivLength);
    let read: Tls12Protection;
    try {
      const write = new Tls12Protection(ctx.provider.aead(n.suite.aeadSuite, keys.client.key), keys.client.iv, n.suite.explicitNonce);
      read = new Tls12Protection(ctx.provider.aead(n.suite.aeadSuite, keys.server.key), keys.server.iv, n.suite.explicitNonce);
      ctx.sendChangeCipherSpec();
      ctx.setWriteProtection(write);
    } finally {
      for (const k of [keys.client.key, keys.client.iv, keys.server.key, keys.server.iv]) k.fill(0);
    }
    try {
      const fin = ctx.sendHandshake({ type: 'finished', verifyData: master.verifyData('client', t.digest()) });
      if (fin !== undefined) t.add(fin.raw);
    } catch (e) {
      read.dispose();
      master.wipe();
      throw e;
    }
    return new ExpectServerChangeCipherSpec(n, {
      verified: this.#verified,
      certificates: this.#certificates,
      authorizationError: this.#authorizationError,
      group: this.#group,
      master,
      read,
    });
  }
}

interface KeysAgreed {
  readonly verified: ServerKeyExchangeVerified;
  readonly certificates: readonly Certificate[];
  readonly authorizationError: TlsError | undefined;
  readonly group: number;
  readonly master: MasterSecret;
  readonly read: Tls12Protection;
}

/** Waiting for the server's ChangeCipherSpec (RFC 5246 §7.1); a NewSessionTicket may come first (RFC 5077 §3.3). */
class ExpectServerChangeCipherSpec extends Client12State {
  readonly name = 'ExpectServerChangeCipherSpec';
  readonly expects = [HandshakeType.new_session_ticket];
  readonly #k: KeysAgreed;
  #ticketSeen = false;

  constructor(c: Client12, k: KeysAgreed) {
    super(c);
    this.#k = k;
  }

  protected override fail(): void {
    this.#k.master.wipe();
    this.#k.read.dispose();
  }

  protected step(_ctx: HandshakeContext, _m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    // The client sent no session_ticket extension, so a ticket is unsolicited; it is part of the
    // transcript (RFC 5077 §3.3) and otherwise ignored (no resumption yet).
    if (this.#ticketSeen) throw new TlsError('unexpected_message', 'NewSessionTicket: a second one in one handshake (RFC 5077 §3.3)');
    this.#ticketSeen = true;
    this.c.transcript.add(raw);
    return this;
  }

  changeCipherSpec(ctx: HandshakeContext): HandshakeState {
    ctx.setReadProtection(this.#k.read, 'handshake');
    return new ExpectServerFinished(this.c, this.#k);
  }
}

/** The server's Finished (RFC 5246 §7.4.9): the only way to Connected12. */
class ExpectServerFinished extends Client12State {
  readonly name = 'ExpectServerFinished';
  readonly expects = [HandshakeType.finished];
  readonly #k: KeysAgreed;

  constructor(c: Client12, k: KeysAgreed) {
    super(c);
    this.#k = k;
  }

  protected override fail(): void {
    this.#k.master.wipe();
  }

  protected step(ctx: HandshakeContext, m: HandshakeMessage): HandshakeState {
    if (m.type !== 'finished') throw new TlsError('unexpected_message', `${m.type} in ${this.name}`);
    const n = this.c;
    const k = this.#k;
    const proof = checkFinished12(k.master, 'server', n.transcript.digest(), m.verifyData);
    n.transcript.clear();
    ctx.setReadEpoch('application');
    const connected = new Connected12(proof, 'client', k.master, n.clientRandom, n.serverRandom);
    ctx.handshakeDone({
      version: 'TLSv1.2',
      cipherSuite: n.suite.name,
      group: namedGroupName(k.group),
      signatureScheme: signatureSchemeName(k.verified.scheme),
      alpn: n.alpn === undefined ? undefined : ascii.decode(n.alpn),
      serverName: n.config.serverName,
      peerCertificates: k.certificates,
      authorized: k.authorizationError === undefined,
      authorizationError: k.authorizationError,
      helloRetryRequest: false,
    });
    return connected;
  }
}

