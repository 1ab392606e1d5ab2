// The certificate writer's output structure, with a stand-in signer (the
// signatures are not checked here; writer.node.test.ts checks them with
// node:crypto and openssl).
import { describe, expect, test } from 'vitest';
import { sha256 } from '../../src/crypto.js';
import { TAG } from '../../src/x509/der.js';
import * as w from '../../src/x509/der-writer.js';
import { type Certificate, parseCertificate, writeCaCertificate, writeLeafCertificate } from '../../src/x509/index.js';
import { decodePem } from '../../src/x509/pem.js';
import { toHex } from '../helpers/hex.js';
import { cert } from '../helpers/x509-fixtures.js';

const caPoint = (cert('int-p256').publicKey as { point: Uint8Array }).point;
const leafPoint = (cert('leaf-localhost').publicKey as { point: Uint8Array }).point;
const FAKE_SIG = w.sequence(w.integer(1), w.integer(2));
const when = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') };

function recordingSigner(): { sign: (tbs: Uint8Array) => Uint8Array; seen: Uint8Array[] } {
  const seen: Uint8Array[] = [];
  return {
    seen,
    sign: (tbs) => {
      seen.push(tbs.slice());
      return FAKE_SIG;
    },
  };
}

describe('CA certificate', () => {
  test('fields and extensions', () => {
    const s = recordingSigner();
    const ca = writeCaCertificate({ subject: { commonName: 'Dev CA', organization: 'wasmtls', country: 'US' }, publicKey: caPoint, sign: s.sign, ...when });
    const c = ca.certificate;
    expect(parseCertificate(ca.der)).toEqual(c);
    expect(decodePem(ca.pem)[0]?.der).toEqual(ca.der);
    expect(s.seen).toEqual([c.tbs]);
    expect(c.version).toBe(3);
    expect(c.subject.text).toBe('CN=Dev CA, O=wasmtls, C=US');
    expect(c.issuer.der).toEqual(c.subject.der);
    expect(c.subject.rdns.map((r) => r[0]?.tag)).toEqual([TAG.PRINTABLE_STRING, TAG.UTF8_STRING, TAG.UTF8_STRING]);
    expect(c.signatureAlgorithm).toEqual({ type: 'ecdsa', name: 'ecdsa-with-SHA256', hash: 'sha256' });
    expect(c.signature).toEqual(FAKE_SIG);
    expect(c.notBefore).toEqual(when.notBefore);
    expect(c.notAfter).toEqual(when.notAfter);
    expect(c.publicKey).toMatchObject({ type: 'ec', curve: 'P-256', point: caPoint });
    expect(c.basicConstraints).toEqual({ ca: true, pathLenConstraint: undefined });
    expect([...(c.keyUsage ?? [])]).toEqual(['keyCertSign', 'cRLSign']);
    expect(c.extensions.map((e) => [e.oid, e.critical])).toEqual([
      ['2.5.29.19', true],
      ['2.5.29.15', true],
      ['2.5.29.14', false],
    ]);
    // RFC 7093 §2 method 1.
    expect(toHex(c.subjectKeyIdentifier as Uint8Array)).toBe(toHex(sha256(caPoint).subarray(0, 20)));
    expect(c.serialNumber.length).toBe(16);
    expect((c.serialNumber[0] as number) & 0xc0).toBe(0x40);
  });
  test('pathLenConstraint, GeneralizedTime after 2049, given serial, defaults', () => {
    const c = writeCaCertificate({
      subject: 'Long CA',
      publicKey: caPoint,
      sign: () => FAKE_SIG,
      pathLenConstraint: 0,
      serialNumber: Uint8Array.of(0x80, 1),
      notBefore: new Date('2049-06-01T00:00:00Z'),
      notAfter: new Date('2060-01-01T00:00:00Z'),
    }).certificate;
    expect(c.basicConstraints).toEqual({ ca: true, pathLenConstraint: 0 });
    expect(toHex(c.serialNumber)).toBe('008001');
    expect(c.notAfter.toISOString()).toBe('2060-01-01T00:00:00.000Z');
    const d = writeCaCertificate({ subject: 'Now CA', publicKey: caPoint, sign: () => FAKE_SIG }).certificate;
    expect(Math.abs(d.notBefore.getTime() - (Date.now() - 3600_000))).toBeLessThan(5000);
    expect(d.notAfter.getTime() - d.notBefore.getTime()).toBe(3650 * 86400_000);
    const a = writeCaCertificate({ subject: 'A', publicKey: caPoint, sign: () => FAKE_SIG }).certificate;
    expect(a.serialNumber).not.toEqual(d.serialNumber);
  });
});

describe('leaf certificate', () => {
  const ca: Certificate = writeCaCertificate({ subject: 'Dev CA', publicKey: caPoint, sign: () => FAKE_SIG, ...when }).certificate;
  test('fields and extensions', () => {
    const s = recordingSigner();
    const leaf = writeLeafCertificate({
      dnsNames: ['localhost', '*.dev.example'],
      ipAddresses: ['127.0.0.1', '::1'],
      publicKey: leafPoint,
      issuer: ca,
      sign: s.sign,
      ...when,
    }).certificate;
    expect(s.seen).toEqual([leaf.tbs]);
    expect(leaf.subject.text).toBe('CN=localhost');
    expect(leaf.issuer.der).toEqual(ca.subject.der);
    expect(leaf.subjectAltName).toEqual({
      dnsNames: ['localhost', '*.dev.example'],
      ipAddresses: [Uint8Array.of(127, 0, 0, 1), Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)],
      emails: [],
      uris: [],
      directoryNames: [],
      others: 0,
    });
    expect(leaf.basicConstraints).toEqual({ ca: false, pathLenConstraint: undefined });
    expect([...(leaf.keyUsage ?? [])]).toEqual(['digitalSignature']);
    expect(leaf.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leaf.authorityKeyIdentifier).toEqual(ca.subjectKeyIdentifier);
    expect(toHex(leaf.subjectKeyIdentifier as Uint8Array)).toBe(toHex(sha256(leafPoint).subarray(0, 20)));
    expect(leaf.unhandledCriticalExtensions).toEqual([]);
    expect(leaf.notAfter).toEqual(when.notAfter);
  });
  test('subject and purposes', () => {
    const leaf = writeLeafCertificate({
      ipAddresses: ['10.0.0.1'],
      publicKey: leafPoint,
      issuer: ca,
      sign: () => FAKE_SIG,
      extKeyUsage: ['serverAuth', 'clientAuth'],
    }).certificate;
    expect(leaf.subject.text).toBe('CN=10.0.0.1');
    expect(leaf.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(90 * 86400_000);
    const named = writeLeafCertificate({ dnsNames: ['a.example'], subject: { commonName: 'App', organization: 'Org' }, publicKey: leafPoint, issuer: ca, sign: () => FAKE_SIG });
    expect(named.certificate.subject.text).toBe('CN=App, O=Org');
  });
  test('argument errors name the problem', () => {
    const base = { dnsNames: ['x.example'], publicKey: leafPoint, issuer: ca, sign: () => FAKE_SIG };
    expect(() => writeLeafCertificate({ ...base, sign: () => new Uint8Array(64) })).toThrow(/DER ECDSA-Sig-Value .* not raw r \|\| s/);
    expect(() => writeLeafCertificate({ ...base, publicKey: leafPoint.subarray(1) })).toThrow(RangeError);
    expect(() => writeLeafCertificate({ ...base, dnsNames: [] })).toThrow(/at least one of dnsNames and ipAddresses/);
    expect(() => writeLeafCertificate({ ...base, ipAddresses: ['1.2.3'] })).toThrow(/not an IP address/);
    expect(() => writeLeafCertificate({ ...base, dnsNames: ['bücher.example'] })).toThrow(/A-labels/);
    expect(() => writeLeafCertificate({ ...base, issuer: cert('int-rsa') })).toThrow(/P-256 key/);
    expect(() => writeLeafCertificate({ ...base, extKeyUsage: [] })).toThrow(TypeError);
    expect(() => writeLeafCertificate({ ...base, notBefore: new Date('2030-01-01T00:00:00Z'), notAfter: new Date('2029-01-01T00:00:00Z') })).toThrow(/notAfter is before notBefore/);
    expect(() => writeCaCertificate({ subject: '', publicKey: caPoint, sign: () => FAKE_SIG })).toThrow(/commonName/);
    expect(() => writeCaCertificate({ subject: 'X', publicKey: caPoint, sign: () => FAKE_SIG, serialNumber: new Uint8Array(21).fill(1) })).toThrow(/1 to 20 bytes/);
    expect(() => writeCaCertificate({ subject: 'X', publicKey: caPoint, sign: () => FAKE_SIG, pathLenConstraint: -1 })).toThrow(RangeError);
  });
});
