// The whole command line of bin/wasmtls in one place: each command's options
// (one table per command, which also writes its `--help`), the scanner that
// reads argv against a table with wasmtls's own wording for mistakes, and the
// value parsers (HOST:PORT, ports, the comma-separated lists of suites, groups
// and ALPN protocols, URLs). The command files (connect.ts, serve.ts, get.ts,
// tunnel.ts, demo.ts) only run a parsed command. About 540 lines: the option
// tables and help texts of five commands belong together.
import { DEFAULT_MAX_MESSAGE_SIZE } from '../tunnel/server.js';
import { parseTarget } from '../transport/websocket.js';
import { CipherSuite, type CipherSuiteName, NamedGroup, type NamedGroupName } from '../wire/constants.js';

/** A mistake on the command line: printed with a pointer to `--help`, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose `--help` to point at; undefined for the top level. */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** Exit statuses of `wasmtls` (also in its `--help` and docs/cli.md). */
export const EXIT = {
  /** The command did what it was asked (for `get`: a response arrived, whatever its status). */
  ok: 0,
  /** It ran and failed: connection refused, TLS alert, certificate not trusted, unreadable file. */
  failure: 1,
  /** The command line was wrong: unknown command or option, missing or malformed value. */
  usage: 2,
} as const;

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
export const GROUP_NAMES: readonly NamedGroupName[] = ['X25519MLKEM768', 'x25519', 'secp256r1', 'secp384r1', 'SecP256r1MLKEM768'];

// ---------------------------------------------------------------- values

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

/**
 * `--groups`: key exchange groups, in order of preference; the client sends a
 * key share for the first (and for the first classical one when the first is
 * a post-quantum hybrid).
 */
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

/** `--wisp URL`: a ws: or wss: URL (undefined when not given). */
export function wispUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`--wisp: "${value}" is not a URL`);
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new UsageError(`--wisp: a ws: or wss: URL is required, got ${u.protocol}`);
  return u.href;
}

/** `wasmtls get`'s URL: https: only; `host:port` without a scheme gets a suggestion. */
export function parseHttpsUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new UsageError(`"${value}" has no scheme; did you mean https://${value}${value.includes('/') ? '' : '/'} ?`);
  }
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`"${value}" is not a URL (e.g. https://localhost:8443/)`);
  }
  if (u.protocol !== 'https:') throw new UsageError(`"${value}" is an ${u.protocol} URL; wasmtls get speaks https: only`);
  return value;
}

// ---------------------------------------------------------------- tables

/** One option of a command. */
interface OptionSpec {
  /** A flag, an option taking a value, or one that may be repeated (values collected in order). */
  readonly kind: 'flag' | 'value' | 'repeat';
  /** The value's placeholder in help, e.g. FILE. */
  readonly value?: string;
  readonly short?: string;
  readonly help: string;
}

interface CommandSpec {
  readonly name: string;
  /** The synopsis lines after `wasmtls `. */
  readonly synopsis: readonly string[];
  /** One line for the top-level list. */
  readonly summary: string;
  /** Paragraphs after the synopsis. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

const HELP: OptionSpec = { kind: 'flag', short: 'h', help: 'print this help and exit' };
const LISTS = {
  alpn: { kind: 'value', value: 'LIST', help: 'ALPN protocols in order of preference, e.g. h2,http/1.1' },
  ciphers: { kind: 'value', value: 'LIST', help: `TLS 1.3 and 1.2 suites by IANA name (a version not named keeps its defaults): ${SUITE_NAMES.join(',')}` },
  groups: { kind: 'value', value: 'LIST', help: `key exchange groups: ${GROUP_NAMES.join(',')} (a client sends key shares for the first, and for the first classical one after a post-quantum hybrid)` },
} as const satisfies Record<string, OptionSpec>;
const KEYLOG = 'SSLKEYLOGFILE=FILE in the environment appends the session secrets to FILE (NSS key log format, for Wireshark).';

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  connect: {
    name: 'connect',
    synopsis: ['connect HOST:PORT [options]'],
    summary: 'TLS 1.3 or 1.2 client: stdin to the server, its data to stdout (like openssl s_client -quiet)',
    description:
      "After the handshake, stdin goes to the server and the server's data to stdout. Exits 0 after the server's close_notify or the end of stdin, 1 with \"error: <alert>: <reason>\" on stderr otherwise. Write an IPv6 address as [::1]:443.\n" +
      KEYLOG,
    options: {
      servername: { kind: 'value', value: 'NAME', help: 'the name to send (SNI) and check the certificate against; default HOST' },
      ca: { kind: 'value', value: 'FILE', help: "trust the CA certificates in FILE (PEM) instead of Node's bundled Mozilla roots" },
      insecure: { kind: 'flag', help: 'do not verify the certificate (prints a warning)' },
      ...LISTS,
      wisp: { kind: 'value', value: 'URL', help: 'reach the server through this Wisp relay (ws:// or wss://, e.g. one served by the tunnel command with --wisp); TLS still runs end to end' },
      help: HELP,
    },
  },
  serve: {
    name: 'serve',
    synopsis: ['serve [--host 127.0.0.1] [--port 8443] [--cert FILE --key FILE] [--echo | --www] [options]'],
    summary: 'TLS 1.3 and 1.2 server: echoes, or answers HTTP GETs with the negotiated parameters',
    description:
      'Without --cert, a fresh CA and a certificate for localhost, 127.0.0.1 and ::1 are made and the CA is written to a file named on stdout. Prints "listening on HOST:PORT" when ready; stops on SIGINT/SIGTERM.\n' +
      KEYLOG,
    options: {
      host: { kind: 'value', value: 'ADDRESS', help: 'address to listen on; default 127.0.0.1' },
      port: { kind: 'value', value: 'PORT', help: 'port to listen on; default 8443, 0 lets the OS choose' },
      cert: { kind: 'value', value: 'FILE', help: 'certificate chain (PEM, leaf first); all of it is sent' },
      key: { kind: 'value', value: 'FILE', help: 'the private key (PEM) of the leaf certificate' },
      echo: { kind: 'flag', help: 'echo what the client sends (the default)' },
      www: { kind: 'flag', help: 'answer an HTTP/1.1 GET with a page naming the negotiated parameters' },
      ...LISTS,
      help: HELP,
    },
  },
  get: {
    name: 'get',
    synopsis: ['get https://HOST[:PORT]/PATH [--ca FILE] [--insecure] [--trace] [--wisp URL]'],
    summary: 'one HTTPS GET: the body to stdout, status and header fields to stderr',
    description: 'HTTP/1.1 with Connection: close. Exit status 0 when a response arrived (whatever its status), 1 otherwise.\n' + KEYLOG,
    options: {
      ca: { kind: 'value', value: 'FILE', help: "trust the CA certificates in FILE (PEM) instead of Node's bundled Mozilla roots" },
      insecure: { kind: 'flag', help: 'do not verify the certificate (prints a warning)' },
      trace: { kind: 'flag', help: 'print each handshake message, step by step, on stderr' },
      wisp: { kind: 'value', value: 'URL', help: 'reach the server through this Wisp relay (ws:// or wss://, e.g. one served by the tunnel command with --wisp); TLS still runs end to end' },
      help: HELP,
    },
  },
  tunnel: {
    name: 'tunnel',
    synopsis: ['tunnel --port PORT --allow HOST:PORT[,...] [--host 127.0.0.1] [--origin ORIGIN[,...]] [--max-message BYTES] [--wisp]'],
    summary: 'WebSocket-to-TCP relay for browsers using wasmtls/websocket or Wisp (wasmtls/wisp, epoxy-tls, libcurl.js)',
    description:
      'A client names its target as ws://HOST:PORT/?target=TARGET or ws://HOST:PORT/TARGET (wsproxy); with --wisp, a path ending with / speaks Wisp v1/v2 (many streams over one WebSocket). The tunnel connects only to targets on --allow (others are refused and logged). TLS runs end to end through it; it sees only ciphertext. Prints "listening on ws://HOST:PORT/" when ready; stops on SIGINT/SIGTERM.',
    options: {
      port: { kind: 'value', value: 'PORT', help: 'port to listen on (0 lets the OS choose); required' },
      allow: { kind: 'repeat', value: 'HOST:PORT[,...]', help: 'targets the tunnel may connect to; required (never an open proxy)' },
      host: { kind: 'value', value: 'ADDRESS', help: 'address to listen on; default 127.0.0.1' },
      origin: { kind: 'repeat', value: 'ORIGIN[,...]', help: 'web origins whose pages may connect; default: pages from 127.0.0.1, localhost, [::1]. Clients sending no Origin (not browsers) are accepted' },
      'max-message': { kind: 'value', value: 'BYTES', help: `largest WebSocket message accepted; default ${DEFAULT_MAX_MESSAGE_SIZE}` },
      wisp: { kind: 'flag', help: 'serve Wisp on paths ending with /; refusals are logged and sent as Wisp CLOSE reasons' },
      help: HELP,
    },
  },
  demo: {
    name: 'demo',
    synopsis: ['demo [--side client|server] [--bytes N] [--no-color]', 'demo --web [--port 0]'],
    summary: 'how HTTPS works, step by step, on a real TLS 1.3 handshake (terminal or browser)',
    description:
      'A server with a fresh CA and a client in this process, on 127.0.0.1 only, do a TLS 1.3 handshake and an HTTP GET; every message is printed with its fields and what it does (RFC 8446), grouped by the four steps of the usual story, then a summary. With --web, the same runs in a browser page (through a WebSocket tunnel to a local wasmtls server) drawn as a sequence diagram; its URL is printed.',
    options: {
      side: { kind: 'value', value: 'client|server', help: "whose view to print; default client" },
      bytes: { kind: 'value', value: 'N', help: 'bytes of each message shown in hex; default 32' },
      color: { kind: 'flag', help: 'ANSI colours even when stdout is not a terminal' },
      'no-color': { kind: 'flag', help: 'no ANSI colours' },
      web: { kind: 'flag', help: 'serve the browser demo on 127.0.0.1 instead' },
      port: { kind: 'value', value: 'PORT', help: '--web: the page server port; default 0 (any free port)' },
      help: HELP,
    },
  },
};

// ---------------------------------------------------------------- help

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        out.push(indent + line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    out.push(indent + line);
  }
  return out.join('\n');
}

/** `wasmtls COMMAND --help`. */
export function commandHelp(name: string): string {
  const spec = COMMANDS[name];
  if (spec === undefined) throw new UsageError(`unknown command ${name}`);
  const lines = spec.synopsis.map((s, i) => `${i === 0 ? 'usage: ' : '       '}wasmtls ${s}`);
  lines.push('', wrap(spec.description, 76, '  '), '', 'options:');
  for (const [opt, o] of Object.entries(spec.options)) {
    const head = `  ${o.short === undefined ? '' : `-${o.short}, `}--${opt}${o.value === undefined ? '' : ` ${o.value}`}`;
    const help = wrap(o.help, 52, ' '.repeat(26));
    lines.push(head.length < 25 ? head.padEnd(26) + help.trimStart() : `${head}\n${help}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `wasmtls --help`. */
export function topLevelHelp(): string {
  const rows = Object.values(COMMANDS).map((c) => `  ${c.name.padEnd(9)}${c.summary}`);
  return [
    'usage: wasmtls COMMAND [options]',
    '',
    'TLS 1.3 on a constant-time WebAssembly core: client, server, HTTPS GET, browser tunnel, demo.',
    '',
    'commands:',
    ...rows,
    '',
    '  wasmtls COMMAND --help   the options of one command',
    '  wasmtls --version        the version',
    '',
    `exit status: ${EXIT.ok} success, ${EXIT.failure} failure (connection, TLS or file error: "error: ..." on stderr),`,
    `             ${EXIT.usage} usage error (the command line was wrong).`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- scanner

type Values = Record<string, string | string[] | true | undefined>;

/** Reads argv against a command's table: `--opt VALUE`, `--opt=VALUE`, `-h`, `--` ends the options. */
function scan(spec: CommandSpec, argv: readonly string[]): { values: Values; positionals: string[] } {
  const values: Values = {};
  const positionals: string[] = [];
  const where = `wasmtls ${spec.name}`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else {
      const short = Object.entries(spec.options).find(([, o]) => o.short === arg.slice(1));
      if (short === undefined) throw new UsageError(`${where}: unknown option ${arg}`, spec.name);
      name = short[0];
    }
    const o = spec.options[name];
    if (o === undefined) {
      const near = Object.keys(spec.options).find((k) => k.startsWith(name) || name.startsWith(k));
      throw new UsageError(`${where}: unknown option --${name}${near === undefined ? '' : ` (did you mean --${near}?)`}`, spec.name);
    }
    if (o.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`${where}: --${name} takes no value (got "${inline}")`, spec.name);
      values[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`${where}: --${name} needs a value (${o.value ?? 'VALUE'})`, spec.name);
      value = next;
      i++;
    }
    if (o.kind === 'repeat') values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else if (values[name] !== undefined) throw new UsageError(`${where}: --${name} given twice`, spec.name);
    else values[name] = value;
  }
  return { values, positionals };
}

const str = (v: Values, k: string): string | undefined => v[k] as string | undefined;
const flag = (v: Values, k: string): boolean => v[k] === true;
const many = (v: Values, k: string): string[] | undefined => (v[k] as string[] | undefined)?.flatMap((s) => s.split(',')).map((s) => s.trim());

/** Wraps a value parser's UsageError with the command, for the `--help` pointer. */
function within<T>(command: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError && e.command === undefined) throw new UsageError(`wasmtls ${command}: ${e.message}`, command);
    throw e;
  }
}

// ---------------------------------------------------------------- commands

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
  /** `--wisp URL`: open the TCP stream through this Wisp relay. */
  wisp?: string | undefined;
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
}

/** Options of `wasmtls get`. */
export interface GetArgs {
  url: string;
  ca: string | undefined;
  insecure: boolean;
  trace: boolean;
  /** `--wisp URL`: reach the server through this Wisp relay. */
  wisp?: string | undefined;
}

/** Options of `wasmtls tunnel`. */
export interface TunnelArgs {
  host: string;
  port: number;
  allow: string[];
  /** `--origin`: web origins whose pages may connect; undefined for the loopback-only default. */
  origins: string[] | undefined;
  maxMessageSize: number;
  /** `--wisp`: serve Wisp on paths ending with `/`. */
  wisp?: boolean;
}

/** Options of `wasmtls demo`. */
export interface DemoArgs {
  /** Whose view to print: the client's (default) or the server's. */
  side: 'client' | 'server';
  /** ANSI colours; undefined: when stdout is a terminal. */
  color: boolean | undefined;
  /** Bytes of each message shown in hex. */
  hexBytes: number;
  /** Serve the browser demo instead (demo-web.ts). */
  web: boolean;
  /** --web: the port (0: any free port). */
  port: number;
}

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'connect'; readonly args: ConnectArgs }
  | { readonly kind: 'serve'; readonly args: ServeArgs }
  | { readonly kind: 'get'; readonly args: GetArgs }
  | { readonly kind: 'tunnel'; readonly args: TunnelArgs }
  | { readonly kind: 'demo'; readonly args: DemoArgs };

function noPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`wasmtls ${command}: unexpected argument ${positionals[0]}`, command);
}

function onePositional(command: string, what: string, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError(`wasmtls ${command}: ${what} is missing`, command);
  if (positionals.length > 1) throw new UsageError(`wasmtls ${command}: one ${what} expected, got ${positionals.join(' ')}`, command);
  return positionals[0] as string;
}

/** Parses the arguments after `connect`. */
export function parseConnectArgs(argv: readonly string[]): ConnectArgs {
  const { values: v, positionals } = scan(COMMANDS.connect as CommandSpec, argv);
  return within('connect', () => {
    const { host, port } = parseHostPort(onePositional('connect', 'HOST:PORT', positionals));
    const alpn = str(v, 'alpn');
    const ciphers = str(v, 'ciphers');
    const groups = str(v, 'groups');
    return {
      host,
      port,
      servername: str(v, 'servername'),
      ca: str(v, 'ca'),
      insecure: flag(v, 'insecure'),
      alpn: alpn === undefined ? undefined : parseAlpn(alpn),
      ciphers: ciphers === undefined ? undefined : parseSuites(ciphers),
      groups: groups === undefined ? undefined : parseGroups(groups),
      wisp: wispUrl(str(v, 'wisp')),
    };
  });
}

/** Parses the arguments after `serve`. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const { values: v, positionals } = scan(COMMANDS.serve as CommandSpec, argv);
  return within('serve', () => {
    noPositionals('serve', positionals);
    if ((v.cert === undefined) !== (v.key === undefined)) throw new UsageError('--cert and --key go together');
    if (flag(v, 'echo') && flag(v, 'www')) throw new UsageError('--echo or --www, not both');
    const alpn = str(v, 'alpn');
    const ciphers = str(v, 'ciphers');
    const groups = str(v, 'groups');
    return {
      host: str(v, 'host') ?? '127.0.0.1',
      port: parsePort(str(v, 'port') ?? '8443', '--port', true),
      cert: str(v, 'cert'),
      key: str(v, 'key'),
      alpn: alpn === undefined ? undefined : parseAlpn(alpn),
      ciphers: ciphers === undefined ? undefined : parseSuites(ciphers),
      groups: groups === undefined ? undefined : parseGroups(groups),
      mode: flag(v, 'www') ? 'www' : 'echo',
    };
  });
}

/** Parses the arguments after `get`. */
export function parseGetArgs(argv: readonly string[]): GetArgs {
  const { values: v, positionals } = scan(COMMANDS.get as CommandSpec, argv);
  const url = within('get', () => parseHttpsUrl(onePositional('get', 'URL', positionals)));
  const wisp = within('get', () => wispUrl(str(v, 'wisp')));
  return { url, ca: str(v, 'ca'), insecure: flag(v, 'insecure'), trace: flag(v, 'trace'), wisp };
}

/** Parses the arguments after `tunnel`. */
export function parseTunnelArgs(argv: readonly string[]): TunnelArgs {
  const { values: v, positionals } = scan(COMMANDS.tunnel as CommandSpec, argv);
  return within('tunnel', () => {
    noPositionals('tunnel', positionals);
    const port = str(v, 'port');
    if (port === undefined) throw new UsageError('--port is required');
    const allow = many(v, 'allow') ?? [];
    if (allow.length === 0 || allow.some((a) => a === '')) throw new UsageError('--allow HOST:PORT[,...] is required (the tunnel is never an open proxy)');
    for (const a of allow) {
      try {
        parseTarget(a);
      } catch (e) {
        throw new UsageError(`--allow: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const origins = many(v, 'origin');
    for (const o of origins ?? []) {
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/?$/i.test(o)) throw new UsageError(`--origin: "${o}" is not an origin such as https://app.example or http://127.0.0.1:8000`);
    }
    let maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    const max = str(v, 'max-message');
    if (max !== undefined) {
      if (!/^\d{1,9}$/.test(max) || Number(max) < 1024) throw new UsageError(`--max-message: "${max}" is not a byte count of at least 1024`);
      maxMessageSize = Number(max);
    }
    return { host: str(v, 'host') ?? '127.0.0.1', port: parsePort(port, '--port', true), allow, origins, maxMessageSize, wisp: flag(v, 'wisp') };
  });
}

/** Parses the arguments after `demo`. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const { values: v, positionals } = scan(COMMANDS.demo as CommandSpec, argv);
  return within('demo', () => {
    noPositionals('demo', positionals);
    const side = str(v, 'side') ?? 'client';
    if (side !== 'client' && side !== 'server') throw new UsageError(`--side client or --side server, not ${side}`);
    const bytes = str(v, 'bytes') ?? '32';
    if (!/^\d{1,5}$/.test(bytes) || Number(bytes) > 65536) throw new UsageError(`--bytes takes a number of bytes up to 65536, not ${bytes}`);
    if (flag(v, 'color') && flag(v, 'no-color')) throw new UsageError('--color or --no-color, not both');
    return {
      side,
      color: flag(v, 'no-color') ? false : flag(v, 'color') ? true : undefined,
      hexBytes: Number(bytes),
      web: flag(v, 'web'),
      port: parsePort(str(v, 'port') ?? '0', '--port', true),
    };
  });
}

const PARSERS = {
  connect: (a: readonly string[]): Command => ({ kind: 'connect', args: parseConnectArgs(a) }),
  serve: (a: readonly string[]): Command => ({ kind: 'serve', args: parseServeArgs(a) }),
  get: (a: readonly string[]): Command => ({ kind: 'get', args: parseGetArgs(a) }),
  tunnel: (a: readonly string[]): Command => ({ kind: 'tunnel', args: parseTunnelArgs(a) }),
  demo: (a: readonly string[]): Command => ({ kind: 'demo', args: parseDemoArgs(a) }),
} as const;

/** Parses a whole command line (without `node` and the script): the command and its options. */
export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('a command is required');
  if (command === '--help' || command === '-h' || command === 'help') {
    const about = rest[0];
    return { kind: 'help', text: about !== undefined && about in PARSERS ? commandHelp(about) : topLevelHelp() };
  }
  if (command === '--version' || command === '-v' || command === 'version') return { kind: 'version' };
  if (!(command in PARSERS)) {
    throw new UsageError(command.startsWith('-') ? `unknown option ${command} (options go after the command)` : `unknown command ${command}`);
  }
  // `--help` anywhere before `--` wins over everything else on the line.
  const end = rest.indexOf('--');
  const options = end < 0 ? rest : rest.slice(0, end);
  if (options.includes('--help') || options.includes('-h')) return { kind: 'help', text: commandHelp(command) };
  return PARSERS[command as keyof typeof PARSERS](rest);
}
