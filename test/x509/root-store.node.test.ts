// A root store (Node's bundled roots behind wasmtls/node and the CLI, like
// wasmtls/roots) is used as name-and-key trust anchors, as Chromium and
// rustls reduce roots: a bundled root's own encoding (one in Node 20's store
// has a non-critical basicConstraints) must not make the default web
// profile refuse every chain to it, while the root's name constraints still
// bind the certificates below it.
import { rootCertificates } from 'node:tls';
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { systemTrustAnchors } from '../../src/node/options.js';
import { rootStoreAnchors } from '../../src/x509/trust-anchor.js';
import { validateChain } from '../../src/x509/validate.js';
import { chain, gn, optionsFor } from './generate.js';

const pemOf = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

describe('root stores as name-and-key anchors', () => {
  test('a root with a non-critical basicConstraints anchors a chain when it comes from a root store', () => {
    const c = chain({ root: { bc: 'noncritical' } });
    // As a certificate given in ca, the web profile's anchor rule applies.
    expect(() => validateChain([c.leaf.cert, c.int.cert], optionsFor(c.root))).toThrow(/anchor-bc-noncritical/);
    const anchors = rootStoreAnchors([pemOf(c.root.cert.der)]);
    expect(anchors).toHaveLength(1);
    // The path holds the certificates; a name-and-key anchor is not one.
    const path = validateChain([c.leaf.cert, c.int.cert], { ...optionsFor(c.root), trustAnchors: anchors }).path;
    expect(path.map((x) => x.der)).toEqual([c.leaf.cert.der, c.int.cert.der]);
  });

  test("a root store anchor keeps the root's name constraints", () => {
    const c = chain({ root: { nameConstraints: { permitted: [gn.dns('example.org')], critical: true } } });
    const anchors = rootStoreAnchors([pemOf(c.root.cert.der)]);
    const err = (() => {
      try {
        validateChain([c.leaf.cert, c.int.cert], { ...optionsFor(c.root), trustAnchors: anchors });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).message).toMatch(/nameConstraints/);
  });

  test("an unparseable entry is left out, not fatal; Node's store gives one anchor per root", () => {
    expect(rootStoreAnchors(['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'])).toHaveLength(0);
    expect(systemTrustAnchors()).toHaveLength(rootCertificates.length);
    expect(systemTrustAnchors().every((a) => a.type === 'trust-anchor')).toBe(true);
  });
});
