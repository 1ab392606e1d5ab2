/**
 * Writes X.509 v3 certificates (RFC 5280 §4.1) signed with ECDSA P-256 and
 * SHA-256 (RFC 5758 §3.2): a self-signed CA and end-entity certificates for
 * DNS names and IP addresses, for tests and development servers. Signing is
 * injected (`sign(tbs)` returns a DER ECDSA-Sig-Value), so this module holds
 * no cryptography beyond the SHA-256 of the key identifiers.
 * @module
 */
import { sha256 } from '../../bindings/sha2.js';
import { type Certificate, parseCertificate } from './certificate.js';
import { DerReader } from './der.js';
import * as w from './der-writer.js';
import { parseIpAddress } from './hostname.js';
import { ATTRIBUTE, EKU, EXT, KEY, SIG } from './oids.js';
import { encodePem } from './pem.js';

/** Signs the DER TBSCertificate with ECDSA P-256 / SHA-256; returns the DER signature. */
export type CertificateSign = (tbs: Uint8Array) => Uint8Array;

/** A subject: a common name, or a few attributes. */
export type NameInput = string | { readonly commonName: string; readonly organization?: string; readonly country?: string };

/** Options of {@link writeCaCertificate}. */
export interface CaCertificateOptions {
  readonly subject: NameInput;
  /** The CA's uncompressed P-256 public point (65 bytes, 0x04 || X || Y). */
  readonly publicKey: Uint8Array;
  /** Signs with the CA's own private key. */
  readonly sign: CertificateSign;
  /** Default: one hour ago, whole seconds. */
  readonly notBefore?: Date;
  /** Default: ten years after notBefore. */
  readonly notAfter?: Date;
  /** Positive serial, big-endian; default 16 random bytes. */
  readonly serialNumber?: Uint8Array;
  /** basicConstraints pathLenConstraint; absent by default. */
  readonly pathLenConstraint?: number;
}

/** Options of {@link writeLeafCertificate}. */
export interface LeafCertificateOptions {
  /** DNS names for subjectAltName (A-labels for IDNs). */
  readonly dnsNames?: readonly string[];
  /** IPv4 or IPv6 literals for subjectAltName. */
  readonly ipAddresses?: readonly string[];
  /** Default: CN = the first DNS name or IP address. */
  readonly subject?: NameInput;
  /** The leaf's uncompressed P-256 public point (65 bytes). */
  readonly publicKey: Uint8Array;
  /** The issuing CA certificate (its key must be P-256). */
  readonly issuer: Certificate;
  /** Signs with the issuer's private key. */
  readonly sign: CertificateSign;
  /** Default: one hour ago, whole seconds. */
  readonly notBefore?: Date;
  /** Default: 90 days after notBefore. */
  readonly notAfter?: Date;
  /** Positive serial, big-endian; default 16 random bytes. */
  readonly serialNumber?: Uint8Array;
  /** Purposes for extKeyUsage; default `['serverAuth']`. */
  readonly extKeyUsage?: readonly ('serverAuth' | 'clientAuth')[];
}

/** A written certificate in both encodings, and parsed. */
export interface WrittenCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly certificate: Certificate;
}

const ECDSA_WITH_SHA256 = w.sequence(w.oid(SIG.ecdsaWithSha256)); // RFC 5758 §3.2: no parameters

function p256Point(name: string, point: unknown): Uint8Array {
  if (!(point instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (point.length !== 65 || point[0] !== 0x04) {
    throw new RangeError(`${name} must be an uncompressed P-256 point (65 bytes starting 0x04), got ${point.length} bytes`);
  }
  return point;
}

/** SubjectPublicKeyInfo for a P-256 point (RFC 5480 §2). */
function p256Spki(point: Uint8Array): Uint8Array {
  return w.sequence(w.sequence(w.oid(KEY.ecPublicKey), w.oid(KEY.p256)), w.bitString(point));
}

/** RFC 7093 §2 method 1: the leftmost 160 bits of SHA-256 of the subjectPublicKey bits. */
function keyIdentifier(point: Uint8Array): Uint8Array {
  return sha256(point).slice(0, 20);
}

function encodeName(name: NameInput): Uint8Array {
  const n = typeof name === 'string' ? { commonName: name } : name;
  if (typeof n.commonName !== 'string' || n.commonName.length === 0) throw new TypeError('subject commonName must be a non-empty string');
  // RFC 5280 §4.1.2.4: RDNs from the most general; country is a PrintableString (RFC 5280 appendix A.1).
  const rdns: Uint8Array[] = [];
  const rdn = (oid: string, value: Uint8Array): Uint8Array => w.set(w.sequence(w.oid(oid), value));
  if (n.country !== undefined) rdns.push(rdn(ATTRIBUTE.country, w.printableString(n.country)));
  if (n.organization !== undefined) rdns.push(rdn(ATTRIBUTE.organization, w.utf8String(n.organization)));
  rdns.push(rdn(ATTRIBUTE.commonName, w.utf8String(n.commonName)));
  return w.sequence(...rdns);
}

function randomSerial(): Uint8Array {
  const s = new Uint8Array(16);
  globalThis.crypto.getRandomValues(s);
  // RFC 5280 §4.1.2.2: positive and non-zero; 0x40 keeps the first octet
  // non-zero and the sign bit clear, so no padding octet is needed.
  s[0] = ((s[0] as number) & 0x7f) | 0x40;
  return s;
}

function serial(value: Uint8Array | undefined): Uint8Array {
  if (value === undefined) return randomSerial();
  if (!(value instanceof Uint8Array) || value.length === 0 || value.length > 20 || value.every((b) => b === 0)) {
    throw new RangeError('serialNumber must be 1 to 20 bytes and not zero (RFC 5280 §4.1.2.2)');
  }
  return value;
}

function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

function window(notBefore: Date | undefined, notAfter: Date | undefined, defaultDays: number): [Date, Date] {
  const nb = wholeSeconds(notBefore ?? new Date(Date.now() - 3600_000));
  const na = wholeSeconds(notAfter ?? new Date(nb.getTime() + defaultDays * 86400_000));
  if (Number.isNaN(nb.getTime()) || Number.isNaN(na.getTime())) throw new TypeError('notBefore and notAfter must be valid Dates');
  if (na.getTime() < nb.getTime()) throw new RangeError('notAfter is before notBefore');
  return [nb, na];
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? w.sequence(w.oid(oid), w.boolean(true), w.octetString(value)) : w.sequence(w.oid(oid), w.octetString(value));
}

/** Checks that `sign` returned a DER ECDSA-Sig-Value (RFC 5758 §3.2), not raw r || s. */
function checkedSignature(sign: CertificateSign, tbs: Uint8Array): Uint8Array {
  const sig = sign(tbs);
  if (!(sig instanceof Uint8Array)) throw new TypeError('sign must return a Uint8Array');
  try {
    const r = new DerReader(sig);
    const seq = r.sequence('ECDSA-Sig-Value');
    seq.unsignedInteger('r');
    seq.unsignedInteger('s');
    seq.end('ECDSA-Sig-Value');
    r.end('ECDSA-Sig-Value');
  } catch {
    throw new TypeError('sign must return a DER ECDSA-Sig-Value (SEQUENCE of r and s), not raw r || s');
  }
  return sig;
}

function assemble(tbsFields: Uint8Array[], sign: CertificateSign): WrittenCertificate {
  const tbs = w.sequence(...tbsFields);
  const der = w.sequence(tbs, ECDSA_WITH_SHA256, w.bitString(checkedSignature(sign, tbs)));
  return { der, pem: encodePem('CERTIFICATE', der), certificate: parseCertificate(der) };
}

/**
 * Writes a self-signed CA certificate for a P-256 key: basicConstraints
 * cA (critical), keyUsage keyCertSign and cRLSign (critical),
 * subjectKeyIdentifier (RFC 5280 §4.2.1.2, §4.2.1.3, §4.2.1.9).
 *
 * @example
 * ```ts
 * const ca = writeCaCertificate({
 *   subject: 'Dev CA',
 *   publicKey: caPublicKey,
 *   sign: (tbs) => ecdsaP256.sign(tbs, caSecretKey),
 * });
 * ```
 */
export function writeCaCertificate(options: CaCertificateOptions): WrittenCertificate {
  const publicKey = p256Point('publicKey', options.publicKey);
  if (typeof options.sign !== 'function') throw new TypeError('sign must be a function');
  const [notBefore, notAfter] = window(options.notBefore, options.notAfter, 3650);
  const name = encodeName(options.subject);
  const bc = [w.boolean(true)];
  if (options.pathLenConstraint !== undefined) {
    if (!Number.isInteger(options.pathLenConstraint) || options.pathLenConstraint < 0) {
      throw new RangeError('pathLenConstraint must be a non-negative integer');
    }
    bc.push(w.integer(options.pathLenConstraint));
  }
  const extensions = w.sequence(
    extension(EXT.basicConstraints, true, w.sequence(...bc)),
    extension(EXT.keyUsage, true, w.namedBits([5, 6])), // keyCertSign, cRLSign
    extension(EXT.subjectKeyIdentifier, false, w.octetString(keyIdentifier(publicKey))),
  );
  return assemble(
    [
      w.explicit(0, w.integer(2)), // v3
      w.integer(serial(options.serialNumber)),
      ECDSA_WITH_SHA256,
      name,
      w.sequence(w.time(notBefore), w.time(notAfter)),
      name,
      p256Spki(publicKey),
      w.explicit(3, extensions),
    ],
    options.sign,
  );
}

/**
 * Writes an end-entity certificate for a P-256 key, issued by `issuer`:
 * subjectAltName with the DNS names and IP addresses, basicConstraints
 * cA false and keyUsage digitalSignature (both critical), extKeyUsage
 * (serverAuth by default), subject and authority key identifiers.
 *
 * @example
 * ```ts
 * const leaf = writeLeafCertificate({
 *   dnsNames: ['localhost'],
 *   ipAddresses: ['127.0.0.1', '::1'],
 *   publicKey: leafPublicKey,
 *   issuer: ca.certificate,
 *   sign: (tbs) => ecdsaP256.sign(tbs, caSecretKey),
 * });
 * ```
 */
export function writeLeafCertificate(options: LeafCertificateOptions): WrittenCertificate {
  const publicKey = p256Point('publicKey', options.publicKey);
  if (typeof options.sign !== 'function') throw new TypeError('sign must be a function');
  const issuer = options.issuer;
  if (issuer?.publicKey?.type !== 'ec' || issuer.publicKey.curve !== 'P-256') {
    throw new TypeError('issuer must be a parsed certificate with a P-256 key');
  }
  const dnsNames = options.dnsNames ?? [];
  const ips = (options.ipAddresses ?? []).map((ip) => {
    const bytes = parseIpAddress(ip);
    if (bytes === undefined) throw new TypeError(`not an IP address: ${JSON.stringify(ip)}`);
    return bytes;
  });
  for (const d of dnsNames) {
    if (typeof d !== 'string' || !/^[\p{ASCII}]+$/u.test(d)) throw new TypeError(`DNS name must be non-empty ASCII (A-labels): ${JSON.stringify(d)}`);
  }
  if (dnsNames.length + ips.length === 0) throw new TypeError('give at least one of dnsNames and ipAddresses');
  const [notBefore, notAfter] = window(options.notBefore, options.notAfter, 90);
  const subject = encodeName(options.subject ?? dnsNames[0] ?? (options.ipAddresses?.[0] as string));
  const purposes = options.extKeyUsage ?? ['serverAuth'];
  if (purposes.length === 0) throw new TypeError('extKeyUsage must not be empty');
  const eku = purposes.map((p) => {
    if (p !== 'serverAuth' && p !== 'clientAuth') throw new TypeError(`unknown extKeyUsage ${String(p)}`);
    return w.oid(EKU[p]);
  });
  // RFC 5280 §4.2.1.6: dNSName [2] and iPAddress [7], IMPLICIT.
  const san = w.sequence(
    ...dnsNames.map((d) => w.implicit(2, new TextEncoder().encode(d))),
    ...ips.map((ip) => w.implicit(7, ip)),
  );
  const issuerKeyId = issuer.subjectKeyIdentifier ?? keyIdentifier(issuer.publicKey.point);
  const extensions = w.sequence(
    extension(EXT.basicConstraints, true, w.sequence()),
    extension(EXT.keyUsage, true, w.namedBits([0])), // digitalSignature
    extension(EXT.extKeyUsage, false, w.sequence(...eku)),
    extension(EXT.subjectAltName, false, san),
    extension(EXT.subjectKeyIdentifier, false, w.octetString(keyIdentifier(publicKey))),
    extension(EXT.authorityKeyIdentifier, false, w.sequence(w.implicit(0, issuerKeyId))),
  );
  return assemble(
    [
      w.explicit(0, w.integer(2)),
      w.integer(serial(options.serialNumber)),
      ECDSA_WITH_SHA256,
      issuer.subject.der, // RFC 5280 §4.1.2.4: the issuer's subject, byte for byte
      w.sequence(w.time(notBefore), w.time(notAfter)),
      subject,
      p256Spki(publicKey),
      w.explicit(3, extensions),
    ],
    options.sign,
  );
}
