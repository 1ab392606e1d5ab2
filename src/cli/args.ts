// Command-line parsing for bin/wasmtls: options, HOST:PORT, and the
// comma-separated lists of suites (IANA names), groups and ALPN protocols.
import { parseArgs } from 'node:util';
import { CipherSuite, type CipherSuiteName, NamedGroup, type NamedGroupName } from '../wire/constants.js';

/** A mistake on the command line: printed with the usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The suites and groups wasmtls implements, for lists and messages. */
export const SUITE_NAMES: readonly CipherSuiteName[] = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  // TLS 1.2 (docs/tls12.md); a version whose suites the list does not name keeps its defaults.
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];
export const GROUP_NAMES: readonly NamedGroupName[] = ['x25519', 'secp256r1'];

function list(option: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${option}: empty entry in "${value}"`);
  if (new Set(items).size !== items.length) throw new UsageError(`--${option}: "${value}" repeats an entry`);
  return items;
}

/** `--ciphers`: TLS 1.3 and TLS 1.2 suites by IANA name, in order of preference. */
export function parseSuites(value: string): CipherSuiteName[] {
  return list('ciphers', value).map((name) => {
    if (!(SUITE_NAMES as readonly string[]).includes(name) || !(name in CipherSuite)) {
      throw new UsageError(`--ciphers: unknown suite ${name} (known: ${SUITE_NAMES.join(', ')})`);
    }
    return name as CipherSuiteName;
  });
}

/** `--groups`: key exchange groups, in order of preference; the client sends a key share for the first only. */
export function parseGroups(value: string): NamedGroupName[] {
  return list('groups', value).map((name) => {
    if (!(GROUP_NAMES as readonly string[]).includes(name) || !(name in NamedGroup)) {
      throw new UsageError(`--groups: unknown group ${name} (known: ${GROUP_NAMES.join(', ')})`);
    }
    return name as NamedGroupName;
  });
}

/** `--alpn`: protocol names (RFC 7301), 1 to 255 bytes each. */
export function parseAlpn(value: string): string[] {
  const items = list('alpn', value);
  for (const p of items) {
    const n = new TextEncoder().encode(p).length;
    if (n > 255) throw new UsageError(`--alpn: "${p.slice(0, 20)}..." is ${n} bytes; at most 255 (RFC 7301 §3.1)`);
  }
  return items;
}

/** A TCP port, 0 to 65535 (0: the OS chooses, for `serve`). */
export function parsePort(value: string, what: string, allowZero: boolean): number {
  if (!/^\d{1,5}$/.test(value)) throw new UsageError(`${what}: "${value}" is not a port number`);
  const port = Number(value);
  if (port > 65535 || (port === 0 && !allowZero)) throw new UsageError(`${what}: port ${port} is out of range`);
  return port;
}

/** `HOST:PORT` or `[IPv6]:PORT`. */
export function parseHostPort(value: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:([^:]*)$/.exec(value) ?? /^([^:]+):([^:]*)$/.exec(value);
  if (m === null) throw new UsageError(`"${value}" is not HOST:PORT (write an IPv6 address as [::1]:443)`);
  return { host: m[1] as string, port: parsePort(m[2] as string, value, false) };
}

const COMMON = {
  alpn: { type: 'string' },
  ciphers: { type: 'string' },
  groups: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options of `wasmtls connect`. */
export interface ConnectArgs {
  host: string;
  port: number;
  servername: string | undefined;
  ca: string | undefined;
  insecure: boolean;
  alpn: string[] | undefined;
  ciphers: CipherSuiteName[] | undefined;
  groups: NamedGroupName[] | undefined;
  help: boolean;
}

/** Parses the arguments after `connect`. */
export function parseConnectArgs(argv: readonly string[]): ConnectArgs {
  const { values, positionals } = parse(argv, {
    ...COMMON,
    servername: { type: 'string' },
    ca: { type: 'string' },
    insecure: { type: 'boolean' },
  });
  if (values.help === true) return { host: '', port: 0, servername: undefined, ca: undefined, insecure: false, alpn: undefined, ciphers: undefined, groups: undefined, help: true };
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'connect: HOST:PORT is missing' : `connect: one HOST:PORT expected, got ${positionals.join(' ')}`);
  const { host, port } = parseHostPort(positionals[0] as string);
  return {
    host,
    port,
    servername: values.servername,
    ca: values.ca,
    insecure: values.insecure === true,
    alpn: values.alpn === undefined ? undefined : parseAlpn(values.alpn),
    ciphers: values.ciphers === undefined ? undefined : parseSuites(values.ciphers),
    groups: values.groups === undefined ? undefined : parseGroups(values.groups),
    help: false,
  };
}

/** Options of `wasmtls serve`. */
export interface ServeArgs {
  host: string;
  port: number;
  cert: string | undefined;
  key: string | undefined;
  alpn: string[] | undefined;
  ciphers: CipherSuiteName[] | undefined;
  groups: NamedGroupName[] | undefined;
  mode: 'echo' | 'www';
  help: boolean;
}

/** Parses the arguments after `serve`. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const { values, positionals } = parse(argv, {
    ...COMMON,
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8443' },
    cert: { type: 'string' },
    key: { type: 'string' },
    echo: { type: 'boolean' },
    www: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`serve: unexpected argument ${positionals[0]}`);
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('serve: --cert and --key go together');
  if (values.echo === true && values.www === true) throw new UsageError('serve: --echo or --www, not both');
  return {
    host: values.host as string,
    port: parsePort(values.port as string, '--port', true),
    cert: values.cert,
    key: values.key,
    alpn: values.alpn === undefined ? undefined : parseAlpn(values.alpn),
    ciphers: values.ciphers === undefined ? undefined : parseSuites(values.ciphers),
    groups: values.groups === undefined ? undefined : parseGroups(values.groups),
    mode: values.www === true ? 'www' : 'echo',
    help: values.help === true,
  };
}

type Spec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Spec>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
