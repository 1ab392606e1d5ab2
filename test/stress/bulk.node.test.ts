// Bulk data both ways over one connection with KeyUpdate forced every K
// records (issue 6, "Faults and load"): the SHA-256 of what each end sent
// matches what the other received, KeyUpdates happened at the expected rate,
// and no record on the wire (parsed by a proxy between the two) carries more
// than 2^14 bytes of plaintext. `npm test`: 8 MiB each way, K = 100;
// `npm run test:stress`: 1 GiB each way, K = 1,000.
import { createHash, randomFillSync } from 'node:crypto';
import { expect, test } from 'vitest';
import type { TraceEvent } from '../../src/engine.js';
import { connectTcp, createTcpServer, type TcpTlsConnection } from '../../src/node/index.js';
import { AT } from '../helpers/x509-fixtures.js';
import { FULL, ID, RecordProxy, machineLoad, mb, scale } from './support.js';

const TOTAL = scale(8, 1024) * 1048576;
const KEY_UPDATE_AFTER = scale(100, 1000);
const CHUNK = 65536;
const SUITE = 'TLS_CHACHA20_POLY1305_SHA256';
/** Largest TLSCiphertext.length for 2^14 bytes of plaintext: + content type (1) + Poly1305 tag (16), no padding (RFC 8446 §5.2, §5.4). */
const MAX_PROTECTED = 16384 + 1 + 16;

/** Sends `total` random bytes on `conn`, honouring back-pressure; resolves with their SHA-256. */
async function sendRandom(conn: TcpTlsConnection, total: number): Promise<string> {
  const hash = createHash('sha256');
  for (let sent = 0; sent < total; ) {
    const chunk = randomFillSync(new Uint8Array(Math.min(CHUNK, total - sent)));
    hash.update(chunk);
    sent += chunk.length;
    if (!conn.write(chunk)) await new Promise<void>((resolve) => (conn.ondrain = resolve));
  }
  return hash.digest('hex');
}

/** Hashes what arrives on `conn` until `total` bytes have; resolves with their SHA-256. */
function receiveAll(conn: TcpTlsConnection, total: number): Promise<string> {
  const hash = createHash('sha256');
  let got = 0;
  return new Promise((resolve, reject) => {
    conn.closed.catch(reject);
    conn.ondata = (d) => {
      hash.update(d);
      got += d.length;
      if (got === total) resolve(hash.digest('hex'));
      else if (got > total) reject(new Error(`received ${got} bytes, more than ${total}`));
    };
  });
}

function keyUpdateCounter(): { sent: number; received: number; trace: (e: TraceEvent) => void } {
  const c = { sent: 0, received: 0, trace: (e: TraceEvent) => void (e.name === 'KeyUpdate' && (e.direction === 'sent' ? c.sent++ : c.received++)) };
  return c;
}

test(`${mb(TOTAL)} MiB each way over one connection, KeyUpdate every ${KEY_UPDATE_AFTER} records`, { timeout: FULL ? 900_000 : 120_000 }, async () => {
  const serverKu = keyUpdateCounter();
  const clientKu = keyUpdateCounter();
  let serverSide: Promise<[string, string]> | undefined;
  const errors: Error[] = [];
  const server = createTcpServer(
    { cert: ID.cert, key: ID.key, cipherSuites: [SUITE], keyUpdateAfterRecords: KEY_UPDATE_AFTER, trace: serverKu.trace },
    (conn) => {
      serverSide = conn.handshake.then(() => Promise.all([sendRandom(conn, TOTAL), receiveAll(conn, TOTAL)]));
      serverSide.then(() => conn.end(), () => undefined);
    },
  );
  server.onerror = (e) => errors.push(e);
  const { port } = await server.listen(0, '127.0.0.1');
  const proxy = new RecordProxy(port);
  const proxyPort = await proxy.listen();
  try {
    const t0 = performance.now();
    const conn = await connectTcp({
      host: '127.0.0.1', port: proxyPort, serverName: ID.serverName, ca: ID.ca, now: AT,
      cipherSuites: [SUITE], keyUpdateAfterRecords: KEY_UPDATE_AFTER, trace: clientKu.trace,
    });
    const [clientSent, clientGot] = await Promise.all([sendRandom(conn, TOTAL), receiveAll(conn, TOTAL)]);
    conn.end();
    await conn.closed;
    const [serverSent, serverGot] = await (serverSide as Promise<[string, string]>);
    const seconds = (performance.now() - t0) / 1000;
    expect(serverGot).toBe(clientSent);
    expect(clientGot).toBe(serverSent);
    expect(errors).toEqual([]);

    const records = TOTAL / 16384;
    for (const [name, stats] of [['client to server', proxy.toServer.stats], ['server to client', proxy.toClient.stats]] as const) {
      expect(stats.maxLength, name).toBeLessThanOrEqual(MAX_PROTECTED);
      expect(stats.records, name).toBeGreaterThanOrEqual(records);
    }
    expect(proxy.toServer.atBoundary && proxy.toClient.atBoundary).toBe(true);
    // One KeyUpdate per KEY_UPDATE_AFTER records each way, each one seen by the peer.
    const expected = Math.floor(records / KEY_UPDATE_AFTER);
    for (const ku of [clientKu, serverKu]) {
      expect(ku.sent).toBeGreaterThanOrEqual(expected - 1);
      expect(ku.sent).toBeLessThanOrEqual(expected + 2);
    }
    expect(clientKu.received).toBe(serverKu.sent);
    expect(serverKu.received).toBe(clientKu.sent);
    console.log(
      `bulk: ${mb(TOTAL)} MiB each way (${SUITE}) in ${seconds.toFixed(1)} s, ${((2 * TOTAL) / 1e6 / seconds).toFixed(1)} MB/s both directions together; ` +
        `SHA-256 match both ways; KeyUpdates client ${clientKu.sent}, server ${serverKu.sent} (every ${KEY_UPDATE_AFTER} records); ` +
        `records on the wire ${proxy.toServer.stats.records} / ${proxy.toClient.stats.records}, largest ${proxy.toServer.stats.maxLength} / ${proxy.toClient.stats.maxLength} bytes (limit ${MAX_PROTECTED}); ${machineLoad()}`,
    );
  } finally {
    await proxy.close();
    await server.close(100);
  }
});
