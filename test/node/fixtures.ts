// Shared by the wasmtls/node tests: certificates valid now (test/vectors/x509,
// 2025-2045), servers on port 0 that are closed after each test, and waits
// bounded in time.
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { FILE_IDENTITIES, pems } from '../helpers/interop.js';

/** ECDSA P-256 leaf for `localhost`, chained through an intermediate. */
export const P256 = pems(FILE_IDENTITIES.p256);
/** Ed25519 leaf for `127.0.0.1`. */
export const ED25519 = pems(FILE_IDENTITIES.ed25519);
/** An RSA root that signed neither: a chain that does not validate against it. */
export const WRONG_CA = pems(FILE_IDENTITIES.rsa2048).ca;

const open: { servers: NetServer[]; sockets: { destroy(): void }[] } = { servers: [], sockets: [] };

/** Registers a server or socket to be closed/destroyed after the test. */
export function track<T extends NetServer | { destroy(): void }>(x: T): T {
  if ('listen' in x) open.servers.push(x as NetServer);
  else open.sockets.push(x);
  return x;
}

/** Destroys tracked sockets, closes tracked servers (dropping their connections), and waits for all. */
export async function cleanup(): Promise<void> {
  for (const s of open.sockets.splice(0)) s.destroy();
  await Promise.all(
    open.servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          (s as NetServer & { closeAllConnections?: () => void }).closeAllConnections?.();
          if (!s.listening) resolve();
          else s.close(() => resolve());
        }),
    ),
  );
}

/** Listens on 127.0.0.1, port 0; resolves with the port. */
export function listen(server: NetServer): Promise<number> {
  track(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Resolves with the arguments of the next `event`, or rejects after `ms`. */
export function next<T extends unknown[] = unknown[]>(emitter: NodeJS.EventEmitter, event: string, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`timed out after ${ms} ms waiting for '${event}'`));
    }, ms);
    const on = (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    };
    emitter.once(event, on);
  });
}

/** Everything a readable emits until 'end' (rejects on 'error' or after `ms`). */
export function readAll(stream: NodeJS.ReadableStream & NodeJS.EventEmitter, ms = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms reading to the end`)), ms);
    stream.on('data', (d: Buffer) => parts.push(Buffer.from(d)));
    stream.once('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(parts).toString('utf8'));
    });
    stream.once('error', (e: Error) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Resolves when a raw socket closes; with how long it took. */
export function closed(socket: Socket, ms = 5_000): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    if (socket.destroyed && socket.closed) {
      resolve(0);
      return;
    }
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - t0);
    });
  });
}

/** Handle kinds that would keep the process alive: sockets, servers and timers. */
export function liveHandles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'Timeout');
}
