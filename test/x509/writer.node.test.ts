// The certificate writer with real ECDSA P-256 signatures from node:crypto:
// openssl must verify the chain (strict X.509, TLS server purpose, host and
// IP), node's X509Certificate must agree on hosts and issuer, and the key PEM
// written by keys.ts must be the certificate's key for openssl.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { encodePrivateKeyPem, validateChain, writeCaCertificate, writeLeafCertificate } from '../../src/x509/index.js';
import { nodeVerifier } from '../helpers/node-verifier.js';

function openssl(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error !== undefined) {
    throw new Error(`the openssl CLI is needed by this test and could not run (${r.error.message}); install it, e.g. apt-get install openssl`);
  }
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function p256(): { key: KeyObject; point: Uint8Array; d: Uint8Array; sign: (tbs: Uint8Array) => Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // A P-256 SubjectPublicKeyInfo ends with the 65-byte uncompressed point.
  const point = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-65));
  const d = new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url'));
  return {
    key: privateKey,
    point,
    d,
    sign: (tbs) => new Uint8Array(sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' })),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'wasmtls-x509-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('written certificates against openssl and node:crypto', () => {
  const caKey = p256();
  const leafKey = p256();
  const ca = writeCaCertificate({ subject: { commonName: 'wasmtls Dev CA', organization: 'wasmtls' }, publicKey: caKey.point, sign: caKey.sign });
  const leaf = writeLeafCertificate({
    dnsNames: ['localhost', '*.dev.localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
    publicKey: leafKey.point,
    issuer: ca.certificate,
    sign: caKey.sign,
  });
  const caFile = join(dir, 'ca.pem');
  const leafFile = join(dir, 'leaf.pem');
  const keyFile = join(dir, 'leaf.key');
  writeFileSync(caFile, ca.pem);
  writeFileSync(leafFile, leaf.pem);
  writeFileSync(keyFile, encodePrivateKeyPem({ type: 'ec', curve: 'P-256', d: leafKey.d, publicKey: leafKey.point }));

  test('openssl verify accepts the chain (x509_strict, sslserver, host, IP)', () => {
    const base = ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', caFile];
    for (const extra of [[], ['-verify_hostname', 'localhost'], ['-verify_hostname', 'a.dev.localhost'], ['-verify_ip', '127.0.0.1'], ['-verify_ip', '::1']]) {
      const r = openssl([...base, ...extra, leafFile]);
      expect(r.out, extra.join(' ')).toContain(': OK');
      expect(r.status).toBe(0);
    }
    expect(openssl([...base, '-verify_hostname', 'example.com', leafFile]).status).not.toBe(0);
    expect(openssl(['verify', '-x509_strict', '-CAfile', caFile, caFile]).status).toBe(0);
  });
  test('openssl reads the PKCS#8 key the writer side produced, and it is the leaf key', () => {
    const fromKey = openssl(['pkey', '-in', keyFile, '-pubout']);
    const fromCert = openssl(['x509', '-in', leafFile, '-noout', '-pubkey']);
    expect(fromKey.status).toBe(0);
    expect(fromKey.out).toBe(fromCert.out);
    expect(openssl(['pkey', '-in', keyFile, '-check', '-noout']).out).toMatch(/Key is valid/);
  });
  test("node's X509Certificate agrees", () => {
    const nc = new X509Certificate(leaf.der);
    const nca = new X509Certificate(ca.pem);
    expect(nca.ca).toBe(true);
    expect(nc.ca).toBe(false);
    expect(nc.checkIssued(nca)).toBe(true);
    expect(nc.verify(nca.publicKey)).toBe(true);
    expect(nca.verify(nca.publicKey)).toBe(true);
    expect(nc.checkHost('localhost')).toBe('localhost');
    expect(nc.checkHost('x.dev.localhost')).toBe('*.dev.localhost');
    expect(nc.checkHost('example.com')).toBeUndefined();
    expect(nc.checkHost('a.b.dev.localhost')).toBeUndefined();
    expect(nc.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(nc.checkIP('::1')).toBe('::1');
    expect(nc.checkIP('127.0.0.2')).toBeUndefined();
    expect(nc.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(nc.subject).toBe('CN=localhost');
    expect(nc.serialNumber.toLowerCase()).toBe(Buffer.from(leaf.certificate.serialNumber).toString('hex'));
    expect(nc.checkPrivateKey(leafKey.key)).toBe(true);
  });
  test('validateChain accepts it for the names it holds, with the same answers as node', () => {
    const o = { trustAnchors: [ca.certificate], verifier: nodeVerifier() };
    const nc = new X509Certificate(leaf.der);
    const ours = (host: string): boolean => {
      try {
        validateChain([leaf.der], { ...o, hostname: host });
        return true;
      } catch {
        return false;
      }
    };
    for (const host of ['localhost', 'x.dev.localhost', 'example.com', 'dev.localhost', 'a.b.dev.localhost']) {
      expect(ours(host), host).toBe(nc.checkHost(host) !== undefined);
    }
    for (const ip of ['127.0.0.1', '::1', '10.0.0.1', '::2']) {
      expect(ours(ip), ip).toBe(nc.checkIP(ip) !== undefined);
    }
    expect(() => validateChain([leaf.der], { ...o, hostname: '10.0.0.1' })).toThrow(/hostname mismatch/);
  });
});
