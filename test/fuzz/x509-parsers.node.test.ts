// Fuzz targets for the X.509 parsers of issue 15 (fast-check, as the rest of test/fuzz/):
// nameConstraints and CRLs, from mutations of well-formed encodings and
// random bytes. Properties: the parser returns or throws DerError, nothing
// else; a mutated extension inside a CA certificate, or a mutated CRL, ends
// validation with a TlsError (the only error validateChain documents for
// bad input); no call takes a second. `npm run fuzz` scales the run counts.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { crlsFrom, parseCrl, parseNameConstraints, validateChain } from '../../src/x509/index.js';
import { DerError } from '../../src/x509/der.js';
import * as w from '../../src/x509/der-writer.js';
import { ATTRIBUTE } from '../../src/x509/oids.js';
import { bytesLike, MAX_CALL_MS, params, timed } from '../helpers/fuzz.js';
import { chain, cnName, extension, gn, make, makeCrl, name, nameConstraintsValue, optionsFor } from '../x509/generate.js';

function only(allowed: readonly (abstract new (...a: never[]) => Error)[], f: () => void): void {
  const { thrown, ms } = timed(f);
  expect(ms).toBeLessThan(MAX_CALL_MS);
  if (thrown !== undefined && !allowed.some((k) => thrown instanceof k)) throw thrown;
}

const NC_SEEDS = [
  nameConstraintsValue([gn.dns('example.com'), gn.ip('10.0.0.0/8'), gn.ip('2001:db8::/32')], [gn.dns('bad.example.com')]),
  nameConstraintsValue([gn.email('.example.com'), gn.uri('.example.com')], undefined),
  nameConstraintsValue(undefined, [gn.dir(name([ATTRIBUTE.organization, 'X'], [ATTRIBUTE.commonName, 'Y'])), gn.registeredId('1.2.3')]),
];

const c = chain();
const CRL_SEEDS = [
  makeCrl({ issuer: c.int }).der,
  makeCrl({ issuer: c.int, revoked: [Uint8Array.of(1), Uint8Array.of(2, 3)], entryExtensions: [extension('2.5.29.21', false, w.tlv(0x0a, Uint8Array.of(1)))] }).der,
  makeCrl({ issuer: c.root, nextUpdate: null, extensions: [extension('2.5.29.27', true, w.integer(3))] }).der,
];

describe('nameConstraints parser', () => {
  test('returns or throws DerError', () => {
    fc.assert(
      fc.property(bytesLike(NC_SEEDS), (b) => only([DerError], () => parseNameConstraints(b))),
      params(400, 1501),
    );
  });
  test('inside a CA certificate: parsing and validation end in TlsError', () => {
    const root = make({ subject: cnName('Fuzz Root') });
    fc.assert(
      fc.property(bytesLike(NC_SEEDS, 120), fc.boolean(), (value, critical) =>
        only([TlsError], () => {
          const int = make({ subject: cnName('Fuzz Intermediate'), ca: true, issuer: root, extra: [extension('2.5.29.30', critical, value)] });
          const leaf = make({ issuer: int, san: [gn.dns('a.example.com'), gn.ip('10.1.1.1'), gn.email('x@example.com'), gn.uri('https://a.example.com/')] });
          validateChain([leaf.cert, int.cert], optionsFor(root));
        }),
      ),
      params(150, 1502),
    );
  });
});

describe('CRL parser', () => {
  test('returns or throws DerError', () => {
    fc.assert(
      fc.property(bytesLike(CRL_SEEDS), (b) => only([DerError], () => parseCrl(b))),
      params(400, 1503),
    );
  });
  test('crlsFrom throws only TypeError; a parsed mutant in validation ends in TlsError', () => {
    const good = makeCrl({ issuer: c.root }).der;
    fc.assert(
      fc.property(bytesLike(CRL_SEEDS), (b) => {
        let parsed = false;
        only([TypeError], () => {
          crlsFrom('crl', b);
          parsed = true;
        });
        if (parsed) only([TlsError], () => validateChain([c.leaf.cert, c.int.cert], optionsFor(c.root, { crl: [good, b] })));
      }),
      params(300, 1504),
    );
  });
});
