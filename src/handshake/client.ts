// The TLS 1.3 client handshake (RFC 8446 §2, §4), one class per state:
//
//   ExpectServerHello ──HRR──> ExpectServerHello (retried)
//         │ ServerHello
//   ExpectEncryptedExtensions
//   ExpectCertificateOrCertificateRequest ──CR──> ExpectCertificate
//         │ Certificate
//   ExpectCertificateVerify ──(CertificateVerified)──> ExpectFinished
//         │ Finished (FinishedVerified)
//   Connected (connected.ts)
//
// Only certificate authentication of the server (no PSK, no 0-RTT). A
// CertificateRequest is answered with an empty Certificate (§4.4.2: no
// suitable certificate), which a server with optional client auth accepts.

import { TlsError } from '../errors.js';
import { earlySecret, type HandshakeTrafficSecret, type MasterSecret, Transcript } from '../keyschedule.js';
import type { KeyExchange } from '../provider.js';
import type { Certificate as CertificateMessage } from '../wire/certificate.js';
import type { CertificateRequest } from '../wire/certificate-request.js';
import type { ClientHello } from '../wire/client-hello.js';
import {
  CipherSuite,
  cipherSuiteName,
  DOWNGRADE_TLS11,
  DOWNGRADE_TLS12,
  HandshakeType,
  namedGroupName,
  ProtocolVersion,
  protocolVersionName,
  signatureSchemeName,
} from '../wire/constants.js';
import type { EncryptedExtensions } from '../wire/encrypted-extensions.js';
import {
  assertSolicited,
  type ClientHelloExtension,
  extensionCode,
  findExtension,
  type HelloRetryRequestExtension,
  type ServerHelloExtension,
} from '../wire/extensions/index.js';
import type { HandshakeMessage } from '../wire/handshake.js';
import type { HelloRetryRequest, ServerHello } from '../wire/server-hello.js';
import { type Certificate, parseCertificate } from '../x509/certificate.js';
import { parseIpAddress } from '../x509/hostname.js';
import { validateChain } from '../x509/validate.js';
import { type CertificateVerified, verifyCertificateVerify } from './certificate-verify.js';
import type { ClientConfig, HandshakeContext, HandshakeState } from './common.js';
import { Connected } from './connected.js';
import { checkFinished, makeFinished } from './finished.js';
import { computeSharedSecret, initialShareGroups } from './key-share.js';
import { equalBytes } from '../../bindings/bytes.js';
import { startTls12Client } from './tls12/client.js';
import { tls12Suite } from './tls12/suites.js';
import { extendedMasterSecretExtension, renegotiationInfo } from '../wire/extensions/tls12.js';

/**
 * rsa_pkcs1_* schemes appended to signature_algorithms for certificate
 * signatures only (§4.2.3: "may be used ... in certificates"), so that a
 * server whose chain is signed with PKCS#1 v1.5 knows it may send it.
 */
const PKCS1_FOR_CERTIFICATES = [0x0401, 0x0501, 0x0601];

const ascii = new TextDecoder();
const encoder = new TextEncoder();

/** A protocol version as people write it: `TLS 1.1 (0x0302)`. */
function versionText(v: number): string {
  const names: Partial<Record<number, string>> = { 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };
  return `${names[v] ?? protocolVersionName(v)} (0x${v.toString(16).padStart(4, '0')})`;
}

/** What the client offered, read from the ClientHello as sent (after any test hook). */
interface Offer {
  readonly suites: readonly number[];
  /** supported_groups. */
  readonly groups: readonly number[];
  /** signature_algorithms (CertificateVerify schemes are checked against it). */
  readonly schemes: readonly number[];
  readonly alpn: readonly Uint8Array[];
  readonly extensions: ReadonlySet<number>;
}

function offerOf(ch: ClientHello): Offer {
  return {
    suites: ch.cipherSuites,
    groups: findExtension(ch.extensions, 'supported_groups')?.groups ?? [],
    schemes: findExtension(ch.extensions, 'signature_algorithms')?.schemes ?? [],
    alpn: findExtension(ch.extensions, 'application_layer_protocol_negotiation')?.protocols ?? [],
    extensions: new Set(ch.extensions.map(extensionCode)),
  };
}

/** State carried from one client state to the next. */
interface ClientData {
  readonly config: ClientConfig;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly transcript: Transcript;
  /** Did we already send the §D.4 dummy change_cipher_spec? */
  ccsSent: boolean;
}

/** After the ServerHello: the negotiated parameters and handshake secrets. */
interface Negotiated extends ClientData {
  readonly offer: Offer;
  readonly suite: number;
  readonly group: number;
  readonly hashLength: number;
  readonly helloRetry: boolean;
  readonly clientHs: HandshakeTrafficSecret;
  readonly serverHs: HandshakeTrafficSecret;
  readonly master: MasterSecret;
  alpn?: Uint8Array;
  certificateRequest?: CertificateRequest;
}

/**
 * Sends the first ClientHello and returns the first state.
 * Randomness is drawn in this order (RFC 8448 traces rely on it): random,
 * legacy_session_id (middlebox compatibility only), then the key share.
 */
export function startClient(ctx: HandshakeContext, config: ClientConfig): HandshakeState {
  const random = ctx.provider.randomBytes(32);
  const sessionId = config.middleboxCompat ? ctx.provider.randomBytes(32) : new Uint8Array(0);
  const groups = initialShareGroups(config.groups);
  if (groups.length === 0) throw new TlsError('internal_error', 'no key exchange group configured');
  // A TLS 1.2-only client sends no key share (RFC 8446 §4.2.8 is TLS 1.3's).
  const kxs = config.maxVersion === 'TLSv1.3' ? groups.map((g) => ctx.provider.keyExchange(g)) : [];
  const ch = buildClientHello(config, random, sessionId, kxs);
  const data: ClientData = { config, random, sessionId, transcript: new Transcript(), ccsSent: false };
  const sent = ctx.sendHandshake(ch);
  if (sent === undefined || sent.message.type !== 'client_hello') throw new TlsError('internal_error', 'the ClientHello was not sent');
  data.transcript.add(sent.raw);
  return new ExpectServerHello(data, sent.message, new Map(kxs.map((kx) => [kx.group, kx])), undefined);
}

/** The ClientHello of RFC 8446 §4.1.2 for this configuration. */
function buildClientHello(config: ClientConfig, random: Uint8Array, sessionId: Uint8Array, kxs: readonly KeyExchange[]): ClientHello {
  const tls13 = config.maxVersion === 'TLSv1.3';
  const tls12 = config.minVersion === 'TLSv1.2';
  const extensions: ClientHelloExtension[] = [];
  const sni = sniName(config.serverName);
  // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in "HostName"."
  if (sni !== undefined) extensions.push({ type: 'server_name', serverNames: [{ nameType: 0, name: encoder.encode(sni) }] });
  extensions.push({ type: 'supported_groups', groups: [...config.groups] });
  extensions.push({ type: 'signature_algorithms', schemes: [...config.signatureSchemes, ...PKCS1_FOR_CERTIFICATES] });
  extensions.push({ type: 'supported_versions', versions: [...(tls13 ? [ProtocolVersion.TLS13] : []), ...(tls12 ? [ProtocolVersion.TLS12] : [])] });
  if (kxs.length > 0) extensions.push({ type: 'key_share', shares: kxs.map((kx) => ({ group: kx.group, keyExchange: kx.publicKey })) });
  if (config.alpn.length > 0) extensions.push({ type: 'application_layer_protocol_negotiation', protocols: [...config.alpn] });
  // TLS 1.2 offer (src/handshake/tls12/): extended master secret, secure renegotiation. No ec_point_formats:
  // RFC 8422 §5.1.2 lets a client omit it (uncompressed is the only format), and its 6 bytes would push the
  // default ClientHello past one 1460-byte TCP segment (test/handshake/groups.test.ts).
  if (tls12) extensions.push(extendedMasterSecretExtension(), renegotiationInfo());
  return {
    type: 'client_hello',
    legacyVersion: ProtocolVersion.TLS12,
    random,
    legacySessionId: sessionId,
    cipherSuites: [...(tls13 ? config.cipherSuites : []), ...(tls12 ? config.tls12CipherSuites : [])],
    legacyCompressionMethods: [0],
    extensions,
  };
}

/** The SNI host_name for a server name: DNS names only, without a trailing dot; never IP literals. */
export function sniName(serverName: string | undefined): string | undefined {
  if (serverName === undefined || parseIpAddress(serverName) !== undefined) return undefined;
  const name = serverName.endsWith('.') ? serverName.slice(0, -1) : serverName;
  return name === '' ? undefined : name;
}

/**
 * Checks shared by ServerHello and HelloRetryRequest (§4.1.3, §4.1.4,
 * §4.2.1): version, session id echo, suite, solicited extensions.
 */
function checkHello(m: ServerHello | HelloRetryRequest, data: ClientData, offer: Offer, what: string): void {
  if (m.legacyVersion <= 0x0300) {
    // Appendix D.5: legacy_version 0x0300 (SSL 3.0) or lower "MUST abort the handshake with a protocol_version alert".
    throw new TlsError('protocol_version', `${what}: legacy_version 0x${m.legacyVersion.toString(16).padStart(4, '0')} is SSL 3.0 or older (RFC 8446 Appendix D.5)`);
  }
  const versions = findExtension<ServerHelloExtension | HelloRetryRequestExtension, 'supported_versions'>(m.extensions, 'supported_versions');
  if (versions === undefined) {
    // A ServerHello without it is TLS 1.2 or older (ExpectServerHello.#olderVersion); a HelloRetryRequest must have it.
    throw new TlsError('missing_extension', `${what}: no supported_versions extension (RFC 8446 §4.1.4)`);
  }
  if (versions.selectedVersion !== ProtocolVersion.TLS13) {
    // §4.2.1: a version not offered or prior to TLS 1.3 is illegal_parameter.
    throw new TlsError('illegal_parameter', `${what}: supported_versions selects ${protocolVersionName(versions.selectedVersion)}, which was not offered (RFC 8446 §4.2.1)`);
  }
  if (m.legacyVersion !== ProtocolVersion.TLS12) {
    throw new TlsError('illegal_parameter', `${what}: legacy_version must be 0x0303, got 0x${m.legacyVersion.toString(16).padStart(4, '0')} (RFC 8446 §4.1.3)`);
  }
  if (!equalBytes(m.legacySessionIdEcho, data.sessionId)) {
    // §4.1.3: a legacy_session_id_echo that does not match is illegal_parameter.
    throw new TlsError('illegal_parameter', `${what}: legacy_session_id_echo does not match the ClientHello's legacy_session_id (RFC 8446 §4.1.3)`);
  }
  if (!offer.suites.includes(m.cipherSuite)) {
    throw new TlsError('illegal_parameter', `${what}: cipher suite ${cipherSuiteName(m.cipherSuite)} was not offered (RFC 8446 §4.1.3)`);
  }
  if (tls12Suite(m.cipherSuite) !== undefined) {
    throw new TlsError('illegal_parameter', `${what}: TLS 1.3 with the TLS 1.2 cipher suite ${cipherSuiteName(m.cipherSuite)} (RFC 8446 §4.1.3, §B.4)`);
  }
  assertSolicited(m.extensions, m.type === 'server_hello' ? 'server_hello' : 'hello_retry_request', offer.extensions);
}

/** Waiting for ServerHello or (once) HelloRetryRequest (§4.1.3, §4.1.4). */
class ExpectServerHello implements HandshakeState {
  readonly name = 'ExpectServerHello';
  readonly expects = [HandshakeType.server_hello];
  readonly #data: ClientData;
  readonly #hello: ClientHello;
  readonly #offer: Offer;
  readonly #shares: Map<number, KeyExchange>;
  readonly #retry: { suite: number; group: number | undefined } | undefined;

  constructor(data: ClientData, hello: ClientHello, shares: Map<number, KeyExchange>, retry: { suite: number; group: number | undefined } | undefined) {
    this.#data = data;
    this.#hello = hello;
    this.#offer = offerOf(hello);
    this.#shares = shares;
    this.#retry = retry;
  }

  handle(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    try {
      if (m.type === 'hello_retry_request') return this.#helloRetry(ctx, m, raw);
      if (m.type !== 'server_hello') throw new TlsError('unexpected_message', `${m.type} in ${this.name}`);
      return this.#serverHello(ctx, m, raw);
    } catch (e) {
      for (const kx of this.#shares.values()) kx.dispose();
      throw e;
    }
  }

  /**
   * A ServerHello without supported_versions: TLS 1.2 or older (RFC 8446
   * §4.2.1). TLS 1.2 goes on in src/handshake/tls12/client.ts when offered;
   * the downgrade sentinel (§4.1.3) is checked first when TLS 1.3 was offered.
   */
  #olderVersion(ctx: HandshakeContext, m: ServerHello, raw: Uint8Array): HandshakeState {
    const config = this.#data.config;
    const tail = m.random.subarray(24);
    if (config.maxVersion === 'TLSv1.3' && (equalBytes(tail, DOWNGRADE_TLS12) || equalBytes(tail, DOWNGRADE_TLS11))) {
      // §4.1.3: a TLS 1.3 client that sees TLS 1.2 or below with the downgrade sentinel MUST abort with illegal_parameter.
      throw new TlsError('illegal_parameter', `ServerHello: the server's random carries the downgrade sentinel: it negotiated ${versionText(m.legacyVersion)} although it supports TLS 1.3 (RFC 8446 §4.1.3)`);
    }
    if (m.legacyVersion < ProtocolVersion.TLS12) {
      throw new TlsError('protocol_version', `ServerHello: the server wants ${versionText(m.legacyVersion)}; wasmtls speaks TLS 1.2 and TLS 1.3 only (RFC 8996 deprecates TLS 1.0 and 1.1)`);
    }
    if (m.legacyVersion !== ProtocolVersion.TLS12) {
      throw new TlsError('illegal_parameter', `ServerHello: legacy_version ${versionText(m.legacyVersion)} without supported_versions (RFC 8446 §4.1.3)`);
    }
    if (config.minVersion !== 'TLSv1.2') {
      throw new TlsError('protocol_version', 'ServerHello: the server chose TLS 1.2, and this client has minVersion TLSv1.3');
    }
    if (this.#retry !== undefined) {
      throw new TlsError('illegal_parameter', 'ServerHello: TLS 1.2 after a HelloRetryRequest, which only a TLS 1.3 server sends (RFC 8446 §4.1.4)');
    }
    return startTls12Client(ctx, config, this.#offer, this.#data.random, this.#data.transcript, this.#shares, m, raw);
  }

  #helloRetry(ctx: HandshakeContext, m: HelloRetryRequest, raw: Uint8Array): HandshakeState {
    if (this.#retry !== undefined) {
      // §4.1.4: a second HelloRetryRequest is unexpected_message.
      throw new TlsError('unexpected_message', 'HelloRetryRequest: a second HelloRetryRequest in one handshake (RFC 8446 §4.1.4)');
    }
    checkHello(m, this.#data, this.#offer, 'HelloRetryRequest');
    const ks = findExtension(m.extensions, 'key_share');
    const cookie = findExtension(m.extensions, 'cookie');
    if (ks !== undefined) {
      // §4.2.8: the selected group must be in supported_groups and not one
      // the client already sent a share for.
      if (!this.#offer.groups.includes(ks.selectedGroup)) {
        throw new TlsError('illegal_parameter', `HelloRetryRequest: selected group ${namedGroupName(ks.selectedGroup)} was not in supported_groups (RFC 8446 §4.2.8)`);
      }
      if (this.#shares.has(ks.selectedGroup)) {
        throw new TlsError('illegal_parameter', `HelloRetryRequest: selects ${namedGroupName(ks.selectedGroup)}, for which the ClientHello already had a key share (RFC 8446 §4.2.8)`);
      }
    } else if (cookie === undefined) {
      // §4.1.4: an HRR that would not change the ClientHello is illegal_parameter.
      throw new TlsError('illegal_parameter', 'HelloRetryRequest: neither key_share nor cookie, so the ClientHello would not change (RFC 8446 §4.1.4)');
    }
    const t = this.#data.transcript;
    t.setHash(ctx.provider.hash(m.cipherSuite));
    t.helloRetry();
    t.add(raw);

    let shares = this.#shares;
    let extensions: ClientHelloExtension[] = this.#hello.extensions.filter((e) => e.type !== 'early_data' && e.type !== 'cookie');
    if (ks !== undefined) {
      for (const kx of shares.values()) kx.dispose();
      const kx = ctx.provider.keyExchange(ks.selectedGroup);
      shares = new Map([[kx.group, kx]]);
      extensions = extensions.map((e) => (e.type === 'key_share' ? { type: 'key_share', shares: [{ group: kx.group, keyExchange: kx.publicKey }] } : e));
    }
    if (cookie !== undefined) {
      // §4.2.2: echo the cookie. It goes before pre_shared_key, which must stay last (§4.2.11).
      const psk = extensions.findIndex((e) => e.type === 'pre_shared_key');
      extensions.splice(psk === -1 ? extensions.length : psk, 0, { type: 'cookie', cookie: cookie.cookie });
    }
    const ch2: ClientHello = { ...this.#hello, extensions };
    if (this.#data.config.middleboxCompat && this.#data.sessionId.length > 0 && !this.#data.ccsSent) {
      // §D.4: the dummy change_cipher_spec goes before the second flight, here the second ClientHello.
      ctx.sendChangeCipherSpec();
      this.#data.ccsSent = true;
    }
    const sent = ctx.sendHandshake(ch2);
    if (sent === undefined || sent.message.type !== 'client_hello') throw new TlsError('internal_error', 'the second ClientHello was not sent');
    t.add(sent.raw);
    return new ExpectServerHello(this.#data, sent.message, shares, { suite: m.cipherSuite, group: ks?.selectedGroup });
  }

  #serverHello(ctx: HandshakeContext, m: ServerHello, raw: Uint8Array): HandshakeState {
    if (findExtension(m.extensions, 'supported_versions') === undefined) return this.#olderVersion(ctx, m, raw);
    if (this.#data.config.maxVersion !== 'TLSv1.3') {
      throw new TlsError('illegal_parameter', 'ServerHello: supported_versions selects TLS 1.3, which was not offered (maxVersion TLSv1.2) (RFC 8446 §4.2.1)');
    }
    checkHello(m, this.#data, this.#offer, 'ServerHello');
    if (this.#retry !== undefined && m.cipherSuite !== this.#retry.suite) {
      // §4.1.4: the ServerHello's suite must be the HelloRetryRequest's.
      throw new TlsError(
        'illegal_parameter',
        `ServerHello: cipher suite ${cipherSuiteName(m.cipherSuite)} differs from the HelloRetryRequest's ${cipherSuiteName(this.#retry.suite)} (RFC 8446 §4.1.4)`,
      );
    }
    const ks = findExtension(m.extensions, 'key_share');
    if (ks === undefined) throw new TlsError('missing_extension', 'ServerHello: no key_share, and wasmtls offers no PSK (RFC 8446 §9.2)');
    const kx = this.#shares.get(ks.share.group);
    if (kx === undefined) {
      throw new TlsError('illegal_parameter', `ServerHello: key share for ${namedGroupName(ks.share.group)}, for which the ClientHello had none (RFC 8446 §4.2.8)`);
    }
    const hash = ctx.provider.hash(m.cipherSuite);
    const t = this.#data.transcript;
    t.setHash(hash);
    t.add(raw);
    const shared = computeSharedSecret(kx, ks.share.keyExchange);
    for (const k of this.#shares.values()) k.dispose();
    const hs = earlySecret(hash).intoHandshake(shared);
    shared.fill(0);
    const helloHash = t.digest();
    const clientHs = hs.clientHandshakeTrafficSecret(helloHash);
    const serverHs = hs.serverHandshakeTrafficSecret(helloHash);
    const master = hs.intoMaster();
    ctx.keyLog('CLIENT_HANDSHAKE_TRAFFIC_SECRET', this.#data.random, clientHs);
    ctx.keyLog('SERVER_HANDSHAKE_TRAFFIC_SECRET', this.#data.random, serverHs);
    ctx.setReadKey(m.cipherSuite, serverHs, 'handshake');
    ctx.setWriteKey(m.cipherSuite, clientHs);
    return new ExpectEncryptedExtensions({
      ...this.#data,
      offer: this.#offer,
      suite: m.cipherSuite,
      group: ks.share.group,
      hashLength: hash.length,
      helloRetry: this.#retry !== undefined,
      clientHs,
      serverHs,
      master,
    });
  }
}

/** Base of the encrypted-flight states: wipes the handshake secrets on failure. */
abstract class EncryptedState implements HandshakeState {
  abstract readonly name: string;
  abstract readonly expects: readonly number[];
  protected readonly n: Negotiated;

  constructor(n: Negotiated) {
    this.n = n;
  }

  get hashLength(): number {
    return this.n.hashLength;
  }

  handle(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    try {
      return this.step(ctx, m, raw);
    } catch (e) {
      this.n.clientHs.wipe();
      this.n.serverHs.wipe();
      this.n.master.wipe();
      throw e;
    }
  }

  protected abstract step(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState;
}

/** EncryptedExtensions (§4.3.1). */
class ExpectEncryptedExtensions extends EncryptedState {
  readonly name = 'ExpectEncryptedExtensions';
  readonly expects = [HandshakeType.encrypted_extensions];

  protected step(_ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    const ee = m as EncryptedExtensions;
    // §4.2: an extension the client did not offer is unsupported_extension
    // (the codec already refused ones §4.2 does not allow in EE, such as key_share).
    assertSolicited(ee.extensions, 'encrypted_extensions', this.n.offer.extensions);
    const alpn = findExtension(ee.extensions, 'application_layer_protocol_negotiation');
    if (alpn !== undefined) {
      if (!this.n.offer.alpn.some((p) => equalBytes(p, alpn.protocol))) {
        throw new TlsError('illegal_parameter', `EncryptedExtensions: the server selected ALPN protocol "${ascii.decode(alpn.protocol)}", which was not offered (RFC 7301 §3.2)`);
      }
      this.n.alpn = alpn.protocol;
    }
    this.n.transcript.add(raw);
    return new ExpectCertificateOrCertificateRequest(this.n);
  }
}

/** Certificate or CertificateRequest (§4.3.2, §4.4.2). */
class ExpectCertificateOrCertificateRequest extends EncryptedState {
  readonly name = 'ExpectCertificateOrCertificateRequest';
  readonly expects = [HandshakeType.certificate, HandshakeType.certificate_request];

  protected step(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    if (m.type === 'certificate_request') {
      // Its extensions are the server's requests, not responses to ours (§4.3.2): no solicitation check.
      this.n.certificateRequest = m;
      this.n.transcript.add(raw);
      return new ExpectCertificate(this.n);
    }
    return receiveCertificate(ctx, this.n, m as CertificateMessage, raw);
  }
}

/** Certificate after a CertificateRequest (§4.4.2). */
class ExpectCertificate extends EncryptedState {
  readonly name = 'ExpectCertificate';
  readonly expects = [HandshakeType.certificate];

  protected step(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    return receiveCertificate(ctx, this.n, m as CertificateMessage, raw);
  }
}

/** The server's Certificate: shape checks, parsing and path validation (§4.4.2, §4.4.2.4). */
function receiveCertificate(ctx: HandshakeContext, n: Negotiated, m: CertificateMessage, raw: Uint8Array): HandshakeState {
  if (m.requestContext.length !== 0) {
    // §4.4.2: "In the case of server authentication, this field SHALL be zero length."
    throw new TlsError('illegal_parameter', `Certificate: certificate_request_context of ${m.requestContext.length} bytes in the server's Certificate (RFC 8446 §4.4.2)`);
  }
  if (m.entries.length === 0) {
    // §4.4.2.4: an empty server Certificate is decode_error.
    throw new TlsError('decode_error', 'Certificate: the server sent no certificate (RFC 8446 §4.4.2.4)');
  }
  // No count of entries: the 64 KiB message cap bounds their size, and path
  // building its work (x509/validate.ts: signature checks and candidates).
  for (const e of m.entries) assertSolicited(e.extensions, 'certificate', n.offer.extensions);
  const certificates = m.entries.map((e, i) => {
    try {
      return parseCertificate(e.data);
    } catch (cause) {
      if (cause instanceof TlsError) throw new TlsError(cause.alert === 'unknown' ? 'bad_certificate' : cause.alert, `certificate ${i} of the server's chain: ${cause.message}`, { cause });
      throw cause;
    }
  });
  let authorizationError: TlsError | undefined;
  const identity = n.config.checkServerIdentity;
  try {
    // One validation per handshake; an application name check replaces the subjectAltName one, after the chain.
    validateChain(certificates, {
      trustAnchors: n.config.trustAnchors,
      verifier: ctx.provider.x509,
      hostname: identity === undefined ? n.config.serverName : undefined,
      time: ctx.now(),
      maxIntermediates: n.config.maxIntermediates,
      crl: n.config.crl,
      profile: n.config.profile,
    });
    if (identity !== undefined) checkIdentity(identity, n.config.serverName ?? '', certificates);
  } catch (e) {
    if (!(e instanceof TlsError) || n.config.rejectUnauthorized) throw e;
    authorizationError = e;
  }
  n.transcript.add(raw);
  return new ExpectCertificateVerify(n, certificates, authorizationError);
}

/** Runs the application's name check; its Error (returned or thrown) becomes bad_certificate with it as the cause. */
function checkIdentity(check: (serverName: string, certificates: readonly Certificate[]) => Error | undefined, serverName: string, certificates: readonly Certificate[]): void {
  let result: unknown;
  try {
    result = check(serverName, certificates);
  } catch (e) {
    result = e instanceof Error ? e : new Error(String(e));
  }
  if (result === undefined || result === null) return;
  const error = result instanceof Error ? result : new TypeError('checkServerIdentity must return an Error or undefined');
  const code = (error as { code?: unknown }).code;
  throw new TlsError('bad_certificate', `checkServerIdentity: ${error.message}`, { cause: error, ...(typeof code === 'string' ? { nodeCode: code } : {}) });
}

/** CertificateVerify (§4.4.3): the only producer of CertificateVerified. */
class ExpectCertificateVerify extends EncryptedState {
  readonly name = 'ExpectCertificateVerify';
  readonly expects = [HandshakeType.certificate_verify];
  readonly #certificates: readonly Certificate[];
  readonly #authorizationError: TlsError | undefined;

  constructor(n: Negotiated, certificates: readonly Certificate[], authorizationError: TlsError | undefined) {
    super(n);
    this.#certificates = certificates;
    this.#authorizationError = authorizationError;
  }

  protected step(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    if (m.type !== 'certificate_verify') throw new TlsError('unexpected_message', `${m.type} in ${this.name}`);
    const leaf = this.#certificates[0] as Certificate;
    const proof = verifyCertificateVerify(ctx.provider, this.n.offer.schemes, 'server', leaf.publicKey, m, this.n.transcript.digest());
    this.n.transcript.add(raw);
    return new ExpectFinished(this.n, proof, this.#certificates, this.#authorizationError);
  }
}

/** The server's Finished (§4.4.4); then the client's second flight. */
class ExpectFinished extends EncryptedState {
  readonly name = 'ExpectFinished';
  readonly expects = [HandshakeType.finished];
  readonly #verified: CertificateVerified;
  readonly #certificates: readonly Certificate[];
  readonly #authorizationError: TlsError | undefined;

  /** @param verified the CertificateVerify proof: this state cannot exist without one */
  constructor(n: Negotiated, verified: CertificateVerified, certificates: readonly Certificate[], authorizationError: TlsError | undefined) {
    super(n);
    this.#verified = verified;
    this.#certificates = certificates;
    this.#authorizationError = authorizationError;
  }

  protected step(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    if (m.type !== 'finished') throw new TlsError('unexpected_message', `${m.type} in ${this.name}`);
    const n = this.n;
    const t = n.transcript;
    const proof = checkFinished(n.serverHs, t.digest(), m);
    t.add(raw);
    const throughServerFinished = t.digest();
    const serverAp = n.master.serverApplicationTrafficSecret(throughServerFinished);
    const clientAp = n.master.clientApplicationTrafficSecret(throughServerFinished);
    const exporter = n.master.exporterMasterSecret(throughServerFinished);
    ctx.keyLog('SERVER_TRAFFIC_SECRET_0', n.random, serverAp);
    ctx.keyLog('CLIENT_TRAFFIC_SECRET_0', n.random, clientAp);
    ctx.keyLog('EXPORTER_SECRET', n.random, exporter);
    ctx.setReadKey(n.suite, serverAp, 'application');

    if (n.config.middleboxCompat && n.sessionId.length > 0 && !n.ccsSent) {
      // §D.4: the dummy change_cipher_spec goes right before the second flight.
      ctx.sendChangeCipherSpec();
      n.ccsSent = true;
    }
    if (n.certificateRequest !== undefined) {
      // §4.4.2: no suitable certificate: an empty Certificate, no CertificateVerify.
      const sent = ctx.sendHandshake({ type: 'certificate', requestContext: n.certificateRequest.requestContext, entries: [] });
      if (sent !== undefined) t.add(sent.raw);
    }
    const fin = ctx.sendHandshake(makeFinished(n.clientHs, t.digest()));
    if (fin !== undefined) t.add(fin.raw);
    ctx.setWriteKey(n.suite, clientAp);
    n.clientHs.wipe();
    n.serverHs.wipe();
    // No resumption yet: the master secret has no further use.
    n.master.wipe();
    t.clear();

    const connected = new Connected(proof, 'client', n.suite, serverAp, clientAp, exporter);
    ctx.handshakeDone({
      version: 'TLSv1.3',
      cipherSuite: cipherSuiteName(n.suite),
      group: namedGroupName(n.group),
      signatureScheme: signatureSchemeName(this.#verified.scheme),
      alpn: n.alpn === undefined ? undefined : ascii.decode(n.alpn),
      serverName: n.config.serverName,
      peerCertificates: this.#certificates,
      authorized: this.#authorizationError === undefined,
      authorizationError: this.#authorizationError,
      helloRetryRequest: n.helloRetry,
    });
    return connected;
  }
}
