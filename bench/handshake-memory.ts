// Memory held by a handshake in progress on a wasmtls/node server, beside
// node:tls in the same run: the figure behind DEFAULT_MAX_HANDSHAKES.
//
//   npx esbuild bench/handshake-memory.ts --bundle --platform=node --format=esm \
//     --packages=external --outfile=build/handshake-memory.mjs --log-level=warning \
//   && node --expose-gc build/handshake-memory.mjs [connections]
//
// Each client is a raw TCP socket that sends a real ClientHello (from the
// engine) and then nothing: the server has answered and waits for the
// client's Finished. A second round sends 60 KiB of one unfinished handshake
// message instead, the most a client can make the server buffer under the
// default 64 KiB message limit. Baseline: the same sockets to a plain
// net.Server that only holds them. Reported: heap (after GC) and RSS per
// connection above that baseline. Everything is in one process, client
// sockets included, so the baseline matters.
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect as netConnect, createServer as netCreateServer, type Server, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { TlsClient } from '../src/engine.js';
import { createServer } from '../src/node/index.js';

const N = Number(process.argv[2] ?? 500);
// Run from the repository root (the command above does).
const x509 = (name: string) => readFileSync(`test/vectors/x509/${name}`, 'utf8');
const id = { chain: x509('leaf-localhost.pem') + x509('int-p256.pem'), key: x509('keys/leaf-localhost.pkcs8.pem'), ca: x509('root-p256.pem') };
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function clientHello(): Buffer {
  const c = new TlsClient({ serverName: 'localhost', ca: id.ca });
  const out = Buffer.concat(c.takeOutput());
  return out;
}

/** 60 KiB of a handshake record stream carrying one 64000-byte message, never completed. */
function partialMessage(): Buffer {
  const body = Buffer.alloc(60 * 1024);
  const header = Buffer.from([0x01, 0x00, 0xfa, 0x00]); // ClientHello of 64000 bytes
  const data = Buffer.concat([header, body]);
  const records: Buffer[] = [];
  for (let i = 0; i < data.length; i += 16384) {
    const piece = data.subarray(i, Math.min(i + 16384, data.length));
    records.push(Buffer.from([0x16, 0x03, 0x01, piece.length >> 8, piece.length & 0xff]), piece);
  }
  return Buffer.concat(records);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 300));
}

function usage(): { heap: number; rss: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  // `external` already includes `arrayBuffers` (Node's process.memoryUsage()
  // docs); adding both counted every buffer twice, which is where the
  // "70 KiB outside src/record/" of a stalled 60 KiB message came from.
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

async function round(label: string, server: Server, payload: Buffer | undefined, accepted: () => number): Promise<{ heap: number; rss: number }> {
  const port = await listen(server);
  await settle();
  const before = usage();
  const sockets: Socket[] = [];
  for (let i = 0; i < N; i++) {
    const s = netConnect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    s.resume();
    if (payload !== undefined) s.write(payload);
    sockets.push(s);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 10));
  }
  const t0 = Date.now();
  while (accepted() < N && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20));
  await settle();
  const after = usage();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  const per = { heap: (after.heap - before.heap) / N, rss: (after.rss - before.rss) / N };
  console.log(`${label.padEnd(58)} ${(per.heap / 1024).toFixed(1).padStart(7)} KiB heap+buffers  ${(per.rss / 1024).toFixed(1).padStart(7)} KiB RSS`);
  return per;
}

const hello = clientHello();
const big = partialMessage();
console.log(`${N} connections each, per connection above nothing:`);
for (const [name, payload] of [
  ['ClientHello, then silence', hello],
  ['60 KiB of one unfinished handshake message', big],
] as const) {
  let n = 0;
  const plain = netCreateServer((s) => {
    n++;
    s.on('error', () => undefined);
    s.resume();
  });
  const base = await round(`plain net.Server (baseline), ${name}`, plain, payload, () => n);

  const w = createServer({ cert: id.chain, key: id.key, maxHandshakes: 0 });
  w.on('tlsClientError', () => undefined);
  const ours = await round(`wasmtls/node, ${name}`, w, payload, () => w.handshakesInProgress);

  let m = 0;
  const nodeServer = tls.createServer({ cert: id.chain, key: id.key, minVersion: 'TLSv1.3' });
  nodeServer.on('connection', () => m++);
  nodeServer.on('tlsClientError', () => undefined);
  const theirs = await round(`node:tls, ${name}`, nodeServer, payload, () => m);
  console.log(
    `  above baseline: wasmtls/node ${((ours.heap - base.heap) / 1024).toFixed(1)} KiB heap, ${((ours.rss - base.rss) / 1024).toFixed(1)} KiB RSS; ` +
      `node:tls ${((theirs.heap - base.heap) / 1024).toFixed(1)} KiB heap, ${((theirs.rss - base.rss) / 1024).toFixed(1)} KiB RSS`,
  );
}
