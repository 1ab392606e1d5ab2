// A peer that disconnects at every byte offset of a handshake, in both roles
// (issue 6, "Faults and load"): for each offset a raw TCP peer sends that
// prefix of a recorded handshake, then ends (FIN) or resets (RST) the
// socket. Nothing may throw uncaught, the wasmtls side must report an error
// (a prefix never completes a handshake; the whole flight does, and the drop
// after it is a truncation), and within a second its socket,
// its timers and the server's connection count are back where they were.
// `npm test` tries every record boundary and every 23rd offset; `npm run
// test:stress` tries every offset.
import { createServer, connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectTcp, createTcpServer, type TcpTlsServer } from '../../src/node/index.js';
import { AT } from '../helpers/x509-fixtures.js';
import { FULL, ID, activeResources, leakedResources, recordHandshake, replayProvider, waitFor } from './support.js';

type Mode = 'end' | 'reset';

/** Offsets to try in `bytes`: all of them in the stress run; record boundaries (±1) and every 23rd otherwise. */
function offsets(bytes: Uint8Array): number[] {
  if (FULL) return Array.from({ length: bytes.length + 1 }, (_, i) => i);
  const set = new Set<number>([0, 1, bytes.length - 1, bytes.length]);
  for (let at = 0; at + 5 <= bytes.length; at += 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!)) {
    for (const d of [-1, 0, 1, 5]) if (at + d >= 0 && at + d <= bytes.length) set.add(at + d);
  }
  for (let i = 0; i <= bytes.length; i += 23) set.add(i);
  return [...set].sort((a, b) => a - b);
}

/** Sends `prefix` on `socket`, then ends or resets it. */
function sendAndDrop(socket: Socket, prefix: Uint8Array, mode: Mode): void {
  const drop = () => (mode === 'end' ? socket.end() : socket.resetAndDestroy());
  if (prefix.length === 0) drop();
  else socket.write(prefix, () => drop());
}

function closedSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
}

const recorded = recordHandshake();
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);

beforeAll(() => {
  process.on('uncaughtExceptionMonitor', onUncaught);
});
afterAll(() => {
  process.off('uncaughtExceptionMonitor', onUncaught);
});

describe('a peer that disconnects at every byte offset of a handshake', () => {
  test('server role: a raw client sends a prefix of a ClientHello ... Finished, then FIN or RST', async () => {
    const errors: Error[] = [];
    let accepted = 0;
    const server: TcpTlsServer = createTcpServer({ cert: ID.cert, key: ID.key, provider: replayProvider, handshakeTimeout: 10_000 }, () => {
      accepted++;
    });
    server.onerror = (e) => errors.push(e);
    const { port } = await server.listen(0, '127.0.0.1');
    const baseline = activeResources();
    const list = offsets(recorded.client);
    let tried = 0;
    let slowest = 0;
    try {
      for (const offset of list) {
        for (const mode of ['end', 'reset'] as const) {
          const before = errors.length;
          const raw = netConnect({ host: '127.0.0.1', port });
          raw.on('error', () => undefined);
          raw.resume(); // discard what the server sends, so its FIN is seen
          await new Promise<void>((resolve, reject) => {
            raw.once('connect', resolve);
            raw.once('error', reject);
          });
          sendAndDrop(raw, recorded.client.subarray(0, offset), mode);
          await closedSocket(raw);
          const settled = await waitFor(() => server.connections.size === 0 && errors.length > before && leakedResources(baseline).length === 0, 1000);
          expect(settled, `offset ${offset} (${mode}): connections ${server.connections.size}, leaked ${leakedResources(baseline).join(', ')}`).toBeGreaterThanOrEqual(0);
          slowest = Math.max(slowest, settled);
          tried++;
        }
      }
    } finally {
      await server.close(100);
    }
    // Every connection was accepted and every one ended in an error of its own.
    expect(accepted).toBe(tried);
    expect(errors.length).toBe(tried);
    for (const e of errors) expect(e).toBeInstanceOf(Error);
    expect(uncaught).toEqual([]);
    console.log(
      `disconnect, server role: ${list.length} offsets of ${recorded.client.length} client bytes × FIN/RST = ${tried} connections; ` +
        `slowest return to zero connections ${slowest.toFixed(1)} ms`,
    );
  });

  test('client role: a raw server answers with a prefix of ServerHello ... Finished, then FIN or RST', async () => {
    let mode: Mode = 'end';
    let prefix: Uint8Array = new Uint8Array(0);
    const rawServer = createServer((socket) => {
      socket.on('error', () => undefined);
      // Answer once the ClientHello has arrived, as a server would.
      socket.once('data', () => sendAndDrop(socket, prefix, mode));
    });
    await new Promise<void>((resolve) => rawServer.listen(0, '127.0.0.1', resolve));
    const port = (rawServer.address() as { port: number }).port;
    const baseline = activeResources();
    const list = offsets(recorded.server);
    let tried = 0;
    let slowest = 0;
    const messages = new Map<string, number>();
    try {
      for (const offset of list) {
        for (const m of ['end', 'reset'] as const) {
          mode = m;
          prefix = recorded.server.subarray(0, offset);
          const outcome = await connectTcp({ host: '127.0.0.1', port, serverName: ID.serverName, ca: ID.ca, now: AT, provider: replayProvider, handshakeTimeout: 10_000 }).then(
            // The whole server flight completes the client's handshake; the drop is then a truncation or a reset.
            (c) => c.closed.then(() => new Error(`offset ${offset} (${m}): closed cleanly without close_notify`), (e: unknown) => (offset === recorded.server.length ? e : new Error(`offset ${offset} (${m}) completed a handshake`))),
            (e: unknown) => (offset === recorded.server.length ? new Error(`the full server flight did not complete the handshake: ${String(e)}`) : e),
          );
          expect(outcome).toBeInstanceOf(Error);
          expect((outcome as Error).message).not.toMatch(/^offset|^the full server flight/);
          const key = (outcome as Error).message.replace(/\d+/g, 'N').slice(0, 60);
          messages.set(key, (messages.get(key) ?? 0) + 1);
          const settled = await waitFor(() => leakedResources(baseline).length === 0, 1000);
          expect(settled, `offset ${offset} (${m}): leaked ${leakedResources(baseline).join(', ')}`).toBeGreaterThanOrEqual(0);
          slowest = Math.max(slowest, settled);
          tried++;
        }
      }
    } finally {
      await new Promise<void>((resolve) => rawServer.close(() => resolve()));
    }
    expect(uncaught).toEqual([]);
    console.log(
      `disconnect, client role: ${list.length} offsets of ${recorded.server.length} server bytes × FIN/RST = ${tried} connections; ` +
        `slowest release ${slowest.toFixed(1)} ms; errors: ${[...messages].map(([k, n]) => `${n}× "${k}"`).join('; ')}`,
    );
  });
});
