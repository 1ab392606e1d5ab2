// Shared parts of the interop tests (test/interop/): the combination matrix,
// fixture identities as files (openssl reads paths), payloads, spawned
// processes that are always killed, and loopback ports.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { HandshakeInfo } from '../../src/handshake/common.js';

/** The openssl CLI (Debian: /usr/bin/openssl; .ci/run installs it when missing). */
export const OPENSSL = process.env.OPENSSL ?? 'openssl';
const X509 = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors', 'x509');

export type SuiteName = 'TLS_AES_128_GCM_SHA256' | 'TLS_AES_256_GCM_SHA384' | 'TLS_CHACHA20_POLY1305_SHA256';
export type GroupName = 'x25519' | 'secp256r1';
export type KeyKind = 'p256' | 'rsa2048' | 'ed25519';

export const SUITES: readonly SuiteName[] = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
export const KEYS: readonly KeyKind[] = ['p256', 'rsa2048', 'ed25519'];

/** A server identity from test/vectors/x509: leaf, intermediate, root, leaf key, and the name a client checks. */
export interface FileIdentity {
  readonly label: string;
  readonly leaf: string;
  readonly intermediate: string;
  readonly root: string;
  readonly key: string;
  /** DNS name or IP address in the leaf's subjectAltName. */
  readonly serverName: string;
  readonly isIp: boolean;
  readonly scheme: RegExp;
}

const identity = (label: string, leaf: string, int: string, root: string, serverName: string, scheme: RegExp): FileIdentity => ({
  label,
  leaf: join(X509, `${leaf}.pem`),
  intermediate: join(X509, `${int}.pem`),
  root: join(X509, `${root}.pem`),
  key: join(X509, 'keys', `${leaf}.pkcs8.pem`),
  serverName,
  isIp: /^[\d.]+$|:/.test(serverName),
  scheme,
});

/** Server certificates of the matrix: each chained through an intermediate CA to its root. */
export const FILE_IDENTITIES: Readonly<Record<KeyKind, FileIdentity>> = {
  p256: identity('ECDSA P-256', 'leaf-localhost', 'int-p256', 'root-p256', 'localhost', /^ecdsa_secp256r1_sha256$/),
  rsa2048: identity('RSA-2048', 'leaf-example', 'int-rsa', 'root-rsa', 'example.com', /^rsa_pss_rsae_sha(256|384|512)$/),
  ed25519: identity('Ed25519', 'leaf-ipv4', 'int-ed25519', 'root-ed25519', '127.0.0.1', /^ed25519$/),
};

/** PEM text of the file identity's parts. */
export function pems(id: FileIdentity): { chain: string; key: string; ca: string } {
  return {
    chain: readFileSync(id.leaf, 'utf8') + readFileSync(id.intermediate, 'utf8'),
    key: readFileSync(id.key, 'utf8'),
    ca: readFileSync(id.root, 'utf8'),
  };
}

/**
 * How the key exchange goes: the client's groups (it sends a key share for
 * the first only), the server's, the group that must be negotiated, and
 * whether a HelloRetryRequest must happen.
 */
export interface Exchange {
  readonly label: string;
  readonly client: readonly GroupName[];
  readonly server: readonly GroupName[];
  readonly group: GroupName;
  readonly hrr: boolean;
}

export const EXCHANGES: readonly Exchange[] = [
  { label: 'x25519', client: ['x25519', 'secp256r1'], server: ['x25519', 'secp256r1'], group: 'x25519', hrr: false },
  { label: 'secp256r1', client: ['secp256r1', 'x25519'], server: ['x25519', 'secp256r1'], group: 'secp256r1', hrr: false },
  { label: 'HRR x25519→secp256r1', client: ['x25519', 'secp256r1'], server: ['secp256r1'], group: 'secp256r1', hrr: true },
  { label: 'HRR secp256r1→x25519', client: ['secp256r1', 'x25519'], server: ['x25519'], group: 'x25519', hrr: true },
];

/** One cell of the matrix. */
export interface Combo {
  readonly suite: SuiteName;
  readonly exchange: Exchange;
  readonly key: KeyKind;
  readonly name: string;
}

/** Every suite × key exchange (two groups, HRR each way) × server key: 36 combinations. */
export const MATRIX: readonly Combo[] = SUITES.flatMap((suite) =>
  EXCHANGES.flatMap((exchange) => KEYS.map((key) => ({ suite, exchange, key, name: `${suite} | ${exchange.label} | ${FILE_IDENTITIES[key].label}` }))),
);

/** OpenSSL's names for the groups (`-groups`, Node's `ecdhCurve`). */
export const OPENSSL_GROUP: Readonly<Record<GroupName, string>> = { x25519: 'X25519', secp256r1: 'P-256' };

/** Checks what the wasmtls side saw against the combination. */
export function expectNegotiated(info: HandshakeInfo | undefined, combo: Combo): void {
  expect(info).toBeDefined();
  const i = info as HandshakeInfo;
  expect(i.version).toBe('TLSv1.3');
  expect(i.cipherSuite).toBe(combo.suite);
  expect(i.group).toBe(combo.exchange.group);
  expect(i.helloRetryRequest).toBe(combo.exchange.hrr);
  expect(i.signatureScheme).toMatch(FILE_IDENTITIES[combo.key].scheme);
}

/**
 * A printable payload (base64 lines; openssl's stdin and stdout pass it
 * unchanged), different for each seed and direction.
 */
export function payload(seed: number, bytes: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const raw = new Uint8Array(Math.ceil((bytes * 3) / 4));
  for (let i = 0; i < raw.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    raw[i] = s & 0xff;
  }
  const text = Buffer.from(raw).toString('base64').replace(/(.{76})/g, '$1\n');
  return new TextEncoder().encode(`${text.slice(0, bytes - 1)}\n`);
}

/** Bytes gathered from a stream or callback, with a promise for "at least n bytes". */
export class Sink {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;
  #waiters: { n: number; resolve: () => void }[] = [];

  push = (chunk: Uint8Array): void => {
    this.#chunks.push(chunk.slice());
    this.#length += chunk.length;
    this.#waiters = this.#waiters.filter((w) => {
      if (this.#length < w.n) return true;
      w.resolve();
      return false;
    });
  };

  get length(): number {
    return this.#length;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.#chunks));
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('latin1');
  }

  /** Resolves once n bytes arrived. */
  atLeast(n: number): Promise<void> {
    if (this.#length >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }
}

/** Rejects after `ms` with a message naming what was awaited. */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A spawned peer: its output so far and its exit. */
export interface Peer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: Sink;
  readonly stderr: Sink;
  /** Resolves with the exit code (or the signal name). */
  readonly exit: Promise<number | string>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Spawns a process that {@link killAll} will kill if it is still running. */
export function spawnPeer(command: string, args: readonly string[]): Peer {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const stdout = new Sink();
  const stderr = new Sink();
  child.stdout.on('data', stdout.push);
  child.stderr.on('data', stderr.push);
  child.stdin.on('error', () => undefined);
  const exit = new Promise<number | string>((resolve) => {
    child.on('error', (e) => {
      running.delete(child);
      stderr.push(new TextEncoder().encode(String(e)));
      resolve('spawn-error');
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { child, stdout, stderr, exit };
}

/** Kills every spawned process still running (afterAll, and after each combination). */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for programs that need one on their command line). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

/**
 * Resolves once something listens on 127.0.0.1:port (Linux: /proc/net/tcp,
 * state 0A), without connecting: a probe connection would use up a
 * `-naccept 1` server.
 */
export async function waitListening(port: number, ms = 5_000): Promise<void> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const lines = readFileSync('/proc/net/tcp', 'utf8').split('\n');
    if (lines.some((l) => l.trim().split(/\s+/)[1] === local && l.trim().split(/\s+/)[3] === '0A')) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
}

/**
 * Starts `openssl s_server` (or another program taking a port) on a free
 * loopback port and resolves once it listens. If it exits first because
 * another process took the port in the meantime, it is started again on
 * another port (up to 3 times); any other early exit fails with its stderr.
 */
export async function startListening(argsFor: (port: number) => readonly string[], command = OPENSSL): Promise<{ peer: Peer; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const peer = spawnPeer(command, argsFor(port));
    const outcome = await Promise.race([waitListening(port).then(() => 'listening' as const), peer.exit.then(() => 'exited' as const)]);
    if (outcome === 'listening') return { peer, port };
    const stderr = peer.stderr.text();
    if (attempt >= 3 || !/in use|bind/i.test(stderr)) throw new Error(`${command} ${argsFor(port).join(' ')} exited: ${stderr.slice(0, 500)}`);
  }
}

/** Counts of passed interop combinations per pairing, printed at the end of each file. */
export function tally(): { pass(pairing: string): void; print(): void } {
  const counts = new Map<string, number>();
  return {
    pass: (pairing) => counts.set(pairing, (counts.get(pairing) ?? 0) + 1),
    print: () => {
      for (const [pairing, n] of counts) console.log(`interop ${pairing}: ${n}/${MATRIX.length} combinations passed`);
    },
  };
}
