// Path building and validation over the fixtures, with signatures checked by
// node:crypto: valid chains in every key type, any order, extra certificates,
// and each broken fixture mapped to its alert and message.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { AlertDescription as ALERT_CODES, type AlertName, TlsError } from '../../src/errors.js';
import {
  type Certificate,
  DerReader,
  parseCertificate,
  parseCertificatesPem,
  type ValidationOptions,
  validateChain,
  writeCaCertificate,
  writeLeafCertificate,
} from '../../src/x509/index.js';
import * as w from '../../src/x509/der-writer.js';
import { EXT, SIG } from '../../src/x509/oids.js';
import { nodeVerifier } from '../helpers/node-verifier.js';
import { assemble, outerFields, tbsFields } from '../helpers/x509-edit.js';
import { AT, cert, certPem, keyPem } from '../helpers/x509-fixtures.js';

const roots = ['root-p256', 'root-p384', 'root-rsa', 'root-ed25519'].map(cert);

function opts(more: Partial<ValidationOptions> = {}): ValidationOptions {
  return { trustAnchors: roots, verifier: nodeVerifier(), time: AT, ...more };
}

const cn = (c: Certificate): string => c.subject.text.split(', ')[0] as string;

function fails(chain: (Certificate | Uint8Array)[], o: ValidationOptions, alert: AlertName, message: RegExp | string): void {
  try {
    validateChain(chain, o);
  } catch (e) {
    if (!(e instanceof TlsError)) throw e;
    expect(e.alert).toBe(alert);
    expect(e.code).toBe(ALERT_CODES[alert]);
    expect(e.side).toBe('local');
    if (typeof message === 'string') expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
    return;
  }
  expect.fail(`validated; expected ${alert}`);
}

/** Re-signs an edited copy of `c` with an issuer's fixture key (ECDSA or RSA, SHA-256 unless `hash`). */
function resign(c: Certificate, issuerKey: string, edit: (f: Uint8Array[]) => void, alg?: Uint8Array, hash = 'sha256'): Certificate {
  const f = tbsFields(c);
  const a = alg ?? outerFields(c).alg;
  f[2] = a;
  edit(f);
  const tbs = w.sequence(...f);
  const sig = sign(hash, tbs, { key: createPrivateKey(keyPem(issuerKey, 'pkcs8')), dsaEncoding: 'der' });
  return parseCertificate(assemble(f, a, sig));
}

/**
 * int-p256-twin re-signed by the root with int-p256's subjectKeyIdentifier
 * (a CA must carry one, RFC 5280 §4.2.1.2), so only its signature tells it
 * apart from int-p256.
 */
function twinWithSameSki(): Certificate {
  const ski = cert('int-p256').subjectKeyIdentifier as Uint8Array;
  return resign(cert('int-p256-twin'), 'root-p256', (f) => {
    const exts = new DerReader(f[7] as Uint8Array).explicit(3, 'extensions').sequence('extensions');
    const keep: Uint8Array[] = [];
    while (!exts.atEnd) {
      const e = exts.read();
      keep.push(new DerReader(e.value).oid('extnID') === EXT.subjectKeyIdentifier ? w.sequence(w.oid(EXT.subjectKeyIdentifier), w.octetString(w.octetString(ski))) : e.bytes);
    }
    f[7] = w.explicit(3, w.sequence(...keep));
  });
}

describe('valid chains', () => {
  const chains: [string, string, string, string][] = [
    ['leaf-localhost', 'int-p256', 'root-p256', 'localhost'],
    ['leaf-ipv6', 'int-p256', 'root-p256', '::1'],
    ['leaf-wildcard', 'int-p384', 'root-p384', 'www.example.com'],
    ['leaf-example', 'int-rsa', 'root-rsa', 'example.com'],
    ['leaf-pss', 'int-rsa-pss', 'root-rsa', 'pss.example.com'],
    ['leaf-ipv4', 'int-ed25519', 'root-ed25519', '127.0.0.1'],
  ];
  for (const [leaf, int, root, host] of chains) {
    test(`${leaf} via ${int} to ${root} for ${host}`, () => {
      const v = nodeVerifier();
      const r = validateChain([cert(leaf).der, cert(int).der], opts({ hostname: host, verifier: v }));
      expect(r.path.map(cn)).toEqual([leaf, int, root].map((n) => cn(cert(n))));
      expect(r.leaf.der).toEqual(cert(leaf).der);
      expect((r.anchor as Certificate).der).toEqual(cert(root).der);
      expect(v.calls).toBe(2);
    });
  }
  test('any order, extra unrelated certificates, a copy of the root, a same-named twin', () => {
    const v = nodeVerifier();
    const chain = ['leaf-localhost', 'int-rsa', 'root-p256', 'int-p256-twin', 'int-unknown', 'int-p256', 'leaf-example'].map(cert);
    const r = validateChain(chain, opts({ hostname: 'localhost', verifier: v }));
    expect(r.path.map(cn)).toEqual(['CN=localhost', 'CN=wasmtls Test Intermediate P-256', 'CN=wasmtls Test Root P-256']);
    expect(r.path[1]?.der).toEqual(cert('int-p256').der);
    // The twin's subjectKeyIdentifier does not match the leaf's authorityKeyIdentifier: never tried.
    expect(v.calls).toBe(2);
  });
  test('with the same key identifier the twin is tried, fails its signature, and the real issuer wins', () => {
    const bare = twinWithSameSki();
    expect(bare.subjectKeyIdentifier).toEqual(cert('int-p256').subjectKeyIdentifier);
    const v = nodeVerifier();
    const r = validateChain([cert('leaf-localhost'), bare, cert('int-p256')], opts({ verifier: v }));
    expect(r.path[1]?.der).toEqual(cert('int-p256').der);
    expect(v.calls).toBe(3);
  });
  test('an intermediate as the trust anchor; a pinned leaf; anchors among many', () => {
    expect(validateChain([cert('leaf-localhost')], opts({ trustAnchors: [cert('int-p256')] })).path.map(cn)).toEqual([
      'CN=localhost',
      'CN=wasmtls Test Intermediate P-256',
    ]);
    const self = cert('self-signed');
    const pinned = validateChain([self], opts({ trustAnchors: [self], hostname: 'self-signed.example.com' }));
    expect(pinned.path).toEqual([self]);
    expect(pinned.anchor).toBe(self);
  });
  test('purposes: clientAuth leaves', () => {
    expect(() => validateChain([cert('leaf-client-only'), cert('int-p256')], opts({ purpose: 'clientAuth' }))).not.toThrow();
    expect(() => validateChain([cert('leaf-ipv6'), cert('int-p256')], opts({ purpose: 'clientAuth' }))).not.toThrow();
    fails([cert('leaf-localhost'), cert('int-p256')], opts({ purpose: 'clientAuth' }), 'unsupported_certificate', /not valid for TLS client authentication/);
  });
  test('the long chain passes when 10 intermediates are allowed', () => {
    const chain = parseCertificatesPem(certPem('chain-long'));
    expect(validateChain(chain, opts({ maxIntermediates: 10 })).path).toHaveLength(12);
    fails(chain, opts({ maxIntermediates: 9 }), 'unknown_ca', /more than 9 intermediate/);
  });
  test('the current time is the default', () => {
    const now = Date.now();
    const c = cert('leaf-localhost');
    if (now > c.notBefore.getTime() && now < c.notAfter.getTime()) {
      expect(() => validateChain([c, cert('int-p256')], { trustAnchors: roots, verifier: nodeVerifier() })).not.toThrow();
    }
    fails([cert('leaf-localhost'), cert('int-p256')], opts({ time: new Date('2046-01-01T00:00:00Z') }), 'certificate_expired', /notAfter 2045-01-01T00:00:00Z/);
  });
  test('validity includes both ends (RFC 5280 §4.1.2.5)', () => {
    const c = [cert('leaf-localhost'), cert('int-p256')];
    expect(() => validateChain(c, opts({ time: new Date('2025-01-01T00:00:00Z') }))).not.toThrow();
    expect(() => validateChain(c, opts({ time: new Date('2045-01-01T00:00:00Z') }))).not.toThrow();
    fails(c, opts({ time: new Date('2045-01-01T00:00:01Z') }), 'certificate_expired', /has expired/);
    fails(c, opts({ time: new Date('2024-12-31T23:59:59Z') }), 'certificate_expired', /not yet valid/);
  });
});

describe('broken chains: alert and message', () => {
  test('expired leaf', () => {
    fails(
      [cert('leaf-expired'), cert('int-p256')],
      opts(),
      'certificate_expired',
      'certificate has expired: notAfter 2024-01-01T00:00:00Z (leaf CN=expired.localhost, checked at 2030-06-01T00:00:00Z)',
    );
  });
  test('not yet valid leaf', () => {
    fails(
      [cert('leaf-not-yet-valid'), cert('int-p256')],
      opts(),
      'certificate_expired',
      'certificate is not yet valid: notBefore 2040-01-01T00:00:00Z (leaf CN=future.localhost, checked at 2030-06-01T00:00:00Z)',
    );
  });
  test('expired intermediate and expired anchor', () => {
    const expiredInt = resign(cert('int-p256'), 'root-p256', (f) => {
      f[4] = w.sequence(w.time(new Date('2020-01-01T00:00:00Z')), w.time(new Date('2029-01-01T00:00:00Z')));
    });
    fails([cert('leaf-localhost'), expiredInt], opts(), 'certificate_expired', /^certificate has expired: notAfter 2029-01-01T00:00:00Z \(intermediate CN=wasmtls Test Intermediate P-256/);
    const expiredRoot = resign(cert('root-p256'), 'root-p256', (f) => {
      f[4] = w.sequence(w.time(new Date('2020-01-01T00:00:00Z')), w.time(new Date('2029-01-01T00:00:00Z')));
    });
    fails([cert('leaf-localhost'), cert('int-p256')], opts({ trustAnchors: [expiredRoot] }), 'certificate_expired', /\(trust anchor CN=wasmtls Test Root P-256/);
  });
  test('unknown root', () => {
    fails(
      [cert('leaf-unknown-root'), cert('int-unknown')],
      opts(),
      'unknown_ca',
      'unknown certificate authority: CN=wasmtls Test Intermediate Unknown, O=wasmtls test, C=US is issued by CN=wasmtls Test Root Unknown, O=wasmtls test, C=US, which is not a trust anchor, nor among the 1 other certificates the peer sent; to trust it, pass that CA\'s certificate in `ca`',
    );
  });
  test('missing intermediate', () => {
    fails([cert('leaf-localhost')], opts(), 'unknown_ca', /CN=localhost is issued by CN=wasmtls Test Intermediate P-256, .* which is not a trust anchor, and the peer sent no other certificates \(a server should send its intermediates\); to trust it, pass that CA's certificate in `ca`$/);
  });
  test('self-signed leaf that is not trusted', () => {
    fails([cert('self-signed')], opts(), 'unknown_ca', 'unknown certificate authority: CN=self-signed.example.com is self-signed and is not a trust anchor; to trust it, pass it in `ca`');
  });
  test('intermediate with cA false', () => {
    fails(
      [cert('leaf-under-not-ca'), cert('int-not-ca')],
      opts(),
      'bad_certificate',
      'intermediate CN=wasmtls Test Intermediate CA false, O=wasmtls test, C=US is not a CA (basicConstraints cA is false, RFC 5280 §4.2.1.9) but issued CN=under-not-ca.localhost',
    );
  });
  test('trust anchor with cA false', () => {
    fails([cert('leaf-under-not-ca')], opts({ trustAnchors: [cert('int-not-ca')] }), 'bad_certificate', /^trust anchor CN=wasmtls Test Intermediate CA false.* is not a CA/);
  });
  test('intermediate without keyCertSign', () => {
    fails(
      [cert('leaf-under-no-certsign'), cert('int-no-certsign')],
      opts(),
      'bad_certificate',
      'intermediate CN=wasmtls Test Intermediate no keyCertSign, O=wasmtls test, C=US may not sign certificates: its keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3)',
    );
  });
  test('pathLenConstraint exceeded', () => {
    fails(
      [cert('leaf-under-pathlen'), cert('int-pathlen0'), cert('int-under-pathlen0')],
      opts(),
      'bad_certificate',
      'intermediate CN=wasmtls Test Intermediate pathlen 0, O=wasmtls test, C=US has pathLenConstraint 0 but 1 intermediate certificates follow it',
    );
  });
  test('leaf without serverAuth', () => {
    fails(
      [cert('leaf-client-only'), cert('int-p256')],
      opts(),
      'unsupported_certificate',
      'leaf CN=client.example.com is not valid for TLS server authentication: its extKeyUsage allows only clientAuth (1.3.6.1.5.5.7.3.2)',
    );
  });
  test('chain too long', () => {
    fails(
      parseCertificatesPem(certPem('chain-long')),
      opts(),
      'unknown_ca',
      'certificate chain too long: more than 8 intermediate certificates that are not self-issued (option maxIntermediates, RFC 5280 §6.1.4 (l))',
    );
  });
  test('bad signature', () => {
    fails(
      [cert('leaf-bad-signature'), cert('int-p256')],
      opts(),
      'bad_certificate',
      'bad signature: the ecdsa-with-SHA256 signature on CN=localhost does not verify with the key of CN=wasmtls Test Intermediate P-256, O=wasmtls test, C=US',
    );
  });
  test('bad signature on the intermediate', () => {
    const int = cert('int-p256').der.slice();
    int[int.length - 1] = (int[int.length - 1] as number) ^ 1;
    fails([cert('leaf-localhost'), int], opts(), 'bad_certificate', /signature on CN=wasmtls Test Intermediate P-256.* with the key of CN=wasmtls Test Root P-256/);
  });
  test('unknown critical extension', () => {
    fails(
      [cert('leaf-critical-ext'), cert('int-p256')],
      opts(),
      'unsupported_certificate',
      'leaf CN=critical.example.com has unsupported critical extension 1.3.6.1.4.1.55555.1.1',
    );
  });
  test('hostname mismatch', () => {
    fails(
      [cert('leaf-example'), cert('int-rsa')],
      opts({ hostname: 'example.org' }),
      'bad_certificate',
      'hostname mismatch: certificate is for example.com, www.example.com, not example.org',
    );
    fails([cert('leaf-wildcard'), cert('int-p384')], opts({ hostname: 'example.com' }), 'bad_certificate', /certificate is for \*\.example\.com, not example\.com/);
    fails([cert('leaf-ipv4'), cert('int-ed25519')], opts({ hostname: 'localhost' }), 'bad_certificate', /certificate is for 127\.0\.0\.1, not localhost/);
    fails([cert('leaf-cn-only'), cert('int-p256')], opts({ hostname: 'cn-only.example.com' }), 'bad_certificate', /no DNS or IP subjectAltName/);
  });
  test('RSA keys below the minimum', () => {
    fails(
      [cert('leaf-example'), cert('int-rsa')],
      opts({ minRsaBits: 3072 }),
      'unsupported_certificate',
      'intermediate CN=wasmtls Test Intermediate RSA, O=wasmtls test, C=US has a 2048-bit RSA key, below the 3072-bit minimum (option minRsaBits)',
    );
  });
  test('signature pairings outside TLS 1.3 schemes are unsupported', () => {
    const alg = w.sequence(w.oid(SIG.ecdsaWithSha384));
    const leaf = resign(cert('leaf-localhost'), 'int-p256', () => {}, alg, 'sha384');
    fails(
      [leaf, cert('int-p256')],
      opts(),
      'unsupported_certificate',
      /cannot check the signature on CN=localhost by CN=wasmtls Test Intermediate P-256.*: ecdsa-with-SHA384 with a P-256 key is not supported/,
    );
    const sha1 = resign(cert('leaf-example'), 'int-rsa', () => {}, w.sequence(w.oid(SIG.sha1WithRsa), w.nullValue()), 'sha1');
    fails([sha1, cert('int-rsa')], opts(), 'unsupported_certificate', /signature algorithm sha1WithRSAEncryption \(1\.2\.840\.113549\.1\.1\.5\) is not supported/);
  });
  test('malformed certificate in the chain', () => {
    fails([cert('leaf-localhost'), Uint8Array.of(0x30, 0x80)], opts(), 'bad_certificate', /^certificate 1 of the peer's chain: malformed certificate: DER: indefinite length/);
  });
  test('empty certificate list', () => {
    fails([], opts(), 'decode_error', 'the server sent an empty certificate list');
    fails([], opts({ purpose: 'clientAuth' }), 'certificate_required', 'the client sent no certificate');
  });
  test('the failure of the path that got furthest is reported', () => {
    // Via the twin: bad signature at depth 1. Via int-p256: no anchor above it
    // (depth 2). Whatever the order, the deeper failure is the one reported.
    const o = opts({ trustAnchors: [cert('root-p384')] });
    const deeper = /CN=wasmtls Test Intermediate P-256, O=wasmtls test, C=US is issued by CN=wasmtls Test Root P-256/;
    fails([cert('leaf-localhost'), twinWithSameSki(), cert('int-p256')], o, 'unknown_ca', deeper);
    fails([cert('leaf-localhost'), cert('int-p256'), twinWithSameSki()], o, 'unknown_ca', deeper);
    fails([cert('leaf-localhost'), twinWithSameSki()], o, 'bad_certificate', /bad signature/);
  });
  test('options are checked', () => {
    const c = [cert('leaf-localhost'), cert('int-p256')];
    expect(() => validateChain(c, opts({ hostname: 'bad..name' }))).toThrow(TypeError);
    expect(() => validateChain(c, opts({ purpose: 'codeSigning' as never }))).toThrow(TypeError);
    expect(() => validateChain(c, opts({ maxIntermediates: -1 }))).toThrow(RangeError);
    expect(() => validateChain(c, opts({ time: new Date(Number.NaN) }))).toThrow(TypeError);
    expect(() => validateChain(c, { ...opts(), verifier: {} as never })).toThrow(TypeError);
  });
});

describe('path building stays bounded', () => {
  test('many same-named self-issued CAs sharing a key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const point = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-65));
    const signer = (tbs: Uint8Array): Uint8Array => new Uint8Array(sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' }));
    const when = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
    const cas = Array.from({ length: 12 }, (_, i) =>
      writeCaCertificate({ subject: 'Loop CA', publicKey: point, sign: signer, serialNumber: Uint8Array.of(i + 1), ...when }).certificate,
    );
    const leaf = writeLeafCertificate({ dnsNames: ['loop.example'], publicKey: point, issuer: cas[0] as Certificate, sign: signer, ...when });
    const v = nodeVerifier();
    const t0 = Date.now();
    fails([leaf.certificate, ...cas], opts({ verifier: v }), 'unknown_ca', 'path building gave up after 100 signature checks');
    expect(v.calls).toBeLessThanOrEqual(100);
    expect(Date.now() - t0).toBeLessThan(4000);
    // With the CA trusted, the same pile validates at once.
    expect(validateChain([leaf.certificate, ...cas], opts({ trustAnchors: [cas[5] as Certificate] })).path).toHaveLength(2);
  });
});
