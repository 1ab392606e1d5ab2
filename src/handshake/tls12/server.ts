// The TLS 1.2 server handshake (RFC 5246 §7.3, RFC 8422, RFC 7627, RFC 5746),
// full handshakes with ECDHE and an AEAD only, one class per state:
//
//   (TLS 1.3 ExpectClientHello sees a ClientHello without TLS 1.3, or the
//    server's maxVersion is TLS 1.2) -> startTls12Server:
//      ServerHello, Certificate, ServerKeyExchange, ServerHelloDone
//   ExpectClientKeyExchange -> ExpectClientChangeCipherSpec ──CCS──>
//   ExpectClientFinished ──(Finished12Verified)──> ChangeCipherSpec, Finished, Connected12
//
// No session ids or tickets are issued (no resumption yet), no client
// certificates are requested.

import { TlsError } from '../../errors.js';
import { type TlsHash, Transcript } from '../../keyschedule.js';
import { type KeyExchange, schemeFitsKey } from '../../provider.js';
import { Tls12Protection } from '../../record/tls12-protection.js';
import type { ClientHello } from '../../wire/client-hello.js';
import { CipherSuite, cipherSuiteName, DOWNGRADE_TLS12, ExtensionType, HandshakeType, namedGroupName, ProtocolVersion, signatureSchemeName } from '../../wire/constants.js';
import { findExtension, hostName, type RawExtension, type ServerHelloExtension } from '../../wire/extensions/index.js';
import { checkEcPointFormats, ecPointFormats, extendedMasterSecretExtension, hasExtendedMasterSecret, rawExtension, readRenegotiationInfo, renegotiationInfo } from '../../wire/extensions/tls12.js';
import type { HandshakeMessage } from '../../wire/handshake.js';
import type { ClientKeyExchange } from '../../wire/tls12-messages.js';
import { Writer } from '../../wire/writer.js';
import type { HandshakeContext, HandshakeState, ServerConfig } from '../common.js';
import { computeSharedSecret } from '../key-share.js';
import { selectAlpn } from '../server.js';
import { Connected12 } from './connected.js';
import { extendedMasterSecret, legacyMasterSecret, type MasterSecret } from './key-schedule.js';
import { checkFinished12, serverKeyExchangeContent } from './proofs.js';
import { TLS12_GROUPS, type Tls12Suite, tls12Suite } from './suites.js';

const ascii = new TextDecoder();

/** The highest version a ClientHello offers (supported_versions, else legacy_version; RFC 8446 §4.2.1). */
export function clientMaxVersion(ch: ClientHello): number {
  const sv = findExtension(ch.extensions, 'supported_versions');
  if (sv === undefined) return ch.legacyVersion;
  return Math.max(...sv.versions.filter((v) => (v & 0xff00) === 0x0300 && v <= ProtocolVersion.TLS13), 0);
}

/** True when the ClientHello offers TLS 1.2. */
export function offersTls12(ch: ClientHello): boolean {
  const sv = findExtension(ch.extensions, 'supported_versions');
  return sv === undefined ? ch.legacyVersion >= ProtocolVersion.TLS12 : sv.versions.includes(ProtocolVersion.TLS12);
}

interface Server12 {
  readonly config: ServerConfig;
  readonly suite: Tls12Suite;
  /** The PRF and transcript hash (the provider's, for the suite's hash). */
  readonly hash: TlsHash;
  readonly group: number;
  readonly scheme: number;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
  readonly transcript: Transcript;
  readonly extendedMasterSecret: boolean;
  readonly alpn: Uint8Array | undefined;
  readonly serverName: string | undefined;
}

/**
 * Answers a ClientHello with the TLS 1.2 first flight. `sentinel`: this
 * server could have done TLS 1.3, so the last 8 bytes of its random are
 * "DOWNGRD" 01 (RFC 8446 §4.1.3).
 */
export function startTls12Server(ctx: HandshakeContext, config: ServerConfig, ch: ClientHello, raw: Uint8Array, sentinel: boolean): HandshakeState {
  const where = 'ClientHello';
  if (!ch.legacyCompressionMethods.includes(0)) {
    throw new TlsError('illegal_parameter', `${where}: compression methods without null (0) (RFC 5246 §7.4.1.2)`);
  }
  const exts = ch.extensions;
  const keyKind = config.key.type === 'ec' ? 'ecdsa' : config.key.type === 'rsa' ? 'rsa' : undefined;
  const suite = config.tls12CipherSuites.map((s) => tls12Suite(s)).find((s) => s !== undefined && s.auth === keyKind && ch.cipherSuites.includes(s.code));
  if (suite === undefined) {
    throw new TlsError(
      'handshake_failure',
      `${where}: no TLS 1.2 cipher suite in common for this server's ${config.key.type} key (client offers ${ch.cipherSuites.map(cipherSuiteName).join(', ')}); wasmtls runs ECDHE with AEAD suites only`,
    );
  }
  const reneg = readRenegotiationInfo(exts, where);
  const scsv = ch.cipherSuites.includes(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
  if (reneg === undefined && !scsv) {
    throw new TlsError('handshake_failure', `${where}: neither renegotiation_info nor TLS_EMPTY_RENEGOTIATION_INFO_SCSV: the client does not support secure renegotiation (RFC 5746 §3.6)`);
  }
  if (reneg !== undefined && reneg.length !== 0) {
    throw new TlsError('handshake_failure', `${where}: renegotiation_info with ${reneg.length} bytes of renegotiated_connection on an initial handshake (RFC 5746 §3.6)`);
  }
  const ems = hasExtendedMasterSecret(exts, where);
  if (!ems && config.requireExtendedMasterSecret) {
    throw new TlsError('handshake_failure', `${where}: no extended_master_secret; wasmtls requires it (RFC 7627 §5.3; set requireExtendedMasterSecret: false to allow such a client)`);
  }
  checkEcPointFormats(exts, where);
  // RFC 8422 §4: without supported_groups the client takes any curve; wasmtls asks for the extension.
  const groups = findExtension(exts, 'supported_groups')?.groups;
  if (groups === undefined) throw new TlsError('handshake_failure', `${where}: no supported_groups, so no ECDHE curve can be chosen (RFC 8422 §4)`);
  const group = config.groups.find((g) => TLS12_GROUPS.includes(g) && groups.includes(g));
  if (group === undefined) {
    throw new TlsError('handshake_failure', `${where}: no ECDHE curve in common (client supports ${groups.map(namedGroupName).join(', ')})`);
  }
  const sigalgs = findExtension(exts, 'signature_algorithms')?.schemes;
  // RFC 5246 §7.4.1.4.1: without signature_algorithms the default is SHA-1, which wasmtls does not do.
  if (sigalgs === undefined) throw new TlsError('handshake_failure', `${where}: no signature_algorithms; the TLS 1.2 default is SHA-1, which wasmtls refuses (RFC 5246 §7.4.1.4.1)`);
  const scheme = sigalgs.find((s) => config.signSchemes.includes(s) && schemeFitsKey(s, config.leaf.publicKey));
  if (scheme === undefined) {
    throw new TlsError('handshake_failure', `${where}: signature_algorithms has no scheme for this server's ${config.key.type} key (it lists ${sigalgs.map(signatureSchemeName).join(', ')})`);
  }
  const alpn = selectAlpn(config.alpn, findExtension(exts, 'application_layer_protocol_negotiation')?.protocols);
  const sni = findExtension(exts, 'server_name');
  const serverName = sni === undefined ? undefined : hostName(sni.serverNames);

  ctx.negotiatedTls12(suite.code);
  const random = ctx.provider.randomBytes(32);
  if (sentinel) random.set(DOWNGRADE_TLS12, 24);
  const hash = ctx.provider.hash(suite.aeadSuite);
  const transcript = new Transcript(hash);
  transcript.add(raw);
  const send = (m: HandshakeMessage) => {
    const s = ctx.sendHandshake(m);
    if (s !== undefined) transcript.add(s.raw);
  };
  const extensions: ServerHelloExtension[] = [renegotiationInfo()];
  if (ems) extensions.push(extendedMasterSecretExtension());
  if (rawExtension(exts, ExtensionType.ec_point_formats) !== undefined) extensions.push(ecPointFormats());
  if (alpn !== undefined) extensions.push(alpnExtension(alpn));
  send({ type: 'server_hello', legacyVersion: ProtocolVersion.TLS12, random, legacySessionIdEcho: new Uint8Array(0), cipherSuite: suite.code, legacyCompressionMethod: 0, extensions });
  send({ type: 'certificate', requestContext: new Uint8Array(0), entries: config.certificateChain.map((data) => ({ data, extensions: [] })), tls12: true });
  const kx = ctx.provider.keyExchange(group);
  const content = serverKeyExchangeContent(ch.random, random, group, kx.publicKey);
  send({ type: 'server_key_exchange', namedCurve: group, publicKey: kx.publicKey, scheme, signature: ctx.provider.sign(scheme, config.key, content) });
  send({ type: 'server_hello_done' });
  return new ExpectClientKeyExchange(
    { config, suite, hash, group, scheme, clientRandom: ch.random, serverRandom: random, transcript, extendedMasterSecret: ems, alpn, serverName },
    kx,
  );
}

/** The ALPN extension of a TLS 1.2 ServerHello (RFC 7301 §3.1): a list of exactly one protocol. */
function alpnExtension(protocol: Uint8Array): RawExtension {
  const w = new Writer('ServerHello.application_layer_protocol_negotiation');
  w.vec16('protocol_name_list', 2, 0xffff, () => w.opaque8('ProtocolName', protocol, 1, 255));
  return { type: 'raw', code: ExtensionType.application_layer_protocol_negotiation, data: w.finish() };
}

/** ClientKeyExchange (RFC 8422 §5.7): the ECDHE secret and the keys. */
class ExpectClientKeyExchange implements HandshakeState {
  readonly name = 'ExpectClientKeyExchange';
  readonly expects = [HandshakeType.client_key_exchange];
  readonly tls12 = true;
  readonly hashLength = 12;
  readonly #s: Server12;
  readonly #kx: KeyExchange;

  constructor(s: Server12, kx: KeyExchange) {
    this.#s = s;
    this.#kx = kx;
  }

  handle(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    const s = this.#s;
    let preMaster: Uint8Array;
    try {
      preMaster = computeSharedSecret(this.#kx, (m as ClientKeyExchange).publicKey);
    } finally {
      this.#kx.dispose();
    }
    s.transcript.add(raw);
    // RFC 7627 §4: session_hash through ClientKeyExchange.
    const master = s.extendedMasterSecret
      ? extendedMasterSecret(s.hash, preMaster, s.transcript.digest())
      : legacyMasterSecret(s.hash, preMaster, s.clientRandom, s.serverRandom);
    ctx.keyLog('CLIENT_RANDOM', s.clientRandom, master);
    const keys = master.keyBlock(s.clientRandom, s.serverRandom, s.suite.keyLength, s.suite.ivLength);
    try {
      const read = new Tls12Protection(ctx.provider.aead(s.suite.aeadSuite, keys.client.key), keys.client.iv, s.suite.explicitNonce);
      const write = new Tls12Protection(ctx.provider.aead(s.suite.aeadSuite, keys.server.key), keys.server.iv, s.suite.explicitNonce);
      return new ExpectClientChangeCipherSpec(s, master, read, write);
    } finally {
      for (const k of [keys.client.key, keys.client.iv, keys.server.key, keys.server.iv]) k.fill(0);
    }
  }
}

/** Waiting for the client's ChangeCipherSpec (RFC 5246 §7.1). */
class ExpectClientChangeCipherSpec implements HandshakeState {
  readonly name = 'ExpectClientChangeCipherSpec';
  readonly expects: readonly number[] = [];
  readonly tls12 = true;
  readonly hashLength = 12;
  readonly #s: Server12;
  readonly #master: MasterSecret;
  readonly #read: Tls12Protection;
  readonly #write: Tls12Protection;

  constructor(s: Server12, master: MasterSecret, read: Tls12Protection, write: Tls12Protection) {
    this.#s = s;
    this.#master = master;
    this.#read = read;
    this.#write = write;
  }

  handle(): HandshakeState {
    throw new TlsError('unexpected_message', `a handshake message in ${this.name}`);
  }

  changeCipherSpec(ctx: HandshakeContext): HandshakeState {
    ctx.setReadProtection(this.#read, 'handshake');
    return new ExpectClientFinished(this.#s, this.#master, this.#write);
  }
}

/** The client's Finished (RFC 5246 §7.4.9); then ours, and Connected12. */
class ExpectClientFinished implements HandshakeState {
  readonly name = 'ExpectClientFinished';
  readonly expects = [HandshakeType.finished];
  readonly tls12 = true;
  readonly hashLength = 12;
  readonly #s: Server12;
  readonly #master: MasterSecret;
  readonly #write: Tls12Protection;

  constructor(s: Server12, master: MasterSecret, write: Tls12Protection) {
    this.#s = s;
    this.#master = master;
    this.#write = write;
  }

  handle(ctx: HandshakeContext, m: HandshakeMessage, raw: Uint8Array): HandshakeState {
    if (m.type !== 'finished') throw new TlsError('unexpected_message', `${m.type} in ${this.name}`);
    const s = this.#s;
    const t = s.transcript;
    let proof;
    try {
      proof = checkFinished12(this.#master, 'client', t.digest(), m.verifyData);
    } catch (e) {
      this.#master.wipe();
      this.#write.dispose();
      throw e;
    }
    t.add(raw);
    ctx.sendChangeCipherSpec();
    ctx.setWriteProtection(this.#write);
    const fin = ctx.sendHandshake({ type: 'finished', verifyData: this.#master.verifyData('server', t.digest()) });
    if (fin !== undefined) t.add(fin.raw);
    t.clear();
    ctx.setReadEpoch('application');
    const connected = new Connected12(proof, 'server', this.#master, s.clientRandom, s.serverRandom);
    ctx.handshakeDone({
      version: 'TLSv1.2',
      cipherSuite: s.suite.name,
      group: namedGroupName(s.group),
      signatureScheme: signatureSchemeName(s.scheme),
      alpn: s.alpn === undefined ? undefined : ascii.decode(s.alpn),
      serverName: s.serverName,
      peerCertificates: [],
      authorized: true,
      authorizationError: undefined,
      helloRetryRequest: false,
    });
    return connected;
  }
}
