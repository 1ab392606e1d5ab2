/**
 * X.509 v3 certificates (RFC 5280 §4.1): parsed into a read-only model with
 * the to-be-signed bytes for the signature check, the signature algorithm
 * (RFC 5758, RFC 4055, RFC 8410), names, validity, the subject public key
 * and the extensions path validation needs (§4.2).
 *
 * Well-formed but unsupported algorithms and keys do not fail parsing: they
 * become `{ type: 'unsupported', reason }`, so an unrelated certificate in a
 * peer's chain does not abort the handshake; validation refuses them when a
 * path needs them. Malformed encodings fail with a `bad_certificate`
 * {@link TlsError}.
 * @module
 */
import { TlsError } from '../errors.js';
import { readAlgorithm, type SignatureAlgorithm, signatureAlgorithm } from './algorithms.js';
import { equalBytes, hex } from './bytes.js';
import { DerError, DerReader, TAG } from './der.js';
import { readExtensions } from './extensions.js';
import { readName } from './name.js';
import { type NameConstraints, readNameConstraints } from './name-constraints.js';
import { decodePem, PemError } from './pem.js';
import { readSpki, type SubjectPublicKeyInfo } from './public-key.js';

// The algorithm and key models moved to their own modules; the certificate module keeps exporting them.
export { type AlgorithmIdentifier, readAlgorithm, rsaPssKeyRestriction, type SignatureAlgorithm, signatureAlgorithm } from './algorithms.js';
export { parseSubjectPublicKeyInfo, type SubjectPublicKeyInfo } from './public-key.js';

/** One AttributeTypeAndValue of a name (RFC 5280 §4.1.2.4). */
export interface NameAttribute {
  /** The attribute type OID, e.g. `2.5.4.3`. */
  readonly oid: string;
  /** The RFC 4514 short name (`CN`, `O`, ...) or the dotted OID. */
  readonly type: string;
  /** The value as text; a value that is not a string is `#` and the hex of its DER (RFC 4514 §2.4). */
  readonly value: string;
  /** The identifier octet of the value (which string type). */
  readonly tag: number;
}

/** A distinguished name (RFC 5280 §4.1.2.4). */
export interface Name {
  /** The RDNs in encoded order (usually most general first). */
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** The DER of the Name; issuer/subject matching compares these bytes. */
  readonly der: Uint8Array;
  /**
   * A readable form in RFC 4514 order (most specific first) and escaping,
   * with `, ` between RDNs: `CN=example.com, O=Org, C=US`.
   */
  readonly text: string;
}

/** A certificate extension (RFC 5280 §4.1.2.9). `value` is the extnValue contents. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** Subject alternative names (RFC 5280 §4.2.1.6), by kind. */
export interface SubjectAltName {
  readonly dnsNames: readonly string[];
  /** iPAddress entries: 4 bytes (IPv4) or 16 bytes (IPv6). */
  readonly ipAddresses: readonly Uint8Array[];
  readonly emails: readonly string[];
  readonly uris: readonly string[];
  /** directoryName entries (also counted in `others`). */
  readonly directoryNames: readonly Name[];
  /** Count of otherName, x400Address, directoryName, ediPartyName and registeredID entries. */
  readonly others: number;
}

/** policyConstraints (RFC 5280 §4.2.1.11); at least one field is present. */
export interface PolicyConstraints {
  readonly requireExplicitPolicy: number | undefined;
  readonly inhibitPolicyMapping: number | undefined;
}

/** One AccessDescription of authorityInformationAccess (RFC 5280 §4.2.2.1). */
export interface AccessDescription {
  /** accessMethod OID (id-ad-caIssuers 1.3.6.1.5.5.7.48.2, id-ad-ocsp 1.3.6.1.5.5.7.48.1, ...). */
  readonly method: string;
  /** accessLocation when it is a uniformResourceIdentifier. */
  readonly uri: string | undefined;
}

/** basicConstraints (RFC 5280 §4.2.1.9). */
export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLenConstraint: number | undefined;
}

/** keyUsage bits (RFC 5280 §4.2.1.3), in bit order. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** A keyUsage bit name. */
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

/** A parsed certificate. */
export interface Certificate {
  /** The whole certificate, DER. */
  readonly der: Uint8Array;
  /** The TBSCertificate, DER: the bytes the issuer signed (RFC 5280 §4.1.1.3). */
  readonly tbs: Uint8Array;
  readonly version: 1 | 2 | 3;
  /** The serial number's INTEGER contents (two's complement). */
  readonly serialNumber: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** The signatureValue BIT STRING contents. */
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: SubjectPublicKeyInfo;
  /** Every extension, in order. */
  readonly extensions: readonly Extension[];
  readonly subjectAltName: SubjectAltName | undefined;
  readonly basicConstraints: BasicConstraints | undefined;
  readonly keyUsage: ReadonlySet<KeyUsage> | undefined;
  /** extKeyUsage purpose OIDs (RFC 5280 §4.2.1.12). */
  readonly extKeyUsage: readonly string[] | undefined;
  readonly subjectKeyIdentifier: Uint8Array | undefined;
  /** The keyIdentifier of authorityKeyIdentifier (RFC 5280 §4.2.1.1). */
  readonly authorityKeyIdentifier: Uint8Array | undefined;
  /** nameConstraints (RFC 5280 §4.2.1.10). */
  readonly nameConstraints: NameConstraints | undefined;
  /** policyConstraints (RFC 5280 §4.2.1.11). */
  readonly policyConstraints: PolicyConstraints | undefined;
  /** authorityInformationAccess (RFC 5280 §4.2.2.1). */
  readonly authorityInfoAccess: readonly AccessDescription[] | undefined;
  /** OIDs of critical extensions this module does not process; validation refuses them (§4.2). */
  readonly unhandledCriticalExtensions: readonly string[];
}

function parse(der: Uint8Array): Certificate {
  const top = new DerReader(der);
  const certEl = top.readTag(TAG.SEQUENCE, 'Certificate');
  top.end('Certificate');
  const cert = top.child(certEl);
  const tbsEl = cert.readTag(TAG.SEQUENCE, 'tbsCertificate');
  const outerAlg = readAlgorithm(cert, 'signatureAlgorithm');
  const signature = cert.bitStringBytes('signatureValue');
  cert.end('Certificate');

  const tbs = cert.child(tbsEl);
  let version: 1 | 2 | 3 = 1;
  const v = tbs.optionalExplicit(0);
  if (v !== undefined) {
    const n = v.smallInteger('version');
    v.end('version');
    if (n !== 0 && n !== 1 && n !== 2) throw new DerError(`unknown certificate version ${n}`, tbsEl.offset);
    version = (n + 1) as 1 | 2 | 3;
  }
  const serialNumber = tbs.integer('serialNumber');
  const innerAlg = readAlgorithm(tbs, 'signature');
  // RFC 5280 §4.1.1.2: the two algorithm fields MUST be identical.
  if (!equalBytes(innerAlg.el.bytes, outerAlg.el.bytes)) {
    throw new DerError('signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)', outerAlg.el.offset);
  }
  const issuer = readName(tbs, 'issuer');
  // RFC 5280 §4.1.2.5 asks CAs for UTCTime through 2049 and GeneralizedTime
  // after; either is accepted for any date, as other verifiers do.
  const validity = tbs.sequence('validity');
  const notBefore = validity.time('notBefore');
  const notAfter = validity.time('notAfter');
  validity.end('validity');
  const subject = readName(tbs, 'subject');
  const publicKey = readSpki(tbs);
  // RFC 5280 §4.1.2.8: unique identifiers (v2 and v3 only) are skipped.
  if (tbs.optionalImplicit(1) !== undefined && version === 1) throw new DerError('issuerUniqueID in a v1 certificate', tbsEl.offset);
  if (tbs.optionalImplicit(2) !== undefined && version === 1) throw new DerError('subjectUniqueID in a v1 certificate', tbsEl.offset);
  const extReader = tbs.optionalExplicit(3);
  // RFC 5280 §4.1.2.9: extensions only in v3.
  if (extReader !== undefined && version !== 3) throw new DerError(`extensions in a v${version} certificate`, tbsEl.offset);
  const ext = readExtensions(extReader);
  tbs.end('tbsCertificate');

  return {
    der: certEl.bytes,
    tbs: tbsEl.bytes,
    version,
    serialNumber,
    signatureAlgorithm: signatureAlgorithm(outerAlg),
    signature,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKey,
    ...ext,
  };
}

/**
 * Reads a subject Name, a SubjectPublicKeyInfo and optionally a
 * NameConstraints value, all DER (RFC 5280 §6.1.1 (d): the trust anchor
 * information; RFC 5914 TrustAnchorInfo carries the same three), as
 * `wasmtls/roots` stores roots. Throws a {@link DerError} if malformed or
 * followed by more.
 */
export function parseNameAndKey(der: Uint8Array): { subject: Name; publicKey: SubjectPublicKeyInfo; nameConstraints: NameConstraints | undefined } {
  const r = new DerReader(der);
  const subject = readName(r, 'subject');
  const publicKey = readSpki(r);
  const nameConstraints = r.atEnd ? undefined : readNameConstraints(r);
  r.end('trust anchor');
  return { subject, publicKey, nameConstraints };
}

/**
 * Parses one DER certificate. Malformed input throws a {@link TlsError} with
 * alert `bad_certificate` whose message says what and where.
 *
 * @example
 * ```ts
 * const cert = parseCertificate(der);
 * console.log(cert.subject.text, cert.subjectAltName?.dnsNames);
 * ```
 */
export function parseCertificate(der: Uint8Array): Certificate {
  if (!(der instanceof Uint8Array)) throw new TypeError('der must be a Uint8Array');
  try {
    return parse(der);
  } catch (e) {
    if (e instanceof DerError) throw new TlsError('bad_certificate', `malformed certificate: ${e.message}`, { cause: e });
    throw e;
  }
}

/**
 * Parses every `CERTIFICATE` block of PEM text, in order; blocks with other
 * labels (a key in the same file) are skipped. Throws if there is none.
 *
 * @example
 * ```ts
 * const [leaf, ...intermediates] = parseCertificatesPem(pemText);
 * ```
 */
export function parseCertificatesPem(text: string): Certificate[] {
  let blocks;
  try {
    blocks = decodePem(text);
  } catch (e) {
    if (e instanceof PemError) throw new TlsError('bad_certificate', e.message, { cause: e });
    throw e;
  }
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE').map((b) => parseCertificate(b.der));
  if (certs.length === 0) {
    const found = blocks.map((b) => b.label);
    // decodePem has refused text without any block, so `found` is not empty.
    const hint = found.some((l) => l.endsWith('PRIVATE KEY'))
      ? ': this is a key file; pass it as `key`, and the certificate file as `cert` (or `ca`)'
      : ': pass the file that holds the -----BEGIN CERTIFICATE----- block';
    throw new TlsError('bad_certificate', `PEM: no CERTIFICATE block (found ${found.join(', ')})${hint}`);
  }
  return certs;
}

/** A certificate given as PEM text (one or more blocks), DER bytes or already parsed. */
export type CertificateInput = string | Uint8Array | Certificate;

/** True for a parsed {@link Certificate} (as opposed to PEM text or DER bytes). */
export function isCertificate(x: unknown): x is Certificate {
  return typeof x === 'object' && x !== null && (x as Certificate).der instanceof Uint8Array && (x as Certificate).tbs instanceof Uint8Array;
}

/**
 * Certificates from an option that takes PEM text (a string, or its bytes
 * in a Buffer or Uint8Array, as Node reads them), DER bytes, parsed
 * certificates or a list of those (`ca` and `cert` of every API). Any
 * failure is a TypeError whose message starts with `what` (`what[i]` for an
 * element of a list).
 *
 * @example const anchors = certificatesFrom('ca', options.ca);
 */
export function certificatesFrom(what: string, input: CertificateInput | readonly CertificateInput[]): Certificate[] {
  const list = Array.isArray(input) ? (input as readonly CertificateInput[]) : [input as CertificateInput];
  const out: Certificate[] = [];
  list.forEach((item, i) => {
    const name = Array.isArray(input) ? `${what}[${i}]` : what;
    try {
      if (typeof item === 'string') out.push(...parseCertificatesPem(item));
      else if (item instanceof Uint8Array) out.push(...(isPemBytes(item) ? parseCertificatesPem(latin1(item)) : [parseCertificate(item)]));
      else if (isCertificate(item)) out.push(item);
      else throw new TypeError(`${name}: expected PEM text (a string or its bytes), DER bytes or a parsed certificate`);
    } catch (e) {
      if (e instanceof TypeError) throw e;
      throw new TypeError(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  });
  return out;
}

/**
 * True for bytes that hold PEM text ("-----BEGIN", after optional white
 * space): Node reads a Buffer `ca`, `cert` or `key` as PEM, so every wasmtls
 * API does too. DER starts with a SEQUENCE tag (0x30), never with '-'.
 * @example isPemBytes(Buffer.from(pemText)) // true
 */
export function isPemBytes(bytes: Uint8Array): boolean {
  let i = 0;
  for (; i < bytes.length && i < 64; i++) {
    const b = bytes[i] as number;
    if (b !== 0x20 && (b < 0x09 || b > 0x0d)) break;
  }
  return latin1(bytes.subarray(i, i + 10)) === '-----BEGIN';
}

/** Bytes as Latin-1 text (PEM is ASCII). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}


/**
 * The serial number as colon-separated lowercase hex.
 *
 * @example
 * ```ts
 * serialHex(cert); // '10:00'
 * ```
 */
export function serialHex(cert: Certificate): string {
  return hex(cert.serialNumber, ':');
}

/**
 * True when the certificate's issuer and subject names are byte-identical
 * (self-issued, RFC 5280 §6.1).
 *
 * @example
 * ```ts
 * if (isSelfIssued(root)) console.log('root or key rollover certificate');
 * ```
 */
export function isSelfIssued(cert: Certificate): boolean {
  return equalBytes(cert.issuer.der, cert.subject.der);
}
