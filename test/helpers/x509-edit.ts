// Take certificates apart and put them back together, for hand-made variants.
import { type Certificate, DerReader } from '../../src/x509/index.js';
import * as w from '../../src/x509/der-writer.js';

/** The TBSCertificate's fields, each as its DER. For v3: version, serial, signature, issuer, validity, subject, SPKI, extensions. */
export function tbsFields(c: Certificate): Uint8Array[] {
  const s = new DerReader(c.tbs).sequence('tbs');
  const out: Uint8Array[] = [];
  while (!s.atEnd) out.push(s.read().bytes);
  return out;
}

/** The outer signatureAlgorithm and signatureValue, as DER. */
export function outerFields(c: Certificate): { alg: Uint8Array; sig: Uint8Array } {
  const s = new DerReader(c.der).sequence('cert');
  s.read();
  return { alg: s.read().bytes, sig: s.read().bytes };
}

/** A Certificate encoding from TBS fields, algorithm and raw signature bytes. */
export function assemble(fields: Uint8Array[], alg: Uint8Array, signature: Uint8Array): Uint8Array {
  return w.sequence(w.sequence(...fields), alg, w.bitString(signature));
}

/** An Extension (RFC 5280 §4.1.2.9). */
export function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? w.sequence(w.oid(oid), w.boolean(true), w.octetString(value)) : w.sequence(w.oid(oid), w.octetString(value));
}
