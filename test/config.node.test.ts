// One configuration (src/config.ts): `ca`, `cert` and `key` in every form
// (PEM text, PEM in a Buffer or a plain Uint8Array, DER, parsed, lists of
// them) are accepted the same way by every API that takes them, and a bad
// one gives the same TypeError, with the same message, everywhere. Also the
// config builders themselves: frozen, built once, reusable across engines.
import { once } from 'node:events';
import * as https from 'node:https';
import { afterEach, describe, expect, test } from 'vitest';
import { clientConfig, serverConfig } from '../src/config.js';
import { TlsClient, TlsServer } from '../src/engine.js';
import { request } from '../src/http/node.js';
import { connect, createServer } from '../src/node/index.js';
import { createTcpServer } from '../src/transport/tcp.js';
import { startTls } from '../src/transport/streams.js';
import { connectTcpStreams } from '../src/transport/tcp-streams.js';
import { decodePem } from '../src/x509/pem.js';
import { parseCertificatesPem } from '../src/x509/certificate.js';
import { parsePrivateKey } from '../src/x509/keys.js';
import { cleanup, listen, P256, track } from './node/fixtures.js';
import { pump } from './helpers/tls-pair.js';

afterEach(cleanup);

const der = (pem: string): Uint8Array => (decodePem(pem)[0] as { der: Uint8Array }).der;
const chainPems = P256.chain.split(/(?<=-----END CERTIFICATE-----\n)/).filter((s) => s.trim() !== '');

/** Every form of the trust anchor, by name. */
const CA_FORMS: Record<string, unknown> = {
  'PEM string': P256.ca,
  'PEM Buffer': Buffer.from(P256.ca),
  'PEM Uint8Array': new TextEncoder().encode(P256.ca),
  DER: der(P256.ca),
  parsed: parseCertificatesPem(P256.ca)[0],
  'array of mixed forms': [Buffer.from(P256.ca), der(P256.ca), P256.ca],
};

/** Every form of the certificate chain, by name. */
const CERT_FORMS: Record<string, unknown> = {
  'PEM string': P256.chain,
  'PEM Buffer': Buffer.from(P256.chain),
  'PEM Uint8Array': new TextEncoder().encode(P256.chain),
  'array of DER': chainPems.map(der),
  'array of parsed': parseCertificatesPem(P256.chain),
  'array of PEM Buffers': chainPems.map((p) => Buffer.from(p)),
};

/** Every form of the key, by name. */
const KEY_FORMS: Record<string, unknown> = {
  'PEM string': P256.key,
  'PEM Buffer': Buffer.from(P256.key),
  'PEM Uint8Array': new TextEncoder().encode(P256.key),
  DER: der(P256.key),
  parsed: parsePrivateKey(P256.key),
};

/** A bad `ca` in each form, and what a bad one must say (the same for every API). */
const BAD_CA: Record<string, unknown> = {
  'PEM string without a certificate': 'nonsense',
  'PEM Buffer of a broken certificate': Buffer.from('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n'),
  'DER that is not a certificate': Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01),
  'a number': 42,
};

/** An https server with the P-256 identity, answering every request with "ok". */
async function httpsServer(): Promise<number> {
  const server = https.createServer({ cert: P256.chain, key: P256.key, minVersion: 'TLSv1.3' }, (_req, res) => res.end('ok'));
  return listen(server);
}

/** Runs one client API with `ca` against `port` and resolves once its handshake completed. */
const CLIENTS: Record<string, (ca: unknown, port: number) => Promise<unknown>> = {
  TlsClient: async (ca) => {
    const client = new TlsClient({ serverName: 'localhost', ca: ca as string });
    const server = new TlsServer({ cert: P256.chain, key: P256.key });
    pump(client, server);
    if (!client.connected) throw new Error('TlsClient: no handshake');
  },
  startTls: async (ca, port) => {
    const transport = await connectTcpStreams('127.0.0.1', port);
    try {
      const socket = startTls(transport, { serverName: 'localhost', ca: ca as string });
      await socket.opened;
      await socket.close();
    } catch (e) {
      await transport.writable.abort().catch(() => undefined);
      await transport.readable.cancel().catch(() => undefined);
      throw e;
    }
  },
  'request()': async (ca, port) => {
    const res = await request(`https://localhost:${port}/`, { ca: ca as string });
    expect(new TextDecoder().decode(res.body)).toBe('ok');
  },
  'connect()': async (ca, port) => {
    const socket = track(connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca as string }));
    await once(socket, 'secureConnect');
    socket.destroy();
  },
};

/** The error a client API gives for `ca`, thrown or as a rejection. */
async function errorOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
}

describe('ca in every form, with every client API', () => {
  for (const [api, run] of Object.entries(CLIENTS)) {
    for (const [form, ca] of Object.entries(CA_FORMS)) {
      test(`${api}: ca as ${form}`, async () => {
        await run(ca, await httpsServer());
      });
    }
  }

  for (const [form, ca] of Object.entries(BAD_CA)) {
    test(`a bad ca (${form}): the same TypeError from every client API`, async () => {
      const port = await httpsServer();
      const errors = await Promise.all(Object.values(CLIENTS).map((run) => errorOf(() => run(ca, port))));
      for (const e of errors) expect(e).toBeInstanceOf(TypeError);
      expect(errors[0]?.message).toMatch(/^ca: /);
      expect(new Set(errors.map((e) => e.message)).size).toBe(1);
    });
  }
});

/** Runs one server API with `cert` and `key` and resolves once a node:tls client completed a handshake with it. */
const SERVERS: Record<string, (cert: unknown, key: unknown) => Promise<void>> = {
  TlsServer: async (cert, key) => {
    const server = new TlsServer({ cert: cert as string, key: key as string });
    const client = new TlsClient({ serverName: 'localhost', ca: P256.ca });
    pump(client, server);
    if (!server.connected) throw new Error('TlsServer: no handshake');
  },
  createTcpServer: async (cert, key) => {
    const server = createTcpServer({ cert: cert as string, key: key as string }, () => undefined);
    const { port } = await server.listen(0);
    try {
      const socket = startTls(await connectTcpStreams('127.0.0.1', port), { serverName: 'localhost', ca: P256.ca });
      await socket.opened;
      await socket.close();
    } finally {
      await server.close(100);
    }
  },
  createServer: async (cert, key) => {
    const server = createServer({ cert: cert as string, key: key as string }, (s) => s.end());
    const port = await listen(server);
    const socket = track(connect({ host: '127.0.0.1', port, servername: 'localhost', ca: P256.ca }));
    await once(socket, 'secureConnect');
    socket.destroy();
  },
};

describe('cert and key in every form, with every server API', () => {
  for (const [api, run] of Object.entries(SERVERS)) {
    for (const [form, cert] of Object.entries(CERT_FORMS)) test(`${api}: cert as ${form}`, () => run(cert, P256.key));
    for (const [form, key] of Object.entries(KEY_FORMS)) test(`${api}: key as ${form}`, () => run(P256.chain, key));
  }

  test('a bad cert or key: the same TypeError from every server API', async () => {
    for (const [cert, key, prefix] of [
      ['nonsense', P256.key, /^cert: /],
      [Buffer.from('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n'), P256.key, /^cert: /],
      [P256.chain, 'nonsense', /^key: /],
      [P256.chain, Buffer.from('-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n'), /^key: /],
    ] as const) {
      const errors = await Promise.all(Object.values(SERVERS).map((run) => errorOf(() => run(cert, key))));
      for (const e of errors) expect(e).toBeInstanceOf(TypeError);
      expect(errors[0]?.message).toMatch(prefix);
      expect(new Set(errors.map((e) => e.message)).size).toBe(1);
    }
  });
});

describe('clientConfig / serverConfig', () => {
  test('built once, frozen, and shared by many engines', () => {
    const sc = serverConfig({ cert: P256.chain, key: P256.key, alpn: ['h2'] });
    const cc = clientConfig({ serverName: 'localhost', ca: Buffer.from(P256.ca), alpn: ['h2'] });
    expect(Object.isFrozen(sc)).toBe(true);
    expect(Object.isFrozen(cc)).toBe(true);
    expect(Object.isFrozen(cc.cipherSuites)).toBe(true);
    expect(() => {
      (cc.cipherSuites as number[]).push(1);
    }).toThrow(TypeError);
    for (let i = 0; i < 3; i++) {
      const client = new TlsClient(cc);
      const server = new TlsServer(sc);
      pump(client, server);
      expect(client.handshakeInfo?.alpn).toBe('h2');
      expect(server.handshakeInfo?.alpn).toBe('h2');
    }
  });

  test('options are checked once, with a message naming the option', () => {
    expect(() => clientConfig({ serverName: 'localhost', ca: P256.ca, cipherSuites: ['TLS_NOPE' as never] })).toThrow(/^cipherSuites: unknown name TLS_NOPE/);
    expect(() => clientConfig({ serverName: 'localhost', ca: P256.ca, maxHandshakeMessageSize: 10 })).toThrow(RangeError);
    expect(() => serverConfig({ cert: P256.chain, key: P256.key, keylog: 3 as never })).toThrow(/^keylog must be a function/);
    expect(() => serverConfig({ cert: P256.chain } as never)).toThrow(/^key is required/);
  });
});
