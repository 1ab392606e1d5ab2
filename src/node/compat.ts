/**
 * node:tls option forms that wasmtls/node accepts beside its own (issue 16):
 * a `port` given as a decimal string, `ciphers` (OpenSSL's colon-separated
 * list, whose `TLS_*` entries are TLS 1.3 suites by IANA name), `ecdhCurve`,
 * `sigalgs`, `minVersion`/`maxVersion`, `enableTrace`, and
 * `secureContext` / {@link createSecureContext} for configuration parsed
 * once and reused. Each is translated into the engine's option before the
 * engine sees it; a bad value is a TypeError or RangeError naming the option.
 * @module
 */
import { type CipherSuiteName, type NamedGroupName, NamedGroup, type SignatureSchemeName, SignatureScheme } from '../wire/constants.js';
import { signatureSchemeInfo } from '../provider.js';
import { renderTraceEvent } from '../trace/render-text.js';
import type { TraceEvent } from '../trace/event.js';
import { certificatesFrom, type Certificate } from '../x509/certificate.js';
import { parsePrivateKey, type PrivateKey } from '../x509/keys.js';
import type { Anchor } from '../x509/trust-anchor.js';
import { type CaInput, caCertificates } from './options.js';

/** The node:tls option names handled here. */
export interface NodeTlsCompatOptions {
  /**
   * OpenSSL's cipher list, colon-separated, as node:tls: the `TLS_*` TLS 1.3
   * suite names in it (IANA names, which OpenSSL uses too) become
   * `cipherSuites`, in that order; TLS 1.2 names and operators (`HIGH`,
   * `!aNULL`, `@SECLEVEL=2`) do not affect TLS 1.3, as in Node. Without a
   * `TLS_*` entry the defaults stay.
   */
  ciphers?: string;
  /** Key exchange groups, colon-separated: `X25519`, `P-256`/`prime256v1`, `P-384`/`secp384r1`, `X25519MLKEM768`, or `auto` (the default). */
  ecdhCurve?: string;
  /** Signature schemes, colon-separated: TLS names (`ecdsa_secp256r1_sha256`, `rsa_pss_rsae_sha256`, `ed25519`) or OpenSSL's (`ECDSA+SHA256`, `RSA-PSS+SHA256`, `RSA+SHA256`). */
  sigalgs?: string;
  /** Lowest protocol version: `'TLSv1'`, `'TLSv1.1'`, `'TLSv1.2'` or `'TLSv1.3'`. wasmtls speaks TLS 1.2 and 1.3, so any range that includes one of them works. */
  minVersion?: string;
  /** Highest protocol version; see {@link NodeTlsCompatOptions.minVersion}. */
  maxVersion?: string;
  /** Print each handshake message, step by step, on stderr (wasmtls's trace, as `wasmtls get --trace`), where node:tls prints OpenSSL's trace. */
  enableTrace?: boolean;
  /** Configuration made once by {@link createSecureContext}; its settings replace `ca`, `cert`, `key` and the options above, as node:tls's. */
  secureContext?: SecureContext;
}

const GROUP_ALIASES: Readonly<Record<string, NamedGroupName>> = {
  x25519: 'x25519',
  'p-256': 'secp256r1',
  prime256v1: 'secp256r1',
  secp256r1: 'secp256r1',
  'p-384': 'secp384r1',
  secp384r1: 'secp384r1',
  'p-521': 'secp521r1',
  secp521r1: 'secp521r1',
  x448: 'x448',
  x25519mlkem768: 'X25519MLKEM768',
};

/** OpenSSL's `ALG+HASH` signature algorithm names (SSL_CONF `SignatureAlgorithms`). */
const SIGALG_ALIASES: Readonly<Record<string, readonly SignatureSchemeName[]>> = {
  'ecdsa+sha256': ['ecdsa_secp256r1_sha256'],
  'ecdsa+sha384': ['ecdsa_secp384r1_sha384'],
  'ecdsa+sha512': ['ecdsa_secp521r1_sha512'],
  'rsa-pss+sha256': ['rsa_pss_rsae_sha256', 'rsa_pss_pss_sha256'],
  'rsa-pss+sha384': ['rsa_pss_rsae_sha384', 'rsa_pss_pss_sha384'],
  'rsa-pss+sha512': ['rsa_pss_rsae_sha512', 'rsa_pss_pss_sha512'],
  'rsa+sha256': ['rsa_pkcs1_sha256'],
  'rsa+sha384': ['rsa_pkcs1_sha384'],
  'rsa+sha512': ['rsa_pkcs1_sha512'],
};

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

/** The TLS 1.3 suites wasmtls implements (RFC 8446 §B.4 minus the CCM ones). */
const TLS13_SUITES: readonly CipherSuiteName[] = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

function colonList(option: string, value: unknown): string[] {
  if (typeof value !== 'string') throw new TypeError(`${option} must be a string (colon-separated), got ${typeof value}`);
  return value.split(':').map((s) => s.trim()).filter((s) => s !== '');
}

/** `ciphers` -> `cipherSuites`, or undefined when the list names no TLS 1.3 suite. */
export function cipherSuitesFromCiphers(value: unknown): CipherSuiteName[] | undefined {
  const tls13 = colonList('ciphers', value).filter((c) => c.startsWith('TLS_'));
  const out: CipherSuiteName[] = [];
  for (const name of tls13) {
    if (!TLS13_SUITES.includes(name as CipherSuiteName)) {
      // TLS 1.2 suites by IANA name (TLS_ECDHE_...) are not TLS 1.3 suites: as in Node, they do not touch the TLS 1.3 list.
      if (/^TLS_(ECDHE|DHE|RSA|PSK|ECDH)_/.test(name)) continue;
      throw new RangeError(`ciphers: ${name} is not a TLS 1.3 suite wasmtls implements (${TLS13_SUITES.join(', ')})`);
    }
    out.push(name as CipherSuiteName);
  }
  return out.length === 0 ? undefined : out;
}

/** `ecdhCurve` -> `groups`, or undefined for `auto`. */
export function groupsFromEcdhCurve(value: unknown): NamedGroupName[] | undefined {
  const names = colonList('ecdhCurve', value);
  if (names.length === 1 && names[0]?.toLowerCase() === 'auto') return undefined;
  if (names.length === 0) throw new RangeError('ecdhCurve: empty list');
  return names.map((n) => {
    const g = GROUP_ALIASES[n.toLowerCase()] ?? (n in NamedGroup ? (n as NamedGroupName) : undefined);
    if (g === undefined) throw new RangeError(`ecdhCurve: unknown curve ${n} (X25519, P-256, P-384, X25519MLKEM768 or auto)`);
    return g;
  });
}

/** `sigalgs` -> `signatureSchemes`. */
export function schemesFromSigalgs(value: unknown): SignatureSchemeName[] {
  const names = colonList('sigalgs', value);
  if (names.length === 0) throw new RangeError('sigalgs: empty list');
  const out: SignatureSchemeName[] = [];
  for (const n of names) {
    const alias = SIGALG_ALIASES[n.toLowerCase()];
    // OpenSSL's ALG+HASH names cover several schemes: keep those that can sign a TLS 1.3 handshake here (not rsa_pkcs1_*, RFC 8446 §4.2.3).
    const schemes = alias?.filter((a) => signatureSchemeInfo(SignatureScheme[a])?.kind !== undefined && signatureSchemeInfo(SignatureScheme[a])?.kind !== 'rsa-pkcs1') ?? (n in SignatureScheme ? [n as SignatureSchemeName] : undefined);
    if (schemes === undefined) throw new RangeError(`sigalgs: unknown signature algorithm ${n} (e.g. ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ed25519, ECDSA+SHA256, RSA-PSS+SHA256)`);
    if (schemes.length === 0) throw new RangeError(`sigalgs: ${n} names no scheme that signs a TLS 1.3 handshake in wasmtls`);
    for (const s of schemes) if (!out.includes(s)) out.push(s);
  }
  return out;
}

function versionIndex(option: string, value: unknown): number {
  const i = VERSIONS.indexOf(value as (typeof VERSIONS)[number]);
  if (i < 0) throw Object.assign(new TypeError(`${option}: ${JSON.stringify(value)} is not a valid TLS protocol version (${VERSIONS.join(', ')})`), { code: 'ERR_TLS_INVALID_PROTOCOL_VERSION' });
  return i;
}

/** Checks `minVersion`/`maxVersion`: known names, a non-empty range, and one that includes TLS 1.2 or 1.3 (what wasmtls speaks). */
export function checkVersionRange(minVersion: unknown, maxVersion: unknown): void {
  const lo = minVersion === undefined ? 0 : versionIndex('minVersion', minVersion);
  const hi = maxVersion === undefined ? VERSIONS.length - 1 : versionIndex('maxVersion', maxVersion);
  if (lo > hi) throw Object.assign(new RangeError(`minVersion ${VERSIONS[lo]} is above maxVersion ${VERSIONS[hi]}`), { code: 'ERR_TLS_PROTOCOL_VERSION_CONFLICT' });
  if (hi < VERSIONS.length - 2) throw new RangeError(`maxVersion ${VERSIONS[hi]}: wasmtls speaks TLS 1.2 and TLS 1.3 only, so the range must include TLSv1.2 or TLSv1.3`);
}

/** `enableTrace: true` -> an `onTrace` that prints each event on stderr. */
export function stderrTrace(): (event: TraceEvent) => void {
  let previousStep: number | undefined;
  return (event) => {
    process.stderr.write(renderTraceEvent(event, { color: process.stderr.isTTY === true, previousStep }));
    previousStep = event.step;
  };
}

/** Options of {@link createSecureContext}: node:tls's names. */
export interface SecureContextOptions extends Omit<NodeTlsCompatOptions, 'secureContext' | 'enableTrace'> {
  /** Trust anchors (clients): PEM text or Buffers, DER, or parsed certificates. */
  ca?: CaInput;
  /** Certificate chain (servers), leaf first: PEM or DER, or a list. */
  cert?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** The leaf's private key (servers): PEM or DER. */
  key?: string | Uint8Array;
}

/** The engine-form settings a {@link SecureContext} carries. */
export interface SecureContextSettings {
  readonly ca?: readonly Anchor[];
  readonly cert?: readonly Certificate[];
  readonly key?: PrivateKey;
  readonly cipherSuites?: readonly CipherSuiteName[];
  readonly groups?: readonly NamedGroupName[];
  readonly signatureSchemes?: readonly SignatureSchemeName[];
}

/** Configuration parsed and checked once, for many connections or servers (node:tls's `SecureContext`). */
export class SecureContext {
  /** node:tls exposes OpenSSL's context here; wasmtls, the parsed settings. */
  readonly context: SecureContextSettings;
  /** Use {@link createSecureContext}. */
  constructor(context: SecureContextSettings) {
    this.context = Object.freeze({ ...context });
  }
}

function pemText(b: string | Uint8Array): string | Uint8Array {
  if (typeof b === 'string') return b;
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, 64)).toString('latin1');
  return head.trimStart().startsWith('-----BEGIN') ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1') : b;
}

/**
 * node:tls's `createSecureContext()`: `ca`, `cert` and `key` parsed once
 * and the option strings checked once; pass the result as `secureContext`
 * to `connect()` or `createServer()`.
 *
 * @example
 * const secureContext = createSecureContext({ ca: caPem, ciphers: 'TLS_AES_256_GCM_SHA384' });
 * for (const port of ports) connect({ host: 'localhost', port, secureContext });
 */
export function createSecureContext(options: SecureContextOptions = {}): SecureContext {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  checkVersionRange(options.minVersion, options.maxVersion);
  const settings: { -readonly [K in keyof SecureContextSettings]: SecureContextSettings[K] } = {};
  if (options.ca !== undefined) settings.ca = caCertificates(options.ca);
  if (options.cert !== undefined) {
    const list = Array.isArray(options.cert) ? (options.cert as readonly (string | Uint8Array)[]) : [options.cert as string | Uint8Array];
    settings.cert = certificatesFrom('cert', list.map(pemText));
  }
  if (options.key !== undefined) {
    try {
      settings.key = parsePrivateKey(pemText(options.key));
    } catch (e) {
      throw new TypeError(`key: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  const suites = options.ciphers === undefined ? undefined : cipherSuitesFromCiphers(options.ciphers);
  if (suites !== undefined) settings.cipherSuites = suites;
  const groups = options.ecdhCurve === undefined ? undefined : groupsFromEcdhCurve(options.ecdhCurve);
  if (groups !== undefined) settings.groups = groups;
  if (options.sigalgs !== undefined) settings.signatureSchemes = schemesFromSigalgs(options.sigalgs);
  return new SecureContext(settings);
}

/**
 * Turns node:tls's option forms in `options` into wasmtls's: the names of
 * {@link NodeTlsCompatOptions} are removed and their engine equivalents set;
 * a string `port` of digits becomes a number. Everything else is left as is.
 */
export function fromNodeTlsOptions<T extends object>(options: T): T {
  if (typeof options !== 'object' || options === null) return options;
  const { ciphers, ecdhCurve, sigalgs, minVersion, maxVersion, enableTrace, secureContext, ...rest } = options as T & NodeTlsCompatOptions;
  const out: Record<string, unknown> = { ...rest };
  const port = out.port;
  if (typeof port === 'string' && /^\d{1,5}$/.test(port.trim())) out.port = Number(port.trim());
  checkVersionRange(minVersion, maxVersion);
  // The engine's range is the part of node:tls's that wasmtls speaks (TLS 1.2 and 1.3, docs/tls12.md).
  if (minVersion !== undefined) out.minVersion = minVersion === 'TLSv1.3' ? 'TLSv1.3' : 'TLSv1.2';
  if (maxVersion !== undefined) out.maxVersion = maxVersion;
  if (ciphers !== undefined) {
    const suites = cipherSuitesFromCiphers(ciphers);
    if (suites !== undefined) out.cipherSuites = suites;
  }
  if (ecdhCurve !== undefined) {
    const groups = groupsFromEcdhCurve(ecdhCurve);
    if (groups !== undefined) out.groups = groups;
  }
  if (sigalgs !== undefined) out.signatureSchemes = schemesFromSigalgs(sigalgs);
  if (enableTrace !== undefined && typeof enableTrace !== 'boolean') throw new TypeError('enableTrace must be a boolean');
  if (enableTrace === true && out.onTrace === undefined && out.trace === undefined) out.onTrace = stderrTrace();
  if (secureContext !== undefined) {
    if (!(secureContext instanceof SecureContext)) throw new TypeError('secureContext must come from createSecureContext() of wasmtls/node');
    for (const [k, v] of Object.entries(secureContext.context)) out[k] = v;
  }
  return out as T;
}
