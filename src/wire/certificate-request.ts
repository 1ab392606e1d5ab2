// CertificateRequest (RFC 8446 §4.3.2).

import { TlsError } from '../errors.js';
import { type CertificateRequestExtension, findExtension, readExtensions, writeExtensions } from './extensions/index.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * ```
 * struct {
 *     opaque certificate_request_context<0..2^8-1>;
 *     Extension extensions<2..2^16-1>;
 * } CertificateRequest;
 * ```
 */
export interface CertificateRequest {
  type: 'certificate_request';
  requestContext: Uint8Array;
  /** Always holds signature_algorithms (§4.3.2). */
  extensions: CertificateRequestExtension[];
}

/** Reads a CertificateRequest body; no signature_algorithms is missing_extension (§4.3.2). */
export function readCertificateRequest(r: Reader): CertificateRequest {
  const requestContext = r.opaque8('certificate_request_context', 0, 255);
  const extensions = readExtensions(r, 'certificate_request', 2, 0xffff);
  r.end();
  if (findExtension(extensions, 'signature_algorithms') === undefined) {
    // §4.3.2: "The "signature_algorithms" extension MUST be specified"; §6.2
    // missing_extension is the alert for a mandatory extension left out.
    throw new TlsError('missing_extension', `${r.context}: signature_algorithms is mandatory (RFC 8446 §4.3.2)`);
  }
  return { type: 'certificate_request', requestContext, extensions };
}

/** Writes a CertificateRequest body. */
export function writeCertificateRequest(w: Writer, m: CertificateRequest): void {
  w.opaque8('certificate_request_context', m.requestContext, 0, 255);
  writeExtensions(w, 'certificate_request', m.extensions, 2, 0xffff);
}
