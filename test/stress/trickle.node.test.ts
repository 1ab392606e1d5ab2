// Slow-loris clients (issue 6, "Faults and load"): many clients trickle a
// ClientHello one byte a second. Each must be closed by the server at the
// handshake timeout (±10 %; 25 % in the short run), and a normal client must
// still complete its handshake in under a second meanwhile. `npm test`: 50
// clients and a 2 s timeout; `npm run test:stress`: 500 clients and a 3 s
// timeout. The server is `wasmtls/node` createServer().
import { connect as netConnect, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, test } from 'vitest';
import { connectTcp } from '../../src/node/index.js';
import { AT } from '../helpers/x509-fixtures.js';
import { ID, activeResources, leakedResources, machineLoad, percentile, recordHandshake, scale, startEchoServer, waitFor } from './support.js';

const CLIENTS = scale(50, 500);
const TIMEOUT_MS = scale(2000, 3000);
/**
 * Allowed deviation from the timeout: ±10 % in the stress run (one file at a
 * time). Inside `npm test` other test files share the two cores, and event-
 * loop delays of 50-150 ms were measured there, so the short run allows 25 %.
 */
const TOLERANCE = scale(0.25, 0.1);

test(`${CLIENTS} clients trickling one byte a second are closed at the ${TIMEOUT_MS} ms handshake timeout`, async () => {
  const hello = recordHandshake().client;
  const server = await startEchoServer({ handshakeTimeout: TIMEOUT_MS });
  const { port, errors } = server;
  const baseline = activeResources();

  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const sockets: Socket[] = [];
  const lifetimes: number[] = [];
  const sent = new Map<Socket, number>();
  let closedByUs = false;
  // Clients arrive 2 ms apart (500 a second), as a slow-loris attack ramps up;
  // a burst of 500 SYNs at once measured up to 420 ms of accept() queueing
  // before the server's timer even starts, which is not what this measures.
  const allClosed = Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      await new Promise((r) => setTimeout(r, 2 * i));
      const s = netConnect({ host: '127.0.0.1', port });
      sockets.push(s);
      s.on('error', () => undefined);
      s.resume();
      return new Promise<void>((resolve) => {
        let t0 = 0;
        s.once('connect', () => {
          t0 = performance.now();
          s.write(hello.subarray(0, 1));
          sent.set(s, 1);
        });
        s.once('close', () => {
          if (!closedByUs) lifetimes.push(performance.now() - t0);
          sent.delete(s);
          resolve();
        });
      });
    }),
  );
  const tick = setInterval(() => {
    for (const [s, n] of sent) {
      if (n < hello.length) s.write(hello.subarray(n, n + 1));
      sent.set(s, n + 1);
    }
  }, 1000);
  try {
    // A normal handshake while the trickling clients hold their connections.
    const rampMs = await waitFor(() => sent.size === CLIENTS && server.accepted() === CLIENTS, TIMEOUT_MS / 2 + 2 * CLIENTS);
    expect(rampMs, `${sent.size} clients connected, ${server.accepted()} accepted; ${machineLoad()}`).toBeGreaterThanOrEqual(0);
    const t0 = performance.now();
    const conn = await connectTcp({ host: '127.0.0.1', port, serverName: ID.serverName, ca: ID.ca, now: AT });
    const normalMs = performance.now() - t0;
    conn.end();
    await conn.closed;
    expect(normalMs).toBeLessThan(1000);

    await Promise.race([allClosed, new Promise((r) => setTimeout(r, TIMEOUT_MS * 2 + 2 * CLIENTS))]);
    expect(lifetimes.length).toBe(CLIENTS);
    const lo = Math.min(...lifetimes);
    const hi = Math.max(...lifetimes);
    const figures =
      `trickle: ${CLIENTS} clients at 1 byte/s, handshake timeout ${TIMEOUT_MS} ms: closed after ${lo.toFixed(0)}-${hi.toFixed(0)} ms ` +
      `(median ${percentile(lifetimes, 50).toFixed(0)}, p99 ${percentile(lifetimes, 99).toFixed(0)}); a normal handshake meanwhile took ${normalMs.toFixed(1)} ms; ` +
      `event-loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms; ${machineLoad()}`;
    console.log(figures);
    expect(lo, figures).toBeGreaterThanOrEqual(TIMEOUT_MS * (1 - TOLERANCE));
    expect(hi, figures).toBeLessThanOrEqual(TIMEOUT_MS * (1 + TOLERANCE));
    clearInterval(tick);
    lag.disable();
    // The server reports each connection's error once its socket has closed.
    const settled = await waitFor(() => errors.length === CLIENTS && server.open() === 0 && leakedResources(baseline).length === 0, 1000);
    expect(settled, `errors ${errors.length}, connections ${server.open()}, leaked ${leakedResources(baseline).join(', ')}`).toBeGreaterThanOrEqual(0);
    for (const e of errors) expect((e as Error & { code?: string }).code).toBe('ERR_TLS_HANDSHAKE_TIMEOUT');
  } finally {
    clearInterval(tick);
    lag.disable();
    closedByUs = true;
    for (const s of sockets) s.destroy();
    await server.close();
  }
});
