/**
 * Certificate profile rules checked during path validation, one check per
 * rule, each with an id that the error message names. Two profiles:
 * - `'rfc5280'`: the MUSTs of RFC 5280 that a verifier can check on one
 *   certificate, plus EKU chaining (not in RFC 5280, but applied by Chrome,
 *   Go and pyca/cryptography alike, so in both profiles);
 * - `'web'` (the default): all of those plus the CA/Browser Forum Baseline
 *   Requirements (BR, version 2.x §7.1) rules below, as pyca/cryptography's
 *   WebPKI profile and webpki apply them.
 *
 * Rules apply by the certificate's place in the path: `leaf`, `ca` (an
 * intermediate), `any` (leaf or intermediate), `anchor` (the trust anchor
 * that ends the path). A leaf that is itself a trust anchor (a pinned
 * certificate) is exempt: its trust comes from configuration, not a profile.
 * Anchors get only the `anchor` rules, which are BR rules: RFC 5280 §6.1.1
 * takes an anchor as input and sets no requirement on its encoding.
 * @module
 */
import { TlsError } from '../errors.js';
import type { Certificate } from './certificate.js';
import { isSelfIssued } from './certificate.js';
import { label } from './label.js';
import { EKU, EXT } from './oids.js';

/** Which rule set validation applies; see the module notes. */
export type Profile = 'web' | 'rfc5280';

/** Where in the path a rule applies. */
export type RulePlace = 'leaf' | 'ca' | 'any' | 'anchor';

/** One profile rule. */
export interface ProfileRule {
  /** The id in error messages, e.g. `aki-critical`. */
  readonly id: string;
  /** `rfc5280`: in both profiles; `web`: only in the web profile. */
  readonly profile: Profile;
  readonly place: RulePlace;
  /** The clause that makes it a rule. */
  readonly reference: string;
  /** What is refused, for the documentation. */
  readonly summary: string;
  /** Why `cert` breaks the rule, or undefined. `purpose` is the validation's. */
  readonly check: (cert: Certificate, purpose: 'serverAuth' | 'clientAuth') => string | undefined;
}

function ext(cert: Certificate, oid: string): { critical: boolean } | undefined {
  return cert.extensions.find((e) => e.oid === oid);
}

/** The serial's INTEGER contents: negative when the sign bit is set, zero when all bytes are zero. */
function serialSign(serial: Uint8Array): -1 | 0 | 1 {
  if (((serial[0] as number) & 0x80) !== 0) return -1;
  return serial.every((b) => b === 0) ? 0 : 1;
}

/** Every rule, in the order they are checked. */
export const PROFILE_RULES: readonly ProfileRule[] = [
  {
    id: 'serial-not-positive',
    profile: 'rfc5280',
    place: 'any',
    reference: 'RFC 5280 §4.1.2.2',
    summary: 'a serial number that is zero or negative',
    check: (c) => (serialSign(c.serialNumber) <= 0 ? `its serial number is ${serialSign(c.serialNumber) === 0 ? 'zero' : 'negative'}` : undefined),
  },
  {
    id: 'serial-too-long',
    profile: 'rfc5280',
    place: 'any',
    reference: 'RFC 5280 §4.1.2.2',
    summary: 'a serial number longer than 20 octets',
    check: (c) => (c.serialNumber.length > 20 ? `its serial number is ${c.serialNumber.length} octets long, more than 20` : undefined),
  },
  {
    id: 'aki-critical',
    profile: 'rfc5280',
    place: 'any',
    reference: 'RFC 5280 §4.2.1.1',
    summary: 'a critical authorityKeyIdentifier',
    check: (c) => (ext(c, EXT.authorityKeyIdentifier)?.critical === true ? 'its authorityKeyIdentifier is marked critical' : undefined),
  },
  {
    id: 'aki-missing',
    profile: 'rfc5280',
    place: 'any',
    reference: 'RFC 5280 §4.2.1.1',
    summary: 'no authorityKeyIdentifier keyIdentifier on a certificate that is not self-issued',
    check: (c) => (c.authorityKeyIdentifier === undefined && !isSelfIssued(c) ? 'it has no authorityKeyIdentifier keyIdentifier but is not self-issued' : undefined),
  },
  {
    id: 'aia-critical',
    profile: 'rfc5280',
    place: 'any',
    reference: 'RFC 5280 §4.2.2.1',
    summary: 'a critical authorityInformationAccess',
    check: (c) => (ext(c, EXT.authorityInfoAccess)?.critical === true ? 'its authorityInformationAccess is marked critical' : undefined),
  },
  {
    id: 'ski-missing',
    profile: 'rfc5280',
    place: 'ca',
    reference: 'RFC 5280 §4.2.1.2',
    summary: 'a CA certificate without subjectKeyIdentifier',
    check: (c) => (c.subjectKeyIdentifier === undefined ? 'it is a CA certificate without subjectKeyIdentifier' : undefined),
  },
  {
    id: 'ca-bc-noncritical',
    profile: 'rfc5280',
    place: 'ca',
    reference: 'RFC 5280 §4.2.1.9',
    summary: 'a CA certificate whose basicConstraints is not critical',
    check: (c) => (ext(c, EXT.basicConstraints)?.critical === false ? 'its basicConstraints is not marked critical' : undefined),
  },
  {
    id: 'ca-empty-subject',
    profile: 'rfc5280',
    place: 'ca',
    reference: 'RFC 5280 §4.1.2.6',
    summary: 'a CA certificate with an empty subject',
    check: (c) => (c.subject.rdns.length === 0 ? 'it is a CA certificate with an empty subject' : undefined),
  },
  {
    id: 'pc-noncritical',
    profile: 'rfc5280',
    place: 'ca',
    reference: 'RFC 5280 §4.2.1.11',
    summary: 'a policyConstraints extension that is not critical',
    check: (c) => (ext(c, EXT.policyConstraints)?.critical === false ? 'its policyConstraints is not marked critical' : undefined),
  },
  {
    id: 'eku-chain',
    profile: 'rfc5280',
    place: 'ca',
    reference: 'Chrome, Go crypto/x509 and pyca/cryptography (RFC 5280 §4.2.1.12 leaves CAs open)',
    summary: 'an intermediate whose extKeyUsage allows neither the purpose nor anyExtendedKeyUsage',
    check: (c, purpose) => {
      const eku = c.extKeyUsage;
      if (eku === undefined || eku.includes(EKU[purpose]) || eku.includes(EKU.any)) return undefined;
      return `its extKeyUsage does not allow ${purpose}, so it may not issue for that purpose`;
    },
  },
  {
    id: 'empty-subject-san',
    profile: 'rfc5280',
    place: 'leaf',
    reference: 'RFC 5280 §4.1.2.6, §4.2.1.6',
    summary: 'an empty subject without a critical subjectAltName',
    check: (c) => {
      if (c.subject.rdns.length !== 0) return undefined;
      const san = ext(c, EXT.subjectAltName);
      if (san === undefined) return 'its subject is empty and it has no subjectAltName';
      return san.critical ? undefined : 'its subject is empty but its subjectAltName is not marked critical';
    },
  },
  {
    id: 'leaf-keycertsign',
    profile: 'rfc5280',
    place: 'leaf',
    reference: 'RFC 5280 §4.2.1.3',
    summary: 'an end-entity certificate whose keyUsage has keyCertSign without basicConstraints cA',
    check: (c) => (c.keyUsage?.has('keyCertSign') === true && c.basicConstraints?.ca !== true ? 'its keyUsage has keyCertSign but basicConstraints cA is not set' : undefined),
  },
  {
    id: 'leaf-ca',
    profile: 'web',
    place: 'leaf',
    reference: 'CA/B Forum BR §7.1.2.7.8',
    summary: 'an end-entity certificate with basicConstraints cA TRUE',
    check: (c) => (c.basicConstraints?.ca === true ? 'it is used as the end-entity certificate but has basicConstraints cA TRUE' : undefined),
  },
  {
    id: 'san-critical-with-subject',
    profile: 'web',
    place: 'leaf',
    reference: 'CA/B Forum BR §7.1.2.7.12 (RFC 5280 §4.2.1.6: SHOULD NOT)',
    summary: 'a critical subjectAltName with a non-empty subject',
    check: (c) => (c.subject.rdns.length !== 0 && ext(c, EXT.subjectAltName)?.critical === true ? 'its subjectAltName is critical although its subject is not empty' : undefined),
  },
  {
    id: 'dns-underscore',
    profile: 'web',
    place: 'leaf',
    reference: 'CA/B Forum BR §7.1.4.2.1 (Ballot SC12)',
    summary: 'an underscore in a dNSName',
    check: (c) => {
      const bad = c.subjectAltName?.dnsNames.find((d) => d.includes('_'));
      return bad === undefined ? undefined : `its dNSName "${bad}" contains an underscore`;
    },
  },
  {
    id: 'leaf-eku-any',
    profile: 'web',
    place: 'leaf',
    reference: 'CA/B Forum BR §7.1.2.7.10',
    summary: 'anyExtendedKeyUsage in an end-entity extKeyUsage',
    check: (c) => (c.extKeyUsage?.includes(EKU.any) === true ? 'its extKeyUsage contains anyExtendedKeyUsage' : undefined),
  },
  {
    id: 'leaf-eku-critical',
    profile: 'web',
    place: 'leaf',
    reference: 'CA/B Forum BR §7.1.2.7.10',
    summary: 'a critical extKeyUsage on an end-entity certificate',
    check: (c) => (ext(c, EXT.extKeyUsage)?.critical === true ? 'its extKeyUsage is marked critical' : undefined),
  },
  {
    id: 'anchor-bc-missing',
    profile: 'web',
    place: 'anchor',
    reference: 'CA/B Forum BR §7.1.2.1.4 (root CA: basicConstraints MUST be present)',
    summary: 'a trust anchor without basicConstraints',
    check: (c) => (c.basicConstraints === undefined ? 'it has no basicConstraints' : undefined),
  },
  {
    id: 'anchor-bc-noncritical',
    profile: 'web',
    place: 'anchor',
    reference: 'CA/B Forum BR §7.1.2.1.4 (root CA: basicConstraints critical)',
    summary: 'a trust anchor whose basicConstraints is not critical',
    check: (c) => (ext(c, EXT.basicConstraints)?.critical === false ? 'its basicConstraints is not marked critical' : undefined),
  },
  {
    id: 'root-eku',
    profile: 'web',
    place: 'anchor',
    reference: 'CA/B Forum BR §7.1.2.1.4 (root CA: extKeyUsage MUST NOT be present)',
    summary: 'a self-issued trust anchor (a root) with extKeyUsage',
    check: (c) => (isSelfIssued(c) && c.extKeyUsage !== undefined ? 'it is a root with an extKeyUsage extension' : undefined),
  },
];

const ROLE: Readonly<Record<RulePlace, string>> = { leaf: 'leaf', ca: 'intermediate', any: 'certificate', anchor: 'trust anchor' };

type Place = 'leaf' | 'ca' | 'anchor';

/** The rules of each profile at each place, in order, computed once (this runs for every certificate of every path tried). */
const RULES_AT: Readonly<Record<Profile, Readonly<Record<Place, readonly ProfileRule[]>>>> = (() => {
  const at = (profile: Profile, place: Place): ProfileRule[] =>
    PROFILE_RULES.filter((r) => (r.profile === 'rfc5280' || profile === 'web') && (r.place === place || (r.place === 'any' && place !== 'anchor')));
  const forProfile = (p: Profile) => ({ leaf: at(p, 'leaf'), ca: at(p, 'ca'), anchor: at(p, 'anchor') });
  return { web: forProfile('web'), rfc5280: forProfile('rfc5280') };
})();

/**
 * The first rule of `profile` that `cert`, in the place `place` of the path,
 * breaks, as a `bad_certificate` error naming the certificate and the rule.
 */
export function profileProblem(cert: Certificate, place: Place, profile: Profile, purpose: 'serverAuth' | 'clientAuth'): TlsError | undefined {
  for (const rule of RULES_AT[profile][place]) {
    const why = rule.check(cert, purpose);
    if (why !== undefined) {
      return new TlsError('bad_certificate', `${ROLE[place]} ${label(cert)} breaks rule ${rule.id}: ${why} (${rule.reference})`);
    }
  }
  return undefined;
}
