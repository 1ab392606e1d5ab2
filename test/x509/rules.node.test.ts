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
import { selfIssuedAkiProblem } from '../../src/x509/profile.js';
import { EKU, EXT } from '../../src/x509/oids.js';
import { chain, cnName, extension, gn, type Issued, make, optionsFor } from './generate.js';
import { AIA, CASES, EMAIL_PROTECTION, EMPTY, PC, type RuleCase } from './rule-cases.js';

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
  test('aki-missing on a self-issued certificate signed by another key (key rollover); a self-signed copy is exempt', () => {
    const root = make({ subject: cnName('Rollover Root') });
    const rollover = (aki: 'present' | 'absent') => make({ subject: cnName('Rollover Root'), ca: true, issuer: root, aki });
    const bare = rollover('absent');
    const leafOf = (int: Issued) => make({ issuer: int });
    expectError(
      (() => {
        try {
          validateChain([leafOf(bare).cert, bare.cert], optionsFor(root));
        } catch (e) {
          return e as TlsError;
        }
        return undefined;
      })(),
      'bad_certificate',
      /^intermediate CN=Rollover Root.* breaks rule aki-missing: it has no authorityKeyIdentifier keyIdentifier and is self-issued but signed by another key/,
    );
    const marked = rollover('present');
    expect(validateChain([leafOf(marked).cert, marked.cert], optionsFor(root)).path).toHaveLength(3);
    // The root re-issued with its own key and no AKI (self-signed) is exempt.
    const copy = make({ subject: cnName('Rollover Root'), ca: true, key: { key: root.key, point: root.point }, serial: Uint8Array.of(0x55) });
    expect(selfIssuedAkiProblem(copy.cert, root.cert, 'ca')).toBeUndefined();
    expect(selfIssuedAkiProblem(bare.cert, root.cert, 'ca')?.message).toMatch(/breaks rule aki-missing/);
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
