// Certificate parsing: every fixture, hand-made malformed certificates, and
// random mutations (which must parse or fail with bad_certificate, nothing else).
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import {
  type Certificate,
  parseCertificate,
  parseCertificatesPem,
  parseSubjectPublicKeyInfo,
  serialHex,
} from '../../src/x509/index.js';
import * as w from '../../src/x509/der-writer.js';
import { EXT, HASH, KEY, SIG } from '../../src/x509/oids.js';
import { decodePem } from '../../src/x509/pem.js';
import { fromHex, seededBytes, toHex } from '../helpers/hex.js';
import { cert, certNames, certPem, keyPem } from '../helpers/x509-fixtures.js';
import { extension, outerFields, tbsFields } from '../helpers/x509-edit.js';

const CA = (cn: string): string => `CN=wasmtls Test ${cn}, O=wasmtls test, C=US`;

interface Expect {
  subject: string;
  issuer: string;
  sig: string;
  key: string;
  dns?: string[] | undefined;
  ips?: string[];
  ca: boolean;
  pathLen?: number;
  ku: string[];
  eku?: string[];
  notBefore?: string;
  notAfter?: string;
  critical?: string[];
}

const ROOT_KU = ['keyCertSign', 'cRLSign'];
const INT_KU = ['digitalSignature', 'keyCertSign', 'cRLSign'];
const LEAF_KU = ['digitalSignature'];
const SERVER = ['1.3.6.1.5.5.7.3.1'];
const root = (cn: string, sig: string, key: string): Expect => ({ subject: CA(cn), issuer: CA(cn), sig, key, ca: true, ku: ROOT_KU });
const int = (cn: string, issuer: string, sig: string, key: string, more: Partial<Expect> = {}): Expect => ({
  subject: CA(cn),
  issuer: CA(issuer),
  sig,
  key,
  ca: true,
  ku: INT_KU,
  ...more,
});
const leaf = (cn: string, issuer: string, sig: string, key: string, more: Partial<Expect> = {}): Expect => ({
  subject: cn,
  issuer: CA(issuer),
  sig,
  key,
  ca: false,
  ku: LEAF_KU,
  eku: SERVER,
  dns: ['localhost'],
  ...more,
});
const E256 = 'ecdsa-with-SHA256';
const PSS = 'RSASSA-PSS with SHA-256';

const EXPECTED: Record<string, Expect> = {
  'root-p256': root('Root P-256', E256, 'ec P-256'),
  'root-p384': { ...root('Root P-384', 'ecdsa-with-SHA384', 'ec P-384'), notAfter: '2055-01-01T00:00:00.000Z' },
  'root-rsa': root('Root RSA', 'sha256WithRSAEncryption', 'rsa 2048'),
  'root-ed25519': root('Root Ed25519', 'Ed25519', 'ed25519'),
  'root-unknown': root('Root Unknown', E256, 'ec P-256'),
  'int-p256': int('Intermediate P-256', 'Root P-256', E256, 'ec P-256'),
  'int-p256-twin': int('Intermediate P-256', 'Root P-256', E256, 'ec P-256'),
  'int-p384': int('Intermediate P-384', 'Root P-384', 'ecdsa-with-SHA384', 'ec P-384'),
  'int-rsa': int('Intermediate RSA', 'Root RSA', 'sha256WithRSAEncryption', 'rsa 2048'),
  'int-rsa-pss': int('Intermediate RSA-PSS', 'Root RSA', PSS, 'rsa 2048'),
  'int-ed25519': int('Intermediate Ed25519', 'Root Ed25519', 'Ed25519', 'ed25519'),
  'int-unknown': int('Intermediate Unknown', 'Root Unknown', E256, 'ec P-256'),
  'int-not-ca': int('Intermediate CA false', 'Root P-256', E256, 'ec P-256', { ca: false }),
  'int-no-certsign': int('Intermediate no keyCertSign', 'Root P-256', E256, 'ec P-256', { ku: ['digitalSignature', 'cRLSign'] }),
  'int-pathlen0': int('Intermediate pathlen 0', 'Root P-256', E256, 'ec P-256', { pathLen: 0, ku: ROOT_KU }),
  'int-under-pathlen0': int('Intermediate under pathlen 0', 'Intermediate pathlen 0', E256, 'ec P-256'),
  'leaf-localhost': leaf('CN=localhost', 'Intermediate P-256', E256, 'ec P-256'),
  'leaf-bad-signature': leaf('CN=localhost', 'Intermediate P-256', E256, 'ec P-256'),
  'leaf-example': leaf('CN=example.com, O=wasmtls test, C=US', 'Intermediate RSA', 'sha512WithRSAEncryption', 'rsa 2048', {
    dns: ['example.com', 'www.example.com'],
  }),
  'leaf-wildcard': leaf('CN=*.example.com, O=wasmtls test, C=US', 'Intermediate P-384', 'ecdsa-with-SHA384', 'ec P-384', {
    dns: ['*.example.com'],
  }),
  'leaf-ipv4': leaf('CN=127.0.0.1', 'Intermediate Ed25519', 'Ed25519', 'ed25519', { dns: [], ips: ['7f000001'] }),
  'leaf-ipv6': leaf('CN=::1', 'Intermediate P-256', E256, 'ec P-256', {
    dns: [],
    ips: ['00000000000000000000000000000001'],
    eku: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
  }),
  'leaf-pss': leaf('CN=pss.example.com', 'Intermediate RSA-PSS', PSS, 'ec P-256', { dns: ['pss.example.com'] }),
  'self-signed': {
    subject: 'CN=self-signed.example.com',
    issuer: 'CN=self-signed.example.com',
    sig: E256,
    key: 'ec P-256',
    ca: false,
    ku: LEAF_KU,
    eku: SERVER,
    dns: ['self-signed.example.com'],
  },
  'leaf-expired': leaf('CN=expired.localhost', 'Intermediate P-256', E256, 'ec P-256', {
    notBefore: '2020-01-01T00:00:00.000Z',
    notAfter: '2024-01-01T00:00:00.000Z',
  }),
  'leaf-not-yet-valid': leaf('CN=future.localhost', 'Intermediate P-256', E256, 'ec P-256', { notBefore: '2040-01-01T00:00:00.000Z' }),
  'leaf-client-only': leaf('CN=client.example.com', 'Intermediate P-256', E256, 'ec P-256', {
    dns: ['client.example.com'],
    eku: ['1.3.6.1.5.5.7.3.2'],
  }),
  'leaf-critical-ext': leaf('CN=critical.example.com', 'Intermediate P-256', E256, 'ec P-256', {
    dns: ['critical.example.com'],
    critical: ['1.3.6.1.4.1.55555.1.1'],
  }),
  'leaf-cn-only': leaf('CN=cn-only.example.com', 'Intermediate P-256', E256, 'ec P-256', { dns: undefined }),
  'leaf-unknown-root': leaf('CN=unknown-root.localhost', 'Intermediate Unknown', E256, 'ec P-256'),
  'leaf-under-not-ca': leaf('CN=under-not-ca.localhost', 'Intermediate CA false', E256, 'ec P-256'),
  'leaf-under-no-certsign': leaf('CN=under-no-certsign.localhost', 'Intermediate no keyCertSign', E256, 'ec P-256'),
  'leaf-under-pathlen': leaf('CN=under-pathlen.localhost', 'Intermediate under pathlen 0', E256, 'ec P-256'),
};

function keySummary(c: Certificate): string {
  const k = c.publicKey;
  if (k.type === 'ec') return `ec ${k.curve}`;
  if (k.type === 'rsa') return `rsa ${k.bits}`;
  return k.type;
}

describe('every fixture parses as expected', () => {
  test('the table covers every certificate file', () => {
    expect(certNames.filter((n) => n !== 'chain-long')).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const [name, want] of Object.entries(EXPECTED)) {
    test(name, () => {
      const c = cert(name);
      expect(c.version).toBe(3);
      expect(c.subject.text).toBe(want.subject);
      expect(c.issuer.text).toBe(want.issuer);
      expect(c.signatureAlgorithm.name).toBe(want.sig);
      expect(keySummary(c)).toBe(want.key);
      expect(c.notBefore.toISOString()).toBe(want.notBefore ?? '2025-01-01T00:00:00.000Z');
      expect(c.notAfter.toISOString()).toBe(want.notAfter ?? '2045-01-01T00:00:00.000Z');
      expect(c.basicConstraints?.ca).toBe(want.ca);
      expect(c.basicConstraints?.pathLenConstraint).toBe(want.pathLen);
      expect([...(c.keyUsage ?? [])]).toEqual(want.ku);
      expect(c.extKeyUsage).toEqual(want.eku);
      expect(c.unhandledCriticalExtensions).toEqual(want.critical ?? []);
      if (want.dns === undefined) {
        expect(c.subjectAltName).toBeUndefined();
      } else {
        expect(c.subjectAltName?.dnsNames).toEqual(want.dns);
        expect((c.subjectAltName?.ipAddresses ?? []).map(toHex)).toEqual(want.ips ?? []);
      }
      // The TBS is the first element of the certificate, byte for byte.
      const header = (c.der[1] as number) < 0x80 ? 2 : 2 + ((c.der[1] as number) & 0x7f);
      expect(toHex(c.der.subarray(header, header + c.tbs.length))).toBe(toHex(c.tbs));
      expect(c.subjectKeyIdentifier?.length).toBe(20);
      if (want.issuer !== want.subject) expect(c.authorityKeyIdentifier?.length).toBe(20);
      expect(serialHex(c)).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2})*$/);
    });
  }
  test('parsed public keys equal the key fixtures', () => {
    for (const name of Object.keys(EXPECTED)) {
      if (name.startsWith('leaf-') && !['leaf-localhost', 'leaf-example', 'leaf-wildcard', 'leaf-ipv4', 'leaf-ipv6', 'leaf-pss'].includes(name)) continue;
      if (name === 'leaf-bad-signature') continue;
      const spkiDer = decodePem(keyPem(name, 'spki'))[0]?.der as Uint8Array;
      expect(toHex(cert(name).publicKey.der), name).toBe(toHex(spkiDer));
      expect(parseSubjectPublicKeyInfo(spkiDer)).toEqual(cert(name).publicKey);
    }
  });
  test('authority key identifiers point at the issuer', () => {
    expect(cert('leaf-localhost').authorityKeyIdentifier).toEqual(cert('int-p256').subjectKeyIdentifier);
    expect(cert('int-p256').authorityKeyIdentifier).toEqual(cert('root-p256').subjectKeyIdentifier);
    expect(cert('int-p256-twin').subject.der).toEqual(cert('int-p256').subject.der);
    expect(cert('int-p256-twin').subjectKeyIdentifier).not.toEqual(cert('int-p256').subjectKeyIdentifier);
  });
  test('key and signature details', () => {
    const rsa = cert('leaf-example').publicKey;
    expect(rsa.type === 'rsa' && toHex(rsa.e)).toBe('010001');
    expect(rsa.type === 'rsa' && rsa.n.length).toBe(256);
    const ec = cert('leaf-wildcard').publicKey;
    expect(ec.type === 'ec' && ec.point.length).toBe(97);
    const ed = cert('leaf-ipv4').publicKey;
    expect(ed.type === 'ed25519' && ed.publicKey.length).toBe(32);
    expect(cert('int-rsa-pss').signatureAlgorithm).toEqual({
      type: 'rsa-pss',
      name: PSS,
      hash: 'sha256',
      mgf1Hash: 'sha256',
      saltLength: 32,
    });
    expect(cert('leaf-ipv4').signature.length).toBe(64);
  });
  test('a bundle parses in order; other PEM labels are skipped', () => {
    const chain = parseCertificatesPem(certPem('chain-long'));
    expect(chain.map((c) => c.subject.text.split(',')[0])).toEqual([
      'CN=long-chain.localhost',
      ...[10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((i) => `CN=wasmtls Test Long Chain ${i}`),
    ]);
    expect(parseCertificatesPem(keyPem('int-p256', 'pkcs8') + certPem('int-p256')).length).toBe(1);
    expect(() => parseCertificatesPem(keyPem('int-p256', 'pkcs8'))).toThrow(/no CERTIFICATE block \(found PRIVATE KEY\)/);
    expect(() => parseCertificatesPem('nothing')).toThrow(TlsError);
  });
});

// ---- hand-made variants of a fixture ----

const base = cert('leaf-localhost');

/** Re-encodes `base` with TBS fields changed by `edit`; the signature stays (it is not checked here). */
function variant(edit: (f: Uint8Array[]) => void, alg?: Uint8Array): Uint8Array {
  const f = tbsFields(base);
  const o = outerFields(base);
  if (alg !== undefined) f[2] = alg;
  edit(f);
  return w.sequence(w.sequence(...f), alg ?? o.alg, o.sig);
}

const ext = extension;

function withExtensions(...exts: Uint8Array[]): Uint8Array {
  return variant((f) => {
    f[7] = w.explicit(3, w.sequence(...exts));
  });
}

function badCert(der: Uint8Array, re: RegExp): void {
  try {
    parseCertificate(der);
  } catch (e) {
    expect(e).toBeInstanceOf(TlsError);
    expect((e as TlsError).alert).toBe('bad_certificate');
    expect((e as TlsError).code).toBe(42);
    expect((e as TlsError).message).toMatch(re);
    return;
  }
  expect.fail(`parsed; expected ${re}`);
}

const pssParams = (hash: string, mgfHash: string, salt?: number, trailer?: number): Uint8Array => {
  const parts = [
    w.explicit(0, w.sequence(w.oid(hash))),
    w.explicit(1, w.sequence(w.oid(SIG.mgf1), w.sequence(w.oid(mgfHash)))),
  ];
  if (salt !== undefined) parts.push(w.explicit(2, w.integer(salt)));
  if (trailer !== undefined) parts.push(w.explicit(3, w.integer(trailer)));
  return w.sequence(w.oid(SIG.rsassaPss), w.sequence(...parts));
};

describe('malformed and unusual certificates', () => {
  test('the re-encoded fixture parses identically', () => {
    const same = parseCertificate(variant(() => {}));
    expect(toHex(same.der)).toBe(toHex(base.der));
  });
  test('trailing bytes after the certificate', () => {
    const der = new Uint8Array(base.der.length + 1);
    der.set(base.der);
    badCert(der, /1 unexpected trailing bytes/);
  });
  test('truncated certificate', () => badCert(base.der.subarray(0, base.der.length - 1), /runs past the end/));
  test('signatureAlgorithm differing from tbsCertificate.signature', () => {
    const f = tbsFields(base);
    f[2] = w.sequence(w.oid(SIG.ecdsaWithSha384));
    badCert(w.sequence(w.sequence(...f), outerFields(base).alg, outerFields(base).sig), /differs from tbsCertificate.signature/);
  });
  test('ECDSA algorithm with parameters', () => {
    badCert(variant(() => {}, w.sequence(w.oid(SIG.ecdsaWithSha256), w.nullValue())), /parameters must be absent \(RFC 5758/);
  });
  test('Ed25519 algorithm with parameters', () => {
    badCert(variant(() => {}, w.sequence(w.oid(SIG.ed25519), w.nullValue())), /parameters must be absent \(RFC 8410/);
  });
  test('RSA PKCS#1 with NULL or absent parameters', () => {
    for (const alg of [w.sequence(w.oid(SIG.sha256WithRsa), w.nullValue()), w.sequence(w.oid(SIG.sha256WithRsa))]) {
      expect(parseCertificate(variant(() => {}, alg)).signatureAlgorithm).toEqual({
        type: 'rsa-pkcs1',
        name: 'sha256WithRSAEncryption',
        hash: 'sha256',
      });
    }
    badCert(variant(() => {}, w.sequence(w.oid(SIG.sha256WithRsa), w.integer(0))), /NULL or absent/);
  });
  test('RSASSA-PSS parameters: supported, mismatched, defaults, bad trailer', () => {
    const alg = (der: Uint8Array) => parseCertificate(variant(() => {}, der)).signatureAlgorithm;
    expect(alg(pssParams(HASH.sha384, HASH.sha384, 48))).toMatchObject({ type: 'rsa-pss', hash: 'sha384', saltLength: 48 });
    expect(alg(pssParams(HASH.sha512, HASH.sha512, 64, 1))).toMatchObject({ type: 'rsa-pss', hash: 'sha512' });
    expect(alg(pssParams(HASH.sha256, HASH.sha384, 32))).toMatchObject({
      type: 'unsupported',
      reason: 'MGF1 hash SHA-384 differs from the hash SHA-256',
    });
    expect(alg(pssParams(HASH.sha256, HASH.sha256, 20))).toMatchObject({
      type: 'unsupported',
      reason: expect.stringMatching(/salt length 20 is not the hash length 32/),
    });
    // Absent salt length means the DEFAULT of 20 (RFC 4055 §3.1).
    expect(alg(pssParams(HASH.sha256, HASH.sha256))).toMatchObject({ type: 'unsupported' });
    expect(alg(w.sequence(w.oid(SIG.rsassaPss), w.sequence()))).toMatchObject({
      type: 'unsupported',
      reason: expect.stringMatching(/SHA-1/),
    });
    badCert(variant(() => {}, pssParams(HASH.sha256, HASH.sha256, 32, 2)), /trailerField must be 1/);
    badCert(variant(() => {}, w.sequence(w.oid(SIG.rsassaPss))), /a SEQUENCE is required/);
  });
  test('unsupported signature algorithms and keys are kept, not thrown', () => {
    const sha1 = parseCertificate(variant(() => {}, w.sequence(w.oid(SIG.sha1WithRsa), w.nullValue())));
    expect(sha1.signatureAlgorithm).toMatchObject({ type: 'unsupported', oid: SIG.sha1WithRsa });
    const p521 = w.sequence(w.sequence(w.oid(KEY.ecPublicKey), w.oid(KEY.p521)), w.bitString(new Uint8Array(133).fill(4)));
    expect(parseCertificate(variant((f) => (f[6] = p521))).publicKey).toMatchObject({
      type: 'unsupported',
      reason: 'EC curve P-521 (1.3.132.0.35) is not supported',
    });
    const compressed = w.sequence(w.sequence(w.oid(KEY.ecPublicKey), w.oid(KEY.p256)), w.bitString(new Uint8Array(33).fill(2)));
    expect(parseCertificate(variant((f) => (f[6] = compressed))).publicKey).toMatchObject({ type: 'unsupported' });
    const dsa = w.sequence(w.sequence(w.oid('1.2.840.10040.4.1')), w.bitString(new Uint8Array(4)));
    expect(parseCertificate(variant((f) => (f[6] = dsa))).publicKey).toMatchObject({ type: 'unsupported', algorithm: '1.2.840.10040.4.1' });
    const shortPoint = w.sequence(w.sequence(w.oid(KEY.ecPublicKey), w.oid(KEY.p256)), w.bitString(new Uint8Array(64).fill(4)));
    badCert(variant((f) => (f[6] = shortPoint)), /is not an uncompressed P-256/);
    const rsaParams = w.sequence(w.sequence(w.oid(KEY.rsaEncryption), w.integer(1)), w.bitString(w.sequence(w.integer(3), w.integer(3))));
    badCert(variant((f) => (f[6] = rsaParams)), /NULL or absent/);
  });
  test('versions', () => {
    badCert(variant((f) => f.shift()), /extensions in a v1 certificate/);
    badCert(variant((f) => (f[0] = w.explicit(0, w.integer(3)))), /unknown certificate version 3/);
    const v1 = parseCertificate(
      variant((f) => {
        f.splice(7, 1);
        f.shift();
      }),
    );
    expect(v1.version).toBe(1);
    expect(v1.extensions).toEqual([]);
  });
  test('extensions: empty, duplicate, bad critical flag', () => {
    badCert(withExtensions(), /extensions: empty/);
    const ski = ext(EXT.subjectKeyIdentifier, false, w.octetString(new Uint8Array(20)));
    badCert(withExtensions(ski, ski), /duplicate extension/);
    const badBool = w.sequence(w.oid(EXT.keyUsage), w.tlv(0x01, Uint8Array.of(1)), w.octetString(w.namedBits([0])));
    badCert(withExtensions(badBool), /BOOLEAN 0x01/);
    // An explicitly encoded DEFAULT FALSE is accepted, as in certificates in the wild.
    const explicitFalse = w.sequence(w.oid(EXT.keyUsage), w.boolean(false), w.octetString(w.namedBits([0])));
    expect(parseCertificate(withExtensions(explicitFalse)).keyUsage).toEqual(new Set(['digitalSignature']));
    badCert(withExtensions(ext(EXT.keyUsage, true, w.namedBits([0]).subarray(0, 3))), /runs past the end|truncated/);
    badCert(withExtensions(ext(EXT.keyUsage, true, Uint8Array.of(...w.namedBits([0]), 0))), /trailing/);
  });
  test('unknown extensions are kept; unknown critical ones are recorded', () => {
    const c = parseCertificate(withExtensions(ext('1.2.3.4', false, Uint8Array.of(5, 0)), ext(EXT.certificatePolicies, true, w.sequence())));
    expect(c.extensions.map((e) => [e.oid, e.critical])).toEqual([
      ['1.2.3.4', false],
      [EXT.certificatePolicies, true],
    ]);
    expect(c.unhandledCriticalExtensions).toEqual([EXT.certificatePolicies]);
  });
  test('subjectAltName kinds and errors', () => {
    const names = w.sequence(
      w.implicit(2, new TextEncoder().encode('a.example')),
      w.implicit(1, new TextEncoder().encode('x@example.com')),
      w.implicit(6, new TextEncoder().encode('https://example.com/')),
      w.implicit(7, fromHex('0a000001')),
      w.implicit(0, w.oid('1.2.3'), true),
      w.implicit(4, w.sequence(), true),
    );
    const san = parseCertificate(withExtensions(ext(EXT.subjectAltName, false, names))).subjectAltName;
    expect(san).toEqual({
      dnsNames: ['a.example'],
      emails: ['x@example.com'],
      uris: ['https://example.com/'],
      ipAddresses: [fromHex('0a000001')],
      directoryNames: [{ rdns: [], der: w.sequence(), text: '' }],
      others: 2,
    });
    badCert(withExtensions(ext(EXT.subjectAltName, false, w.sequence())), /empty GeneralNames/);
    badCert(withExtensions(ext(EXT.subjectAltName, false, w.sequence(w.implicit(7, fromHex('0a00000100'))))), /iPAddress of 5 bytes/);
    badCert(withExtensions(ext(EXT.subjectAltName, false, w.sequence(w.implicit(2, Uint8Array.of(0xc3, 0xa9))))), /non-ASCII/);
    badCert(withExtensions(ext(EXT.subjectAltName, false, w.sequence(w.implicit(9, Uint8Array.of(1))))), /unknown GeneralName tag/);
  });
  test('basicConstraints, keyUsage and extKeyUsage errors', () => {
    badCert(withExtensions(ext(EXT.basicConstraints, true, w.sequence(w.boolean(true), w.integer(-1)))), /negative pathLenConstraint/);
    expect(parseCertificate(withExtensions(ext(EXT.basicConstraints, true, w.sequence(w.boolean(true), w.integer(3))))).basicConstraints).toEqual({
      ca: true,
      pathLenConstraint: 3,
    });
    badCert(withExtensions(ext(EXT.keyUsage, true, w.bitString(Uint8Array.of(0x80, 0x40), 0))), /keyUsage bit 9 is undefined/);
    expect([...(parseCertificate(withExtensions(ext(EXT.keyUsage, true, w.namedBits([0, 8])))).keyUsage ?? [])]).toEqual([
      'digitalSignature',
      'decipherOnly',
    ]);
    badCert(withExtensions(ext(EXT.extKeyUsage, false, w.sequence())), /extKeyUsage: empty/);
    badCert(withExtensions(ext(EXT.authorityKeyIdentifier, false, w.sequence(w.implicit(5, Uint8Array.of(1))))), /trailing/);
  });
  test('names: RFC 4514 order and escaping, non-string values', () => {
    const atv = (oid: string, v: Uint8Array) => w.set(w.sequence(w.oid(oid), v));
    const name = w.sequence(
      atv('2.5.4.6', w.printableString('US')),
      w.set(w.sequence(w.oid('2.5.4.10'), w.utf8String('A, B')), w.sequence(w.oid('2.5.4.11'), w.utf8String('x+y'))),
      atv('1.2.840.113549.1.9.1', w.ia5String('a@b')),
      atv('2.5.4.5', w.integer(5)),
      atv('2.5.4.3', w.utf8String('#lead "q" trail ')),
    );
    const c = parseCertificate(variant((f) => (f[5] = name)));
    expect(c.subject.text).toBe('CN=\\#lead \\"q\\" trail\\ , 2.5.4.5=#020105, 1.2.840.113549.1.9.1=a@b, OU=x\\+y+O=A\\, B, C=US');
    // The SET OF sorts by encoding (X.690 §11.6), so the shorter OU comes first.
    expect(c.subject.rdns[1]?.map((a) => a.type)).toEqual(['OU', 'O']);
    badCert(variant((f) => (f[5] = w.sequence(w.set()))), /empty RDN/);
    expect(parseCertificate(variant((f) => (f[5] = w.sequence()))).subject.text).toBe('');
    const single = (v: string) => parseCertificate(variant((f) => (f[5] = w.sequence(atv('2.5.4.3', w.utf8String(v)))))).subject.text;
    expect(single(' ')).toBe('CN=\\ ');
    expect(single('  ')).toBe('CN=\\ \\ ');
    expect(single('a;b<c>d\0')).toBe('CN=a\\;b\\<c\\>d\\00');
  });
  test('unique identifiers are skipped in v3 and refused in v1', () => {
    const c = parseCertificate(variant((f) => f.splice(7, 0, w.implicit(1, Uint8Array.of(0, 1)), w.implicit(2, Uint8Array.of(0, 2)))));
    expect(c.subjectAltName?.dnsNames).toEqual(['localhost']);
    badCert(variant((f) => { f.pop(); f.shift(); f.push(w.implicit(1, Uint8Array.of(0, 1))); }), /issuerUniqueID in a v1/);
  });
  test('wrong argument type', () => {
    expect(() => parseCertificate('pem' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('random mutations of every fixture', () => {
  for (const name of certNames.filter((n) => n !== 'chain-long')) {
    test(name, () => {
      const der = cert(name).der;
      const rnd = seededBytes(name.length * 7919 + (der[20] as number), 4 * 300);
      let parsed = 0;
      for (let i = 0; i < 300; i++) {
        const r = (k: number): number => ((rnd[4 * i + k] as number) << 8) | (rnd[4 * i + ((k + 1) % 4)] as number);
        const pos = r(0) % der.length;
        let m: Uint8Array;
        switch (i % 4) {
          case 0:
            m = der.slice();
            m[pos] = rnd[4 * i + 2] as number;
            break;
          case 1:
            m = der.slice(0, pos);
            break;
          case 2:
            m = new Uint8Array(der.length + 1);
            m.set(der.subarray(0, pos));
            m[pos] = rnd[4 * i + 3] as number;
            m.set(der.subarray(pos), pos + 1);
            break;
          default:
            m = new Uint8Array([...der.subarray(0, pos), ...der.subarray(pos + 1)]);
        }
        try {
          parseCertificate(m);
          parsed++;
        } catch (e) {
          if (!(e instanceof TlsError) || e.alert !== 'bad_certificate') throw e;
        }
      }
      // Most byte changes land in names, keys or signatures and still parse.
      expect(parsed).toBeGreaterThan(0);
    });
  }
});
