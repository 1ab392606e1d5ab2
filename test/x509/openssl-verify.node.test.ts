// Differential test against a named peer (issue 15): the chains of the profile
// rules (rule-cases.ts, breaking and conforming), the name
// constraint, EKU chaining and CRL tests, validated by wasmtls and by
// `openssl verify` (OpenSSL 3, -x509_strict, purpose sslserver, CRL_CHECK_ALL
// when CRLs are given) at the same time. Each case must get the same verdict
// from both, except the listed cases where wasmtls is deliberately stricter
// than OpenSSL, each with its reason; a listed case where the two agree
// fails too, so the list stays true.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { encodePem, validateChain } from '../../src/x509/index.js';
import { ATTRIBUTE, EKU } from '../../src/x509/oids.js';
import { AT, chain, gn, type Issued, makeCrl, name, optionsFor, type Spec } from './generate.js';
import { CASES as RULE_CASES } from './rule-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmtls-x509-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  readonly name: string;
  readonly spec: { root?: Spec; int?: Spec; leaf?: Spec };
  /** CRLs to give both: of the root (for the intermediate) and of the intermediate (for the leaf). */
  readonly crl?: (c: { root: Issued; int: Issued; leaf: Issued }) => Uint8Array[];
  /** Why wasmtls refuses what OpenSSL accepts, when it does. */
  readonly stricter?: string;
}

const nc = (permitted: Uint8Array[] | undefined, excluded?: Uint8Array[]): Spec => ({
  ca: true,
  nameConstraints: { ...(permitted === undefined ? {} : { permitted }), ...(excluded === undefined ? {} : { excluded }) },
});
const san = (...names: Uint8Array[]): Spec => ({ san: names });
const both = (c: { root: Issued; int: Issued }, revoked: Uint8Array[] = []): Uint8Array[] => [makeCrl({ issuer: c.root }).der, makeCrl({ issuer: c.int, revoked }).der];

const CASES: Case[] = [
  { name: 'plain chain', spec: {} },
  { name: 'dNSName permitted, inside', spec: { int: nc([gn.dns('example.com')]), leaf: san(gn.dns('www.example.com')) } },
  { name: 'dNSName permitted, outside', spec: { int: nc([gn.dns('example.com')]), leaf: san(gn.dns('example.org')) } },
  { name: 'dNSName permitted, outside in a second entry', spec: { int: nc([gn.dns('example.com')]), leaf: san(gn.dns('a.example.com'), gn.dns('evil.org')) } },
  { name: 'dNSName excluded', spec: { int: nc(undefined, [gn.dns('bad.example.com')]), leaf: san(gn.dns('x.bad.example.com')) } },
  { name: 'dNSName excluded, sibling', spec: { int: nc(undefined, [gn.dns('bad.example.com')]), leaf: san(gn.dns('good.example.com')) } },
  { name: 'dNSName constraint on the anchor', spec: { root: { nameConstraints: { permitted: [gn.dns('example.com')] } }, leaf: san(gn.dns('evil.org')) } },
  { name: 'dNSName case', spec: { int: nc([gn.dns('Example.COM')]), leaf: san(gn.dns('WWW.example.com')) } },
  {
    name: 'wildcard under an excluded subtree',
    spec: { int: nc(undefined, [gn.dns('bad.example.com')]), leaf: san(gn.dns('*.example.com')) },
    stricter: 'the wildcard can match bad.example.com; OpenSSL compares it as a literal label',
  },
  { name: 'iPAddress permitted, inside', spec: { int: nc([gn.ip('10.0.0.0/8')]), leaf: san(gn.dns('a.example'), gn.ip('10.1.2.3')) } },
  { name: 'iPAddress permitted, outside', spec: { int: nc([gn.ip('10.0.0.0/8')]), leaf: san(gn.dns('a.example'), gn.ip('11.0.0.1')) } },
  { name: 'IPv6 excluded', spec: { int: nc(undefined, [gn.ip('fe80::/10')]), leaf: san(gn.dns('a.example'), gn.ip('fe80::1')) } },
  {
    name: 'IPv4-mapped IPv6 under an IPv4 exclusion',
    spec: { int: nc(undefined, [gn.ip('10.0.0.0/8')]), leaf: san(gn.dns('a.example'), gn.ip('::ffff:10.0.0.1')) },
    stricter: '::ffff:10.0.0.1 is 10.0.0.1; OpenSSL compares only addresses of the same length',
  },
  { name: 'rfc822Name permitted host', spec: { int: nc([gn.email('example.com')]), leaf: san(gn.dns('a.example'), gn.email('a@example.com')) } },
  { name: 'rfc822Name outside', spec: { int: nc([gn.email('example.com')]), leaf: san(gn.dns('a.example'), gn.email('a@example.org')) } },
  { name: 'URI permitted domain', spec: { int: nc([gn.uri('.example.com')]), leaf: san(gn.dns('a.example'), gn.uri('https://a.example.com/x')) } },
  { name: 'URI outside', spec: { int: nc([gn.uri('.example.com')]), leaf: san(gn.dns('a.example'), gn.uri('https://a.example.org/x')) } },
  { name: 'directoryName permitted', spec: { int: nc([gn.dir(name([ATTRIBUTE.organization, 'wasmtls rules']))]) } },
  { name: 'directoryName outside', spec: { int: nc([gn.dir(name([ATTRIBUTE.organization, 'Somebody Else']))]) } },
  { name: 'EKU chaining: emailProtection intermediate', spec: { int: { ca: true, eku: ['1.3.6.1.5.5.7.3.4'] } } },
  { name: 'EKU chaining: serverAuth intermediate', spec: { int: { ca: true, eku: [EKU.serverAuth] } } },
  { name: 'CRLs listing nothing', spec: {}, crl: (c) => both(c) },
  { name: 'CRL revoking the leaf', spec: {}, crl: (c) => both(c, [c.leaf.cert.serialNumber]) },
  { name: 'CRL revoking the intermediate', spec: {}, crl: (c) => [makeCrl({ issuer: c.root, revoked: [c.int.cert.serialNumber] }).der, makeCrl({ issuer: c.int }).der] },
  { name: 'no CRL for the intermediate', spec: {}, crl: (c) => [makeCrl({ issuer: c.int }).der] },
  { name: 'stale CRL', spec: {}, crl: (c) => [makeCrl({ issuer: c.root }).der, makeCrl({ issuer: c.int, nextUpdate: new Date('2030-05-01T00:00:00Z') }).der] },
  {
    name: 'CRL without nextUpdate',
    spec: {},
    crl: (c) => [makeCrl({ issuer: c.root }).der, makeCrl({ issuer: c.int, nextUpdate: null }).der],
    stricter: 'a CRL without nextUpdate has no freshness (RFC 5280 §5.1.2.5: conforming issuers MUST include it); OpenSSL takes it as current',
  },
];

let files = 0;
function write(label: string, der: Uint8Array): string {
  const path = join(dir, `${files++}.pem`);
  writeFileSync(path, encodePem(label, der));
  return path;
}

/** OpenSSL's verdict: undefined when it verifies, else its error line. */
function openssl(c: { root: Issued; int: Issued; leaf: Issued }, crls: readonly Uint8Array[]): string | undefined {
  const args = ['verify', '-x509_strict', '-purpose', 'sslserver', '-attime', String(AT.getTime() / 1000)];
  args.push('-CAfile', write('CERTIFICATE', c.root.cert.der), '-untrusted', write('CERTIFICATE', c.int.cert.der));
  if (crls.length > 0) {
    args.push('-crl_check_all');
    for (const crl of crls) args.push('-CRLfile', write('X509 CRL', crl));
  }
  args.push(write('CERTIFICATE', c.leaf.cert.der));
  try {
    execFileSync('openssl', args, { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    const out = `${(e as { stdout?: Buffer }).stdout?.toString() ?? ''}${(e as { stderr?: Buffer }).stderr?.toString() ?? ''}`;
    return out.split('\n').find((l) => /error \d+/.test(l)) ?? out.trim();
  }
}

function ours(c: { root: Issued; int: Issued; leaf: Issued }, crls: readonly Uint8Array[]): string | undefined {
  try {
    validateChain([c.leaf.cert, c.int.cert], optionsFor(c.root, crls.length > 0 ? { crl: crls } : {}));
    return undefined;
  } catch (e) {
    if (e instanceof TlsError) return `${e.alert}: ${e.message}`;
    throw e;
  }
}

/**
 * Profile rules OpenSSL 3.0's -x509_strict does not check, with why wasmtls
 * does; every other rule's chain OpenSSL refuses too. (The web-only rules
 * are CA/Browser Forum rules, which OpenSSL does not apply.)
 */
const RULES_OPENSSL_SKIPS: Readonly<Record<string, string>> = {
  'serial-not-positive': 'RFC 5280 §4.1.2.2: serial numbers MUST be positive',
  'serial-too-long': 'RFC 5280 §4.1.2.2: at most 20 octets',
  'pc-noncritical': 'RFC 5280 §4.2.1.11: policyConstraints MUST be critical',
  'leaf-ca': 'web profile: CA/B Forum BR §7.1.2.7.8',
  'san-critical-with-subject': 'web profile: CA/B Forum BR §7.1.2.7.12',
  'dns-underscore': 'web profile: CA/B Forum BR §7.1.4.2.1',
  'leaf-eku-any': 'web profile: CA/B Forum BR §7.1.2.7.10',
  'leaf-eku-critical': 'web profile: CA/B Forum BR §7.1.2.7.10',
  'root-eku': 'web profile: CA/B Forum BR §7.1.2.1.4',
};

for (const [id, k] of Object.entries(RULE_CASES)) {
  CASES.push({ name: `rule ${id}: the breaking chain`, spec: k.bad, ...(id in RULES_OPENSSL_SKIPS ? { stricter: RULES_OPENSSL_SKIPS[id] as string } : {}) });
  CASES.push({ name: `rule ${id}: the conforming chain`, spec: k.good });
}

describe('wasmtls and openssl verify agree', () => {
  for (const k of CASES) {
    test(k.name, () => {
      const c = chain(k.spec);
      const crls = k.crl?.(c) ?? [];
      const o = openssl(c, crls);
      const w = ours(c, crls);
      if (k.stricter === undefined) {
        expect({ wasmtls: w === undefined ? 'ok' : 'refused', openssl: o === undefined ? 'ok' : 'refused' }, `wasmtls: ${w}\nopenssl: ${o}`).toEqual(
          w === undefined ? { wasmtls: 'ok', openssl: 'ok' } : { wasmtls: 'refused', openssl: 'refused' },
        );
      } else {
        expect(o, `OpenSSL now refuses too (${o}); move the case out of the stricter list`).toBeUndefined();
        expect(w, k.stricter).toBeDefined();
      }
    });
  }
  test('the cases cover both verdicts', () => {
    const verdicts = new Set(CASES.map((k) => ours(chain(k.spec), []) === undefined));
    expect(verdicts.size).toBe(2);
  });
});
