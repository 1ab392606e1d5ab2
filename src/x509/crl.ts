/**
 * Certificate revocation lists (RFC 5280 §5): the parser and the check of
 * one certificate against the CRLs of its issuer (a subset of §6.3.3).
 *
 * A CRL is used for a certificate when its issuer name equals the
 * certificate's issuer name, its authorityKeyIdentifier (when both sides
 * have one) matches the issuer's subjectKeyIdentifier, its signature
 * verifies with the issuer's key, the issuer may sign CRLs (keyUsage
 * cRLSign when keyUsage is present, §6.3.3 (f)), and the validation time
 * lies in thisUpdate..nextUpdate. A CRL with an unprocessed critical
 * extension, or an entry with one, is not used (§5.2, §5.3); that covers
 * delta CRLs (deltaCRLIndicator), partitioned CRLs (issuingDistributionPoint)
 * and indirect CRLs (certificateIssuer), none of which are supported, and
 * neither is OCSP. When CRLs are given, every certificate of the path but
 * the trust anchor needs a usable CRL from its issuer (as node:tls with
 * `crl`, which sets OpenSSL's CRL_CHECK_ALL).
 * @module
 */
import { TlsError } from '../errors.js';
import { equalBytes, hex } from './bytes.js';
import {
  type AlgorithmIdentifier,
  type Certificate,
  type Name,
  readAlgorithm,
  type SignatureAlgorithm,
  signatureAlgorithm,
} from './certificate.js';
import { DerError, DerReader, decodeBoolean, TAG } from './der.js';
import { readAuthorityKeyIdentifier } from './extensions.js';
import { iso, label } from './label.js';
import { readName } from './name.js';
import { CRL_EXT, describeOid, EXT } from './oids.js';
import { decodePem, PemError } from './pem.js';

/** A parsed CRL (RFC 5280 §5.1). */
export interface CertificateRevocationList {
  readonly der: Uint8Array;
  /** The TBSCertList, DER: the signed bytes. */
  readonly tbs: Uint8Array;
  readonly version: 1 | 2;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** Revoked serial numbers (hex of the INTEGER contents) and their revocation dates. */
  readonly revoked: ReadonlyMap<string, Date>;
  readonly authorityKeyIdentifier: Uint8Array | undefined;
  /** Why this CRL cannot be used (an unprocessed critical extension), or undefined. */
  readonly unusable: string | undefined;
}

const HANDLED_CRL_EXTENSIONS = new Set<string>([CRL_EXT.cRLNumber, EXT.authorityKeyIdentifier]);
const HANDLED_ENTRY_EXTENSIONS = new Set<string>([CRL_EXT.reasonCode, CRL_EXT.invalidityDate]);

interface Ext {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: DerReader;
}

function readExtensionList(r: DerReader, what: string): Ext[] {
  const seq = r.sequence(what);
  const out: Ext[] = [];
  const seen = new Set<string>();
  if (seq.atEnd) throw new DerError(`${what}: empty (SIZE 1..MAX)`, r.offset);
  while (!seq.atEnd) {
    const e = seq.sequence('Extension');
    const oid = e.oid('extnID');
    const b = e.optional(TAG.BOOLEAN);
    const critical = b === undefined ? false : decodeBoolean(b, 'critical');
    const v = e.readTag(TAG.OCTET_STRING, 'extnValue');
    e.end('Extension');
    if (seen.has(oid)) throw new DerError(`${what}: duplicate extension ${describeOid(oid)}`, v.offset);
    seen.add(oid);
    out.push({ oid, critical, value: e.nested(v) });
  }
  return out;
}

function unusableReason(oid: string, where: string): string {
  if (oid === CRL_EXT.deltaCRLIndicator) return 'it is a delta CRL (deltaCRLIndicator), which is not supported';
  if (oid === CRL_EXT.issuingDistributionPoint) return 'it has a critical issuingDistributionPoint (partitioned or indirect CRLs are not supported)';
  if (oid === CRL_EXT.certificateIssuer) return 'an entry has a critical certificateIssuer (indirect CRLs are not supported)';
  return `${where} has the unsupported critical extension ${describeOid(oid)} (RFC 5280 §5.2)`;
}

function isTime(tag: number | undefined): boolean {
  return tag === TAG.UTC_TIME || tag === TAG.GENERALIZED_TIME;
}

function parse(der: Uint8Array): CertificateRevocationList {
  const top = new DerReader(der);
  const listEl = top.readTag(TAG.SEQUENCE, 'CertificateList');
  top.end('CertificateList');
  const list = top.child(listEl);
  const tbsEl = list.readTag(TAG.SEQUENCE, 'tbsCertList');
  const outerAlg: AlgorithmIdentifier = readAlgorithm(list, 'signatureAlgorithm');
  const signature = list.bitStringBytes('signatureValue');
  list.end('CertificateList');

  const tbs = list.child(tbsEl);
  let version: 1 | 2 = 1;
  if (tbs.peekTag() === TAG.INTEGER) {
    // §5.1.2.1: "if present, MUST be v2" (INTEGER 1).
    if (tbs.smallInteger('version') !== 1) throw new DerError('CRL version must be v2 when present (RFC 5280 §5.1.2.1)', tbsEl.offset);
    version = 2;
  }
  const innerAlg = readAlgorithm(tbs, 'signature');
  // §5.1.1.2: the two algorithm fields MUST be identical.
  if (!equalBytes(innerAlg.el.bytes, outerAlg.el.bytes)) {
    throw new DerError('signatureAlgorithm differs from tbsCertList.signature (RFC 5280 §5.1.1.2)', outerAlg.el.offset);
  }
  const issuer = readName(tbs, 'CRL issuer');
  if (issuer.rdns.length === 0) throw new DerError('CRL issuer is empty (RFC 5280 §5.1.2.3)', tbsEl.offset);
  const thisUpdate = tbs.time('thisUpdate');
  const nextUpdate = isTime(tbs.peekTag()) ? tbs.time('nextUpdate') : undefined;
  const revoked = new Map<string, Date>();
  let unusable: string | undefined;
  if (tbs.peekTag() === TAG.SEQUENCE) {
    const entries = tbs.sequence('revokedCertificates');
    // §5.1.2.6: "When there are no revoked certificates, the revoked certificates list MUST be absent."
    if (entries.atEnd) throw new DerError('revokedCertificates: empty (it must then be absent, RFC 5280 §5.1.2.6)', tbsEl.offset);
    while (!entries.atEnd) {
      const entry = entries.sequence('revokedCertificate');
      const serial = hex(entry.integer('userCertificate'));
      const date = entry.time('revocationDate');
      if (!entry.atEnd) {
        if (version !== 2) throw new DerError('crlEntryExtensions in a v1 CRL (RFC 5280 §5.1.2.6)', tbsEl.offset);
        for (const e of readExtensionList(entry, 'crlEntryExtensions')) {
          if (e.critical && !HANDLED_ENTRY_EXTENSIONS.has(e.oid)) unusable ??= unusableReason(e.oid, `the entry for serial ${serial}`);
        }
      }
      entry.end('revokedCertificate');
      revoked.set(serial, date);
    }
  }
  let authorityKeyIdentifier: Uint8Array | undefined;
  const extReader = tbs.optionalExplicit(0);
  if (extReader !== undefined) {
    if (version !== 2) throw new DerError('crlExtensions in a v1 CRL (RFC 5280 §5.1.2.7)', tbsEl.offset);
    for (const e of readExtensionList(extReader, 'crlExtensions')) {
      if (e.oid === EXT.authorityKeyIdentifier) {
        authorityKeyIdentifier = readAuthorityKeyIdentifier(e.value);
        e.value.end('authorityKeyIdentifier');
      } else if (e.oid === CRL_EXT.cRLNumber) {
        e.value.unsignedInteger('cRLNumber');
        e.value.end('cRLNumber');
      }
      if (e.critical && !HANDLED_CRL_EXTENSIONS.has(e.oid)) unusable ??= unusableReason(e.oid, 'the CRL');
    }
    extReader.end('crlExtensions');
  }
  tbs.end('tbsCertList');
  return {
    der: listEl.bytes,
    tbs: tbsEl.bytes,
    version,
    signatureAlgorithm: signatureAlgorithm(outerAlg),
    signature,
    issuer,
    thisUpdate,
    nextUpdate,
    revoked,
    authorityKeyIdentifier,
    unusable,
  };
}

/**
 * Parses one DER CRL. Malformed input throws a {@link DerError} (the only
 * error class it throws for bad bytes).
 *
 * @example
 * ```text
 * const crl = parseCrl(der);
 * console.log(crl.issuer.text, crl.revoked.size);
 * ```
 */
export function parseCrl(der: Uint8Array): CertificateRevocationList {
  if (!(der instanceof Uint8Array)) throw new TypeError('der must be a Uint8Array');
  return parse(der);
}

/** A CRL given as PEM text (`X509 CRL` blocks), DER bytes or already parsed. */
export type CrlInput = string | Uint8Array | CertificateRevocationList;

function isCrl(x: unknown): x is CertificateRevocationList {
  return typeof x === 'object' && x !== null && (x as CertificateRevocationList).revoked instanceof Map;
}

/**
 * CRLs from an option that takes PEM text, DER bytes, parsed CRLs or a list
 * of those (node:tls's `crl`). Any failure is a TypeError whose message
 * starts with `what`.
 *
 * @example
 * ```text
 * const crls = crlsFrom('crl', fs.readFileSync('ca.crl.pem', 'utf8'));
 * ```
 */
export function crlsFrom(what: string, input: CrlInput | readonly CrlInput[]): CertificateRevocationList[] {
  const list = Array.isArray(input) ? (input as readonly CrlInput[]) : [input as CrlInput];
  const out: CertificateRevocationList[] = [];
  for (const item of list) {
    try {
      if (typeof item === 'string') {
        const blocks = decodePem(item).filter((b) => b.label === 'X509 CRL');
        if (blocks.length === 0) throw new TypeError(`${what}: no X509 CRL block in the PEM text`);
        for (const b of blocks) out.push(parse(b.der));
      } else if (item instanceof Uint8Array) out.push(parse(item));
      else if (isCrl(item)) out.push(item);
      else throw new TypeError(`${what}: expected PEM text, DER bytes or a parsed CRL`);
    } catch (e) {
      if (e instanceof TypeError) throw e;
      if (e instanceof DerError || e instanceof PemError) throw new TypeError(`${what}: malformed CRL: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return out;
}

/** What {@link revocationProblem} needs from the path builder. */
export interface CrlContext {
  readonly crls: readonly CertificateRevocationList[];
  readonly time: Date;
  /** Why the issuer's key cannot check this CRL's signature, or undefined. */
  readonly unsupported: (crl: CertificateRevocationList, issuer: Certificate) => string | undefined;
  /** Checks the CRL's signature with the issuer's key (cached and counted by the caller). */
  readonly verify: (crl: CertificateRevocationList, issuer: Certificate) => boolean;
}

/**
 * The revocation status of `cert`, issued by `issuer`, under the CRLs:
 * `certificate_revoked` when a usable CRL lists its serial number,
 * `certificate_unknown` when no usable CRL from its issuer is at hand
 * (saying why each candidate was not used), else undefined.
 */
export function revocationProblem(cert: Certificate, issuer: Certificate, role: string, ctx: CrlContext): TlsError | undefined {
  const why: string[] = [];
  const serial = hex(cert.serialNumber);
  let usable = false;
  for (const crl of ctx.crls) {
    if (!equalBytes(crl.issuer.der, cert.issuer.der)) continue;
    if (crl.authorityKeyIdentifier !== undefined && issuer.subjectKeyIdentifier !== undefined && !equalBytes(crl.authorityKeyIdentifier, issuer.subjectKeyIdentifier)) {
      why.push('a CRL of the same name is for another key (authorityKeyIdentifier)');
      continue;
    }
    if (crl.unusable !== undefined) {
      why.push(`a CRL is not used: ${crl.unusable}`);
      continue;
    }
    if (issuer.keyUsage !== undefined && !issuer.keyUsage.has('cRLSign')) {
      why.push(`${label(issuer)} may not sign CRLs: its keyUsage lacks cRLSign (RFC 5280 §6.3.3 (f))`);
      continue;
    }
    const unsupported = ctx.unsupported(crl, issuer);
    if (unsupported !== undefined) {
      why.push(`cannot check a CRL's signature: ${unsupported}`);
      continue;
    }
    if (!ctx.verify(crl, issuer)) {
      why.push(`a CRL's ${crl.signatureAlgorithm.name} signature does not verify with the key of ${label(issuer)}`);
      continue;
    }
    if (ctx.time.getTime() < crl.thisUpdate.getTime()) {
      why.push(`a CRL's thisUpdate ${iso(crl.thisUpdate)} is after ${iso(ctx.time)}`);
      continue;
    }
    if (crl.nextUpdate === undefined) {
      why.push('a CRL has no nextUpdate, so its freshness is unknown (RFC 5280 §5.1.2.5)');
      continue;
    }
    if (ctx.time.getTime() > crl.nextUpdate.getTime()) {
      why.push(`a CRL is stale: nextUpdate ${iso(crl.nextUpdate)} is before ${iso(ctx.time)}`);
      continue;
    }
    const revokedAt = crl.revoked.get(serial);
    if (revokedAt !== undefined) {
      return new TlsError('certificate_revoked', `${role} ${label(cert)} (serial ${serial}) was revoked on ${iso(revokedAt)} by the CRL of ${label(issuer)}`);
    }
    usable = true;
  }
  if (usable) return undefined;
  return new TlsError(
    'certificate_unknown',
    `revocation status of ${role} ${label(cert)} is unknown: no usable CRL from ${label(issuer)} among the ${ctx.crls.length} given (option crl)${why.length > 0 ? `: ${why.join('; ')}` : ''}`,
  );
}
