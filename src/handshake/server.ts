// The TLS 1.3 server handshake (RFC 8446 §2, §4), one class per state:
//
//   ExpectClientHello ──HRR──> ExpectClientHello (second, after HelloRetryRequest)
//         │ ClientHello: ServerHello, [CCS], EE, Certificate, CertificateVerify, Finished
//   ExpectFinished ──(FinishedVerified)──> Connected (connected.ts)
//
// HelloRetryRequest is stateful: the server keeps ClientHello1's transcript
// and the HRR in memory and sends no cookie, so a second ClientHello with a
// cookie is illegal_parameter (a stateless-cookie mode would put
// Hash(ClientHello1) and the choices in a MAC'd cookie, §4.2.2; not done).
// No client authentication (no CertificateRequest), no PSK (pre_shared_key is
// ignored, §4.2.11: the server "MAY" not select one), early data is refused
// by skipping it (§4.2.10).

import { TlsError } from '../errors.js';
import {
  type ApplicationTrafficSecret,
  earlySecret,
  type Exporter,
  type HandshakeTrafficSecret,
  type TlsHash,
  Transcript,
} from '../keyschedule.js';
import type { ClientHello } from '../wire/client-hello.js';
import { cipherSuiteName, HandshakeType, namedGroupName, ProtocolVersion, signatureSchemeName } from '../wire/constants.js';
import { type ClientHelloExtension, findExtension, hostName, writeExtensions } from '../wire/extensions/index.js';
import type { EncryptedExtension } from '../wire/extensions/index.js';
import type { HandshakeMessage } from '../wire/handshake.js';
import type { HelloRetryRequest } from '../wire/server-hello.js';
import { Writer } from '../wire/writer.js';
import { signCertificateVerify } from './certificate-verify.js';
import type { HandshakeContext, HandshakeState, ServerConfig } from './common.js';
import { Connected } from './connected.js';
import { checkFinished, makeFinished } from './finished.js';
import { acceptKeyShare } from './key-share.js';
import { equalBytes } from '../../bindings/bytes.js';
import { clientMaxVersion, offersTls12, startTls12Server } from './tls12/server.js';

const ascii = new TextDecoder();

/** What a HelloRetryRequest fixed, for the second ClientHello. */
interface Retry {
  readonly clientHello1: ClientHello;
  /** The HelloRetryRequest as sent (after any test hook). */
  readonly hrr: HelloRetryRequest;
  readonly suite: number;
  readonly group: number;
  /** message_hash(ClientHello1) and the HelloRetryRequest. */
  readonly transcript: Transcript;
  readonly ccsSent: boolean;
}

/** The returned first state. */
export function startServer(config: ServerConfig): HandshakeState {
  return new ExpectClientHello(config, undefined);
}

/** The first ClientHello, or the second one after a HelloRetryRequest (§4.1.2). */
class ExpectClientHello implements HandshakeState {
  readonly name: string;
  readonly expects = [HandshakeType.client_hello];
  readonly #config: ServerConfig;
  readonly #retry: Retry | undefined;

  constructor(config: ServerConfig, retry: Retry | undefined) {
    this.#config = config;
    this.#retry = retry;
    this.name = retry === undefined ? 'ExpectClientHello' : 'ExpectSecondClientHello';
  }

  handle(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    if (m.type !== 'client_hello') throw new TlsError('unexpected_message', `${m.type} in ${this.name}`);
    const config = this.#config;
    if (this.#retry === undefined) {
      const version = chooseVersion(config, m);
      // §4.1.3: a server that can do TLS 1.3 marks a TLS 1.2 ServerHello with the downgrade sentinel.
      if (version === 'TLSv1.2') return startTls12Server(ctx, config, m, raw, config.maxVersion === 'TLSv1.3');
    }
    checkVersions(m);
    if (this.#retry !== undefined) checkSecondHello(this.#retry, m);
    const exts = m.extensions;
    const sigalgs = findExtension(exts, 'signature_algorithms');
    const groupsExt = findExtension(exts, 'supported_groups');
    const keyShare = findExtension(exts, 'key_share');
    if (sigalgs === undefined) throw new TlsError('missing_extension', 'ClientHello: no signature_algorithms, required for certificate authentication (RFC 8446 §9.2)');
    if (groupsExt === undefined || keyShare === undefined) {
      // §9.2: supported_groups and key_share come together; without PSK both are required.
      const missing = groupsExt === undefined && keyShare === undefined ? 'supported_groups and key_share' : groupsExt === undefined ? 'supported_groups' : 'key_share';
      throw new TlsError('missing_extension', `ClientHello: no ${missing} (RFC 8446 §9.2)`);
    }
    if (findExtension(exts, 'pre_shared_key') !== undefined && findExtension(exts, 'psk_key_exchange_modes') === undefined) {
      throw new TlsError('missing_extension', 'ClientHello: pre_shared_key without psk_key_exchange_modes (RFC 8446 §4.2.9)');
    }
    for (const s of keyShare.shares) {
      // §4.2.8: every share's group must be in supported_groups.
      if (!groupsExt.groups.includes(s.group)) {
        throw new TlsError('illegal_parameter', `ClientHello: key share for ${namedGroupName(s.group)}, which is not in supported_groups (RFC 8446 §4.2.8)`);
      }
    }
    if (this.#retry === undefined && findExtension(exts, 'cookie') !== undefined) {
      throw new TlsError('illegal_parameter', 'ClientHello: a cookie, but this server sent no HelloRetryRequest (RFC 8446 §4.2.2)');
    }

    // Our preference among the client's suites (issue: "picks its own preferred suite").
    const suite = config.cipherSuites.find((s) => m.cipherSuites.includes(s));
    if (suite === undefined) {
      throw new TlsError('handshake_failure', `ClientHello: no cipher suite in common (client offers ${m.cipherSuites.map(cipherSuiteName).join(', ')})`);
    }
    // The client's preference among the schemes our key can make (§4.4.3 lets either side's order rule).
    const scheme = sigalgs.schemes.find((s) => config.signSchemes.includes(s));
    if (scheme === undefined) {
      throw new TlsError(
        'handshake_failure',
        `ClientHello: signature_algorithms has no scheme for this server's ${config.key.type} key (it lists ${sigalgs.schemes.map(signatureSchemeName).join(', ')})`,
      );
    }
    const alpn = selectAlpn(config.alpn, findExtension(exts, 'application_layer_protocol_negotiation')?.protocols);
    const sni = findExtension(exts, 'server_name');
    const serverName = sni === undefined ? undefined : hostName(sni.serverNames);

    let group: number;
    let clientShare: Uint8Array;
    if (this.#retry !== undefined) {
      group = this.#retry.group;
      clientShare = (keyShare.shares[0] as { keyExchange: Uint8Array }).keyExchange;
    } else {
      // A group we support for which the client sent a share, in our order;
      // else the first of ours it supports, through a HelloRetryRequest.
      const shared = config.groups.find((g) => keyShare.shares.some((s) => s.group === g));
      if (shared === undefined) {
        const g = config.groups.find((x) => groupsExt.groups.includes(x));
        if (g === undefined) {
          throw new TlsError('handshake_failure', `ClientHello: no key exchange group in common (client supports ${groupsExt.groups.map(namedGroupName).join(', ')})`);
        }
        return this.#helloRetry(ctx, m, raw, suite, g);
      }
      group = shared;
      clientShare = (keyShare.shares.find((s) => s.group === shared) as { keyExchange: Uint8Array }).keyExchange;
    }
    if (findExtension(exts, 'early_data') !== undefined) ctx.skipEarlyData();

    const hash = ctx.provider.hash(suite);
    let transcript: Transcript;
    let ccsSent = false;
    if (this.#retry !== undefined) {
      transcript = this.#retry.transcript;
      ccsSent = this.#retry.ccsSent;
    } else {
      transcript = new Transcript(hash);
    }
    transcript.add(raw);
    return serverFlight(ctx, config, m, transcript, hash, { suite, group, scheme, clientShare, alpn, serverName, ccsSent, helloRetry: this.#retry !== undefined });
  }

  #helloRetry(ctx: HandshakeContext, ch: ClientHello, raw: Uint8Array, suite: number, group: number): HandshakeState {
    const transcript = new Transcript(ctx.provider.hash(suite));
    transcript.add(raw);
    // §4.4.1: ClientHello1 becomes message_hash(Hash(ClientHello1)).
    transcript.helloRetry();
    const hrr: HelloRetryRequest = {
      type: 'hello_retry_request',
      legacyVersion: ProtocolVersion.TLS12,
      legacySessionIdEcho: ch.legacySessionId,
      cipherSuite: suite,
      legacyCompressionMethod: 0,
      extensions: [
        { type: 'key_share', selectedGroup: group },
        { type: 'supported_versions', selectedVersion: ProtocolVersion.TLS13 },
      ],
    };
    const sent = ctx.sendHandshake(hrr);
    if (sent === undefined || sent.message.type !== 'hello_retry_request') throw new TlsError('internal_error', 'the HelloRetryRequest was not sent');
    transcript.add(sent.raw);
    // §D.4: the server's dummy change_cipher_spec follows its first handshake message.
    const ccs = ch.legacySessionId.length > 0;
    if (ccs) ctx.sendChangeCipherSpec();
    // §4.2.10: early data the client sent after ClientHello1 is skipped.
    if (findExtension(ch.extensions, 'early_data') !== undefined) ctx.skipEarlyData();
    return new ExpectClientHello(this.#config, { clientHello1: ch, hrr: sent.message, suite, group, transcript, ccsSent: ccs });
  }
}


/**
 * Version negotiation (RFC 8446 §4.2.1, §D.2): TLS 1.3 whenever both sides
 * can, else TLS 1.2 when both can; otherwise protocol_version naming what
 * each side wanted.
 */
function chooseVersion(config: ServerConfig, ch: ClientHello): 'TLSv1.2' | 'TLSv1.3' {
  const sv = findExtension(ch.extensions, 'supported_versions');
  const offers13 = sv?.versions.includes(ProtocolVersion.TLS13) === true;
  if (offers13 && config.maxVersion === 'TLSv1.3') return 'TLSv1.3';
  if (offersTls12(ch) && config.minVersion === 'TLSv1.2') return 'TLSv1.2';
  const top = clientMaxVersion(ch);
  if (offers13) throw new TlsError('protocol_version', 'ClientHello: the client offers only TLS 1.3, and this server is limited to TLS 1.2 by its maxVersion');
  if (offersTls12(ch)) throw new TlsError('protocol_version', 'ClientHello: the client offers at most TLS 1.2, and this server requires TLS 1.3 (minVersion TLSv1.3)');
  throw new TlsError('protocol_version', `ClientHello: the client offers at most ${versionText(top)}; wasmtls speaks TLS 1.2 and TLS 1.3 only: the client must enable TLS 1.2 or 1.3 (RFC 8996 deprecates TLS 1.0 and 1.1)`);
}

/** TLS 1.3 must be offered through supported_versions (§4.2.1); anything else is protocol_version. */
function checkVersions(ch: ClientHello): void {
  if (ch.legacyVersion <= 0x0300) {
    // Appendix D.5: legacy_version 0x0300 (SSL 3.0) or lower "MUST abort the handshake with a protocol_version alert".
    throw new TlsError('protocol_version', `ClientHello: legacy_version 0x${ch.legacyVersion.toString(16).padStart(4, '0')} is SSL 3.0 or older (RFC 8446 Appendix D.5)`);
  }
  const sv = findExtension(ch.extensions, 'supported_versions');
  if (sv === undefined) {
    throw new TlsError('protocol_version', `ClientHello: no supported_versions, so the client offers at most ${versionText(ch.legacyVersion)}; this server speaks TLS 1.3 only: the client must enable TLS 1.3 (RFC 8446 §4.2.1)`);
  }
  if (!sv.versions.includes(ProtocolVersion.TLS13)) {
    throw new TlsError('protocol_version', `ClientHello: supported_versions lacks TLS 1.3 (0x0304) (RFC 8446 §4.2.1)`);
  }
}

/** Extensions a second ClientHello may change (§4.1.2). */
const MAY_CHANGE: ReadonlySet<string> = new Set(['key_share', 'cookie', 'early_data', 'pre_shared_key']);
const PADDING = 21;

function encodeExtensions(list: readonly ClientHelloExtension[]): Uint8Array {
  const w = new Writer('ClientHello');
  writeExtensions(w, 'client_hello', list, 0, 0xffff);
  return w.finish();
}

/**
 * §4.1.2: the second ClientHello must be the first with only the changes
 * the HelloRetryRequest asked for (key_share for the selected group, the
 * cookie, early_data removed, pre_shared_key updated, padding). Anything else
 * is illegal_parameter (§4.1.4: the server must make sure of consistency).
 */
function checkSecondHello(retry: Retry, ch2: ClientHello): void {
  const ch1 = retry.clientHello1;
  const fail = (what: string): never => {
    throw new TlsError('illegal_parameter', `second ClientHello: ${what} changed after the HelloRetryRequest (RFC 8446 §4.1.2)`);
  };
  if (ch2.legacyVersion !== ch1.legacyVersion) fail('legacy_version');
  if (!equalBytes(ch2.random, ch1.random)) fail('random');
  if (!equalBytes(ch2.legacySessionId, ch1.legacySessionId)) fail('legacy_session_id');
  if (ch2.cipherSuites.join() !== ch1.cipherSuites.join()) fail('cipher_suites');
  if (ch2.legacyCompressionMethods.join() !== ch1.legacyCompressionMethods.join()) fail('legacy_compression_methods');
  const keep = (e: ClientHelloExtension) => !MAY_CHANGE.has(e.type) && !(e.type === 'raw' && e.code === PADDING);
  if (!equalBytes(encodeExtensions(ch1.extensions.filter(keep)), encodeExtensions(ch2.extensions.filter(keep)))) fail('an extension other than key_share, cookie, early_data, pre_shared_key and padding');
  if (findExtension(ch2.extensions, 'early_data') !== undefined) fail('early_data (it must be removed)');
  const sentCookie = findExtension(retry.hrr.extensions, 'cookie')?.cookie;
  const cookie = findExtension(ch2.extensions, 'cookie')?.cookie;
  if (sentCookie === undefined ? cookie !== undefined : cookie === undefined || !equalBytes(cookie, sentCookie)) {
    throw new TlsError('illegal_parameter', 'second ClientHello: the cookie is not the HelloRetryRequest\'s (RFC 8446 §4.2.2)');
  }
  const shares = findExtension(ch2.extensions, 'key_share')?.shares ?? [];
  if (shares.length !== 1 || shares[0]?.group !== retry.group) {
    // §4.1.2: "replacing the key_share extension with a list containing a single KeyShareEntry from the indicated group".
    throw new TlsError(
      'illegal_parameter',
      `second ClientHello: key_share must hold exactly one share, for ${namedGroupName(retry.group)}; got ${shares.map((s) => namedGroupName(s.group)).join(', ') || 'none'} (RFC 8446 §4.1.2)`,
    );
  }
}

/** ALPN (RFC 7301 §3.2): our first protocol the client also offers; none in common is no_application_protocol. */
export function selectAlpn(ours: readonly Uint8Array[], theirs: readonly Uint8Array[] | undefined): Uint8Array | undefined {
  if (ours.length === 0 || theirs === undefined) return undefined;
  const pick = ours.find((p) => theirs.some((q) => equalBytes(p, q)));
  if (pick === undefined) {
    throw new TlsError(
      'no_application_protocol',
      `ClientHello: no ALPN protocol in common (client offers ${theirs.map((p) => ascii.decode(p)).join(', ')}; server supports ${ours.map((p) => ascii.decode(p)).join(', ')})`,
    );
  }
  return pick;
}

interface Choices {
  readonly suite: number;
  readonly group: number;
  readonly scheme: number;
  readonly clientShare: Uint8Array;
  readonly alpn: Uint8Array | undefined;
  readonly serverName: string | undefined;
  readonly ccsSent: boolean;
  readonly helloRetry: boolean;
}

/** ServerHello, [CCS], EncryptedExtensions, Certificate, CertificateVerify, Finished (§2). */
function serverFlight(ctx: HandshakeContext, config: ServerConfig, ch: ClientHello, transcript: Transcript, hash: TlsHash, c: Choices): HandshakeState {
  const random = ctx.provider.randomBytes(32);
  const kx = ctx.provider.keyExchange(c.group);
  let serverShare: Uint8Array;
  let shared: Uint8Array;
  try {
    ({ keyExchange: serverShare, sharedSecret: shared } = acceptKeyShare(kx, c.clientShare));
  } finally {
    kx.dispose();
  }
  const sent = ctx.sendHandshake({
    type: 'server_hello',
    legacyVersion: ProtocolVersion.TLS12,
    random,
    legacySessionIdEcho: ch.legacySessionId,
    cipherSuite: c.suite,
    legacyCompressionMethod: 0,
    extensions: [
      { type: 'key_share', share: { group: c.group, keyExchange: serverShare } },
      { type: 'supported_versions', selectedVersion: ProtocolVersion.TLS13 },
    ],
  });
  if (sent !== undefined) transcript.add(sent.raw);
  if (ch.legacySessionId.length > 0 && !c.ccsSent) ctx.sendChangeCipherSpec();

  const hs = earlySecret(hash).intoHandshake(shared);
  shared.fill(0);
  const helloHash = transcript.digest();
  const clientHs = hs.clientHandshakeTrafficSecret(helloHash);
  const serverHs = hs.serverHandshakeTrafficSecret(helloHash);
  const master = hs.intoMaster();
  ctx.keyLog('CLIENT_HANDSHAKE_TRAFFIC_SECRET', ch.random, clientHs);
  ctx.keyLog('SERVER_HANDSHAKE_TRAFFIC_SECRET', ch.random, serverHs);
  ctx.setWriteKey(c.suite, serverHs);
  ctx.setReadKey(c.suite, clientHs, 'handshake');

  const send = (m: HandshakeMessage) => {
    const s = ctx.sendHandshake(m);
    if (s !== undefined) transcript.add(s.raw);
  };
  const ee: EncryptedExtension[] = [];
  if (c.alpn !== undefined) ee.push({ type: 'application_layer_protocol_negotiation', protocol: c.alpn });
  send({ type: 'encrypted_extensions', extensions: ee });
  send({ type: 'certificate', requestContext: new Uint8Array(0), entries: config.certificateChain.map((data) => ({ data, extensions: [] })) });
  send(signCertificateVerify(ctx.provider, c.scheme, config.key, 'server', transcript.digest()));
  send(makeFinished(serverHs, transcript.digest()));

  const throughServerFinished = transcript.digest();
  const clientAp = master.clientApplicationTrafficSecret(throughServerFinished);
  const serverAp = master.serverApplicationTrafficSecret(throughServerFinished);
  const exporter = master.exporterMasterSecret(throughServerFinished);
  master.wipe();
  serverHs.wipe();
  ctx.keyLog('SERVER_TRAFFIC_SECRET_0', ch.random, serverAp);
  ctx.keyLog('CLIENT_TRAFFIC_SECRET_0', ch.random, clientAp);
  ctx.keyLog('EXPORTER_SECRET', ch.random, exporter);
  ctx.setWriteKey(c.suite, serverAp);
  return new ExpectFinished(config, c, transcript, hash.length, clientHs, clientAp, serverAp, exporter);
}

/** The client's Finished (§4.4.4): the only way to Connected. */
class ExpectFinished implements HandshakeState {
  readonly name = 'ExpectFinished';
  readonly expects = [HandshakeType.finished];
  readonly hashLength: number;
  readonly #config: ServerConfig;
  readonly #choices: Choices;
  readonly #transcript: Transcript;
  readonly #clientHs: HandshakeTrafficSecret;
  readonly #clientAp: ApplicationTrafficSecret;
  readonly #serverAp: ApplicationTrafficSecret;
  readonly #exporter: Exporter;

  constructor(
    config: ServerConfig,
    choices: Choices,
    transcript: Transcript,
    hashLength: number,
    clientHs: HandshakeTrafficSecret,
    clientAp: ApplicationTrafficSecret,
    serverAp: ApplicationTrafficSecret,
    exporter: Exporter,
  ) {
    this.#config = config;
    this.#choices = choices;
    this.#transcript = transcript;
    this.hashLength = hashLength;
    this.#clientHs = clientHs;
    this.#clientAp = clientAp;
    this.#serverAp = serverAp;
    this.#exporter = exporter;
  }

  handle(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    if (m.type !== 'finished') throw new TlsError('unexpected_message', `${m.type} in ${this.name}`);
    let proof;
    try {
      proof = checkFinished(this.#clientHs, this.#transcript.digest(), m);
    } finally {
      this.#clientHs.wipe();
    }
    this.#transcript.add(raw);
    this.#transcript.clear();
    ctx.setReadKey(this.#choices.suite, this.#clientAp, 'application');
    const c = this.#choices;
    const connected = new Connected(proof, 'server', c.suite, this.#clientAp, this.#serverAp, this.#exporter);
    ctx.handshakeDone({
      version: 'TLSv1.3',
      cipherSuite: cipherSuiteName(c.suite),
      group: namedGroupName(c.group),
      signatureScheme: signatureSchemeName(c.scheme),
      alpn: c.alpn === undefined ? undefined : ascii.decode(c.alpn),
      serverName: c.serverName,
      peerCertificates: [],
      authorized: true,
      authorizationError: undefined,
      helloRetryRequest: c.helloRetry,
    });
    return connected;
  }
}

/** `TLS 1.0 (0x0301)`, for messages about a peer's versions. */
function versionText(v: number): string {
  const name = ({ 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2' } as Record<number, string>)[v];
  const code = `0x${v.toString(16).padStart(4, '0')}`;
  return name === undefined ? code : `${name} (${code})`;
}
