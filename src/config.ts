/**
 * One validated, frozen configuration per client or server (rustls
 * `ClientConfig`/`ServerConfig`, Go's `tls.Config`): {@link clientConfig}
 * and {@link serverConfig} check every option once (type and range, with a
 * message naming it), parse certificates and keys once, take defaults from
 * the provider's own preference order, and return an object that every
 * engine, transport and server shares. An engine given options instead
 * builds its config from them; a server builds its config once and hands it
 * to every connection.
 *
 * `ca`, `cert` and `key` are accepted the same way everywhere: PEM text (a
 * string, or its bytes in a Buffer or Uint8Array), DER, parsed, or a list.
 * @module
 */
import { certificateVerifySchemes, type CryptoProvider, schemeFitsKey, signatureSchemeInfo } from './provider.js';
import { wasmProvider } from './provider-wasm.js';
import type { ClientConfig, CommonConfig, ServerConfig, TestHooks, TlsVersionName } from './handshake/common.js';
import { TLS12_SUITES, tls12Suite } from './handshake/tls12/suites.js';
import { TEST_HOOKS } from './handshake/common.js';
import { defaultClientGroups } from './handshake/key-share.js';
import { DEFAULT_MAX_HANDSHAKE_MESSAGE } from './record/handshake-reassembler.js';
import type { TraceEvent } from './trace/event.js';
import type { KeyInput, TlsClientOptions, TlsCommonOptions, TlsServerOptions } from './types.js';
import { CIPHER_SUITE_PARAMS, CipherSuite, NamedGroup, SignatureScheme } from './wire/constants.js';
import { type Certificate, certificatesFrom, isPemBytes, latin1 } from './x509/certificate.js';
import { anchorsFrom, defaultAnchors } from './x509/trust-anchor.js';
import { crlsFrom } from './x509/crl.js';
import { parseReferenceIdentity } from './x509/hostname.js';
import { parsePrivateKey, type PrivateKey } from './x509/keys.js';
import { equalBytes as sameBytes, stripZeros } from '../bindings/bytes.js';

/** What the engine itself needs beyond what the handshake states read. */
export interface EngineSettings {
  /** Largest handshake message accepted, bytes. */
  readonly maxHandshakeMessageSize: number;
  readonly keylog: ((line: string) => void) | undefined;
  /** Trace functions (option `trace` as a function, and `onTrace`). */
  readonly traceSinks: readonly ((event: TraceEvent) => void)[];
  /** `trace: true`: trace steps are emitted as `trace` events. */
  readonly traceEvents: boolean;
  /** The clock certificates are validated at. */
  readonly now: () => Date;
  /** Test hooks (never set through the public API). */
  readonly hooks: TestHooks | undefined;
}

/** A client configuration made by {@link clientConfig}: frozen, shareable by any number of connections. */
export interface TlsClientConfig extends ClientConfig {
  readonly side: 'client';
  readonly engine: EngineSettings;
}

/** A server configuration made by {@link serverConfig}: frozen, shareable by any number of connections. */
export interface TlsServerConfig extends ServerConfig {
  readonly side: 'server';
  readonly engine: EngineSettings;
}

/** Configs made here: a look-alike object is treated as options and checked. */
const BUILT = new WeakSet<object>();

/** True for a config made by {@link clientConfig}. */
export function isClientConfig(x: unknown): x is TlsClientConfig {
  return typeof x === 'object' && x !== null && BUILT.has(x) && (x as TlsClientConfig).side === 'client';
}

/** True for a config made by {@link serverConfig}. */
export function isServerConfig(x: unknown): x is TlsServerConfig {
  return typeof x === 'object' && x !== null && BUILT.has(x) && (x as TlsServerConfig).side === 'server';
}

/**
 * The client configuration for `options`, checked and resolved once.
 * Throws a TypeError or RangeError naming the option for anything wrong.
 *
 * @example
 * const config = clientConfig({ serverName: 'localhost', ca: readFileSync('ca.pem') });
 * const a = new TlsClient(config), b = new TlsClient(config); // nothing parsed twice
 */
export function clientConfig(options: TlsClientOptions | TlsClientConfig): TlsClientConfig {
  if (isClientConfig(options)) return options;
  const common = commonConfig(options, 'client');
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
  const checkServerIdentity = options.checkServerIdentity;
  if (checkServerIdentity !== undefined && typeof checkServerIdentity !== 'function') throw new TypeError('checkServerIdentity must be a function');
  const middleboxCompat = options.middleboxCompat ?? true;
  if (typeof middleboxCompat !== 'boolean') throw new TypeError('middleboxCompat must be a boolean');
  const profile = options.profile ?? 'web';
  if (profile !== 'web' && profile !== 'rfc5280') throw new TypeError("profile must be 'web' or 'rfc5280'");
  return seal<TlsClientConfig>({
    side: 'client',
    ...common,
    serverName,
    trustAnchors: Object.freeze(options.ca === undefined ? [...defaultAnchors()] : anchorsFrom('ca', options.ca)),
    rejectUnauthorized,
    middleboxCompat,
    maxIntermediates,
    checkServerIdentity,
    crl: options.crl === undefined ? undefined : Object.freeze(crlsFrom('crl', options.crl)),
    profile,
    engine: engineSettings(options, clock),
  });
}

/**
 * The server configuration for `options`: the chain and key parsed once,
 * the key checked against the leaf, the schemes it can sign with chosen.
 * Throws a TypeError or RangeError naming the option for anything wrong.
 *
 * @example
 * const config = serverConfig({ cert: readFileSync('fullchain.pem'), key: readFileSync('key.pem') });
 * for (const transport of accepted) acceptTls(transport, config);
 */
export function serverConfig(options: TlsServerOptions | TlsServerConfig): TlsServerConfig {
  if (isServerConfig(options)) return options;
  const common = commonConfig(options, 'server');
  if (options.cert === undefined) throw new TypeError('cert is required');
  if (options.key === undefined) throw new TypeError('key is required');
  const chain = certificatesFrom('cert', options.cert);
  const leaf = chain[0];
  if (leaf === undefined) throw new TypeError('cert: no certificate');
  const key = privateKeyFrom('key', options.key);
  checkKeyMatches(key, leaf);
  const signSchemes = common.provider.signSchemes(key).filter((s) => common.signatureSchemes.includes(s) && schemeFitsKey(s, leaf.publicKey));
  if (signSchemes.length === 0) {
    throw new RangeError(`key: the ${common.provider.name} provider can sign with none of the configured schemes using this ${key.type} key`);
  }
  return seal<TlsServerConfig>({
    side: 'server',
    ...common,
    certificateChain: Object.freeze(chain.map((c) => c.der)),
    leaf,
    key,
    signSchemes: Object.freeze(signSchemes),
    engine: engineSettings(options, () => new Date()),
  });
}

/**
 * A private key from PEM text (a string or its bytes), DER, or a parsed
 * key; a TypeError whose message starts with `what` otherwise.
 * @example privateKeyFrom('key', readFileSync('key.pem'))
 */
export function privateKeyFrom(what: string, input: KeyInput): PrivateKey {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    if (typeof input === 'object' && input !== null && typeof (input as PrivateKey).type === 'string') return input;
    throw new TypeError(`${what}: expected PEM text (a string or its bytes), DER bytes or a parsed key`);
  }
  try {
    return parsePrivateKey(input instanceof Uint8Array && isPemBytes(input) ? latin1(input) : input);
  } catch (e) {
    throw new TypeError(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Freezes a config and its settings and marks it as built here. */
function seal<T extends { engine: EngineSettings }>(config: T): T {
  Object.freeze(config.engine);
  Object.freeze(config);
  BUILT.add(config);
  return config;
}

function codes<T extends Record<string, number>>(what: string, table: T, list: readonly (keyof T | number)[] | undefined, fallback: readonly number[]): number[] {
  if (list === undefined) return [...fallback];
  if (!Array.isArray(list)) throw new TypeError(`${what} must be an array`);
  return list.map((x) => {
    const c = typeof x === 'number' ? x : table[x as keyof T];
    if (typeof c !== 'number') throw new TypeError(`${what}: unknown name ${String(x)}`);
    return c;
  });
}

function commonConfig(options: TlsCommonOptions, side: 'client' | 'server'): CommonConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const provider: CryptoProvider = options.provider ?? wasmProvider;
  const versions = resolveVersions(options);
  // One list for both versions (by IANA name or code): a version whose suites the list does not name keeps its defaults.
  const listed = codes('cipherSuites', CipherSuite, options.cipherSuites, []);
  if (options.cipherSuites !== undefined && listed.length === 0) throw new RangeError('cipherSuites: none left (the list is empty)');
  const listed12 = listed.filter((s) => tls12Suite(s) !== undefined);
  const listed13 = listed.filter((s) => tls12Suite(s) === undefined);
  const aeadOf = (s: number) => (tls12Suite(s) as { aeadSuite: number }).aeadSuite;
  const tls12Suites = listed12.length > 0 ? listed12 : TLS12_SUITES.filter((s) => provider.cipherSuites.includes(aeadOf(s)));
  for (const s of tls12Suites) {
    if (!provider.cipherSuites.includes(aeadOf(s))) throw new RangeError(`cipherSuites: the ${provider.name} provider lacks the AEAD of 0x${s.toString(16)}`);
  }
  const suites = listed13.length > 0 ? listed13 : provider.cipherSuites.filter((s) => CIPHER_SUITE_PARAMS[s] !== undefined);
  for (const s of suites) {
    if (CIPHER_SUITE_PARAMS[s] === undefined) throw new RangeError(`cipherSuites: 0x${s.toString(16)} is not a TLS 1.3 suite wasmtls implements`);
    if (!provider.cipherSuites.includes(s)) throw new RangeError(`cipherSuites: the ${provider.name} provider does not support 0x${s.toString(16)}`);
  }
  if (suites.length === 0) throw new RangeError(`cipherSuites: none left (the ${provider.name} provider supports ${provider.cipherSuites.length} suites)`);
  const groups = codes('groups', NamedGroup, options.groups, side === 'client' ? defaultClientGroups(provider.groups) : provider.groups);
  for (const g of groups) if (!provider.groups.includes(g)) throw new RangeError(`groups: the ${provider.name} provider does not support group 0x${g.toString(16)}`);
  if (groups.length === 0) throw new RangeError('groups: none left');
  if (new Set(groups).size !== groups.length || new Set(suites).size !== suites.length) throw new RangeError('cipherSuites and groups must not repeat an entry');
  const schemes = codes('signatureSchemes', SignatureScheme, options.signatureSchemes, side === 'client' ? provider.verifySchemes : certificateVerifySchemes());
  for (const s of schemes) {
    const info = signatureSchemeInfo(s);
    if (info === undefined) throw new RangeError(`signatureSchemes: 0x${s.toString(16)} is not a scheme wasmtls implements`);
    if (info.kind === 'rsa-pkcs1') throw new RangeError('signatureSchemes: rsa_pkcs1_* may not sign a TLS 1.3 handshake (RFC 8446 §4.2.3)');
    if (side === 'client' && !provider.verifySchemes.includes(s)) throw new RangeError(`signatureSchemes: the ${provider.name} provider cannot verify 0x${s.toString(16)}`);
  }
  if (options.alpn !== undefined && !Array.isArray(options.alpn)) throw new TypeError('alpn must be an array of strings');
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
  return {
    provider,
    cipherSuites: Object.freeze(suites),
    groups: Object.freeze(groups),
    signatureSchemes: Object.freeze(schemes),
    alpn: Object.freeze(alpn),
    keyUpdateAfterRecords: k,
    ...versions,
    tls12CipherSuites: Object.freeze(tls12Suites),
    requireExtendedMasterSecret: ems,
  };
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

function engineSettings(options: TlsCommonOptions, now: () => Date): EngineSettings {
  const max = options.maxHandshakeMessageSize ?? DEFAULT_MAX_HANDSHAKE_MESSAGE;
  if (!Number.isInteger(max) || max < 1024 || max > 0xffffff) throw new RangeError(`maxHandshakeMessageSize must be an integer in 1024..16777215, got ${max}`);
  if (options.keylog !== undefined && typeof options.keylog !== 'function') throw new TypeError('keylog must be a function');
  const trace = options.trace;
  if (trace !== undefined && typeof trace !== 'function' && typeof trace !== 'boolean') throw new TypeError('trace must be a boolean or a function');
  if (options.onTrace !== undefined && typeof options.onTrace !== 'function') throw new TypeError('onTrace must be a function');
  return {
    maxHandshakeMessageSize: max,
    keylog: options.keylog,
    traceSinks: Object.freeze([typeof trace === 'function' ? trace : undefined, options.onTrace].filter((f) => f !== undefined)),
    traceEvents: trace === true,
    now,
    hooks: (options as { [TEST_HOOKS]?: TestHooks })[TEST_HOOKS],
  };
}

/** Refuses a key that is not the leaf certificate's (as far as the key encoding shows). */
function checkKeyMatches(key: PrivateKey, leaf: Certificate): void {
  const pub = leaf.publicKey;
  const mismatch = () =>
    new TypeError(`key: this ${key.type} key does not belong to the certificate ${leaf.subject.text} (${pub.type} key); pass the key made with that certificate (a fullchain file must start with the leaf)`);
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
