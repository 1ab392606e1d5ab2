// Name constraints (RFC 5280 §4.2.1.10), issue 15: permitted and excluded
// subtrees for each name form, wildcards, IPv4-mapped IPv6, case, trailing
// dots, constraints on a trust anchor and on a cross-signed intermediate, a
// second SAN entry outside the constraint, self-issued certificates, the
// comparison budget, and malformed extensions.
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { MAX_NAME_CONSTRAINT_COMPARISONS, parseNameConstraints, validateChain } from '../../src/x509/index.js';
import * as w from '../../src/x509/der-writer.js';
import { ATTRIBUTE } from '../../src/x509/oids.js';
import { cnName, extension, gn, make, name, nameConstraintsValue, optionsFor, type Spec } from './generate.js';

type Constraints = { permitted?: Uint8Array[]; excluded?: Uint8Array[]; critical?: boolean };

/** Validates leaf <- int <- root with the constraints on the root (the trust anchor) or on the intermediate. */
function check(nc: Constraints, leaf: Spec, on: 'anchor' | 'intermediate' = 'intermediate'): TlsError | undefined {
  const root = make({ subject: cnName('NC Root'), ...(on === 'anchor' ? { nameConstraints: nc } : {}) });
  const int = make({ subject: cnName('NC Intermediate'), ca: true, issuer: root, ...(on === 'intermediate' ? { nameConstraints: nc } : {}) });
  const l = make({ subject: cnName('leaf'), issuer: int, ...leaf });
  try {
    validateChain([l.cert, int.cert], optionsFor(root));
    return undefined;
  } catch (e) {
    if (e instanceof TlsError) return e;
    throw e;
  }
}

const dns = (...names: string[]): Spec => ({ san: names.map(gn.dns) });
const ips = (...a: string[]): Spec => ({ san: a.map(gn.ip) });

function refused(e: TlsError | undefined, why: RegExp): void {
  expect(e, 'expected a name constraint failure').toBeInstanceOf(TlsError);
  expect(e?.alert).toBe('bad_certificate');
  expect(e?.message).toMatch(/^leaf CN=leaf.* breaks the nameConstraints of (intermediate|trust anchor) /);
  expect(e?.message).toMatch(why);
}

describe('dNSName', () => {
  const permitted = { permitted: [gn.dns('example.com')] };
  test('permitted: the name and its subdomains only', () => {
    expect(check(permitted, dns('example.com'))).toBeUndefined();
    expect(check(permitted, dns('www.example.com', 'a.b.example.com'))).toBeUndefined();
    refused(check(permitted, dns('badexample.com')), /dNSName "badexample.com" is outside every permitted subtree \(dNSName "example.com"\)/);
    refused(check(permitted, dns('example.org')), /"example.org" is outside/);
  });
  test('excluded', () => {
    const ex = { excluded: [gn.dns('bad.example.com')] };
    refused(check(ex, dns('x.bad.example.com')), /dNSName "x.bad.example.com" is in the excluded subtree dNSName "bad.example.com"/);
    refused(check(ex, dns('bad.example.com')), /is in the excluded subtree/);
    expect(check(ex, dns('good.example.com', 'notbad.example.com'))).toBeUndefined();
  });
  test('a name outside the constraint hidden in a second SAN entry', () => {
    refused(check(permitted, dns('www.example.com', 'evil.org')), /dNSName "evil.org" is outside/);
    refused(check({ excluded: [gn.dns('evil.org')] }, dns('www.example.com', 'login.evil.org')), /"login.evil.org" is in the excluded subtree/);
  });
  test('wildcards: permitted only if every match is, excluded if any match is', () => {
    expect(check(permitted, dns('*.example.com'))).toBeUndefined();
    refused(check({ permitted: [gn.dns('www.example.com')] }, dns('*.example.com')), /"\*.example.com" is outside/);
    refused(check({ excluded: [gn.dns('bad.example.com')] }, dns('*.example.com')), /"\*.example.com" is in the excluded subtree dNSName "bad.example.com"/);
    expect(check({ excluded: [gn.dns('a.bad.example.com')] }, dns('*.example.com'))).toBeUndefined();
    refused(check({ excluded: [gn.dns('example.com')] }, dns('*.example.com')), /excluded/);
  });
  test('case-insensitive', () => {
    expect(check({ permitted: [gn.dns('Example.COM')] }, dns('WWW.example.com'))).toBeUndefined();
    refused(check({ excluded: [gn.dns('BAD.example.com')] }, dns('bad.EXAMPLE.com')), /excluded/);
  });
  test('trailing dots compare as absent, on either side', () => {
    refused(check({ excluded: [gn.dns('bad.example.com')] }, dns('bad.example.com.')), /excluded/);
    refused(check({ excluded: [gn.dns('bad.example.com.')] }, dns('bad.example.com')), /excluded/);
    expect(check({ permitted: [gn.dns('example.com.')] }, dns('www.example.com'))).toBeUndefined();
  });
  test('a leading dot covers subdomains only; an empty constraint covers everything', () => {
    refused(check({ permitted: [gn.dns('.example.com')] }, dns('example.com')), /outside/);
    expect(check({ permitted: [gn.dns('.example.com')] }, dns('a.example.com'))).toBeUndefined();
    refused(check({ excluded: [gn.dns('')] }, dns('anything.example')), /excluded/);
  });
  test('constraints of another form do not restrict dNSNames', () => {
    expect(check({ permitted: [gn.ip('10.0.0.0/8')] }, dns('anything.example'))).toBeUndefined();
  });
});

describe('iPAddress', () => {
  test('IPv4 permitted and excluded with masks', () => {
    const p = { permitted: [gn.ip('10.0.0.0/8')] };
    expect(check(p, ips('10.1.2.3'))).toBeUndefined();
    refused(check(p, ips('11.0.0.1')), /iPAddress 11.0.0.1 is outside every permitted subtree \(iPAddress 10.0.0.0\/8\)/);
    refused(check({ excluded: [gn.ip('192.168.0.0/16')] }, ips('192.168.7.1')), /iPAddress 192.168.7.1 is in the excluded subtree iPAddress 192.168.0.0\/16/);
    expect(check({ excluded: [gn.ip('192.168.0.0/16')] }, ips('192.169.0.1'))).toBeUndefined();
    expect(check({ permitted: [gn.ip('10.1.2.3/32')] }, ips('10.1.2.3'))).toBeUndefined();
  });
  test('IPv6 permitted and excluded with masks', () => {
    const p = { permitted: [gn.ip('2001:db8::/32')] };
    expect(check(p, ips('2001:db8::1'))).toBeUndefined();
    refused(check(p, ips('2001:db9::1')), /iPAddress 2001:db9::1 is outside/);
    refused(check({ excluded: [gn.ip('fe80::/10')] }, ips('febf::1')), /in the excluded subtree iPAddress fe80::\/10/);
  });
  test('an IPv4 address is not permitted by IPv6 subtrees, and the reverse', () => {
    refused(check({ permitted: [gn.ip('2001:db8::/32')] }, ips('10.0.0.1')), /outside/);
    refused(check({ permitted: [gn.ip('10.0.0.0/8')] }, ips('2001:db8::1')), /outside/);
  });
  test('IPv4-mapped IPv6: excluded by IPv4 exclusions, permitted only by IPv6 subtrees', () => {
    refused(check({ excluded: [gn.ip('10.0.0.0/8')] }, ips('::ffff:10.0.0.1')), /iPAddress ::ffff:a00:1 is in the excluded subtree iPAddress 10.0.0.0\/8/);
    refused(check({ permitted: [gn.ip('10.0.0.0/8')] }, ips('::ffff:10.0.0.1')), /outside/);
    expect(check({ permitted: [gn.ip('::ffff:0:0/96')] }, ips('::ffff:10.0.0.1'))).toBeUndefined();
  });
});

describe('directoryName', () => {
  const org = name([ATTRIBUTE.organization, 'wasmtls rules']);
  test('permitted: the subject must start with the constraint', () => {
    expect(check({ permitted: [gn.dir(org)] }, {})).toBeUndefined();
    refused(
      check({ permitted: [gn.dir(org)] }, { subject: name([ATTRIBUTE.organization, 'Other'], [ATTRIBUTE.commonName, 'leaf']) }),
      /directoryName "CN=leaf, O=Other" is outside every permitted subtree/,
    );
  });
  test('excluded, across string types, case and spacing', () => {
    const blocked = name([ATTRIBUTE.organization, 'wasmtls rules'], [ATTRIBUTE.commonName, 'leaf']);
    refused(check({ excluded: [gn.dir(blocked)] }, {}), /directoryName "CN=leaf, O=wasmtls rules" is in the excluded subtree/);
    const printable = w.sequence(w.set(w.sequence(w.oid(ATTRIBUTE.organization), w.printableString('WASMTLS  Rules '))));
    refused(check({ excluded: [gn.dir(printable)] }, {}), /excluded/);
  });
  test('directoryName entries of subjectAltName are checked too', () => {
    const other = name([ATTRIBUTE.organization, 'Other']);
    refused(check({ permitted: [gn.dir(name([ATTRIBUTE.organization, 'wasmtls rules']))] }, { san: [gn.dns('a.example'), gn.dir(other)] }), /directoryName "O=Other" is outside/);
  });
  test('an empty subject is not checked against directoryName constraints', () => {
    expect(check({ permitted: [gn.dir(name([ATTRIBUTE.organization, 'wasmtls rules']))] }, { subject: w.sequence(), sanCritical: true })).toBeUndefined();
  });
});

describe('rfc822Name', () => {
  const email = (...e: string[]): Spec => ({ san: [gn.dns('leaf.example'), ...e.map(gn.email)] });
  test('a host: mailboxes on that host only', () => {
    const p = { permitted: [gn.email('example.com')] };
    expect(check(p, email('a@example.com', 'b@EXAMPLE.com'))).toBeUndefined();
    refused(check(p, email('a@sub.example.com')), /rfc822Name "a@sub.example.com" is outside/);
  });
  test('a domain (leading dot): mailboxes below it', () => {
    const p = { permitted: [gn.email('.example.com')] };
    expect(check(p, email('a@sub.example.com'))).toBeUndefined();
    refused(check(p, email('a@example.com')), /outside/);
  });
  test('a mailbox: that one only; the local part is case-sensitive', () => {
    const ex = { excluded: [gn.email('boss@example.com')] };
    refused(check(ex, email('boss@example.com')), /rfc822Name "boss@example.com" is in the excluded subtree rfc822Name "boss@example.com"/);
    expect(check(ex, email('Boss@example.com', 'other@example.com'))).toBeUndefined();
  });
  test('an address without a domain cannot be checked and is refused', () => {
    refused(check({ excluded: [gn.email('evil.org')] }, email('nobody')), /rfc822Name "nobody" cannot be checked/);
  });
  test('without subjectAltName, the subject emailAddress is checked', () => {
    const subject = name([ATTRIBUTE.commonName, 'leaf'], ['1.2.840.113549.1.9.1', 'x@evil.org']);
    const e = check({ permitted: [gn.email('example.com')] }, { subject, san: null });
    expect(e?.message).toMatch(/rfc822Name "x@evil.org" is outside/);
  });
});

describe('uniformResourceIdentifier', () => {
  const uri = (...u: string[]): Spec => ({ san: [gn.dns('leaf.example'), ...u.map(gn.uri)] });
  test('a host, or a domain with a leading dot', () => {
    expect(check({ permitted: [gn.uri('.example.com')] }, uri('https://a.example.com/x', 'ldap://user@b.example.com:389/'))).toBeUndefined();
    refused(check({ permitted: [gn.uri('.example.com')] }, uri('https://example.org/')), /URI "https:\/\/example.org\/" is outside/);
    expect(check({ permitted: [gn.uri('host.example.com')] }, uri('https://HOST.example.com/'))).toBeUndefined();
    refused(check({ excluded: [gn.uri('host.example.com')] }, uri('https://host.example.com:8443/a')), /excluded/);
  });
  test('a URI without a host, or with an IP literal, cannot be checked and is refused', () => {
    refused(check({ permitted: [gn.uri('.example.com')] }, uri('urn:example:thing')), /URI "urn:example:thing" cannot be checked/);
    refused(check({ excluded: [gn.uri('.example.com')] }, uri('https://10.0.0.1/')), /cannot be checked/);
  });
});

describe('where the constraint sits', () => {
  test('on the trust anchor', () => {
    refused(check({ permitted: [gn.dns('example.com')] }, dns('evil.org'), 'anchor'), /of trust anchor CN=NC Root.*"evil.org" is outside/);
    expect(check({ permitted: [gn.dns('example.com')] }, dns('a.example.com'), 'anchor')).toBeUndefined();
  });
  test('the anchor constrains the intermediate too', () => {
    const root = make({ subject: cnName('NC Root'), nameConstraints: { permitted: [gn.dir(name([ATTRIBUTE.organization, 'Allowed']))] } });
    const int = make({ subject: cnName('NC Intermediate'), ca: true, issuer: root });
    const leaf = make({ subject: name([ATTRIBUTE.organization, 'Allowed'], [ATTRIBUTE.commonName, 'leaf']), issuer: int });
    expect(() => validateChain([leaf.cert, int.cert], optionsFor(root))).toThrow(/^intermediate CN=NC Intermediate.* breaks the nameConstraints of trust anchor/);
  });
  test('enforced when the extension is not critical', () => {
    refused(check({ permitted: [gn.dns('example.com')], critical: false }, dns('evil.org')), /outside/);
    expect(check({ permitted: [gn.dns('example.com')], critical: false }, dns('ok.example.com'))).toBeUndefined();
  });
  test('on a cross-signed intermediate: only the path through the constrained copy fails', () => {
    const rootA = make({ subject: cnName('Root A') });
    const rootB = make({ subject: cnName('Root B') });
    const key = make({ ca: true }); // only for its key pair
    const kp = { key: key.key, point: key.point };
    const plain = make({ subject: cnName('Cross'), ca: true, issuer: rootA, key: kp });
    const constrained = make({ subject: cnName('Cross'), ca: true, issuer: rootB, key: kp, nameConstraints: { permitted: [gn.dns('example.com')] } });
    const leaf = make({ subject: cnName('leaf'), issuer: plain, san: [gn.dns('evil.org')] });
    expect(() => validateChain([leaf.cert, constrained.cert], optionsFor(rootB))).toThrow(/breaks the nameConstraints of intermediate CN=Cross/);
    expect(validateChain([leaf.cert, plain.cert], optionsFor(rootA)).anchor).toBe(rootA.cert);
    // Both copies and both anchors: path building goes around the constraint.
    const both = { ...optionsFor(rootA), trustAnchors: [rootB.cert, rootA.cert] };
    expect(validateChain([leaf.cert, constrained.cert, plain.cert], both).anchor).toBe(rootA.cert);
  });
  test('self-issued intermediates are exempt (§6.1.3 (b)); others are not', () => {
    const rootName = name([ATTRIBUTE.organization, 'Root Org'], [ATTRIBUTE.commonName, 'R']);
    const root = make({ subject: rootName, nameConstraints: { permitted: [gn.dir(name([ATTRIBUTE.organization, 'wasmtls rules']))] } });
    const rollover = make({ subject: rootName, ca: true, issuer: root }); // self-issued: issuer = subject
    const leaf = make({ subject: cnName('leaf'), issuer: rollover });
    expect(validateChain([leaf.cert, rollover.cert], optionsFor(root)).path).toHaveLength(3);
    const other = make({ subject: name([ATTRIBUTE.organization, 'Root Org'], [ATTRIBUTE.commonName, 'Not R']), ca: true, issuer: root });
    const leaf2 = make({ subject: cnName('leaf'), issuer: other });
    expect(() => validateChain([leaf2.cert, other.cert], optionsFor(root))).toThrow(/^intermediate CN=Not R, O=Root Org breaks the nameConstraints/);
  });
  test('constraints of a form this validator cannot match refuse a name of such a form', () => {
    const nc = { permitted: [gn.registeredId('1.2.3.4')] };
    refused(check(nc, { san: [gn.dns('a.example'), gn.otherName()] }), /of a form this validator does not match/);
    expect(check(nc, dns('a.example'))).toBeUndefined();
  });
});

describe('comparison budget', () => {
  test(`over ${MAX_NAME_CONSTRAINT_COMPARISONS} comparisons: refused within a second`, () => {
    const subtrees = Array.from({ length: 300 }, (_, i) => gn.dns(`d${i}.example`));
    const names = Array.from({ length: 1000 }, (_, i) => `n${i}.d299.example`);
    const t0 = performance.now();
    const e = check({ permitted: subtrees }, dns(...names));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e?.alert).toBe('bad_certificate');
    expect(e?.message).toBe(`name constraint checking gave up after ${MAX_NAME_CONSTRAINT_COMPARISONS} comparisons (RFC 5280 §4.2.1.10; the limit bounds hostile inputs, as webpki's)`);
    // The same shape within the budget validates.
    expect(check({ permitted: subtrees }, dns(...names.slice(0, 100)))).toBeUndefined();
  });
  test('a same-named decoy that does not verify cannot spend the budget (constraints are checked after the signature)', () => {
    const subtrees = Array.from({ length: 300 }, (_, i) => gn.dns(`d${i}.example`));
    const names = Array.from({ length: 1000 }, (_, i) => `n${i}.d299.example`);
    const root = make({ subject: cnName('NC Root') });
    const int = make({ subject: cnName('NC Intermediate'), ca: true, issuer: root });
    // Another key under int's subjectKeyIdentifier (so the leaf's AKI does not rule it out), with constraints that would cost 300,000 comparisons.
    const ski = extension('2.5.29.14', false, w.octetString(int.cert.subjectKeyIdentifier as Uint8Array));
    const decoy = make({ subject: cnName('NC Intermediate'), ca: true, issuer: root, ski: false, extra: [ski], nameConstraints: { permitted: subtrees } });
    const leaf = make({ subject: cnName('leaf'), issuer: int, san: names.map(gn.dns) });
    expect(validateChain([leaf.cert, decoy.cert, int.cert], optionsFor(root)).path[1]).toBe(int.cert);
  });
});

describe('malformed nameConstraints', () => {
  const bad = (value: Uint8Array, why: RegExp): void => {
    expect(() => make({ ca: true, extra: [extension('2.5.29.30', true, value)] })).toThrow(why);
    expect(() => parseNameConstraints(value)).toThrow(why);
  };
  test('each is a parse error', () => {
    bad(w.sequence(), /neither permitted nor excluded/);
    bad(w.sequence(w.implicit(0, new Uint8Array(0), true)), /empty GeneralSubtrees/);
    bad(w.sequence(w.implicit(0, w.sequence(gn.dns('a.example'), w.implicit(0, Uint8Array.of(1))), true)), /minimum and maximum must be absent/);
    bad(w.sequence(w.implicit(1, w.sequence(gn.dns('a.example'), w.implicit(1, Uint8Array.of(1))), true)), /minimum and maximum must be absent/);
    bad(w.sequence(w.implicit(0, w.sequence(w.implicit(7, Uint8Array.of(10, 0, 0, 0, 255, 0, 255, 0))), true)), /non-contiguous mask/);
    bad(w.sequence(w.implicit(0, w.sequence(w.implicit(7, Uint8Array.of(10, 0, 0, 0))), true)), /iPAddress constraint of 4 bytes/);
    bad(w.sequence(w.implicit(0, w.sequence(w.implicit(2, Uint8Array.of(0xc3, 0xa9))), true)), /non-ASCII/);
  });
  test('a well-formed one parses to its subtrees', () => {
    expect(parseNameConstraints(nameConstraintsValue([gn.dns('Example.COM.'), gn.ip('10.0.0.0/8')], [gn.email('.x.example')]))).toEqual({
      permitted: [
        { type: 'dns', value: 'example.com' },
        { type: 'ip', address: Uint8Array.of(10, 0, 0, 0), mask: Uint8Array.of(255, 0, 0, 0), prefix: 8 },
      ],
      excluded: [{ type: 'email', value: '.x.example' }],
    });
  });
});

