// The chains of the profile-rule tests (issue 15): for each rule id of
// src/x509/profile.ts, a chain that breaks it and the same chain without the
// fault. Shared by rules.node.test.ts and the openssl differential test.
import * as w from '../../src/x509/der-writer.js';
import { EKU, EXT } from '../../src/x509/oids.js';
import { cnName, extension, gn, type Spec } from './generate.js';

export const EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
export const AIA = (critical: boolean): Uint8Array =>
  extension(EXT.authorityInfoAccess, critical, w.sequence(w.sequence(w.oid('1.3.6.1.5.5.7.48.2'), gn.uri('http://ca.example.com/int.der'))));
export const PC = (critical: boolean, body = w.sequence(w.implicit(1, Uint8Array.of(0)))): Uint8Array => extension(EXT.policyConstraints, critical, body);

export interface RuleCase {
  /** Which certificate is named in the error. */
  readonly role: 'leaf' | 'intermediate' | 'trust anchor';
  /** The chain breaking the rule. */
  readonly bad: { root?: Spec; int?: Spec; leaf?: Spec };
  /** The same chain without the fault. */
  readonly good: { root?: Spec; int?: Spec; leaf?: Spec };
}

const LONG_SERIAL = Uint8Array.from([0x01, ...new Array<number>(20).fill(0x22)]);
const SERIAL_20 = Uint8Array.from([0x7f, ...new Array<number>(19).fill(0x22)]);
export const EMPTY = w.sequence();

export const CASES: Record<string, RuleCase> = {
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
