// Issue 15: one test per profile rule (src/x509/profile.ts): a chain that
// breaks the rule fails with bad_certificate and a message naming the
// certificate and the rule; the same chain without the fault validates; a
// CA/Browser Forum rule is relaxed by profile 'rfc5280' and only by it.
// Also EKU chaining for both purposes, policyConstraints, and the path
// length and budget rules of path building.
import { describe, expect, test } from 'vitest';
import { type AlertName, TlsError } from '../../src/errors.js';
import { MAX_CANDIDATE_ISSUERS, PROFILE_RULES, type Profile, type ValidationOptions, validateChain } from '../../src/x509/index.js';
import * as w from '../../src/x509/der-writer.js';
import { EKU, EXT } from '../../src/x509/oids.js';
import { chain, cnName, extension, gn, type Issued, make, optionsFor, type Spec } from './generate.js';

const EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const AIA = (critical: boolean): Uint8Array =>
  extension(EXT.authorityInfoAccess, critical, w.sequence(w.sequence(w.oid('1.3.6.1.5.5.7.48.2'), gn.uri('http://ca.example.com/int.der'))));
const PC = (critical: boolean, body = w.sequence(w.implicit(1, Uint8Array.of(0)))): Uint8Array => extension(EXT.policyConstraints, critical, body);

function run(c: { root: Issued; int: Issued; leaf: Issued }, more: Partial<ValidationOptions> = {}): TlsError | undefined {
  try {
    validateChain([c.leaf.cert, c.int.cert], optionsFor(c.root, more));
    return undefined;
  } catch (e) {
    if (e instanceof TlsError) return e;
    throw e;
  }
}

function expectError(e: TlsError | undefined, alert: AlertName, message: RegExp): void {
  expect(e, 'expected validation to fail').toBeInstanceOf(TlsError);
  expect(e?.alert).toBe(alert);
  expect(e?.message).toMatch(message);
}

interface RuleCase {
  /** Which certificate is named in the error. */
  readonly role: 'leaf' | 'intermediate' | 'trust anchor';
  /** The chain breaking the rule. */
  readonly bad: { root?: Spec; int?: Spec; leaf?: Spec };
  /** The same chain without the fault. */
  readonly good: { root?: Spec; int?: Spec; leaf?: Spec };
}

const LONG_SERIAL = Uint8Array.from([0x01, ...new Array<number>(20).fill(0x22)]);
const SERIAL_20 = Uint8Array.from([0x7f, ...new Array<number>(19).fill(0x22)]);
const EMPTY = w.sequence();

const CASES: Record<string, RuleCase> = {
  'serial-not-positive': { role: 'leaf', bad: { leaf: { serial: Uint8Array.of(0) } }, good: { leaf: { serial: Uint8Array.of(1) } } },
  'serial-too-long': { role: 'leaf', bad: { leaf: { serial: LONG_SERIAL } }, good: { leaf: { serial: SERIAL_20 } } },
  'aki-critical': { role: 'leaf', bad: { leaf: { aki: 'critical' } }, good: { leaf: { aki: 'present' } } },
  'aki-missing': { role: 'intermediate', bad: { int: { aki: 'absent' } }, good: { int: { aki: 'present' } } },
  'aia-critical': { role: 'leaf', bad: { leaf: { extra: [AIA(true)] } }, good: { leaf: { extra: [AIA(false)] } } },
  'ski-missing': { role: 'intermediate', bad: { int: { ski: false } }, good: { int: { ski: true } } },
  'ca-bc-noncritical': { role: 'intermediate', bad: { int: { bc: 'noncritical' } }, good: { int: { bc: 'critical' } } },
  'ca-empty-subject': { role: 'intermediate', bad: { int: { subject: EMPTY } }, good: { int: { subject: cnName('Named Intermediate') } } },
  'pc-noncritical': { role: 'intermediate', bad: { int: { extra: [PC(false)] } }, good: { int: { extra: [PC(true)] } } },
  'eku-chain': { role: 'intermediate', bad: { int: { eku: [EMAIL_PROTECTION] } }, good: { int: { eku: [EMAIL_PROTECTION, EKU.serverAuth] } } },
  'empty-subject-san': {
    role: 'leaf',
    bad: { leaf: { subject: EMPTY, sanCritical: false } },
    good: { leaf: { subject: EMPTY, sanCritical: true } },
  },
  'leaf-keycertsign': { role: 'leaf', bad: { leaf: { keyUsage: [0, 5] } }, good: { leaf: { keyUsage: [0] } } },
  'leaf-ca': {
    role: 'leaf',
    bad: { leaf: { ca: true, keyUsage: [0], eku: [EKU.serverAuth], san: [gn.dns('leaf.example.com')] } },
    good: { leaf: { ca: false, keyUsage: [0], eku: [EKU.serverAuth], san: [gn.dns('leaf.example.com')] } },
  },
  'san-critical-with-subject': { role: 'leaf', bad: { leaf: { sanCritical: true } }, good: { leaf: { sanCritical: false } } },
  'dns-underscore': { role: 'leaf', bad: { leaf: { san: [gn.dns('ok.example.com'), gn.dns('a_b.example.com')] } }, good: { leaf: { san: [gn.dns('ok.example.com'), gn.dns('a-b.example.com')] } } },
  'leaf-eku-any': { role: 'leaf', bad: { leaf: { eku: [EKU.serverAuth, EKU.any] } }, good: { leaf: { eku: [EKU.serverAuth] } } },
  'leaf-eku-critical': { role: 'leaf', bad: { leaf: { ekuCritical: true } }, good: { leaf: { ekuCritical: false } } },
  'anchor-bc-missing': { role: 'trust anchor', bad: { root: { bc: 'absent' } }, good: { root: { bc: 'critical' } } },
  'anchor-bc-noncritical': { role: 'trust anchor', bad: { root: { bc: 'noncritical' } }, good: { root: { bc: 'critical' } } },
  'root-eku': { role: 'trust anchor', bad: { root: { eku: [EKU.serverAuth] } }, good: { root: { eku: null } } },
};

describe('profile rules: each refused with its id, its counterpart accepted', () => {
  test('every rule of PROFILE_RULES has a case here, and every case a rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(PROFILE_RULES.map((r) => r.id).sort());
  });
  for (const rule of PROFILE_RULES) {
    const c = CASES[rule.id] as RuleCase;
    test(`${rule.id} (${rule.profile === 'web' ? 'web profile only' : 'both profiles'}, ${rule.reference})`, () => {
      const bad = chain(c.bad);
      const named = c.role === 'leaf' ? bad.leaf : c.role === 'intermediate' ? bad.int : bad.root;
      const who = named.cert.subject.text === '' ? '\\(empty subject' : named.cert.subject.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const message = new RegExp(`^${c.role} ${who}.* breaks rule ${rule.id}: `);
      expectError(run(bad), 'bad_certificate', message);
      const relaxed = run(bad, { profile: 'rfc5280' });
      if (rule.profile === 'web') expect(relaxed, `${rule.id} must be relaxed by profile rfc5280`).toBeUndefined();
      else expectError(relaxed, 'bad_certificate', message);
      for (const profile of ['web', 'rfc5280'] as Profile[]) expect(run(chain(c.good), { profile })).toBeUndefined();
    });
  }
  test('the rule names the certificate in an unrelated position too: an intermediate serial of zero', () => {
    expectError(run(chain({ int: { serial: Uint8Array.of(0) } })), 'bad_certificate', /^intermediate CN=Rules Intermediate.* breaks rule serial-not-positive: its serial number is zero/);
    expectError(run(chain({ int: { serial: Uint8Array.of(0x80, 0x01) } })), 'bad_certificate', /breaks rule serial-not-positive: its serial number is negative/);
  });
  test('empty subject and no subjectAltName at all', () => {
    expectError(run(chain({ leaf: { subject: EMPTY, san: null } })), 'bad_certificate', /breaks rule empty-subject-san: its subject is empty and it has no subjectAltName/);
  });
  test('a pinned leaf is exempt from the rules (its trust is configuration)', () => {
    const pinned = make({ ca: true, keyUsage: [0, 5], eku: [EKU.serverAuth, EKU.any], san: [gn.dns('a_b.example.com')], sanCritical: true });
    expect(validateChain([pinned.cert], optionsFor(pinned)).path).toEqual([pinned.cert]);
  });
  test('profile is checked', () => {
    const c = chain();
    expect(() => run(c, { profile: 'strict' as never })).toThrow(TypeError);
  });
});

describe('EKU chaining', () => {
  const client = { leaf: { eku: [EKU.clientAuth] } };
  test('serverAuth: an intermediate restricted to emailProtection cannot issue a server certificate', () => {
    expectError(run(chain({ int: { eku: [EMAIL_PROTECTION] } })), 'bad_certificate', /its extKeyUsage does not allow serverAuth/);
    expect(run(chain({ int: { eku: [EKU.any] } }))).toBeUndefined();
    expect(run(chain({ int: { eku: null } }))).toBeUndefined();
  });
  test('clientAuth: the same validator for client certificates', () => {
    expectError(run(chain({ ...client, int: { eku: [EKU.serverAuth] } }), { purpose: 'clientAuth' }), 'bad_certificate', /breaks rule eku-chain: its extKeyUsage does not allow clientAuth/);
    expect(run(chain({ ...client, int: { eku: [EKU.clientAuth] } }), { purpose: 'clientAuth' })).toBeUndefined();
    // The leaf's own purpose is still checked.
    expectError(run(chain({ int: { eku: [EKU.clientAuth] } }), { purpose: 'clientAuth' }), 'unsupported_certificate', /not valid for TLS client authentication/);
  });
  test('a second path through an intermediate that allows the purpose is found', () => {
    const root = make({ subject: cnName('Rules Root') });
    const shared = { subject: cnName('Shared Intermediate'), ca: true, issuer: root, key: { key: root.key, point: root.point } };
    const narrow = make({ ...shared, eku: [EMAIL_PROTECTION] });
    const wide = make({ ...shared, eku: [EKU.serverAuth] });
    const leaf = make({ issuer: narrow });
    expect(validateChain([leaf.cert, narrow.cert, wide.cert], optionsFor(root)).path[1]).toBe(wide.cert);
  });
});

describe('policyConstraints', () => {
  test('requireExplicitPolicy cannot be honoured without policy processing: unsupported_certificate', () => {
    const c = chain({ int: { extra: [PC(true, w.sequence(w.implicit(0, Uint8Array.of(0))))] } });
    expectError(run(c), 'unsupported_certificate', /requireExplicitPolicy, but certificate policies are not processed/);
  });
  test('an empty policyConstraints is malformed', () => {
    expect(() => chain({ int: { extra: [PC(true, w.sequence())] } })).toThrow(/policyConstraints: empty sequence/);
  });
});

describe('authorityInformationAccess', () => {
  test('a malformed one fails parsing with bad_certificate', () => {
    const bad = extension(EXT.authorityInfoAccess, false, w.sequence(w.sequence(w.oid('1.3.6.1.5.5.7.48.2'))));
    expect(() => make({ extra: [bad] })).toThrow(/malformed certificate: .*accessLocation|malformed certificate/);
    expect(() => make({ extra: [extension(EXT.authorityInfoAccess, false, w.sequence())] })).toThrow(/authorityInformationAccess: empty/);
    expect(make({ extra: [AIA(false)] }).cert.authorityInfoAccess).toEqual([{ method: '1.3.6.1.5.5.7.48.2', uri: 'http://ca.example.com/int.der' }]);
  });
});

describe('path length and budgets', () => {
  test('self-issued intermediates do not count toward maxIntermediates (RFC 5280 §6.1.4 (l))', () => {
    const root = make({ subject: cnName('Rules Root') });
    const old = make({ subject: cnName('Rollover CA'), ca: true, issuer: root });
    // A key-rollover certificate: the new key certified by the old one, same name.
    const next = make({ subject: cnName('Rollover CA'), ca: true, issuer: old });
    const leaf = make({ issuer: next });
    const o = optionsFor(root, { maxIntermediates: 1 });
    expect(validateChain([leaf.cert, next.cert, old.cert], o).path).toHaveLength(4);
    // Two intermediates with different names do count.
    const a = make({ subject: cnName('A'), ca: true, issuer: root });
    const b = make({ subject: cnName('B'), ca: true, issuer: a });
    const leaf2 = make({ issuer: b });
    expect(() => validateChain([leaf2.cert, b.cert, a.cert], o)).toThrow(/certificate chain too long: more than 1 intermediate/);
    expect(validateChain([leaf2.cert, b.cert, a.cert], optionsFor(root, { maxIntermediates: 2 })).path).toHaveLength(4);
  });
  test('more than 16 certificates validate when a path exists (no count limit)', () => {
    const c = chain();
    const noise = Array.from({ length: 30 }, (_, i) => make({ subject: cnName(`Noise ${i}`), ca: true }).cert);
    expect(validateChain([c.leaf.cert, ...noise, c.int.cert], optionsFor(c.root)).path).toHaveLength(3);
  });
  test(`candidate issuers are bounded (${MAX_CANDIDATE_ISSUERS}): a flood of same-named non-CAs is refused within a second`, () => {
    const root = make({ subject: cnName('Rules Root') });
    const int = make({ subject: cnName('Busy'), ca: true, issuer: root });
    const leaf = make({ issuer: int });
    // Same-named certificates without a subjectKeyIdentifier (so the leaf's
    // AKI does not filter them out) that fail before any signature check.
    const key = { key: root.key, point: root.point };
    const decoys = Array.from({ length: MAX_CANDIDATE_ISSUERS + 50 }, () => make({ subject: cnName('Busy'), ca: false, ski: false, issuer: root, key }).cert);
    const o = optionsFor(root);
    const t0 = performance.now();
    expect(() => validateChain([leaf.cert, ...decoys, int.cert], o)).toThrow(`path building gave up after examining ${MAX_CANDIDATE_ISSUERS} candidate issuers`);
    expect(performance.now() - t0).toBeLessThan(1000);
    // Below the budget, the real issuer behind the decoys is found.
    expect(validateChain([leaf.cert, ...decoys.slice(0, 100), int.cert], o).path[1]).toBe(int.cert);
  });
});
