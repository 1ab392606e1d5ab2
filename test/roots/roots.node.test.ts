// wasmtls/roots against its source: the generated trust anchors are
// re-derived, with the library's own certificate parser, from the committed
// copy of Debian's ca-certificates (test/vectors/mozilla-roots, written by
// scripts/gen-roots.mjs beside the generated file), so the check holds on any
// machine whatever its installed package. Then the anchors in use: a chain
// to a test root validates with `ca: [...roots, testRoot]`, a public-looking
// chain with only `roots` does not, and importing the module sets the default.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import roots, { source } from '../../src/roots/index.js';
import { MOZILLA_ANCHORS } from '../../src/roots/mozilla.generated.js';
import { base64Decode } from '../../src/x509/pem.js';
import { parseCertificatesPem } from '../../src/x509/certificate.js';
import { anchorsFrom, defaultAnchors, isTrustAnchor, trustAnchorOf } from '../../src/x509/trust-anchor.js';
import { validateChain } from '../../src/x509/validate.js';
import { nodeVerifier } from '../helpers/node-verifier.js';
import { AT, cert, certPem } from '../helpers/x509-fixtures.js';

const DIR = join(import.meta.dirname, '..', 'vectors', 'mozilla-roots');
const pemText = readFileSync(join(DIR, 'ca-certificates.pem'), 'utf8');
const certs = parseCertificatesPem(pemText);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('wasmtls/roots against its source', () => {
  test('the recorded source is the committed copy (hash, count, version, date)', () => {
    expect(createHash('sha256').update(pemText).digest('hex')).toBe(source.sourceSha256);
    expect(certs.length).toBe(source.count);
    expect(MOZILLA_ANCHORS.length).toBe(source.count);
    expect(source.package).toBe('ca-certificates');
    expect(source.version).toMatch(/^\d{8}/);
    expect(source.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(readFileSync(join(DIR, 'SOURCE.md'), 'utf8')).toContain(source.version);
  });

  test('every anchor is its certificate subject and key, byte for byte, in file order', () => {
    certs.forEach((c, i) => {
      const stored = base64Decode(MOZILLA_ANCHORS[i] as string);
      expect(stored, `root ${i}: ${c.subject.text}`).toEqual(concat(c.subject.der, c.publicKey.der));
      const a = roots[i];
      expect(isTrustAnchor(a)).toBe(true);
      expect(a?.subject.text).toBe(c.subject.text);
      expect(a?.publicKey.type).toBe(c.publicKey.type);
    });
  });

  test('no root carries name constraints (the generator refuses them: validation does not enforce them)', () => {
    for (const c of certs) expect(c.extensions.map((e) => e.oid)).not.toContain('2.5.29.30');
  });

  test('every root key is one this stack verifies with', () => {
    const kinds = new Set(roots.map((r) => (r.publicKey.type === 'ec' ? `ec ${r.publicKey.curve}` : r.publicKey.type)));
    expect([...kinds].sort()).toEqual(['ec P-256', 'ec P-384', 'rsa']);
  });

  test('the roots are frozen and importing them sets the default anchors', () => {
    expect(Object.isFrozen(roots)).toBe(true);
    expect(defaultAnchors()).toBe(roots);
  });
});

describe('roots as ca', () => {
  const opts = { verifier: nodeVerifier(), time: AT, hostname: 'localhost' };
  const chain = [cert('leaf-localhost').der, cert('int-p256').der];

  test('ca: [...roots, testRoot] validates a chain to the test root', () => {
    const r = validateChain(chain, { ...opts, trustAnchors: anchorsFrom('ca', [...roots, certPem('root-p256')]) });
    expect(r.path.length).toBe(3);
  });

  test('the test root as a name-and-key anchor: path ends before it, anchor reported', () => {
    const anchor = trustAnchorOf(cert('root-p256'));
    const r = validateChain(chain, { ...opts, trustAnchors: [...roots, anchor] });
    expect(r.anchor).toBe(anchor);
    expect(r.path.map((c) => c.subject.text)).toEqual([cert('leaf-localhost').subject.text, cert('int-p256').subject.text]);
  });

  test('roots alone do not anchor a chain to the test root (unknown_ca)', () => {
    let err: unknown;
    try {
      validateChain(chain, { ...opts, trustAnchors: roots });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).alert).toBe('unknown_ca');
  });

  test('a root sent by the peer is taken as the anchor, not as an intermediate', () => {
    const anchor = trustAnchorOf(cert('root-p256'));
    const r = validateChain([...chain, cert('root-p256').der], { ...opts, trustAnchors: [anchor] });
    expect(r.anchor).toBe(anchor);
    expect(r.path.length).toBe(2);
  });

  test('a name-and-key anchor with the wrong key fails the signature (bad_certificate)', () => {
    const wrong = { ...trustAnchorOf(cert('root-p256')), publicKey: cert('root-p384').publicKey };
    expect(() => validateChain(chain, { ...opts, trustAnchors: [wrong] })).toThrow(expect.objectContaining({ alert: 'unsupported_certificate' }));
    const other = { ...trustAnchorOf(cert('root-p256')), publicKey: cert('int-p256-twin').publicKey };
    expect(() => validateChain(chain, { ...opts, trustAnchors: [other] })).toThrow(expect.objectContaining({ alert: 'bad_certificate' }));
  });

  test('a bad ca entry is a TypeError naming ca', () => {
    expect(() => anchorsFrom('ca', [...roots, 'not pem'])).toThrow(TypeError);
  });
});
