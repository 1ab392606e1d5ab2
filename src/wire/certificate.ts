// Certificate (RFC 8446 §4.4.2). X.509 and RawPublicKey entries share the
// wire format (cert_data / ASN1_subjectPublicKeyInfo, both opaque<1..2^24-1>),
// so the codec keeps the bytes and leaves their meaning to the x509 layer.

import { type CertificateEntryExtension, readExtensions, writeExtensions } from './extensions/index.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * ```
 * struct {
 *     select (certificate_type) {
 *         case RawPublicKey: opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
 *         case X509:         opaque cert_data<1..2^24-1>;
 *     };
 *     Extension extensions<0..2^16-1>;
 * } CertificateEntry;
 * ```
 */
export interface CertificateEntry {
  /** DER certificate, or DER SubjectPublicKeyInfo for RawPublicKey (RFC 7250). */
  data: Uint8Array;
  /** Per-entry extensions (status_request, signed_certificate_timestamp), kept raw. */
  extensions: CertificateEntryExtension[];
}

/**
 * ```
 * struct {
 *     opaque certificate_request_context<0..2^8-1>;
 *     CertificateEntry certificate_list<0..2^24-1>;
 * } Certificate;
 * ```
 */
export interface Certificate {
  type: 'certificate';
  /** Empty in the server's Certificate; echoes the CertificateRequest's otherwise. */
  requestContext: Uint8Array;
  /** End-entity first (§4.4.2). */
  entries: CertificateEntry[];
  /**
   * True for the TLS 1.2 form (RFC 5246 §7.4.2): `ASN.1Cert
   * certificate_list<0..2^24-1>`, no request context, no per-entry
   * extensions (then `requestContext` and every `extensions` are empty).
   */
  tls12?: boolean;
}

/** Reads a TLS 1.2 Certificate body (RFC 5246 §7.4.2). */
export function readCertificate12(r: Reader): Certificate {
  const list = r.vec24('certificate_list', 0, 0xffffff);
  const entries: CertificateEntry[] = [];
  while (!list.isEmpty) entries.push({ data: list.opaque24('ASN.1Cert', 1, 0xffffff), extensions: [] });
  r.end();
  return { type: 'certificate', requestContext: new Uint8Array(0), entries, tls12: true };
}

/** Reads a Certificate body. */
export function readCertificate(r: Reader): Certificate {
  const requestContext = r.opaque8('certificate_request_context', 0, 255);
  const list = r.vec24('certificate_list', 0, 0xffffff);
  const entries: CertificateEntry[] = [];
  while (!list.isEmpty) {
    const data = list.opaque24('cert_data', 1, 0xffffff);
    const extensions = readExtensions(list, 'certificate', 0, 0xffff);
    entries.push({ data, extensions });
  }
  r.end();
  return { type: 'certificate', requestContext, entries };
}

/** Writes a Certificate body. */
export function writeCertificate(w: Writer, m: Certificate): void {
  if (m.tls12 === true) {
    w.vec24('certificate_list', 0, 0xffffff, () => {
      for (const e of m.entries) w.opaque24('ASN.1Cert', e.data, 1, 0xffffff);
    });
    return;
  }
  w.opaque8('certificate_request_context', m.requestContext, 0, 255);
  w.vec24('certificate_list', 0, 0xffffff, () => {
    for (const e of m.entries) {
      w.opaque24('cert_data', e.data, 1, 0xffffff);
      writeExtensions(w, 'certificate', e.extensions, 0, 0xffff);
    }
  });
}
