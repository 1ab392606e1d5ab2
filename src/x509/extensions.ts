/**
 * Certificate extensions (RFC 5280 §4.2): the parsers of those path
 * validation processes, and the list as a whole (duplicates refused,
 * unprocessed critical ones recorded). Split from certificate.ts, which
 * holds the model and the outer structure.
 * @module
 */
import type { AccessDescription, BasicConstraints, Extension, KeyUsage, Name, PolicyConstraints, SubjectAltName } from './certificate.js';
import { KEY_USAGE_BITS } from './certificate.js';
import { CONSTRUCTED, CONTEXT, DerError, type DerElement, DerReader, decodeBoolean, decodeSmallInteger, TAG } from './der.js';
import { parseName } from './name.js';
import { type NameConstraints, readNameConstraints } from './name-constraints.js';
import { describeOid, EXT } from './oids.js';

function ia5(el: DerElement, what: string): string {
  let s = '';
  for (const b of el.value) {
    if (b >= 0x80) throw new DerError(`${what}: non-ASCII byte in IA5String`, el.offset);
    s += String.fromCharCode(b);
  }
  return s;
}

/** GeneralNames (RFC 5280 §4.2.1.6); IMPLICIT tags, so each choice is read by tag. */
function readSubjectAltName(r: DerReader): SubjectAltName {
  const seq = r.sequence('subjectAltName');
  const dnsNames: string[] = [];
  const ipAddresses: Uint8Array[] = [];
  const emails: string[] = [];
  const uris: string[] = [];
  const directoryNames: Name[] = [];
  let others = 0;
  if (seq.atEnd) throw new DerError('subjectAltName: empty GeneralNames (SIZE 1..MAX)', r.offset);
  while (!seq.atEnd) {
    const el = seq.read();
    switch (el.tag) {
      case CONTEXT | 1:
        emails.push(ia5(el, 'rfc822Name'));
        break;
      case CONTEXT | 2:
        dnsNames.push(ia5(el, 'dNSName'));
        break;
      case CONTEXT | 6:
        uris.push(ia5(el, 'uniformResourceIdentifier'));
        break;
      case CONTEXT | 7:
        if (el.value.length !== 4 && el.value.length !== 16) {
          throw new DerError(`iPAddress of ${el.value.length} bytes (RFC 5280 §4.2.1.6: 4 or 16)`, el.offset);
        }
        ipAddresses.push(el.value);
        break;
      case CONTEXT | CONSTRUCTED | 4: // directoryName [4] EXPLICIT Name (a CHOICE)
        directoryNames.push(parseName(el.value, 'subjectAltName directoryName'));
        others++;
        break;
      case CONTEXT | CONSTRUCTED | 0: // otherName
      case CONTEXT | CONSTRUCTED | 3: // x400Address
      case CONTEXT | CONSTRUCTED | 5: // ediPartyName
      case CONTEXT | 8: // registeredID
        others++;
        break;
      default:
        throw new DerError(`subjectAltName: unknown GeneralName tag 0x${el.tag.toString(16)}`, el.offset);
    }
  }
  return { dnsNames, ipAddresses, emails, uris, directoryNames, others };
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }. */
function readBasicConstraints(r: DerReader): BasicConstraints {
  const seq = r.sequence('basicConstraints');
  const b = seq.optional(TAG.BOOLEAN);
  const ca = b === undefined ? false : decodeBoolean(b, 'basicConstraints cA');
  let pathLenConstraint: number | undefined;
  if (!seq.atEnd) {
    pathLenConstraint = seq.smallInteger('pathLenConstraint');
    if (pathLenConstraint < 0) throw new DerError('negative pathLenConstraint', r.offset);
  }
  seq.end('basicConstraints');
  return { ca, pathLenConstraint };
}

/** KeyUsage ::= BIT STRING (RFC 5280 §4.2.1.3). */
function readKeyUsage(r: DerReader): Set<KeyUsage> {
  const bs = r.bitString('keyUsage');
  const out = new Set<KeyUsage>();
  const total = bs.bytes.length * 8 - bs.unusedBits;
  for (let i = 0; i < total; i++) {
    if (((bs.bytes[i >> 3] as number) >> (7 - (i & 7))) & 1) {
      const name = KEY_USAGE_BITS[i];
      if (name === undefined) throw new DerError(`keyUsage bit ${i} is undefined`, r.offset);
      out.add(name);
    }
  }
  return out;
}

/** ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (RFC 5280 §4.2.1.12). */
function readExtKeyUsage(r: DerReader): string[] {
  const seq = r.sequence('extKeyUsage');
  const out: string[] = [];
  while (!seq.atEnd) out.push(seq.oid('KeyPurposeId'));
  if (out.length === 0) throw new DerError('extKeyUsage: empty (SIZE 1..MAX)', r.offset);
  return out;
}

/** AuthorityKeyIdentifier (RFC 5280 §4.2.1.1): only keyIdentifier [0] is kept. */
export function readAuthorityKeyIdentifier(r: DerReader): Uint8Array | undefined {
  const seq = r.sequence('authorityKeyIdentifier');
  const id = seq.optionalImplicit(0);
  seq.optionalImplicit(1, true); // authorityCertIssuer
  seq.optionalImplicit(2); // authorityCertSerialNumber
  seq.end('authorityKeyIdentifier');
  return id?.value;
}

/** PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts OPTIONAL, inhibitPolicyMapping [1] SkipCerts OPTIONAL }. */
function readPolicyConstraints(r: DerReader): PolicyConstraints {
  const seq = r.sequence('policyConstraints');
  const skip = (n: number): number | undefined => {
    const el = seq.optionalImplicit(n);
    if (el === undefined) return undefined;
    const v = decodeSmallInteger(el, 'policyConstraints SkipCerts'); // [n] IMPLICIT INTEGER: the contents are the INTEGER's
    if (v < 0) throw new DerError('policyConstraints: negative SkipCerts', el.offset);
    return v;
  };
  const requireExplicitPolicy = skip(0);
  const inhibitPolicyMapping = skip(1);
  seq.end('policyConstraints');
  // §4.2.1.11: "Conforming CAs MUST NOT issue certificates where policy constraints is an empty sequence."
  if (requireExplicitPolicy === undefined && inhibitPolicyMapping === undefined) throw new DerError('policyConstraints: empty sequence (RFC 5280 §4.2.1.11)', r.offset);
  return { requireExplicitPolicy, inhibitPolicyMapping };
}

/** AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription (RFC 5280 §4.2.2.1). */
function readAuthorityInfoAccess(r: DerReader): AccessDescription[] {
  const seq = r.sequence('authorityInformationAccess');
  const out: AccessDescription[] = [];
  while (!seq.atEnd) {
    const ad = seq.sequence('AccessDescription');
    const method = ad.oid('accessMethod');
    const loc = ad.read();
    ad.end('AccessDescription');
    if (!GENERAL_NAME_TAGS.has(loc.tag)) throw new DerError(`accessLocation: unknown GeneralName tag 0x${loc.tag.toString(16)}`, loc.offset);
    out.push({ method, uri: loc.tag === (CONTEXT | 6) ? ia5(loc, 'accessLocation') : undefined });
  }
  if (out.length === 0) throw new DerError('authorityInformationAccess: empty (SIZE 1..MAX)', r.offset);
  return out;
}

/** The identifier octets of the GeneralName choices (RFC 5280 §4.2.1.6, IMPLICIT tags). */
const GENERAL_NAME_TAGS = new Set<number>([
  CONTEXT | CONSTRUCTED | 0,
  CONTEXT | 1,
  CONTEXT | 2,
  CONTEXT | CONSTRUCTED | 3,
  CONTEXT | CONSTRUCTED | 4,
  CONTEXT | CONSTRUCTED | 5,
  CONTEXT | 6,
  CONTEXT | 7,
  CONTEXT | 8,
]);

/** The extensions of a certificate as the model holds them. */
export interface ParsedExtensions {
  extensions: Extension[];
  subjectAltName: SubjectAltName | undefined;
  basicConstraints: BasicConstraints | undefined;
  keyUsage: Set<KeyUsage> | undefined;
  extKeyUsage: string[] | undefined;
  subjectKeyIdentifier: Uint8Array | undefined;
  authorityKeyIdentifier: Uint8Array | undefined;
  nameConstraints: NameConstraints | undefined;
  policyConstraints: PolicyConstraints | undefined;
  authorityInfoAccess: AccessDescription[] | undefined;
  unhandledCriticalExtensions: string[];
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (RFC 5280 §4.1.2.9). */
export function readExtensions(r: DerReader | undefined): ParsedExtensions {
  const out: ParsedExtensions = {
    extensions: [],
    subjectAltName: undefined,
    basicConstraints: undefined,
    keyUsage: undefined,
    extKeyUsage: undefined,
    subjectKeyIdentifier: undefined,
    authorityKeyIdentifier: undefined,
    nameConstraints: undefined,
    policyConstraints: undefined,
    authorityInfoAccess: undefined,
    unhandledCriticalExtensions: [],
  };
  if (r === undefined) return out;
  const seq = r.sequence('extensions');
  r.end('extensions');
  if (seq.atEnd) throw new DerError('extensions: empty (SIZE 1..MAX)', r.offset);
  const seen = new Set<string>();
  while (!seq.atEnd) {
    const ext = seq.sequence('Extension');
    const oid = ext.oid('extnID');
    const b = ext.optional(TAG.BOOLEAN);
    const critical = b === undefined ? false : decodeBoolean(b, 'critical');
    const valueEl = ext.readTag(TAG.OCTET_STRING, 'extnValue');
    ext.end('Extension');
    // RFC 5280 §4.2: at most one instance of an extension.
    if (seen.has(oid)) throw new DerError(`duplicate extension ${describeOid(oid)}`, valueEl.offset);
    seen.add(oid);
    out.extensions.push({ oid, critical, value: valueEl.value });
    const v = ext.nested(valueEl);
    switch (oid) {
      case EXT.subjectAltName:
        out.subjectAltName = readSubjectAltName(v);
        break;
      case EXT.basicConstraints:
        out.basicConstraints = readBasicConstraints(v);
        break;
      case EXT.keyUsage:
        out.keyUsage = readKeyUsage(v);
        break;
      case EXT.extKeyUsage:
        out.extKeyUsage = readExtKeyUsage(v);
        break;
      case EXT.subjectKeyIdentifier:
        out.subjectKeyIdentifier = v.octetString('subjectKeyIdentifier');
        break;
      case EXT.authorityKeyIdentifier:
        out.authorityKeyIdentifier = readAuthorityKeyIdentifier(v);
        break;
      case EXT.nameConstraints:
        out.nameConstraints = readNameConstraints(v);
        break;
      case EXT.policyConstraints:
        out.policyConstraints = readPolicyConstraints(v);
        break;
      case EXT.authorityInfoAccess:
        out.authorityInfoAccess = readAuthorityInfoAccess(v);
        break;
      default:
        // RFC 5280 §4.2: a critical extension that is not processed must
        // make validation fail; recorded here, refused by validate.ts.
        if (critical) out.unhandledCriticalExtensions.push(oid);
        continue;
    }
    v.end(describeOid(oid));
  }
  return out;
}
