/**
 * How validation errors name a certificate: its subject in RFC 4514 form,
 * or its serial number when the subject is empty; times as ISO 8601 UTC.
 * @module
 */
import { hex } from './bytes.js';
import type { Certificate } from './certificate.js';
import type { TrustAnchor } from './trust-anchor.js';

/** The subject text, or `(empty subject, serial …)` (a name-and-key anchor has no serial). */
export function label(cert: Certificate | TrustAnchor): string {
  if (cert.subject.text !== '') return cert.subject.text;
  return 'serialNumber' in cert ? `(empty subject, serial ${hex(cert.serialNumber)})` : '(trust anchor with an empty subject)';
}

/** `2030-06-01T00:00:00Z`. */
export function iso(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
