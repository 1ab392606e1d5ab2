// The wasmtls side of bench/browser-wisp.ts, bundled for the page: Wisp
// relay, TLS connections over it, and the connection pool for reused
// requests. Sets globalThis.benchLib.
import { ConnectionPool, startTls } from '../../src/index.js';
import { wisp, type WispClient } from '../../src/transport/wisp.js';
import type { BenchConfig, BenchLib } from './protocol.js';

let relay: WispClient;
let pool: ConnectionPool;
let config: BenchConfig;

async function readAll(s: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of s as unknown as AsyncIterable<Uint8Array>) n += c.length;
  return n;
}

const lib: BenchLib = {
  name: 'wasmtls',
  async init(c) {
    config = c;
    relay = await wisp(c.relay);
    pool = new ConnectionPool();
  },
  async newConnection() {
    const tls = startTls(relay.open('127.0.0.1', config.port), { serverName: 'localhost', ca: config.ca });
    const w = tls.writable.getWriter();
    await w.write(new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: localhost:${config.port}\r\nConnection: close\r\n\r\n`));
    const n = await readAll(tls.readable);
    await tls.close();
    return n;
  },
  async request(path) {
    const res = await pool.request(`https://localhost:${config.port}${path}`, { ca: config.ca, transport: relay.transport, maxBodySize: 64 << 20 });
    return res.body.length;
  },
};
(globalThis as { benchLib?: BenchLib }).benchLib = lib;
