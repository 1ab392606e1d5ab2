// wasmtls/node's connect(): against node:tls servers and against
// createServer(); ALPN, the peer certificate as Node shows it, authorization
// with rejectUnauthorized false, checkServerIdentity, the socket option, the
// client handshake timeout, and TlsError with alert names.
import { connect as netConnect, createServer as netCreateServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { TlsServer } from '../../src/engine.js';
import { TlsError } from '../../src/errors.js';
import { connect, type ConnectionOptions, createServer, TLSSocket } from '../../src/node/index.js';
import { systemTrustAnchors } from '../../src/node/options.js';
import { cleanup, ED25519, listen, next, P256, readAll, track, WRONG_CA } from './fixtures.js';

afterEach(cleanup);

/** A node:tls echo server with the P-256 identity. */
async function nodeServer(options: tls.TlsOptions = {}): Promise<{ server: tls.Server; port: number }> {
  const server = tls.createServer({ cert: P256.chain, key: P256.key, minVersion: 'TLSv1.3', ...options }, (s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  return { server, port: await listen(server) };
}

/** A wasmtls echo server. */
async function wasmServer(options: Partial<Parameters<typeof createServer>[0]> = {}) {
  const server = createServer({ cert: P256.chain, key: P256.key, ...options }, (s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  const clientErrors: Error[] = [];
  server.on('tlsClientError', (e: Error) => clientErrors.push(e));
  return { server, port: await listen(server), clientErrors };
}

function open(options: ConnectionOptions): TLSSocket {
  return track(connect(options));
}

describe('connect() against node:tls', () => {
  test('handshake, echo, Node-shaped properties, close_notify both ways', async () => {
    const { port } = await nodeServer();
    const s = open({ host: 'localhost', port, ca: P256.ca });
    expect(s.encrypted).toBe(true);
    expect(s.getProtocol()).toBeNull();
    await next(s, 'secureConnect');
    expect(s.authorized).toBe(true);
    expect(s.authorizationError).toBeUndefined();
    expect(s.alpnProtocol).toBe(false);
    expect(s.getProtocol()).toBe('TLSv1.3');
    const cipher = s.getCipher();
    expect(cipher?.name).toMatch(/^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/);
    expect(cipher).toEqual({ name: cipher?.name, standardName: cipher?.name, version: 'TLSv1.3' });
    expect(s.remoteAddress).toBe('127.0.0.1');
    expect(s.remotePort).toBe(port);
    expect(s.localAddress).toBe('127.0.0.1');
    expect(typeof s.localPort).toBe('number');
    expect(s.setNoDelay(true)).toBe(s);
    expect(s.setKeepAlive(true, 1000)).toBe(s);
    const body = readAll(s);
    s.end('ping over node:tls');
    expect(await body).toBe('ping over node:tls');
    await next(s, 'close');
  });

  test('ALPN: the server picks from our ALPNProtocols', async () => {
    const { port } = await nodeServer({ ALPNProtocols: ['http/1.1'] });
    const s = open({ host: 'localhost', port, ca: P256.ca, ALPNProtocols: ['h2', 'http/1.1'] });
    await next(s, 'secureConnect');
    expect(s.alpnProtocol).toBe('http/1.1');
    s.end();
    await next(s, 'close');
  });

  test('getPeerCertificate() has the fields node:tls gives for the same certificate', async () => {
    const { port } = await nodeServer();
    const ours = open({ host: 'localhost', port, ca: P256.ca });
    await next(ours, 'secureConnect');
    const theirs = track(tls.connect({ host: 'localhost', port, ca: P256.ca }));
    await next(theirs, 'secureConnect');
    const a = ours.getPeerCertificate();
    const b = theirs.getPeerCertificate() as unknown as Record<string, unknown>;
    expect(a).not.toBeNull();
    const fields = ['subject', 'issuer', 'subjectaltname', 'valid_from', 'valid_to', 'fingerprint', 'fingerprint256', 'fingerprint512', 'serialNumber', 'raw', 'bits', 'pubkey', 'asn1Curve', 'nistCurve', 'ca', 'ext_key_usage'];
    for (const f of fields) expect([f, (a as unknown as Record<string, unknown>)[f]]).toEqual([f, b[f]]);
    // The chain: leaf -> intermediate (what the server sent).
    const detailed = ours.getPeerCertificate(true);
    expect(detailed && 'issuerCertificate' in detailed ? detailed.issuerCertificate.subject.CN : undefined).toBe('wasmtls Test Intermediate P-256');
    ours.end();
    theirs.end();
    await Promise.all([next(ours, 'close'), next(theirs, 'close')]);
  });

  test('tls.checkServerIdentity itself works as checkServerIdentity (our certificate object satisfies it)', async () => {
    const { port } = await nodeServer();
    const calls: string[] = [];
    const good = open({
      host: '127.0.0.1',
      servername: 'localhost',
      port,
      ca: P256.ca,
      checkServerIdentity: (host, cert) => {
        calls.push(`${host} ${cert.subject.CN as string}`);
        return tls.checkServerIdentity(host, cert as unknown as tls.PeerCertificate);
      },
    });
    await next(good, 'secureConnect');
    expect(good.authorized).toBe(true);
    expect(calls).toEqual(['localhost localhost']);
    good.end();
    await next(good, 'close');

    const bad = open({
      host: '127.0.0.1',
      servername: 'other.test',
      port,
      ca: P256.ca,
      checkServerIdentity: (host, cert) => tls.checkServerIdentity(host, cert as unknown as tls.PeerCertificate),
    });
    const [err] = await next<[Error & { code?: string }]>(bad, 'error');
    expect(err.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(bad.destroyed).toBe(true);
  });
});

describe('connect() against createServer()', () => {
  test('echo of 300 KB with back-pressure, then a clean close on both sides', async () => {
    const { server, port, clientErrors } = await wasmServer();
    const serverSide = next<[TLSSocket]>(server, 'secureConnection');
    const s = open({ host: 'localhost', port, ca: P256.ca });
    const data = Buffer.alloc(300_000, 0x61);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + 3) & 0xff;
    s.end(data);
    const echoed: Buffer[] = [];
    s.on('data', (d: Buffer) => echoed.push(d));
    await next(s, 'end');
    expect(Buffer.concat(echoed).equals(data)).toBe(true);
    const [peer] = await serverSide;
    expect(peer.getProtocol()).toBe('TLSv1.3');
    expect(peer.servername).toBe('localhost');
    expect(peer.getPeerCertificate()).toEqual({});
    expect(peer.getCertificate()?.subject.CN).toBe('localhost');
    await Promise.all([next(s, 'close'), next(peer, 'close')]);
    expect(clientErrors).toEqual([]);
  });

  test('ALPN both ways: the server chooses by its own preference from what the client offers', async () => {
    const { server, port } = await wasmServer({ ALPNProtocols: ['h2', 'http/1.1'] });
    const serverSide = next<[TLSSocket]>(server, 'secureConnection');
    const s = open({ host: 'localhost', port, ca: P256.ca, ALPNProtocols: Buffer.from('\x08http/1.1\x02h2', 'latin1') });
    await next(s, 'secureConnect');
    const [peer] = await serverSide;
    expect(s.alpnProtocol).toBe('h2');
    expect(peer.alpnProtocol).toBe('h2');
    s.end();
    await next(s, 'close');
  });

  test('an IP literal host with an IP certificate: no SNI, name checked', async () => {
    const server = track(createServer({ cert: ED25519.chain, key: ED25519.key }, (x) => x.end()));
    const serverSide = next<[TLSSocket]>(server, 'secureConnection');
    const port = await listen(server);
    const s = open({ host: '127.0.0.1', port, ca: ED25519.ca });
    await next(s, 'secureConnect');
    expect(s.authorized).toBe(true);
    const [peer] = await serverSide;
    expect(peer.servername).toBe(false);
    await readAll(s);
  });

  test('rejectUnauthorized false: a chain from an unknown root connects with authorized false and a TlsError', async () => {
    const { port } = await wasmServer();
    const s = open({ host: 'localhost', port, ca: WRONG_CA, rejectUnauthorized: false });
    await next(s, 'secureConnect');
    expect(s.authorized).toBe(false);
    expect(s.authorizationError).toBeInstanceOf(TlsError);
    expect((s.authorizationError as TlsError).alert).toBe('unknown_ca');
    s.end('still usable');
    expect(await readAll(s)).toBe('still usable');
  });

  test('rejectUnauthorized false: a name mismatch is an authorizationError too', async () => {
    const { port } = await wasmServer();
    const s = open({ host: '127.0.0.1', servername: 'not-localhost.test', port, ca: P256.ca, rejectUnauthorized: false });
    await next(s, 'secureConnect');
    expect(s.authorized).toBe(false);
    expect((s.authorizationError as TlsError).alert).toBe('bad_certificate');
    s.destroy();
  });

  test('unknown root with rejectUnauthorized (default): error is a TlsError unknown_ca on both sides', async () => {
    const { server, port } = await wasmServer();
    const serverError = next<[Error, TLSSocket]>(server, 'tlsClientError');
    const s = open({ host: 'localhost', port, ca: WRONG_CA });
    let secure = false;
    s.on('secureConnect', () => {
      secure = true;
    });
    const [err] = await next<[TlsError]>(s, 'error');
    expect(err).toBeInstanceOf(TlsError);
    expect(err.alert).toBe('unknown_ca');
    expect(err.side).toBe('local');
    const [remote] = await serverError;
    expect(remote).toBeInstanceOf(TlsError);
    expect((remote as TlsError).alert).toBe('unknown_ca');
    expect((remote as TlsError).side).toBe('remote');
    expect(secure).toBe(false);
  });

  test('no common cipher suite: handshake_failure from the server, as a TlsError with its code', async () => {
    const { port } = await wasmServer({ cipherSuites: ['TLS_AES_256_GCM_SHA384'] });
    const s = open({ host: 'localhost', port, ca: P256.ca, cipherSuites: ['TLS_CHACHA20_POLY1305_SHA256'] });
    const [err] = await next<[TlsError]>(s, 'error');
    expect(err).toBeInstanceOf(TlsError);
    expect(err.alert).toBe('handshake_failure');
    expect(err.code).toBe(40);
    expect(err.side).toBe('remote');
  });

  test('checkServerIdentity: its Error fails the connection; undefined accepts a mismatched name', async () => {
    const { port } = await wasmServer();
    const refused = new Error('pinned fingerprint differs');
    const seen: string[] = [];
    const bad = open({
      host: 'localhost',
      port,
      ca: P256.ca,
      checkServerIdentity: (host, cert) => {
        seen.push(`${host} ${cert.fingerprint256.length}`);
        return refused;
      },
    });
    const [err] = await next<[Error]>(bad, 'error');
    expect(err).toBe(refused);
    expect(seen).toEqual(['localhost 95']);

    const lenient = open({ host: '127.0.0.1', servername: 'elsewhere.test', port, ca: P256.ca, checkServerIdentity: () => undefined });
    await next(lenient, 'secureConnect');
    expect(lenient.authorized).toBe(true);
    lenient.destroy();

    // rejectUnauthorized false: the error becomes authorizationError.
    const soft = open({ host: 'localhost', port, ca: P256.ca, rejectUnauthorized: false, checkServerIdentity: () => refused });
    await next(soft, 'secureConnect');
    expect(soft.authorized).toBe(false);
    expect(soft.authorizationError).toBe(refused);
    soft.destroy();
  });

  test("without ca, Node's bundled roots are the trust anchors: a private CA's server is refused", async () => {
    const { port } = await wasmServer();
    const s = open({ host: 'localhost', port });
    const [err] = await next<[TlsError]>(s, 'error', 10_000);
    expect(err).toBeInstanceOf(TlsError);
    expect(err.alert).toBe('unknown_ca');
    // Every bundled root parsed (an empty store would refuse the same server).
    expect(systemTrustAnchors()).toHaveLength(tls.rootCertificates.length);
  });

  test('checkServerIdentity is not consulted when the chain itself does not validate', async () => {
    const { port } = await wasmServer();
    let called = false;
    const s = open({
      host: 'localhost',
      port,
      ca: WRONG_CA,
      checkServerIdentity: () => {
        called = true;
        return undefined;
      },
    });
    const [err] = await next<[TlsError]>(s, 'error');
    expect(err).toBeInstanceOf(TlsError);
    expect(err.alert).toBe('unknown_ca');
    expect(called).toBe(false);
  });

  test('socket option: TLS over an existing net.Socket', async () => {
    const { port } = await wasmServer();
    const raw = track(netConnect({ host: '127.0.0.1', port }));
    await next(raw, 'connect');
    const s = open({ socket: raw, servername: 'localhost', ca: P256.ca });
    await next(s, 'secureConnect');
    expect(s.remotePort).toBe(port);
    s.end('over a socket I made');
    expect(await readAll(s)).toBe('over a socket I made');
    await next(s, 'close');
    expect(raw.destroyed).toBe(true);
  });

  test('socket option with a plain in-memory Duplex (no TCP): handshake, echo, setTimeout timed by the socket itself', async () => {
    let a: Duplex | undefined;
    let b: Duplex | undefined;
    const end = (to: () => Duplex | undefined) => ({
      read() {},
      write(chunk: Buffer, _e: BufferEncoding, cb: () => void) {
        to()?.push(chunk);
        cb();
      },
      final(cb: () => void) {
        to()?.push(null);
        cb();
      },
    });
    a = new Duplex(end(() => b));
    b = new Duplex(end(() => a));
    const serverSide = track(new TLSSocket(b, new TlsServer({ cert: P256.chain, key: P256.key }), { handshakeTimeout: 1_000, allowHalfOpen: false }));
    serverSide.on('secure', () => serverSide.pipe(serverSide));
    const s = open({ socket: a, servername: 'localhost', ca: P256.ca });
    await next(s, 'secureConnect');
    expect(s.remoteAddress).toBeUndefined();
    const t0 = Date.now();
    s.setTimeout(100);
    await next(s, 'timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    s.setTimeout(0);
    s.end('in memory');
    expect(await readAll(s)).toBe('in memory');
    await Promise.all([next(s, 'close'), next(serverSide, 'close')]);
  });

  test('client handshakeTimeout: a server that never answers fails with ERR_TLS_HANDSHAKE_TIMEOUT', async () => {
    const held: Socket[] = [];
    const silent = netCreateServer((c) => held.push(track(c)));
    const port = await listen(silent);
    const t0 = Date.now();
    const s = open({ host: 'localhost', port, ca: P256.ca, handshakeTimeout: 200 });
    const closing = next(s, 'close');
    const [err] = await next<[Error & { code?: string }]>(s, 'error');
    expect(err.code).toBe('ERR_TLS_HANDSHAKE_TIMEOUT');
    expect([(err as { reason?: string }).reason, (err as { nodeCode?: string }).nodeCode]).toEqual(['timeout', 'ERR_TLS_HANDSHAKE_TIMEOUT']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(Date.now() - t0).toBeLessThan(3_000);
    await closing;
  });

  test('connection refused surfaces the socket error', async () => {
    const probe = netCreateServer();
    const port = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const s = open({ host: '127.0.0.1', port, ca: P256.ca, servername: 'localhost' });
    const [err] = await next<[Error & { code?: string }]>(s, 'error');
    expect(err.code).toBe('ECONNREFUSED');
  });

  test('bad options throw at once, typed', () => {
    expect(() => connect({ host: 'localhost', port: -1, ca: P256.ca })).toThrow(RangeError);
    expect(() => connect({ host: 'localhost', port: 1, ca: 'not a certificate' })).toThrow(TypeError);
    expect(() => connect({ host: 'localhost', port: 1, ca: P256.ca, ALPNProtocols: [42 as unknown as string] })).toThrow(TypeError);
    expect(() => connect({ host: 'localhost', port: 1, ca: P256.ca, handshakeTimeout: -5 })).toThrow(RangeError);
    expect(() => connect({ host: 'localhost', port: 1, ca: P256.ca, checkServerIdentity: 'no' as unknown as () => undefined })).toThrow(TypeError);
    expect(() => connect({ socket: {} as unknown as Socket, ca: P256.ca })).toThrow(TypeError);
  });
});
