/**
 * How validation errors name a certificate: its subject in RFC 4514 form,
 * or its serial number when the subject is empty; times as ISO 8601 UTC.
 * @module
 */
import { hex } from './bytes.js';
import type { Certificate } from './certificate.js';

/** The subject text, or `(empty subject, serial …)`. */
export function label(cert: Certificate): string {
  return cert.subject.text === '' ? `(empty subject, serial ${hex(cert.serialNumber)})` : cert.subject.text;
}

/** `2030-06-01T00:00:00Z`. */
export function iso(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
