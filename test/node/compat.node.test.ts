// node:tls drop-in points (issue 16): the same code run against node:tls and
// against wasmtls/node, results compared. Servers are node:tls's (for the
// client options) or each implementation's own (for createServer options).
import http2 from 'node:http2';
import * as tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import * as wasm from '../../src/node/index.js';
import { cleanup, listen, next, P256, track } from './fixtures.js';

afterEach(cleanup);

/** The parts of both modules the tests use, so one function runs against either. */
interface Impl {
  readonly name: 'node:tls' | 'wasmtls/node';
  connect(options: Record<string, unknown>): tls.TLSSocket | wasm.TLSSocket;
  createServer(options: Record<string, unknown>, listener: (s: tls.TLSSocket | wasm.TLSSocket) => void): tls.Server | wasm.Server;
  createSecureContext(options: Record<string, unknown>): unknown;
}
const NODE: Impl = {
  name: 'node:tls',
  connect: (o) => tls.connect(o as tls.ConnectionOptions),
  createServer: (o, l) => tls.createServer(o as tls.TlsOptions, l),
  createSecureContext: (o) => tls.createSecureContext(o as tls.SecureContextOptions),
};
const WASM: Impl = {
  name: 'wasmtls/node',
  connect: (o) => wasm.connect(o as wasm.ConnectionOptions),
  createServer: (o, l) => wasm.createServer(o as wasm.ServerOptions, l),
  createSecureContext: (o) => wasm.createSecureContext(o as wasm.SecureContextOptions),
};
const BOTH = [NODE, WASM] as const;

/** A node:tls TLS 1.3 server answering each connection with "hi" and closing. */
async function nodeServer(options: tls.TlsOptions = {}): Promise<number> {
  const server = track(
    tls.createServer({ cert: P256.chain, key: P256.key, minVersion: 'TLSv1.3', ...options }, (s) => {
      s.on('error', () => undefined);
      s.write('hi'); // then ends when the client has (allowHalfOpen false)
    }),
  );
  return listen(server);
}

interface Outcome {
  ok: boolean;
  protocol?: string | null;
  cipher?: string | undefined;
  curve?: string | undefined;
  authorized?: boolean;
  error?: string;
}

/** Connects with `options`, waits for "hi", closes; what happened. */
async function outcome(impl: Impl, options: Record<string, unknown>): Promise<Outcome> {
  const socket = track(impl.connect({ host: '127.0.0.1', servername: 'localhost', ca: P256.ca, ...options }) as tls.TLSSocket);
  return new Promise<Outcome>((resolve) => {
    socket.on('error', (e: Error) => resolve({ ok: false, error: e.message }));
    socket.once('data', (d: Buffer) => {
      const key = socket.getEphemeralKeyInfo() as { name?: string } | null;
      resolve({ ok: String(d) === 'hi', protocol: socket.getProtocol(), cipher: socket.getCipher()?.name, curve: key?.name, authorized: socket.authorized });
      socket.end();
    });
  });
}

/** {@link outcome} for node:tls and wasmtls/node at once. */
async function both(options: Record<string, unknown>): Promise<[Outcome, Outcome]> {
  const [n, w] = await Promise.all(BOTH.map((impl) => outcome(impl, options)));
  return [n as Outcome, w as Outcome];
}

describe('client options, node:tls vs wasmtls/node', () => {
  test('port as a string (what ws passes through an https.Agent)', async () => {
    const port = await nodeServer();
    const [n, w] = await Promise.all(BOTH.map((impl) => outcome(impl, { port: String(port) })));
    expect(n).toMatchObject({ ok: true, protocol: 'TLSv1.3', authorized: true });
    expect(w).toEqual(n);
  });

  test('ciphers in OpenSSL syntax: TLS 1.3 names pick the suite, TLS 1.2 names and operators leave TLS 1.3 alone', async () => {
    const port = await nodeServer();
    for (const ciphers of ['TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_AES_256_GCM_SHA384']) {
      const [n, w] = await both({ port, ciphers });
      expect(n.cipher).toBe(ciphers.split(':')[0]);
      expect(w).toEqual(n);
    }
    const [n, w] = await both({ port, ciphers: 'HIGH:!aNULL:!MD5' });
    expect(n.ok && w.ok).toBe(true);
    expect(w.cipher).toMatch(/^TLS_/);
    expect(() => WASM.connect({ port, ciphers: 'TLS_AES_128_CCM_8_SHA256' })).toThrow(/ciphers: TLS_AES_128_CCM_8_SHA256 is not a TLS 1.3 suite wasmtls implements/);
  });

  test('ecdhCurve picks the key exchange group (as getEphemeralKeyInfo shows it)', async () => {
    const port = await nodeServer();
    for (const [ecdhCurve, name] of [['P-256', 'prime256v1'], ['X25519', 'X25519'], ['prime256v1:X25519', 'prime256v1'], ['auto', 'X25519']] as const) {
      const [n, w] = await both({ port, ecdhCurve });
      expect(n.curve, `node:tls ${ecdhCurve}`).toBe(name);
      expect(w, ecdhCurve).toEqual(n);
    }
    expect(() => WASM.connect({ port, ecdhCurve: 'brainpoolP256r1' })).toThrow(/ecdhCurve: unknown curve brainpoolP256r1/);
  });

  test('sigalgs: a list without the server key type fails on both; with it, both connect', async () => {
    const port = await nodeServer();
    const bad = await both({ port, sigalgs: 'RSA-PSS+SHA256:ed25519' });
    expect(bad.map((o) => o.ok)).toEqual([false, false]);
    const good = await both({ port, sigalgs: 'ECDSA+SHA256:rsa_pss_rsae_sha256' });
    expect(good.map((o) => o.ok)).toEqual([true, true]);
    expect(() => WASM.connect({ port, sigalgs: 'DSA+SHA1' })).toThrow(/sigalgs: unknown signature algorithm DSA\+SHA1/);
  });

  test('minVersion/maxVersion: ranges including TLS 1.3 connect; an unknown name is the same TypeError', async () => {
    const port = await nodeServer();
    const [n, w] = await both({ port, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
    expect(n).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
    expect(w).toEqual(n);
    for (const impl of BOTH) {
      let error: unknown;
      try {
        track(impl.connect({ host: '127.0.0.1', port, minVersion: 'TLSv9' }) as tls.TLSSocket);
      } catch (e) {
        error = e;
      }
      expect(error, impl.name).toBeInstanceOf(TypeError);
      expect((error as { code?: string }).code, impl.name).toBe('ERR_TLS_INVALID_PROTOCOL_VERSION');
    }
    // TLS 1.2 (issue 12): a range topping out at TLS 1.2 connects with TLS 1.2 on both.
    const port12 = await nodeServer({ minVersion: 'TLSv1.2' });
    const [n12, w12] = await both({ port: port12, maxVersion: 'TLSv1.2' });
    expect(n12).toMatchObject({ ok: true, protocol: 'TLSv1.2' });
    expect(w12).toEqual(n12);
    // Where they differ, by design: wasmtls refuses a range without TLS 1.2 or 1.3 at once.
    expect(() => WASM.connect({ port, maxVersion: 'TLSv1.1' })).toThrow(/maxVersion TLSv1\.1: wasmtls speaks TLS 1\.2 and TLS 1\.3 only/);
  });

  test('secureContext from createSecureContext() is reused by connect() and createServer()', async () => {
    const port = await nodeServer();
    for (const impl of BOTH) {
      const secureContext = impl.createSecureContext({ ca: P256.ca });
      const results = await Promise.all([1, 2].map(() => outcome(impl, { port, ca: undefined, secureContext })));
      expect(results.map((r) => r.authorized), `${impl.name} ${results.map((r) => r.error).join()}`).toEqual([true, true]);
    }
    // Servers: node:tls's createServer() ignores secureContext (it reuses contexts through SNICallback);
    // wasmtls/node's takes one, so a parsed cert and key can serve several servers.
    for (const impl of [WASM]) {
      const server = track(impl.createServer({ secureContext: impl.createSecureContext({ cert: P256.chain, key: P256.key }) }, (s) => s.write('hi')) as tls.Server);
      const serverPort = await listen(server);
      const o = await outcome(NODE, { port: serverPort });
      expect(o, `${impl.name} ${o.error}`).toMatchObject({ ok: true, authorized: true });
    }
  });

  test('enableTrace: accepted by both; wasmtls prints its step-by-step trace on stderr', async () => {
    const port = await nodeServer();
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    let w: Outcome;
    try {
      w = await outcome(WASM, { port, enableTrace: true });
    } finally {
      process.stderr.write = write;
    }
    expect(w.ok).toBe(true);
    expect(written.join('')).toMatch(/ClientHello[\s\S]*ServerHello[\s\S]*Finished/);
    // node:tls writes OpenSSL's trace to fd 2 directly (not through process.stderr); it must accept the option too.
    expect((await outcome(NODE, { port, enableTrace: true })).ok).toBe(true);
  });
});

describe('types as @types/node has them', () => {
  test('getPeerCertificate() is PeerCertificate (no null in the type), detailed is DetailedPeerCertificate', async () => {
    const port = await nodeServer();
    // Code written for node:tls: it compiles (npm run typecheck) against both sockets.
    const subjectOf = (cert: tls.PeerCertificate): string => String(cert.subject.CN);
    const issuerOf = (cert: tls.DetailedPeerCertificate): string => String(cert.issuerCertificate.subject.CN);
    const names: string[] = [];
    for (const impl of BOTH) {
      const socket = track(impl.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: P256.ca }) as tls.TLSSocket);
      await next(socket, 'secureConnect');
      const peer = impl === WASM ? (socket as unknown as wasm.TLSSocket).getPeerCertificate() : socket.getPeerCertificate();
      const detailed = impl === WASM ? (socket as unknown as wasm.TLSSocket).getPeerCertificate(true) : socket.getPeerCertificate(true);
      names.push(`${subjectOf(peer as tls.PeerCertificate)} < ${issuerOf(detailed as tls.DetailedPeerCertificate)}`);
      socket.destroy();
    }
    expect(names[1]).toBe(names[0]);
    // The wasmtls types themselves, assigned where node:tls's are expected.
    const w: wasm.TLSSocket = wasm.connect({ host: '127.0.0.1', port: String(port), servername: 'localhost', ca: P256.ca });
    track(w);
    await next(w, 'secureConnect');
    const peer: wasm.PeerCertificate = w.getPeerCertificate();
    const detailed: wasm.DetailedPeerCertificate = w.getPeerCertificate(true);
    expect(peer.subject.CN).toBe(detailed.subject.CN);
  });
});

describe('node:http2 over the socket', () => {
  test('HTTP/2 runs over both; Node reports encrypted/alpnProtocol only for its own sockets (documented in docs/node.md)', async () => {
    const server = track(
      http2.createSecureServer({ cert: P256.chain, key: P256.key, minVersion: 'TLSv1.3' }, (_req, res) => {
        res.end('h2 ok');
      }),
    );
    const port = await listen(server);
    const reported: { impl: string; encrypted: boolean | undefined; alpn: string | undefined; body: string }[] = [];
    for (const impl of BOTH) {
      const session = http2.connect(`https://localhost:${port}`, {
        createConnection: () => impl.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: P256.ca, ALPNProtocols: ['h2'] }) as tls.TLSSocket,
      });
      track({ destroy: () => session.destroy() });
      const body = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ':path': '/' });
        let text = '';
        req.on('data', (d: Buffer) => (text += String(d)));
        req.on('end', () => resolve(text));
        req.on('error', reject);
        req.end();
      });
      reported.push({ impl: impl.name, encrypted: session.encrypted, alpn: session.alpnProtocol, body });
      await new Promise<void>((resolve) => session.close(() => resolve()));
    }
    // Node's Http2Session wraps a socket without a native stream handle in a
    // JSStreamSocket and reads encrypted/alpnProtocol from that wrapper
    // (lib/internal/http2/core.js), so it cannot see wasmtls's TLS.
    expect(reported).toEqual([
      { impl: 'node:tls', encrypted: true, alpn: 'h2', body: 'h2 ok' },
      { impl: 'wasmtls/node', encrypted: false, alpn: 'h2c', body: 'h2 ok' },
    ]);
  });
});
