/**
 * Trust anchors that are not certificates: a name and a key, what RFC 5280
 * §6.1.1 (d) says path validation needs from an anchor (the "trust anchor
 * information"; RFC 5914 TrustAnchorInfo without the optional parts). The
 * root store in `wasmtls/roots` is a list of these: 66 KiB of DER for
 * Mozilla's 148 roots against 154 KiB as certificates.
 *
 * Unlike a certificate anchor, a name-and-key anchor carries no validity
 * period, basicConstraints or keyUsage to enforce (as in Chromium's and
 * rustls's verifiers, which also reduce roots to name and key).
 *
 * Also here: the process-wide default anchors that `wasmtls/roots` installs
 * when imported, used wherever a client's `ca` is omitted.
 * @module
 */
import type { NameConstraints } from './name-constraints.js';
import { base64Decode } from './pem.js';
import {
  type Certificate,
  type CertificateInput,
  certificatesFrom,
  type Name,
  parseNameAndKey,
  type SubjectPublicKeyInfo,
} from './certificate.js';

/** A trusted name and key (RFC 5280 §6.1.1 (d)). */
export interface TrustAnchor {
  readonly type: 'trust-anchor';
  /** The name certificates it issued carry as their issuer. */
  readonly subject: Name;
  /** The key their signatures verify with. */
  readonly publicKey: SubjectPublicKeyInfo;
  /** Name constraints on everything below the anchor (RFC 5280 §4.2.1.10, §6.1.1 (d)), if it has any. */
  readonly nameConstraints?: NameConstraints | undefined;
}

/** A certificate or a name-and-key anchor: what validation accepts as trusted. */
export type Anchor = Certificate | TrustAnchor;

/** What a `ca` option takes: PEM text, DER bytes, a parsed certificate, a {@link TrustAnchor}, or a list of them. */
export type CaInput = CertificateInput | TrustAnchor | readonly (CertificateInput | TrustAnchor)[];

/** Whether `x` is a {@link TrustAnchor}. */
export function isTrustAnchor(x: unknown): x is TrustAnchor {
  return typeof x === 'object' && x !== null && (x as TrustAnchor).type === 'trust-anchor';
}

/**
 * Parses a trust anchor stored as its subject Name DER followed by its
 * SubjectPublicKeyInfo DER. Throws a DerError if malformed.
 *
 * @example
 * ```ts
 * const anchor = trustAnchorFromDer(bytes);
 * console.log(anchor.subject.text);
 * ```
 */
export function trustAnchorFromDer(der: Uint8Array): TrustAnchor {
  const { subject, publicKey } = parseNameAndKey(der);
  return { type: 'trust-anchor', subject, publicKey };
}

/** {@link trustAnchorFromDer} of base64 text. */
export function trustAnchorFromBase64(text: string): TrustAnchor {
  return trustAnchorFromDer(base64Decode(text));
}

/**
 * A certificate reduced to its trust anchor information.
 *
 * @example
 * ```ts
 * const anchor = trustAnchorOf(parseCertificatesPem(caPem)[0]);
 * ```
 */
export function trustAnchorOf(cert: Certificate): TrustAnchor {
  return { type: 'trust-anchor', subject: cert.subject, publicKey: cert.publicKey };
}

/**
 * The anchors of a `ca` option: trust anchors pass through, everything else
 * goes through {@link certificatesFrom} (TypeError naming `what` if bad).
 */
export function anchorsFrom(what: string, input: CaInput): Anchor[] {
  if (!Array.isArray(input)) return isTrustAnchor(input) ? [input] : certificatesFrom(what, input as CertificateInput);
  const out: Anchor[] = [];
  (input as readonly (CertificateInput | TrustAnchor)[]).forEach((item, i) => {
    if (isTrustAnchor(item)) out.push(item);
    else out.push(...certificatesFrom(`${what}[${i}]`, item));
  });
  return out;
}

let defaults: readonly Anchor[] = [];

/**
 * Sets the anchors used when a client is given no `ca`. Importing
 * `wasmtls/roots` calls it with Mozilla's roots; until then the default is
 * empty (every server certificate is refused unless `ca` is given).
 */
export function setDefaultAnchors(anchors: readonly Anchor[]): void {
  if (!Array.isArray(anchors)) throw new TypeError('anchors must be an array');
  defaults = anchors;
}

/** The anchors set by {@link setDefaultAnchors}. */
export function defaultAnchors(): readonly Anchor[] {
  return defaults;
}
