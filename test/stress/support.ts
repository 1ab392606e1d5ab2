// Shared pieces of the fault and load tests (issue 6): the scale switch
// between the short run inside `npm test` and the full `npm run test:stress`,
// forced garbage collection, active-resource snapshots, a recorded handshake,
// and a loopback proxy that parses the TLS record headers passing through.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServer as createNodeServer, type ServerOptions } from '../../src/node/index.js';
import type { CryptoProvider, KeyExchange } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { seededBytes } from '../helpers/hex.js';
import { IDENTITIES, concatBytes, pair } from '../helpers/tls-pair.js';

/** True under `npm run test:stress` (vitest.stress.config.ts sets WASMTLS_STRESS=1). */
export const FULL = process.env['WASMTLS_STRESS'] === '1';

/** `full` in the stress run, `short` inside `npm test`. */
export function scale<T>(short: T, full: T): T {
  return FULL ? full : short;
}

let gcFn: (() => void) | undefined;

/**
 * A full, synchronous garbage collection. Uses `global.gc` when Node runs
 * with --expose-gc (the stress run); otherwise exposes it through V8's flags
 * for a fresh context, so the short run measures memory the same way.
 */
export function forceGc(): void {
  if (gcFn === undefined) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    }
  }
  gcFn();
  gcFn();
}

/** Counts of process.getActiveResourcesInfo() entries by type (TCPSocketWrap, Timeout, ...). */
export function activeResources(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/** Types whose count is above `baseline`'s: sockets, servers or timers left behind. */
export function leakedResources(baseline: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [type, n] of activeResources()) {
    const before = baseline.get(type) ?? 0;
    if (n > before) out.push(`${type}: ${before} -> ${n}`);
  }
  return out;
}

/** Polls `check` every 5 ms until it returns true or `ms` pass; resolves with the elapsed milliseconds or -1. */
export async function waitFor(check: () => boolean, ms: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (check()) return performance.now() - t0;
    if (performance.now() - t0 > ms) return -1;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The identity every stress test serves: ECDSA P-256 chained through an intermediate. */
export const ID = IDENTITIES.p256;

/**
 * A provider whose "random" bytes and ephemeral keys are the same on every
 * call, so that a recorded handshake replays byte for byte against a live
 * endpoint: a replayed peer then drives it through every state, not just to
 * the first mismatch. ECDSA nonces are RFC 6979's, deterministic anyway.
 * For tests only.
 */
export const replayProvider: CryptoProvider = {
  ...wasmProvider,
  randomBytes: (n: number) => seededBytes(0x5eed + n, n),
  keyExchange: (group: number, secretKey?: Uint8Array): KeyExchange => wasmProvider.keyExchange(group, secretKey ?? seededBytes(0xec, 32)),
};

/** The bytes of one complete handshake each way (ClientHello ... client Finished) with {@link replayProvider} at both ends, recorded in memory. */
export function recordHandshake(): { client: Uint8Array; server: Uint8Array } {
  const p = pair(ID, { provider: replayProvider }, { provider: replayProvider });
  p.pump();
  if (p.c.handshake === undefined || p.s.handshake === undefined) throw new Error('recording handshake failed');
  const out = { client: concatBytes(p.c.sent), server: concatBytes(p.s.sent) };
  p.client.transportClosed();
  p.server.transportClosed();
  return out;
}

/** Header statistics of the records that went one way through a {@link RecordProxy}. */
export interface RecordStats {
  records: number;
  bytes: number;
  /** Largest record body (TLSCiphertext.length) seen. */
  maxLength: number;
  /** Count of records by content type. */
  byType: Map<number, number>;
}

/**
 * Incremental parser of TLS record headers (RFC 8446 §5.1): 1-byte type,
 * 2-byte version, 2-byte length, then the body, across arbitrary chunking.
 */
export class RecordHeaderCounter {
  readonly stats: RecordStats = { records: 0, bytes: 0, maxLength: 0, byType: new Map() };
  #header = new Uint8Array(5);
  #headerHave = 0;
  #bodyLeft = 0;

  push(chunk: Uint8Array): void {
    this.stats.bytes += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      if (this.#bodyLeft > 0) {
        const n = Math.min(this.#bodyLeft, chunk.length - i);
        this.#bodyLeft -= n;
        i += n;
        continue;
      }
      this.#header[this.#headerHave++] = chunk[i++]!;
      if (this.#headerHave === 5) {
        this.#headerHave = 0;
        const type = this.#header[0]!;
        const length = (this.#header[3]! << 8) | this.#header[4]!;
        this.stats.records++;
        this.stats.byType.set(type, (this.stats.byType.get(type) ?? 0) + 1);
        if (length > this.stats.maxLength) this.stats.maxLength = length;
        this.#bodyLeft = length;
      }
    }
  }

  /** True when the stream ended on a record boundary. */
  get atBoundary(): boolean {
    return this.#headerHave === 0 && this.#bodyLeft === 0;
  }
}

/** A loopback TCP proxy to `port` that counts the records going each way. */
export class RecordProxy {
  readonly toServer = new RecordHeaderCounter();
  readonly toClient = new RecordHeaderCounter();
  readonly server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(port: number) {
    this.server = createServer({ allowHalfOpen: true }, (down) => {
      const up = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      for (const s of [down, up]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => (s === down ? up : down).destroy());
      }
      down.on('data', (b: Buffer) => this.toServer.push(b));
      up.on('data', (b: Buffer) => this.toClient.push(b));
      // pipe() carries back-pressure both ways and forwards each FIN.
      down.pipe(up);
      up.pipe(down);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Percentile `p` (0-100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Megabytes with one decimal, for the printed figures. */
export function mb(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

export { concatBytes };

/** A `wasmtls/node` server under test, with what the load tests look at. */
export interface LoadServer {
  readonly port: number;
  /** Every 'tlsClientError' and every connected socket's 'error'. */
  readonly errors: Error[];
  /** TCP connections accepted and not yet closed. */
  open(): number;
  /** TCP connections accepted so far. */
  accepted(): number;
  /** Ends every connection and closes the listener. */
  close(): Promise<void>;
}

/**
 * The `wasmtls/node` createServer() on loopback, port 0, serving {@link ID}:
 * an echo server, each connected socket writing back what it reads.
 */
export async function startEchoServer(options: Partial<ServerOptions> = {}): Promise<LoadServer> {
  const errors: Error[] = [];
  let open = 0;
  let accepted = 0;
  const server = createNodeServer({ cert: ID.cert, key: ID.key, ...options }, (socket) => {
    socket.on('error', (e: Error) => errors.push(e));
    socket.on('data', (d: Buffer) => socket.write(d));
  });
  server.on('tlsClientError', (e: Error) => errors.push(e));
  server.on('connection', (raw: Socket) => {
    open++;
    accepted++;
    raw.once('close', () => open--);
  });
  // A backlog above Node's default 511: 1,000 clients connect at once, and
  // with the accept queue full a starved process (load average 16 on the
  // shared VM) saw 3 of them reset.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, resolve));
  return {
    port: (server.address() as { port: number }).port,
    errors,
    open: () => open,
    accepted: () => accepted,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The machine's one-minute load average and CPU count, printed beside timing figures (the VM is shared). */
export function machineLoad(): string {
  return `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`;
}
