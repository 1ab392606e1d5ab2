// signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3):
// ClientHello and CertificateRequest; both carry SignatureSchemeList.

import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** signature_algorithms: schemes for CertificateVerify, `supported_signature_algorithms<2..2^16-2>`. */
export interface SignatureAlgorithms {
  type: 'signature_algorithms';
  schemes: number[];
}

/** signature_algorithms_cert: schemes for certificate signatures, same format. */
export interface SignatureAlgorithmsCert {
  type: 'signature_algorithms_cert';
  schemes: number[];
}

function readList(r: Reader): number[] {
  return r.u16List(2, 'supported_signature_algorithms', 2, 0xfffe);
}

/** Reads signature_algorithms. */
export function readSignatureAlgorithms(r: Reader): SignatureAlgorithms {
  return { type: 'signature_algorithms', schemes: readList(r) };
}

/** Reads signature_algorithms_cert. */
export function readSignatureAlgorithmsCert(r: Reader): SignatureAlgorithmsCert {
  return { type: 'signature_algorithms_cert', schemes: readList(r) };
}

/** Writes either form. */
export function writeSignatureAlgorithms(w: Writer, e: SignatureAlgorithms | SignatureAlgorithmsCert): void {
  w.u16List(2, 'supported_signature_algorithms', e.schemes, 2, 0xfffe);
}
