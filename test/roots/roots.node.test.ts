// wasmtls/roots against its source: the generated trust anchors are
// re-derived, with the library's own certificate parser, from the committed
// copy of Debian's ca-certificates (test/vectors/mozilla-roots, written by
// scripts/gen-roots.mjs beside the generated file), so the check holds on any
// machine whatever its installed package. Then the anchors in use: a chain
// to a test root validates with `ca: [...roots, testRoot]`, a public-looking
// chain with only `roots` does not, and importing the module sets the default.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import roots, { source } from '../../src/roots/index.js';
import { MOZILLA_ANCHORS } from '../../src/roots/mozilla.generated.js';
import { base64Decode } from '../../src/x509/pem.js';
import { type Certificate, parseCertificatesPem } from '../../src/x509/certificate.js';
import { anchorsFrom, defaultAnchors, isTrustAnchor, trustAnchorFromDer, trustAnchorOf } from '../../src/x509/trust-anchor.js';
import * as w from '../../src/x509/der-writer.js';
import { cnName, gn, make, optionsFor } from '../x509/generate.js';
import { validateChain } from '../../src/x509/validate.js';
import { nodeVerifier } from '../helpers/node-verifier.js';
import { type CaInput, connect } from '../../src/node/index.js';
import { FILE_IDENTITIES, pems } from '../helpers/interop.js';
import { AT, cert, certPem } from '../helpers/x509-fixtures.js';

const DIR = join(import.meta.dirname, '..', 'vectors', 'mozilla-roots');
const pemText = readFileSync(join(DIR, 'ca-certificates.pem'), 'utf8');
const certs = parseCertificatesPem(pemText);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A certificate's trust anchor information as the generator stores it: subject, SPKI, nameConstraints value if any. */
function expectedAnchor(c: Certificate): Uint8Array {
  const nc = c.extensions.find((e) => e.oid === '2.5.29.30');
  return concat(c.subject.der, c.publicKey.der, ...(nc === undefined ? [] : [nc.value]));
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

  test('every anchor is its certificate subject, key and name constraints, byte for byte, in file order', () => {
    certs.forEach((c, i) => {
      const stored = base64Decode(MOZILLA_ANCHORS[i] as string);
      expect(stored, `root ${i}: ${c.subject.text}`).toEqual(expectedAnchor(c));
      const a = roots[i];
      expect(isTrustAnchor(a)).toBe(true);
      expect(a?.subject.text).toBe(c.subject.text);
      expect(a?.publicKey.type).toBe(c.publicKey.type);
    });
  });

  test('name constraints carried over as the certificates have them (none in this store)', () => {
    certs.forEach((c, i) => expect(roots[i]?.nameConstraints).toEqual(c.nameConstraints));
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

describe('name-and-key anchors with name constraints', () => {
  const root = make({ subject: cnName('NC Anchor Root'), nameConstraints: { permitted: [gn.dns('example.com')] } });
  const int = make({ subject: cnName('NC Anchor Intermediate'), ca: true, issuer: root });
  const good = make({ subject: cnName('good'), issuer: int, san: [gn.dns('www.example.com')] });
  const bad = make({ subject: cnName('bad'), issuer: int, san: [gn.dns('www.example.org')] });
  const anchor = trustAnchorOf(root.cert);
  const stored = trustAnchorFromDer(expectedAnchor(root.cert));

  test('stored as subject || SPKI || nameConstraints and parsed back the same', () => {
    expect(anchor.nameConstraints).toBeDefined();
    expect(stored.nameConstraints).toEqual(anchor.nameConstraints);
    expect(stored.subject.der).toEqual(root.cert.subject.der);
  });

  test('a name inside the permitted subtree validates, one outside is bad_certificate naming the anchor', () => {
    for (const a of [anchor, stored]) {
      expect(validateChain([good.cert, int.cert], { ...optionsFor(root), trustAnchors: [a] }).anchor).toBe(a);
      expect(() => validateChain([bad.cert, int.cert], { ...optionsFor(root), trustAnchors: [a] })).toThrow(
        expect.objectContaining({ alert: 'bad_certificate', message: expect.stringMatching(/breaks the nameConstraints of trust anchor CN=NC Anchor Root/) }),
      );
    }
  });

  test('trailing bytes after the constraints are a DerError', () => {
    expect(() => trustAnchorFromDer(concat(expectedAnchor(root.cert), w.integer(1)))).toThrow(/DER/);
  });
});

describe('roots where ca is taken', () => {
  test("wasmtls/node's connect: ca: [...roots, testRootPem] authorizes, ca: roots does not", async () => {
    const files = pems(FILE_IDENTITIES.p256);
    const server = createTlsServer({ cert: files.chain, key: files.key, minVersion: 'TLSv1.3' }, (s) => s.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const attempt = (ca: CaInput) =>
      new Promise<{ authorized: boolean; error: string | undefined }>((resolve) => {
        const s = connect({ host: '127.0.0.1', port, servername: 'localhost', ca, rejectUnauthorized: false }, () => {
          resolve({ authorized: s.authorized, error: s.authorizationError?.message });
          s.destroy();
        });
        s.on('error', (e) => resolve({ authorized: false, error: e.message }));
      });
    expect((await attempt([...roots, files.ca])).authorized).toBe(true);
    const only = await attempt(roots);
    expect(only.authorized).toBe(false);
    expect(only.error).toMatch(/unknown certificate authority/);
    server.close();
  });
});
