// RSASSA-PSS keys (id-RSASSA-PSS, RFC 4055 §1.2) as `openssl genpkey
// -algorithm RSA-PSS` makes them (issue 11, item 12): parsed as keys and in
// certificates, signing CertificateVerify with rsa_pss_pss_* (RFC 8446
// §4.2.3), and a chain of PSS-key certificates validated; against openssl
// s_client / s_server and node:tls on loopback, data both ways.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect, createServer as tlsCreateServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TlsServer } from '../../src/engine.js';
import { connectTcp, createTcpServer, type TcpTlsConnection } from '../../src/transport/tcp.js';
import { schemeFitsKey } from '../../src/provider.js';
import { type Certificate, encodePkcs8PrivateKey, parseCertificatesPem, parsePrivateKey, unsupportedSignature } from '../../src/x509/index.js';
import { killAll, OPENSSL, payload, Sink, spawnPeer, startListening, within } from '../helpers/interop.js';

interface PssFiles {
  dir: string;
  ca: string;
  /** Leaf (id-RSASSA-PSS key, any hash) and its key, signed by the PSS root. */
  leaf: string;
  key: string;
  /** Leaf whose PSS key is restricted to SHA-256 / MGF1-SHA-256 / salt 32. */
  leaf256: string;
  key256: string;
}

let f: PssFiles;

function ossl(dir: string, ...args: string[]): void {
  execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A PSS root and two PSS leaves for localhost, made by openssl in a temporary directory. */
function makePssFiles(): PssFiles {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtls-pss-'));
  ossl(dir, 'genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'ca.key');
  // Certificates signed with salt = hash length (-sigopt rsa_pss_saltlen:digest), as RFC 8446 §4.2.3
  // requires and Go, BoringSSL and webpki enforce; OpenSSL's default is the maximum salt.
  ossl(dir, 'req', '-x509', '-new', '-key', 'ca.key', '-sigopt', 'rsa_pss_saltlen:digest', '-subj', '/CN=wasmtls PSS root', '-days', '30', '-out', 'ca.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  for (const [name, opts] of [
    ['leaf', []],
    ['leaf256', ['-pkeyopt', 'rsa_pss_keygen_md:sha256', '-pkeyopt', 'rsa_pss_keygen_mgf1_md:sha256', '-pkeyopt', 'rsa_pss_keygen_saltlen:32']],
  ] as const) {
    ossl(dir, 'genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', ...opts, '-out', `${name}.key`);
    ossl(dir, 'req', '-new', '-key', `${name}.key`, '-subj', '/CN=localhost', '-out', `${name}.csr`);
    ossl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-sigopt', 'rsa_pss_saltlen:digest', '-days', '30', '-extfile', 'leaf.ext', '-out', `${name}.pem`);
  }
  return { dir, ca: join(dir, 'ca.pem'), leaf: join(dir, 'leaf.pem'), key: join(dir, 'leaf.key'), leaf256: join(dir, 'leaf256.pem'), key256: join(dir, 'leaf256.key') };
}

const text = (path: string) => readFileSync(path, 'utf8');

beforeAll(() => {
  f = makePssFiles();
});
afterAll(() => killAll());

describe('id-RSASSA-PSS keys and certificates (RFC 4055)', () => {
  test('openssl PSS keys parse as RSA keys marked pss, with the hash restriction when there is one', () => {
    const any = parsePrivateKey(text(f.key));
    expect(any.type).toBe('rsa');
    expect(any.type === 'rsa' && any.pss).toEqual({ hash: undefined });
    const sha256 = parsePrivateKey(text(f.key256));
    expect(sha256.type === 'rsa' && sha256.pss).toEqual({ hash: 'sha256' });
    const cert = parseCertificatesPem(text(f.leaf))[0] as Certificate;
    expect(cert.publicKey.type).toBe('rsa');
    expect(cert.publicKey.type === 'rsa' && cert.publicKey.pss).toEqual({ hash: undefined });
    const cert256 = parseCertificatesPem(text(f.leaf256))[0] as Certificate;
    expect(cert256.publicKey.type === 'rsa' && cert256.publicKey.pss).toEqual({ hash: 'sha256' });
  });

  test('scheme fit (RFC 8446 §4.2.3): rsa_pss_pss_* only for PSS keys, within their hash; rsae and pkcs1 never', () => {
    const any = (parseCertificatesPem(text(f.leaf))[0] as Certificate).publicKey;
    const sha256 = (parseCertificatesPem(text(f.leaf256))[0] as Certificate).publicKey;
    const root = (parseCertificatesPem(text(f.ca))[0] as Certificate).publicKey;
    expect([0x0809, 0x080a, 0x080b, 0x0804, 0x0401].map((s) => schemeFitsKey(s, any))).toEqual([true, true, true, false, false]);
    expect([0x0809, 0x080a, 0x080b].map((s) => schemeFitsKey(s, sha256))).toEqual([true, false, false]);
    expect(root.type === 'rsa' && root.pss !== undefined).toBe(true);
    const plain = parseCertificatesPem(readFileSync('test/vectors/x509/leaf-example.pem', 'utf8'))[0] as Certificate;
    expect([0x0804, 0x0809].map((s) => schemeFitsKey(s, plain.publicKey))).toEqual([true, false]);
    // A PSS issuer key cannot have made a PKCS#1 v1.5 signature (RFC 4055 §1.2).
    expect(unsupportedSignature({ type: 'rsa-pkcs1', name: 'sha256WithRSAEncryption', hash: 'sha256' }, any)).toMatch(/id-RSASSA-PSS/);
    expect(unsupportedSignature({ type: 'rsa-pss', name: 'RSASSA-PSS with SHA-384', hash: 'sha384', mgf1Hash: 'sha384', saltLength: 48 }, sha256)).toMatch(/restricted to SHA256/);
  });

  test('PSS keys re-encode to PKCS#8 that parses back the same (restricted and not)', () => {
    for (const file of [f.key, f.key256]) {
      const key = parsePrivateKey(text(file));
      expect(parsePrivateKey(encodePkcs8PrivateKey(key))).toEqual(key);
    }
  });

  test('a server with a PSS key starts (it refused before: "unsupported private key: algorithm RSASSA-PSS")', () => {
    expect(() => new TlsServer({ cert: text(f.leaf), key: text(f.key) })).not.toThrow();
  });
});

/** A wasmtls server on the PSS identity that sends `toClient`, collects what it gets, and closes once it has `expect` bytes. */
async function wasmServer(cert: string, key: string, toClient: Uint8Array, expect: number) {
  const received = new Sink();
  let accepted: TcpTlsConnection | undefined;
  const server = createTcpServer({ cert: text(cert), key: text(key) }, (conn) => {
    accepted = conn;
    conn.write(toClient);
    conn.ondata = (d) => {
      received.push(d);
      if (received.length >= expect) conn.end();
    };
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, port, received, accepted: () => accepted };
}

describe('rsa_pss_pss_* on loopback, both directions', () => {
  for (const [name, leaf, key, scheme] of [
    ['any-hash PSS key', () => f.leaf, () => f.key, 'rsa_pss_pss_sha256'],
    ['SHA-256-only PSS key', () => f.leaf256, () => f.key256, 'rsa_pss_pss_sha256'],
  ] as const) {
    test(`openssl s_client → wasmtls server (${name}): verified, ${scheme}`, async () => {
      const toServer = payload(1, 3000);
      const toClient = payload(2, 5000);
      const s = await wasmServer(leaf(), key(), toClient, toServer.length);
      try {
        const client = spawnPeer(OPENSSL, ['s_client', '-tls1_3', '-quiet', '-connect', `127.0.0.1:${s.port}`, '-CAfile', f.ca, '-verify_return_error', '-servername', 'localhost', '-verify_hostname', 'localhost']);
        client.child.stdin.end(toServer);
        expect(await within(15_000, 's_client', client.exit), client.stderr.text()).toBe(0);
        expect(client.stdout.bytes()).toEqual(toClient);
        expect(s.received.bytes()).toEqual(toServer);
        expect(s.accepted()?.tls.handshakeInfo?.signatureScheme).toBe(scheme);
      } finally {
        await s.server.close(100);
      }
    });

    test(`node:tls → wasmtls server (${name}): authorized`, async () => {
      const toServer = payload(3, 3000);
      const toClient = payload(4, 5000);
      const s = await wasmServer(leaf(), key(), toClient, toServer.length);
      try {
        const got = new Sink();
        const client = tlsConnect({ host: '127.0.0.1', port: s.port, servername: 'localhost', ca: text(f.ca), minVersion: 'TLSv1.3' });
        client.on('data', got.push);
        await within(15_000, 'secureConnect', new Promise((resolve, reject) => client.once('secureConnect', resolve).once('error', reject)));
        expect(client.authorized).toBe(true);
        client.write(toServer);
        await within(15_000, 'data', got.atLeast(toClient.length));
        await new Promise((resolve) => client.on('close', resolve));
        expect(got.bytes()).toEqual(toClient);
        expect(s.received.bytes()).toEqual(toServer);
        expect(s.accepted()?.tls.handshakeInfo?.signatureScheme).toBe(scheme);
      } finally {
        await s.server.close(100);
      }
    });
  }

  test('wasmtls client → openssl s_server with a PSS key: chain of PSS keys validated, rsa_pss_pss_sha256', async () => {
    const toServer = payload(5, 3000);
    const toClient = payload(6, 5000);
    const { peer: server, port } = await startListening((p) => ['s_server', '-tls1_3', '-quiet', '-naccept', '1', '-accept', `127.0.0.1:${p}`, '-cert', f.leaf, '-key', f.key]);
    server.child.stdin.write(toClient);
    const conn = await connectTcp({ host: '127.0.0.1', port, serverName: 'localhost', ca: text(f.ca) });
    expect(conn.tls.handshakeInfo?.authorized).toBe(true);
    expect(conn.tls.handshakeInfo?.signatureScheme).toBe('rsa_pss_pss_sha256');
    const got = new Sink();
    conn.ondata = got.push;
    conn.write(toServer);
    await within(15_000, 'data', got.atLeast(toClient.length));
    await within(15_000, 's_server data', server.stdout.atLeast(toServer.length));
    conn.end();
    await conn.closed;
    expect(await server.exit).toBe(0);
    expect(got.bytes()).toEqual(toClient);
    expect(server.stdout.bytes()).toEqual(toServer);
  });

  test('wasmtls client → node:tls server with a SHA-256-only PSS key', async () => {
    const toServer = payload(7, 3000);
    const toClient = payload(8, 5000);
    const received = new Sink();
    const server = tlsCreateServer({ cert: text(f.leaf256), key: text(f.key256), minVersion: 'TLSv1.3' }, (socket) => {
      socket.on('data', received.push);
      socket.write(toClient);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const conn = await connectTcp({ host: '127.0.0.1', port, serverName: 'localhost', ca: text(f.ca) });
      expect(conn.tls.handshakeInfo?.authorized).toBe(true);
      expect(conn.tls.handshakeInfo?.signatureScheme).toBe('rsa_pss_pss_sha256');
      const got = new Sink();
      conn.ondata = got.push;
      conn.write(toServer);
      await within(15_000, 'data', got.atLeast(toClient.length));
      await within(15_000, 'server data', received.atLeast(toServer.length));
      conn.end();
      await conn.closed;
      expect(got.bytes()).toEqual(toClient);
      expect(received.bytes()).toEqual(toServer);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
