// CRLs (RFC 5280 §5, the `crl` option), issue 15: every certificate of the
// path but the anchor is checked against its issuer's CRL; a listed serial
// is certificate_revoked; a missing, stale, badly signed, delta or indirect
// CRL leaves the status unknown (certificate_unknown); PEM and DER inputs.
import { describe, expect, test } from 'vitest';
import { type AlertName, TlsError } from '../../src/errors.js';
import { crlsFrom, encodePem, parseCrl, type ValidationOptions, validateChain } from '../../src/x509/index.js';
import * as w from '../../src/x509/der-writer.js';
import { chain, cnName, extension, type Issued, make, makeCrl, newKey, optionsFor } from './generate.js';

const c = chain();
const rootCrl = makeCrl({ issuer: c.root });
const intCrl = makeCrl({ issuer: c.int });

function outcome(more: Partial<ValidationOptions>, ch: { root: Issued; int: Issued; leaf: Issued } = c): TlsError | undefined {
  try {
    validateChain([ch.leaf.cert, ch.int.cert], optionsFor(ch.root, more));
    return undefined;
  } catch (e) {
    if (e instanceof TlsError) return e;
    throw e;
  }
}

function fails(more: Partial<ValidationOptions>, alert: AlertName, message: RegExp, ch = c): void {
  const e = outcome(more, ch);
  expect(e, 'expected a failure').toBeInstanceOf(TlsError);
  expect(e?.alert).toBe(alert);
  expect(e?.message).toMatch(message);
}

describe('revocation', () => {
  test('CRLs from both issuers that list nothing: valid', () => {
    expect(outcome({ crl: [rootCrl.der, intCrl.der] })).toBeUndefined();
  });
  test('a revoked leaf: certificate_revoked', () => {
    const crl = makeCrl({ issuer: c.int, revoked: [Uint8Array.of(0x01, 0x02), c.leaf.cert.serialNumber] });
    fails({ crl: [rootCrl.der, crl.der] }, 'certificate_revoked', /^leaf CN=leaf.example.com, O=wasmtls rules \(serial [0-9a-f]+\) was revoked on 2026-01-01T00:00:00Z by the CRL of CN=Rules Intermediate/);
  });
  test('a revoked intermediate: certificate_revoked', () => {
    const crl = makeCrl({ issuer: c.root, revoked: [c.int.cert.serialNumber] });
    fails({ crl: [crl.der, intCrl.der] }, 'certificate_revoked', /^intermediate CN=Rules Intermediate.* was revoked/);
  });
  test('a path around a revoked intermediate is found', () => {
    const kp = { key: c.int.key, point: c.int.point };
    const twin = make({ subject: c.int.cert.subject.der, ca: true, issuer: c.root, key: kp });
    const crl = makeCrl({ issuer: c.root, revoked: [c.int.cert.serialNumber] });
    const r = validateChain([c.leaf.cert, c.int.cert, twin.cert], optionsFor(c.root, { crl: [crl.crl, intCrl.crl] }));
    expect(r.path[1]).toBe(twin.cert);
  });
  test('no CRL for one certificate of the path: certificate_unknown', () => {
    fails({ crl: [intCrl.der] }, 'certificate_unknown', /^revocation status of intermediate CN=Rules Intermediate.* is unknown: no usable CRL from CN=Rules Root.* among the 1 given \(option crl\)$/);
    fails({ crl: [rootCrl.der] }, 'certificate_unknown', /^revocation status of leaf CN=leaf.example.com/);
  });
  test('a stale CRL (nextUpdate passed), one not yet valid, one without nextUpdate', () => {
    const stale = makeCrl({ issuer: c.int, nextUpdate: new Date('2030-05-01T00:00:00Z') });
    fails({ crl: [rootCrl.der, stale.der] }, 'certificate_unknown', /a CRL is stale: nextUpdate 2030-05-01T00:00:00Z is before 2030-06-01T00:00:00Z/);
    const early = makeCrl({ issuer: c.int, thisUpdate: new Date('2030-07-01T00:00:00Z') });
    fails({ crl: [rootCrl.der, early.der] }, 'certificate_unknown', /thisUpdate 2030-07-01T00:00:00Z is after/);
    const open = makeCrl({ issuer: c.int, nextUpdate: null });
    fails({ crl: [rootCrl.der, open.der] }, 'certificate_unknown', /has no nextUpdate/);
    // A fresh CRL beside the stale one is enough.
    expect(outcome({ crl: [rootCrl.der, stale.der, intCrl.der] })).toBeUndefined();
  });
  test('a CRL signed by another key is not used', () => {
    const forged = makeCrl({ issuer: c.int, signer: newKey().key, revoked: [] });
    fails({ crl: [rootCrl.der, forged.der] }, 'certificate_unknown', /signature does not verify with the key of CN=Rules Intermediate/);
  });
  test("another CA's CRL does not cover the certificate", () => {
    const other = make({ subject: cnName('Other CA') });
    fails({ crl: [rootCrl.der, makeCrl({ issuer: other, revoked: [c.leaf.cert.serialNumber] }).der] }, 'certificate_unknown', /leaf .* is unknown/);
  });
  test('an issuer whose keyUsage lacks cRLSign cannot sign CRLs (§6.3.3 (f))', () => {
    const ch = chain({ int: { keyUsage: [5] } });
    const crls = [makeCrl({ issuer: ch.root }).der, makeCrl({ issuer: ch.int }).der];
    fails({ crl: crls }, 'certificate_unknown', /may not sign CRLs: its keyUsage lacks cRLSign/, ch);
  });
  test('delta and indirect CRLs are not supported and not used', () => {
    const delta = makeCrl({ issuer: c.int, extensions: [extension('2.5.29.27', true, w.integer(1))] });
    fails({ crl: [rootCrl.der, delta.der] }, 'certificate_unknown', /it is a delta CRL \(deltaCRLIndicator\), which is not supported/);
    const indirect = makeCrl({
      issuer: c.int,
      revoked: [Uint8Array.of(5)],
      entryExtensions: [extension('2.5.29.29', true, w.sequence(w.explicit(4, cnName('Someone'))))],
    });
    fails({ crl: [rootCrl.der, indirect.der] }, 'certificate_unknown', /indirect CRLs are not supported/);
    const idp = makeCrl({ issuer: c.int, extensions: [extension('2.5.29.28', true, w.sequence())] });
    fails({ crl: [rootCrl.der, idp.der] }, 'certificate_unknown', /issuingDistributionPoint/);
  });
  test('a pinned leaf needs no CRL', () => {
    const self = make({ ca: false });
    expect(validateChain([self.cert], optionsFor(self, { crl: [intCrl.der] })).path).toHaveLength(1);
  });
});

describe('inputs', () => {
  test('PEM text (X509 CRL blocks), DER, parsed, and lists of them', () => {
    const pem = encodePem('X509 CRL', rootCrl.der) + encodePem('X509 CRL', intCrl.der);
    expect(outcome({ crl: pem })).toBeUndefined();
    expect(outcome({ crl: [rootCrl.crl, intCrl.der] })).toBeUndefined();
    expect(crlsFrom('crl', pem).map((x) => x.issuer.text)).toEqual([c.root.cert.subject.text, c.int.cert.subject.text]);
  });
  test('bad inputs are TypeErrors naming the option', () => {
    expect(() => outcome({ crl: 'not pem' })).toThrow(/^options.crl: /);
    expect(() => outcome({ crl: encodePem('CERTIFICATE', c.leaf.cert.der) })).toThrow('options.crl: no X509 CRL block in the PEM text');
    expect(() => outcome({ crl: [Uint8Array.of(0x30, 0x00)] })).toThrow(/^options.crl: malformed CRL: /);
    expect(() => outcome({ crl: [42 as never] })).toThrow('options.crl: expected PEM text, DER bytes or a parsed CRL');
  });
});

describe('parsing', () => {
  test('fields', () => {
    const crl = makeCrl({ issuer: c.int, revoked: [Uint8Array.of(0x12, 0x34)] }).crl;
    expect(crl.version).toBe(2);
    expect(crl.issuer.text).toBe(c.int.cert.subject.text);
    expect(crl.thisUpdate.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(crl.nextUpdate?.toISOString()).toBe('2031-01-01T00:00:00.000Z');
    expect([...crl.revoked.keys()]).toEqual(['1234']);
    expect(crl.authorityKeyIdentifier).toEqual(c.int.cert.subjectKeyIdentifier);
    expect(crl.unusable).toBeUndefined();
    expect(crl.signatureAlgorithm.type).toBe('ecdsa');
  });
  test('malformed CRLs throw DerError', () => {
    const tbs = (...fields: Uint8Array[]): Uint8Array => w.sequence(w.sequence(...fields), w.sequence(w.oid('1.2.840.10045.4.3.2')), w.bitString(Uint8Array.of(0)));
    const alg = w.sequence(w.oid('1.2.840.10045.4.3.2'));
    const t = w.time(new Date('2030-01-01T00:00:00Z'));
    const issuer = cnName('X');
    expect(() => parseCrl(tbs(w.integer(0), alg, issuer, t))).toThrow(/CRL version must be v2/);
    expect(() => parseCrl(tbs(alg, issuer, t, w.sequence()))).toThrow(/revokedCertificates: empty/);
    expect(() => parseCrl(tbs(alg, issuer, t, w.explicit(0, w.sequence(extension('2.5.29.20', false, w.integer(1))))))).toThrow(/crlExtensions in a v1 CRL/);
    expect(() => parseCrl(tbs(w.integer(1), w.sequence(w.oid('1.2.840.10045.4.3.3')), issuer, t))).toThrow(/differs from tbsCertList.signature/);
    expect(() => parseCrl(tbs(alg, w.sequence(), t))).toThrow(/CRL issuer is empty/);
  });
});
