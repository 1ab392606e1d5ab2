// CertificateVerify (RFC 8446 §4.4.3). The signed content (64 spaces, context
// string, 0, transcript hash) is built by the handshake layer.

import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** `struct { SignatureScheme algorithm; opaque signature<0..2^16-1>; } CertificateVerify`. */
export interface CertificateVerify {
  type: 'certificate_verify';
  algorithm: number;
  signature: Uint8Array;
}

/** Reads a CertificateVerify body. */
export function readCertificateVerify(r: Reader): CertificateVerify {
  const algorithm = r.u16('algorithm');
  const signature = r.opaque16('signature', 0, 0xffff);
  r.end();
  return { type: 'certificate_verify', algorithm, signature };
}

/** Writes a CertificateVerify body. */
export function writeCertificateVerify(w: Writer, m: CertificateVerify): void {
  w.u16(m.algorithm, 'algorithm');
  w.opaque16('signature', m.signature, 0, 0xffff);
}
