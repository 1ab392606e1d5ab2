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
import type { HashName } from '../../bindings/sha2.js';
import { TlsError } from '../errors.js';
import { bitLength, equalBytes, hex } from './bytes.js';
import { DerError, type DerElement, DerReader, decodeOid, TAG } from './der.js';
import { readExtensions } from './extensions.js';
import { readName } from './name.js';
import type { NameConstraints } from './name-constraints.js';
import { describeOid, HASH, KEY, SIG } from './oids.js';
import { decodePem, PemError } from './pem.js';

/** A certificate signature algorithm (RFC 5280 §4.1.1.2). */
export type SignatureAlgorithm =
  /** ECDSA, RFC 5758 §3.2. The signature is a DER ECDSA-Sig-Value. */
  | { readonly type: 'ecdsa'; readonly name: string; readonly hash: HashName }
  /** RSASSA-PKCS1-v1_5, RFC 4055 §5 / RFC 8017 §8.2. */
  | { readonly type: 'rsa-pkcs1'; readonly name: string; readonly hash: HashName }
  /**
   * RSASSA-PSS, RFC 4055 §3.1. Parsing guarantees `mgf1Hash === hash` and
   * `saltLength` = the hash length (as TLS 1.3 requires, RFC 8446 §4.2.3);
   * other parameters become `unsupported`.
   */
  | {
      readonly type: 'rsa-pss';
      readonly name: string;
      readonly hash: HashName;
      readonly mgf1Hash: HashName;
      readonly saltLength: number;
    }
  /** Ed25519, RFC 8410 §3 (PureEdDSA, 64-byte signature). */
  | { readonly type: 'ed25519'; readonly name: 'Ed25519' }
  /** Anything else; `reason` says what. */
  | { readonly type: 'unsupported'; readonly name: string; readonly oid: string; readonly reason: string };

/** A subject public key (RFC 5280 §4.1.2.7). `der` is the whole SubjectPublicKeyInfo. */
export type SubjectPublicKeyInfo =
  /** RSA (RFC 3279 §2.3.1): modulus and exponent as big-endian magnitudes. */
  | {
      readonly type: 'rsa';
      readonly n: Uint8Array;
      readonly e: Uint8Array;
      readonly bits: number;
      readonly der: Uint8Array;
      /**
       * Present for an id-RSASSA-PSS key (RFC 4055 §1.2): it may only make
       * RSASSA-PSS signatures (TLS 1.3's rsa_pss_pss_*, RFC 8446 §4.2.3),
       * with `hash` when its parameters restrict it to one.
       */
      readonly pss?: { readonly hash: 'sha256' | 'sha384' | 'sha512' | undefined };
    }
  /** EC on a named curve (RFC 5480 §2.2): the uncompressed SEC1 point, 0x04 || X || Y. */
  | { readonly type: 'ec'; readonly curve: 'P-256' | 'P-384'; readonly point: Uint8Array; readonly der: Uint8Array }
  /** Ed25519 (RFC 8410 §4): the 32-byte public key. */
  | { readonly type: 'ed25519'; readonly publicKey: Uint8Array; readonly der: Uint8Array }
  /** Anything else; `algorithm` is the OID, `reason` says what is unsupported. */
  | { readonly type: 'unsupported'; readonly algorithm: string; readonly reason: string; readonly der: Uint8Array };

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

const HASH_LEN: Readonly<Record<HashName, number>> = { sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

export interface AlgorithmIdentifier {
  readonly oid: string;
  readonly params: DerElement | undefined;
  readonly reader: DerReader;
  readonly el: DerElement;
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280 §4.1.1.2). */
export function readAlgorithm(r: DerReader, what: string): AlgorithmIdentifier {
  const el = r.readTag(TAG.SEQUENCE, what);
  const s = r.child(el);
  const oid = s.oid(what);
  const params = s.atEnd ? undefined : s.read();
  s.end(what);
  return { oid, params, reader: s, el };
}

function noParams(alg: AlgorithmIdentifier, what: string, rule: string): void {
  if (alg.params !== undefined) throw new DerError(`${what}: parameters must be absent (${rule})`, alg.el.offset);
}

function nullOrNoParams(alg: AlgorithmIdentifier, what: string, rule: string): void {
  const p = alg.params;
  if (p !== undefined && (p.tag !== TAG.NULL || p.value.length !== 0)) {
    throw new DerError(`${what}: parameters must be NULL or absent (${rule})`, alg.el.offset);
  }
}

/** A hash AlgorithmIdentifier; NULL or absent parameters (RFC 4055 §2.1). */
function readHash(r: DerReader, what: string): HashName | string {
  const alg = readAlgorithm(r, what);
  nullOrNoParams(alg, what, 'RFC 4055 §2.1');
  switch (alg.oid) {
    case HASH.sha256:
      return 'sha256';
    case HASH.sha384:
      return 'sha384';
    case HASH.sha512:
      return 'sha512';
    default:
      return alg.oid;
  }
}

function isHashName(h: string): h is HashName {
  return h === 'sha256' || h === 'sha384' || h === 'sha512';
}

function hashLabel(h: string): string {
  return isHashName(h) ? h.toUpperCase().replace('SHA', 'SHA-') : describeOid(h);
}

/**
 * The restriction of an id-RSASSA-PSS key (RFC 4055 §3.1) from the DER of
 * its AlgorithmIdentifier: `hash` undefined when the parameters are absent
 * (any hash), else the one hash allowed; a string says why wasmtls cannot
 * use it (SHA-1, a salt other than the hash length, another MGF).
 * @example rsaPssKeyRestriction(algorithmIdentifierDer) // { hash: 'sha256' }
 */
export function rsaPssKeyRestriction(algorithmIdentifier: Uint8Array): { hash: 'sha256' | 'sha384' | 'sha512' | undefined } | string {
  const r = new DerReader(algorithmIdentifier);
  const alg = readAlgorithm(r, 'RSASSA-PSS key algorithm');
  r.end('RSASSA-PSS key algorithm');
  if (alg.oid !== SIG.rsassaPss) throw new DerError(`not an id-RSASSA-PSS algorithm: ${describeOid(alg.oid)}`, 0);
  if (alg.params === undefined) return { hash: undefined };
  const a = pssAlgorithm(alg);
  if (a.type !== 'rsa-pss') return a.type === 'unsupported' ? a.reason : 'unexpected RSASSA-PSS parameters';
  // TLS 1.3 has PSS schemes for SHA-256, SHA-384 and SHA-512 only (RFC 8446 §4.2.3).
  if (a.hash === 'sha224') return 'hash SHA-224 has no TLS 1.3 signature scheme';
  return { hash: a.hash };
}

/** RSASSA-PSS-params (RFC 4055 §3.1), with the DEFAULTs of SHA-1, MGF1-SHA-1, salt 20, trailer 1. */
function pssAlgorithm(alg: AlgorithmIdentifier): SignatureAlgorithm {
  const what = 'RSASSA-PSS parameters';
  if (alg.params === undefined || alg.params.tag !== TAG.SEQUENCE) {
    throw new DerError(`${what}: a SEQUENCE is required (RFC 4055 §3.1)`, alg.el.offset);
  }
  const p = alg.reader.child(alg.params);
  let hash: string = HASH.sha1;
  let mgf1Hash: string = HASH.sha1;
  let saltLength = 20;
  const h = p.optionalExplicit(0);
  if (h !== undefined) {
    hash = readHash(h, `${what} hashAlgorithm`);
    h.end(what);
  }
  const m = p.optionalExplicit(1);
  if (m !== undefined) {
    const mgf = readAlgorithm(m, `${what} maskGenAlgorithm`);
    m.end(what);
    if (mgf.oid !== SIG.mgf1) {
      return unsupportedAlg(SIG.rsassaPss, 'RSASSA-PSS', `mask generation function ${mgf.oid} is not MGF1`);
    }
    if (mgf.params === undefined || mgf.params.tag !== TAG.SEQUENCE) {
      throw new DerError(`${what}: MGF1 needs a hash AlgorithmIdentifier`, mgf.el.offset);
    }
    const mr = new DerReader(mgf.params.bytes, 1, mgf.params.offset);
    mgf1Hash = readHash(mr, `${what} MGF1 hash`);
    mr.end(what);
  }
  const s = p.optionalExplicit(2);
  if (s !== undefined) {
    saltLength = s.smallInteger(`${what} saltLength`);
    s.end(what);
    if (saltLength < 0) throw new DerError(`${what}: negative saltLength`, alg.el.offset);
  }
  const t = p.optionalExplicit(3);
  if (t !== undefined) {
    // RFC 4055 §3.1: trailerField MUST be 1.
    if (t.smallInteger(`${what} trailerField`) !== 1) throw new DerError(`${what}: trailerField must be 1`, alg.el.offset);
    t.end(what);
  }
  p.end(what);
  const name = `RSASSA-PSS with ${hashLabel(hash)}`;
  if (!isHashName(hash)) return unsupportedAlg(SIG.rsassaPss, name, `hash ${hashLabel(hash)} is not supported`);
  if (mgf1Hash !== hash) {
    return unsupportedAlg(SIG.rsassaPss, name, `MGF1 hash ${hashLabel(mgf1Hash)} differs from the hash ${hashLabel(hash)}`);
  }
  if (saltLength !== HASH_LEN[hash]) {
    return unsupportedAlg(
      SIG.rsassaPss,
      name,
      `salt length ${saltLength} is not the hash length ${HASH_LEN[hash]} (RFC 8446 §4.2.3)`,
    );
  }
  return { type: 'rsa-pss', name, hash, mgf1Hash: hash, saltLength };
}

function unsupportedAlg(oid: string, name: string, reason: string): SignatureAlgorithm {
  return { type: 'unsupported', name, oid, reason };
}

/** Maps a signature AlgorithmIdentifier to the model. */
export function signatureAlgorithm(alg: AlgorithmIdentifier): SignatureAlgorithm {
  const what = 'signature algorithm';
  switch (alg.oid) {
    case SIG.ecdsaWithSha256:
    case SIG.ecdsaWithSha384:
    case SIG.ecdsaWithSha512: {
      noParams(alg, what, 'RFC 5758 §3.2');
      const hash = alg.oid === SIG.ecdsaWithSha256 ? 'sha256' : alg.oid === SIG.ecdsaWithSha384 ? 'sha384' : 'sha512';
      return { type: 'ecdsa', name: `ecdsa-with-${hashLabel(hash).replace('-', '')}`, hash };
    }
    case SIG.sha256WithRsa:
    case SIG.sha384WithRsa:
    case SIG.sha512WithRsa: {
      nullOrNoParams(alg, what, 'RFC 4055 §5');
      const hash = alg.oid === SIG.sha256WithRsa ? 'sha256' : alg.oid === SIG.sha384WithRsa ? 'sha384' : 'sha512';
      return { type: 'rsa-pkcs1', name: `${hash}WithRSAEncryption`, hash };
    }
    case SIG.rsassaPss:
      return pssAlgorithm(alg);
    case SIG.ed25519:
      noParams(alg, what, 'RFC 8410 §3');
      return { type: 'ed25519', name: 'Ed25519' };
    default:
      return unsupportedAlg(alg.oid, describeOid(alg.oid), `signature algorithm ${describeOid(alg.oid)} is not supported`);
  }
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) from a reader positioned on it. */
function readSpki(r: DerReader): SubjectPublicKeyInfo {
  const what = 'subjectPublicKeyInfo';
  const el = r.readTag(TAG.SEQUENCE, what);
  const s = r.child(el);
  const alg = readAlgorithm(s, `${what} algorithm`);
  const keyBits = s.bitStringBytes(`${what} subjectPublicKey`);
  s.end(what);
  const der = el.bytes;
  const unsupported = (reason: string): SubjectPublicKeyInfo => ({ type: 'unsupported', algorithm: alg.oid, reason, der });
  switch (alg.oid) {
    case KEY.rsaEncryption: {
      nullOrNoParams(alg, `${what} rsaEncryption`, 'RFC 3279 §2.3.1');
      // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 3279 §2.3.1).
      const k = new DerReader(keyBits, 1, el.offset);
      const seq = k.sequence('RSAPublicKey');
      const n = seq.unsignedInteger('RSA modulus');
      const e = seq.unsignedInteger('RSA public exponent');
      seq.end('RSAPublicKey');
      k.end('RSAPublicKey');
      if (n.length === 1 && n[0] === 0) throw new DerError('RSA modulus is zero', el.offset);
      if (e.length === 1 && e[0] === 0) throw new DerError('RSA public exponent is zero', el.offset);
      return { type: 'rsa', n, e, bits: bitLength(n), der };
    }
    case SIG.rsassaPss: {
      // RFC 4055 §1.2: an RSA key that may only sign with RSASSA-PSS; the
      // parameters are absent (any hash) or RSASSA-PSS-params restricting it.
      const restriction = rsaPssKeyRestriction(alg.el.bytes);
      if (typeof restriction === 'string') return unsupported(`RSASSA-PSS key: ${restriction}`);
      const hash = restriction.hash;
      const k = new DerReader(keyBits, 1, el.offset);
      const seq = k.sequence('RSAPublicKey');
      const n = seq.unsignedInteger('RSA modulus');
      const e = seq.unsignedInteger('RSA public exponent');
      seq.end('RSAPublicKey');
      k.end('RSAPublicKey');
      if (n.length === 1 && n[0] === 0) throw new DerError('RSA modulus is zero', el.offset);
      if (e.length === 1 && e[0] === 0) throw new DerError('RSA public exponent is zero', el.offset);
      return { type: 'rsa', n, e, bits: bitLength(n), der, pss: { hash } };
    }
    case KEY.ecPublicKey: {
      // RFC 5480 §2.1.1: ECParameters is namedCurve here; the other choices are forbidden.
      const p = alg.params;
      if (p === undefined || p.tag !== TAG.OID) return unsupported('EC key without a named curve (RFC 5480 §2.1.1)');
      const curve = decodeOid(p, 'namedCurve');
      const size = curve === KEY.p256 ? 32 : curve === KEY.p384 ? 48 : 0;
      if (size === 0) return unsupported(`EC curve ${describeOid(curve)} is not supported`);
      // RFC 5480 §2.2: 0x04 || X || Y. Compressed points are optional there and unused by TLS 1.3.
      if (keyBits.length !== 1 + 2 * size || keyBits[0] !== 0x04) {
        if (keyBits.length === 1 + size && (keyBits[0] === 0x02 || keyBits[0] === 0x03)) {
          return unsupported('compressed EC points are not supported');
        }
        throw new DerError(`EC point of ${keyBits.length} bytes is not an uncompressed ${describeOid(curve)} point`, el.offset);
      }
      return { type: 'ec', curve: size === 32 ? 'P-256' : 'P-384', point: keyBits, der };
    }
    case KEY.ed25519:
      noParams(alg, `${what} Ed25519`, 'RFC 8410 §3');
      if (keyBits.length !== 32) throw new DerError(`Ed25519 key of ${keyBits.length} bytes (RFC 8410 §4)`, el.offset);
      return { type: 'ed25519', publicKey: keyBits, der };
    default:
      return unsupported(`public key algorithm ${describeOid(alg.oid)} is not supported`);
  }
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
 * Reads a subject Name followed by a SubjectPublicKeyInfo, both DER (RFC 5280
 * §6.1.1 (d): the trust anchor information), as `wasmtls/roots` stores
 * roots. Throws a {@link DerError} if malformed or followed by more.
 */
export function parseNameAndKey(der: Uint8Array): { subject: Name; publicKey: SubjectPublicKeyInfo } {
  const r = new DerReader(der);
  const subject = readName(r, 'subject');
  const publicKey = readSpki(r);
  r.end('trust anchor');
  return { subject, publicKey };
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
 * Parses a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), e.g. the output of
 * `openssl pkey -pubout`. Throws a {@link DerError} if malformed.
 *
 * @example
 * ```ts
 * const key = parseSubjectPublicKeyInfo(decodePem(publicKeyPem)[0].der);
 * if (key.type === 'ec') console.log(key.curve, key.point.length);
 * ```
 */
export function parseSubjectPublicKeyInfo(der: Uint8Array): SubjectPublicKeyInfo {
  const r = new DerReader(der);
  const spki = readSpki(r);
  r.end('subjectPublicKeyInfo');
  return spki;
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
