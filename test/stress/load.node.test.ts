// Load against the Node server, `wasmtls/node` createServer() (issue 6,
// "Faults and load"), with src/transport/tcp.ts clients: many concurrent
// handshakes (latency percentiles, event-loop lag, memory growth) and a long
// run of sequential handshakes (memory flat after warm-up). `npm test`: 100
// concurrent, 400 sequential; `npm run test:stress`: 1,000 and 20,000.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, test } from 'vitest';
import { connectTcp, type TcpTlsConnection } from '../../src/node/index.js';
import { AT } from '../helpers/x509-fixtures.js';
import { ID, activeResources, forceGc, leakedResources, mb, machineLoad, percentile, scale, startEchoServer, waitFor } from './support.js';

const CONCURRENT = scale(100, 1000);
const SEQUENTIAL = scale(400, 20_000);

function connect(port: number): Promise<TcpTlsConnection> {
  return connectTcp({ host: '127.0.0.1', port, serverName: ID.serverName, ca: ID.ca, now: AT });
}

function heap(): { heapUsed: number; rss: number; external: number } {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external };
}

test(`${CONCURRENT} concurrent handshakes all succeed`, async () => {
  const server = await startEchoServer();
  const { port, errors } = server;
  try {
    // One handshake first, so the figures below do not include compiling the code paths.
    const warm = await connect(port);
    warm.end();
    await warm.closed;
    forceGc();
    const before = heap();
    const baseline = activeResources();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t0 = performance.now();
    const latencies: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, async () => {
        const t = performance.now();
        const conn = await connect(port);
        latencies.push(performance.now() - t);
        return conn;
      }),
    );
    const wallMs = performance.now() - t0;
    lag.disable();
    const peak = heap();
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 3)).toEqual([]);
    const conns = results.map((r) => (r as PromiseFulfilledResult<TcpTlsConnection>).value);
    expect(server.open()).toBe(CONCURRENT);
    // Every connection carries data both ways before closing.
    await Promise.all(
      conns.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.ondata = () => resolve();
            c.write(Uint8Array.of(1, 2, 3));
          }),
      ),
    );
    for (const c of conns) c.end();
    await Promise.all(conns.map((c) => c.closed));
    expect(await waitFor(() => server.open() === 0 && leakedResources(baseline).length === 0, 1000)).toBeGreaterThanOrEqual(0);
    conns.length = 0;
    results.length = 0;
    forceGc();
    const after = heap();
    expect(errors).toEqual([]);
    const growth = after.heapUsed - before.heapUsed;
    // Bounded: what 1,000 closed connections leave behind after a GC is under 16 MiB of heap.
    expect(growth).toBeLessThan(16 * 1048576);
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    console.log(
      `concurrent: ${CONCURRENT} handshakes in ${wallMs.toFixed(0)} ms (${((CONCURRENT / wallMs) * 1000).toFixed(0)}/s); latency p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms; event-loop delay p50 ${ms(lag.percentile(50))} ms, ` +
        `p99 ${ms(lag.percentile(99))} ms, max ${ms(lag.max)} ms; heap ${mb(before.heapUsed)} MiB before, ${mb(peak.heapUsed)} MiB with all open, ` +
        `${mb(after.heapUsed)} MiB after close + GC (growth ${mb(growth)} MiB); rss ${mb(before.rss)} -> ${mb(peak.rss)} -> ${mb(after.rss)} MiB; ${machineLoad()}`,
    );
  } finally {
    await server.close();
  }
});

test(`${SEQUENTIAL} sequential handshakes: memory flat after warm-up`, async () => {
  const server = await startEchoServer();
  const { port, errors } = server;
  const warmup = Math.floor(SEQUENTIAL / 10);
  const samples: { at: number; heapUsed: number; rss: number }[] = [];
  const t0 = performance.now();
  try {
    for (let i = 1; i <= SEQUENTIAL; i++) {
      const conn = await connect(port);
      conn.end();
      await conn.closed;
      if (i % warmup === 0) {
        await waitFor(() => server.open() === 0, 1000);
        forceGc();
        samples.push({ at: i, ...heap() });
      }
    }
  } finally {
    await server.close();
  }
  const wallMs = performance.now() - t0;
  expect(errors).toEqual([]);
  // Samples after the warm-up (the first one) stay within 10 % of it.
  const base = samples[0]!.heapUsed;
  const worst = Math.max(...samples.map((s) => s.heapUsed));
  console.log(
    `sequential: ${SEQUENTIAL} handshakes in ${(wallMs / 1000).toFixed(1)} s (${((SEQUENTIAL / wallMs) * 1000).toFixed(0)}/s); heap after GC every ${warmup}: ` +
      samples.map((s) => mb(s.heapUsed)).join(', ') +
      ` MiB (worst ${(((worst - base) / base) * 100).toFixed(1)} % over the post-warm-up sample); rss ${samples.map((s) => mb(s.rss)).join(', ')} MiB; ${machineLoad()}`,
  );
  expect(samples.length).toBe(10);
  for (const s of samples) expect(s.heapUsed, `after ${s.at} handshakes`).toBeLessThanOrEqual(base * 1.1);
});
