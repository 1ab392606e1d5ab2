/**
 * The peer certificate as `tls.TLSSocket#getPeerCertificate()` shows it
 * (Node's "legacy" certificate object), built from wasmtls's own parsed
 * {@link Certificate}: same field names and text formats as Node's, so code
 * written for node:tls (including `tls.checkServerIdentity`) reads it
 * unchanged. Fingerprints use node:crypto's hashes (public data; this
 * module is Node-only).
 * @module
 */
import { createHash } from 'node:crypto';
import type { Certificate, Name } from '../x509/certificate.js';
import { formatIpAddress } from '../x509/hostname.js';
import { equalBytes as bytesEqual } from '../../bindings/bytes.js';

/** A distinguished name as Node shows it: `{ CN: 'localhost', O: 'Org' }`; a repeated attribute becomes an array. */
export type PeerCertificateName = Record<string, string | string[]>;

/** Node's certificate object (the fields of `tls.PeerCertificate` wasmtls can fill). */
export interface PeerCertificate {
  /** Whether the certificate is a CA (basicConstraints cA). */
  ca: boolean;
  subject: PeerCertificateName;
  issuer: PeerCertificateName;
  /** `'DNS:localhost, IP Address:127.0.0.1'`, as Node (absent when the certificate has no subjectAltName). */
  subjectaltname?: string;
  /** RSA keys: modulus as uppercase hex. */
  modulus?: string;
  /** RSA keys: public exponent as `0x10001`. */
  exponent?: string;
  /** Key size in bits (RSA modulus, EC curve, 256 for Ed25519). */
  bits?: number;
  /** The public key: SubjectPublicKeyInfo DER for RSA, the raw point for EC, as Node. */
  pubkey?: Buffer;
  /** EC keys: `'prime256v1'` or `'secp384r1'`. */
  asn1Curve?: string;
  /** EC keys: `'P-256'` or `'P-384'`. */
  nistCurve?: string;
  /** notBefore in OpenSSL's format: `'Jan  1 00:00:00 2025 GMT'`. */
  valid_from: string;
  /** notAfter in OpenSSL's format. */
  valid_to: string;
  /** SHA-1 of the DER, `AB:CD:...`. */
  fingerprint: string;
  /** SHA-256 of the DER, `AB:CD:...`. */
  fingerprint256: string;
  /** SHA-512 of the DER, `AB:CD:...`. */
  fingerprint512: string;
  /** extKeyUsage OIDs, when present. */
  ext_key_usage?: string[];
  /** Serial number, uppercase hex. */
  serialNumber: string;
  /** The certificate, DER. */
  raw: Buffer;
}

/** {@link PeerCertificate} with the issuer's, as `getPeerCertificate(true)` returns it. */
export interface DetailedPeerCertificate extends PeerCertificate {
  /** The next certificate the peer sent; the certificate itself when it is self-issued and last. */
  issuerCertificate: DetailedPeerCertificate;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** OpenSSL's ASN1_TIME_print format, which Node copies: `'Jan  1 00:00:00 2025 GMT'`. */
export function formatCertificateTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

function hexUpper(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex').toUpperCase();
}

function fingerprint(algorithm: 'sha1' | 'sha256' | 'sha512', der: Uint8Array): string {
  return (
    createHash(algorithm)
      .update(der)
      .digest('hex')
      .toUpperCase()
      .match(/../g)
      ?.join(':') ?? ''
  );
}

function nameObject(name: Name): PeerCertificateName {
  const out: PeerCertificateName = Object.create(null) as PeerCertificateName;
  for (const rdn of name.rdns) {
    for (const a of rdn) {
      const prev = out[a.type];
      if (prev === undefined) out[a.type] = a.value;
      else if (Array.isArray(prev)) prev.push(a.value);
      else out[a.type] = [prev, a.value];
    }
  }
  return out;
}

function altNames(cert: Certificate): string | undefined {
  const san = cert.subjectAltName;
  if (san === undefined) return undefined;
  const parts = [
    ...san.dnsNames.map((n) => `DNS:${n}`),
    ...san.emails.map((e) => `email:${e}`),
    ...san.uris.map((u) => `URI:${u}`),
    ...san.ipAddresses.map((ip) => `IP Address:${ipText(ip)}`),
  ];
  return parts.join(', ');
}

/** OpenSSL's form: dotted IPv4; IPv6 as eight uncompressed uppercase groups (`0:0:0:0:0:0:0:1`). */
function ipText(ip: Uint8Array): string {
  if (ip.length !== 16) return formatIpAddress(ip);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((ip[i] as number) << 8) | (ip[i + 1] as number)).toString(16).toUpperCase());
  return groups.join(':');
}

function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/**
 * Node's certificate object for one parsed certificate.
 * @example peerCertificate(cert).subject.CN // 'localhost'
 */
export function peerCertificate(cert: Certificate): PeerCertificate {
  const out: PeerCertificate = {
    ca: cert.basicConstraints?.ca === true,
    subject: nameObject(cert.subject),
    issuer: nameObject(cert.issuer),
    valid_from: formatCertificateTime(cert.notBefore),
    valid_to: formatCertificateTime(cert.notAfter),
    fingerprint: fingerprint('sha1', cert.der),
    fingerprint256: fingerprint('sha256', cert.der),
    fingerprint512: fingerprint('sha512', cert.der),
    serialNumber: hexUpper(stripLeadingZeros(cert.serialNumber)),
    raw: Buffer.from(cert.der),
  };
  const san = altNames(cert);
  if (san !== undefined) out.subjectaltname = san;
  const key = cert.publicKey;
  switch (key.type) {
    case 'rsa':
      out.modulus = hexUpper(stripLeadingZeros(key.n));
      out.exponent = `0x${BigInt(`0x${hexUpper(key.e) || '0'}`).toString(16)}`;
      out.bits = key.bits;
      out.pubkey = Buffer.from(key.der);
      break;
    case 'ec':
      out.bits = key.curve === 'P-256' ? 256 : 384;
      out.pubkey = Buffer.from(key.point);
      out.asn1Curve = key.curve === 'P-256' ? 'prime256v1' : 'secp384r1';
      out.nistCurve = key.curve;
      break;
    case 'ed25519':
      out.bits = 256;
      out.pubkey = Buffer.from(key.der);
      break;
    default:
      break;
  }
  if (cert.extKeyUsage !== undefined) out.ext_key_usage = [...cert.extKeyUsage];
  return out;
}

/**
 * The chain as `getPeerCertificate(true)` shows it: each certificate's
 * `issuerCertificate` is the next one the peer sent; the last one points to
 * itself when it is self-issued (as Node does for a root), and is absent
 * otherwise.
 */
export function detailedPeerCertificate(chain: readonly Certificate[]): DetailedPeerCertificate | undefined {
  const objects = chain.map((c) => peerCertificate(c) as DetailedPeerCertificate);
  objects.forEach((o, i) => {
    const next = objects[i + 1];
    const cert = chain[i] as Certificate;
    if (next !== undefined) o.issuerCertificate = next;
    else if (bytesEqual(cert.issuer.der, cert.subject.der)) o.issuerCertificate = o;
  });
  return objects[0];
}
