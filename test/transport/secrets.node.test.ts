// After a TCP connection ends, the WASM core's memory holds none of its
// secrets (issue 6, "Side channels and secrets"): every traffic secret of
// both ends (handshake, application, and each one a KeyUpdate made), their
// keys and IVs, the exporter secret, the ephemeral private keys and the
// server's signing key. Over loopback through src/transport/tcp.ts, for a
// connection closed with close_notify both ways, a handshake aborted by an
// alert, and a connection reset in the middle of its data.
import { afterEach, describe, expect, test } from 'vitest';
import type { TraceEvent } from '../../src/engine.js';
import { hkdfExpandLabel } from '../../src/keyschedule.js';
import { SHA256 } from '../../src/provider-wasm.js';
import type { CryptoProvider } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { connectTcp, createTcpServer, type TcpTlsServer } from '../../src/transport/tcp.js';
import { parsePrivateKey } from '../../src/x509/keys.js';
import { fromHex, seededBytes } from '../helpers/hex.js';
import { findInWasmMemory } from '../helpers/memscan.js';
import { IDENTITIES } from '../helpers/tls-pair.js';
import { AT } from '../helpers/x509-fixtures.js';

const id = IDENTITIES.p256;
const servers: TcpTlsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(100)));
});

/** Everything secret one test's connections made, gathered through the provider, keylog and trace hooks. */
class SecretLog {
  readonly labelled: { name: string; bytes: Uint8Array }[] = [];
  readonly trafficSecrets = new Map<string, Uint8Array>();
  keyUpdates = { client: 0, server: 0 };

  add(name: string, bytes: Uint8Array): void {
    this.labelled.push({ name, bytes: bytes.slice() });
  }

  /** A provider that records every ephemeral private key it is asked to use (and X25519's clamped form). */
  provider(side: string): CryptoProvider {
    return {
      ...wasmProvider,
      keyExchange: (group, sk) => {
        const s = sk ?? wasmProvider.randomBytes(32);
        this.add(`${side} ephemeral key`, s);
        const clamped = s.slice();
        clamped[0]! &= 248;
        clamped[31]! &= 127;
        clamped[31]! |= 64;
        this.add(`${side} ephemeral key, clamped`, clamped);
        return wasmProvider.keyExchange(group, s);
      },
    };
  }

  /** NSS key log lines; each side logs the same secrets, so keep one of each label. */
  readonly keylog = (line: string): void => {
    const [label, , secret] = line.split(' ') as [string, string, string];
    this.trafficSecrets.set(label, fromHex(secret));
  };

  trace(side: 'client' | 'server'): (e: TraceEvent) => void {
    return (e) => {
      if (e.name === 'KeyUpdate' && e.direction === 'sent') this.keyUpdates[side]++;
    };
  }

  /**
   * All secrets: the logged ones with their keys and IVs (TLS_AES_128_GCM_SHA256:
   * 16-byte keys, RFC 8446 §7.3), and the application traffic secrets that
   * followed each KeyUpdate (§7.2, "traffic upd").
   */
  all(): { name: string; bytes: Uint8Array }[] {
    const out = [...this.labelled];
    const withKeys = (name: string, secret: Uint8Array) => {
      out.push({ name, bytes: secret });
      out.push({ name: `${name} key`, bytes: hkdfExpandLabel(SHA256, secret, 'key', new Uint8Array(0), 16) });
      out.push({ name: `${name} iv`, bytes: hkdfExpandLabel(SHA256, secret, 'iv', new Uint8Array(0), 12) });
    };
    for (const [label, secret] of this.trafficSecrets) {
      if (label === 'EXPORTER_SECRET') {
        out.push({ name: label, bytes: secret });
        continue;
      }
      withKeys(label, secret);
      const updates = label === 'CLIENT_TRAFFIC_SECRET_0' ? this.keyUpdates.client : label === 'SERVER_TRAFFIC_SECRET_0' ? this.keyUpdates.server : 0;
      let s = secret;
      for (let n = 1; n <= updates; n++) {
        s = hkdfExpandLabel(SHA256, s, 'traffic upd', new Uint8Array(0), 32);
        withKeys(label.replace(/_0$/, `_${n}`), s);
      }
    }
    return out;
  }
}

function signingKey(log: SecretLog): void {
  const k = parsePrivateKey(id.key);
  if (k.type !== 'ec') throw new Error('the p256 fixture has an EC key');
  log.add('server signing key', k.d);
}

function expectNoneLeft(log: SecretLog): void {
  const left = log.all().filter((s) => findInWasmMemory(s.bytes).length > 0).map((s) => s.name);
  expect(left).toEqual([]);
}

async function server(log: SecretLog, onConnection: Parameters<typeof createTcpServer>[1]): Promise<{ port: number; srv: TcpTlsServer; errors: Error[] }> {
  const errors: Error[] = [];
  const srv = createTcpServer(
    { cert: id.cert, key: id.key, provider: log.provider('server'), keylog: log.keylog, trace: log.trace('server'), keyUpdateAfterRecords: 3, cipherSuites: ['TLS_AES_128_GCM_SHA256'] },
    onConnection,
  );
  srv.onerror = (e) => errors.push(e);
  servers.push(srv);
  const { port } = await srv.listen(0, '127.0.0.1');
  return { port, srv, errors };
}

function client(log: SecretLog, port: number, serverName = id.serverName) {
  return connectTcp({
    host: '127.0.0.1', port, serverName, ca: id.ca, now: AT,
    provider: log.provider('client'), keylog: log.keylog, trace: log.trace('client'), keyUpdateAfterRecords: 3,
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('no secret in WASM memory after a TCP connection ends', () => {
  test('closed with close_notify both ways, after KeyUpdates each way', async () => {
    const log = new SecretLog();
    signingKey(log);
    const { port, srv, errors } = await server(log, (conn) => {
      conn.ondata = (d) => conn.write(d);
    });
    const conn = await client(log, port);
    const data = seededBytes(3, 200_000);
    let got = 0;
    const echoed = new Promise<void>((resolve) => {
      conn.ondata = (d) => {
        got += d.length;
        if (got === data.length) resolve();
      };
    });
    conn.write(data);
    await echoed;
    conn.end();
    await conn.closed;
    await until(() => srv.connections.size === 0);
    expect(errors).toEqual([]);
    // 200 KB is 13 records each way: four KeyUpdates each way at one per 3 records.
    expect(log.keyUpdates.client).toBeGreaterThanOrEqual(3);
    expect(log.keyUpdates.server).toBeGreaterThanOrEqual(3);
    expect([...log.trafficSecrets.keys()].sort()).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0',
    ]);
    expectNoneLeft(log);
  });

  test('a handshake aborted by an alert (bad_certificate: the name does not match)', async () => {
    const log = new SecretLog();
    signingKey(log);
    const { port, srv, errors } = await server(log, () => undefined);
    await expect(client(log, port, 'wrong.example')).rejects.toMatchObject({ alert: 'bad_certificate' });
    await until(() => srv.connections.size === 0);
    expect(errors.map((e) => (e as { alert?: string }).alert)).toEqual(['bad_certificate']);
    // The server had reached its application secrets; the client its handshake secrets.
    expect(log.trafficSecrets.has('SERVER_TRAFFIC_SECRET_0')).toBe(true);
    expect(log.trafficSecrets.has('CLIENT_HANDSHAKE_TRAFFIC_SECRET')).toBe(true);
    expectNoneLeft(log);
  });

  test('a connection reset in the middle of its data', async () => {
    const log = new SecretLog();
    signingKey(log);
    const { port, srv, errors } = await server(log, (conn) => {
      conn.ondata = (d) => conn.write(d);
    });
    const conn = await client(log, port);
    const first = new Promise<void>((resolve) => (conn.ondata = () => resolve()));
    conn.write(seededBytes(4, 100_000));
    await first;
    conn.socket.resetAndDestroy();
    await expect(conn.closed).rejects.toBeInstanceOf(Error);
    await until(() => srv.connections.size === 0);
    expect(errors.length).toBe(1);
    expectNoneLeft(log);
  });

  test('the scan finds a planted copy of a traffic key (the check can fail)', async () => {
    const log = new SecretLog();
    const { port } = await server(log, () => undefined);
    const conn = await client(log, port);
    // The engine keeps its record keys in AEAD objects outside WASM memory
    // between calls, so plant a copy of one as a live key would sit there.
    const all = log.all();
    const key = all.find((s) => s.name === 'CLIENT_TRAFFIC_SECRET_0 key')!.bytes;
    const { getCore } = await import('../../bindings/loader.js');
    const c = getCore();
    c.mem.set(key, c.io + 4096);
    expect(findInWasmMemory(key)).toEqual([c.io + 4096]);
    c.mem.fill(0, c.io + 4096, c.io + 4096 + key.length);
    conn.destroy();
    await conn.closed.catch(() => undefined);
  });
});
