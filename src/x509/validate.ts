/**
 * Certification path building and validation (RFC 5280 §6, RFC 4158 for the
 * building) for a peer's TLS certificate list (RFC 8446 §4.4.2): leaf
 * first, the rest in any order and possibly with unrelated certificates.
 * Signatures are checked through an injected {@link SignatureVerifier}, so
 * this module holds no cryptography. The user documentation, with every
 * rule and limit, is docs/x509.md.
 *
 * Alerts (RFC 8446 §6.2), chosen per the alert definitions there:
 * - `bad_certificate`: malformed certificate; a signature that does not
 *   verify (§6.2 lists it under bad_certificate; decrypt_error is for
 *   handshake signatures such as CertificateVerify); an issuer that is not a
 *   CA (basicConstraints cA false or absent), lacks keyCertSign, or whose
 *   pathLenConstraint is exceeded; a name outside a CA's name constraints;
 *   a broken profile rule (profile.ts: the message names the rule); name
 *   constraint checking over its comparison budget; hostname mismatch (as
 *   rustls and Go).
 * - `certificate_expired`: outside notBefore..notAfter, either side.
 * - `certificate_revoked`: listed by a usable CRL of its issuer (crl.ts).
 * - `certificate_unknown`: CRLs were given but none usable for a
 *   certificate of the path (missing, stale, badly signed, or delta).
 * - `unknown_ca`: no path to a trust anchor, including a path longer than
 *   `maxIntermediates` (as OpenSSL maps X509_V_ERR_CERT_CHAIN_TOO_LONG) or
 *   path building over its budget (signature checks, candidate issuers).
 * - `unsupported_certificate`: unsupported signature algorithm or key, RSA
 *   key below `minRsaBits`, unhandled critical extension, policyConstraints
 *   requiring an explicit policy (policies are not processed), and an
 *   end-entity certificate not allowed for the purpose (extKeyUsage, or
 *   keyUsage without digitalSignature, RFC 8446 §4.4.2.2).
 * - `decode_error` / `certificate_required`: empty certificate list from a
 *   server / a client (RFC 8446 §4.4.2.4).
 *
 * Not implemented: certificate policies (critical ones are refused as
 * unhandled), OCSP and delta CRLs. A trust anchor is a certificate or a
 * name-and-key {@link TrustAnchor} (RFC 5280 §6.1.1 (d), as `wasmtls/roots`
 * stores them). A certificate anchor's validity period, basicConstraints,
 * keyUsage, pathLenConstraint and name constraints are enforced when present
 * (stricter than RFC 5280 §6.1.1, like OpenSSL and webpki for name
 * constraints); a name-and-key anchor has only its key checked (size,
 * algorithm), as in webpki and Chromium, which reduce roots the same way.
 * @module
 */
import { type AlertName, TlsError } from '../errors.js';
import { equalBytes } from './bytes.js';
import {
  type Certificate,
  isSelfIssued,
  parseCertificate,
  type SignatureAlgorithm,
  type SubjectPublicKeyInfo,
} from './certificate.js';
import { type CertificateRevocationList, type CrlContext, type CrlInput, crlsFrom, revocationProblem } from './crl.js';
import { checkHostname, parseReferenceIdentity } from './hostname.js';
import { iso, label } from './label.js';
import { NameConstraintBudget, NameConstraintBudgetExceeded, nameConstraintViolation } from './name-constraints.js';
import { describeOid, EKU } from './oids.js';
import { type Profile, profileProblem, selfIssuedAkiProblem } from './profile.js';
import { type Anchor, isTrustAnchor, type TrustAnchor } from './trust-anchor.js';

/**
 * Checks one signature. Implementations return `false` for a signature that
 * does not verify or is malformed, and do not throw for those.
 *
 * validate.ts calls it only with these pairings (see
 * {@link unsupportedSignature}): `ecdsa` with an `ec` key (P-256 with
 * SHA-256, P-384 with SHA-384; the signature is DER), `rsa-pkcs1` and
 * `rsa-pss` (salt length = hash length, MGF1 with the same hash) with an
 * `rsa` key, `ed25519` with an `ed25519` key. `signedData` is the message
 * itself: the verifier hashes it.
 */
export interface SignatureVerifier {
  verify(algorithm: SignatureAlgorithm, publicKey: SubjectPublicKeyInfo, signedData: Uint8Array, signature: Uint8Array): boolean;
}

/** Options of {@link validateChain}. */
export interface ValidationOptions {
  /** Trusted certificates or name-and-key anchors. Their names and keys end paths. */
  readonly trustAnchors: readonly Anchor[];
  /** Checks signatures. */
  readonly verifier: SignatureVerifier;
  /** DNS name or IP literal to check against the leaf's subjectAltName; no check when absent. */
  readonly hostname?: string | undefined;
  /** The time to validate at; default now. */
  readonly time?: Date | undefined;
  /** The purpose the leaf must allow (extKeyUsage); default `'serverAuth'`. */
  readonly purpose?: 'serverAuth' | 'clientAuth' | undefined;
  /** Most intermediate certificates between the leaf and the anchor; default 8. */
  readonly maxIntermediates?: number | undefined;
  /** Smallest RSA modulus accepted anywhere in the path, in bits; default 2048. */
  readonly minRsaBits?: number | undefined;
  /**
   * Which profile rules apply (profile.ts, docs/x509.md): `'web'` (default)
   * adds the CA/Browser Forum rules to the RFC 5280 ones; `'rfc5280'` is for
   * private PKI.
   */
  readonly profile?: Profile | undefined;
  /**
   * CRLs (PEM text, DER or parsed; one or a list), as node:tls's `crl`. When
   * given, every certificate of the path but the anchor needs a usable CRL
   * from its issuer, and a listed serial is `certificate_revoked`.
   */
  readonly crl?: CrlInput | readonly CrlInput[] | undefined;
}

/** A validated path. */
export interface ValidatedChain {
  /**
   * Leaf first, then the certificates up to the anchor: the anchor last when
   * it is a certificate (the leaf alone when it is itself an anchor), not
   * included when it is a name-and-key {@link TrustAnchor}.
   */
  readonly path: readonly Certificate[];
  readonly leaf: Certificate;
  readonly anchor: Anchor;
}

/** Default of {@link ValidationOptions.maxIntermediates}. */
export const DEFAULT_MAX_INTERMEDIATES = 8;
/** Default of {@link ValidationOptions.minRsaBits}. */
export const DEFAULT_MIN_RSA_BITS = 2048;
/**
 * Signature checks (including repeated ones) path building may spend before
 * giving up; bounds the work a hostile list of same-named certificates can
 * cause. Go's crypto/x509 uses the same limit (maxChainSignatureChecks).
 */
export const MAX_SIGNATURE_CHECKS = 100;
/**
 * Issuer candidates path building may examine (each costs the name and
 * constraint checks of {@link PathBuilder}'s issuerProblem) before giving
 * up; with {@link MAX_SIGNATURE_CHECKS} it replaces a count of presented
 * certificates (webpki bounds the same two things).
 */
export const MAX_CANDIDATE_ISSUERS = 2000;

/**
 * Why this stack cannot check a signature of `alg` by `key`, or undefined
 * when it can. The pairings match the TLS 1.3 signature schemes
 * (RFC 8446 §4.2.3).
 *
 * @example
 * ```ts
 * const why = unsupportedSignature(child.signatureAlgorithm, issuer.publicKey);
 * if (why !== undefined) console.log(why);
 * ```
 */
export function unsupportedSignature(alg: SignatureAlgorithm, key: SubjectPublicKeyInfo): string | undefined {
  if (alg.type === 'unsupported') return alg.reason;
  if (key.type === 'unsupported') return `the issuer's key is unsupported: ${key.reason}`;
  switch (alg.type) {
    case 'ecdsa':
      if (key.type !== 'ec') return `${alg.name} needs an EC key, the issuer has ${key.type}`;
      if ((key.curve === 'P-256' && alg.hash !== 'sha256') || (key.curve === 'P-384' && alg.hash !== 'sha384')) {
        return `${alg.name} with a ${key.curve} key is not supported (P-256 with SHA-256 and P-384 with SHA-384 are)`;
      }
      return undefined;
    case 'rsa-pkcs1':
      if (key.type === 'rsa' && key.pss !== undefined) return `${alg.name} needs an rsaEncryption key; the issuer's is id-RSASSA-PSS (RFC 4055 §1.2)`;
      return key.type === 'rsa' ? undefined : `${alg.name} needs an RSA key, the issuer has ${key.type}`;
    case 'rsa-pss':
      if (key.type === 'rsa' && key.pss?.hash !== undefined && key.pss.hash !== alg.hash) {
        return `${alg.name} from an issuer key restricted to ${key.pss.hash.toUpperCase()} (RFC 4055 §3.1)`;
      }
      return key.type === 'rsa' ? undefined : `${alg.name} needs an RSA key, the issuer has ${key.type}`;
    case 'ed25519':
      return key.type === 'ed25519' ? undefined : `Ed25519 needs an Ed25519 key, the issuer has ${key.type}`;
  }
}

function keyProblem(cert: Anchor, role: string, minRsaBits: number): TlsError | undefined {
  const k = cert.publicKey;
  if (k.type === 'unsupported') return new TlsError('unsupported_certificate', `${role} ${label(cert)}: ${k.reason}`);
  if (k.type === 'rsa' && k.bits < minRsaBits) {
    return new TlsError(
      'unsupported_certificate',
      `${role} ${label(cert)} has a ${k.bits}-bit RSA key, below the ${minRsaBits}-bit minimum (option minRsaBits)`,
    );
  }
  return undefined;
}

/** RFC 5280 §6.1.3 (a)(2): the validity period includes both ends. */
function timeProblem(cert: Certificate, role: string, time: Date): TlsError | undefined {
  // The message is built only on failure: formatting the dates took a third
  // of a successful validation (measured, cpu-prof of bench/x509-validate.ts).
  const at = (): string => `(${role} ${label(cert)}, checked at ${iso(time)})`;
  if (time.getTime() > cert.notAfter.getTime()) {
    return new TlsError('certificate_expired', `certificate has expired: notAfter ${iso(cert.notAfter)} ${at()}`);
  }
  if (time.getTime() < cert.notBefore.getTime()) {
    return new TlsError('certificate_expired', `certificate is not yet valid: notBefore ${iso(cert.notBefore)} ${at()}`);
  }
  return undefined;
}

/**
 * RFC 5280 §4.2.1.11: policy processing (§6.1.3 (d)-(f)) is not
 * implemented, so a requireExplicitPolicy cannot be honoured; an
 * inhibitPolicyMapping alone is (no mapping is ever applied).
 */
function policyProblem(cert: Certificate, role: string): TlsError | undefined {
  if (cert.policyConstraints?.requireExplicitPolicy === undefined) return undefined;
  return new TlsError(
    'unsupported_certificate',
    `${role} ${label(cert)} has policyConstraints requireExplicitPolicy, but certificate policies are not processed (RFC 5280 §4.2.1.11)`,
  );
}

/** RFC 5280 §6.1.4 (o) / §4.2: critical extensions that were not processed. */
function criticalProblem(cert: Certificate, role: string): TlsError | undefined {
  const u = cert.unhandledCriticalExtensions;
  if (u.length === 0) return undefined;
  return new TlsError(
    'unsupported_certificate',
    `${role} ${label(cert)} has unsupported critical extension${u.length > 1 ? 's' : ''} ${u.map(describeOid).join(', ')}`,
  );
}

type Candidate = { readonly cert: Certificate; readonly anchor: boolean } | { readonly cert: TrustAnchor; readonly anchor: true };

/** Whether `cert` is `anchor` itself: the same certificate, or the same name and key. */
function isCopyOf(cert: Certificate, anchor: Anchor): boolean {
  return isTrustAnchor(anchor)
    ? equalBytes(anchor.subject.der, cert.subject.der) && equalBytes(anchor.publicKey.der, cert.publicKey.der)
    : equalBytes(anchor.der, cert.der);
}

/** Why `issuer`'s key cannot check `child`'s signature, or undefined. */
function signatureProblem(child: Certificate, issuer: Anchor): TlsError | undefined {
  const sig = unsupportedSignature(child.signatureAlgorithm, issuer.publicKey);
  if (sig === undefined) return undefined;
  return new TlsError('unsupported_certificate', `cannot check the signature on ${label(child)} by ${label(issuer)}: ${sig}`);
}

const issuerViews = new WeakMap<TrustAnchor, Certificate>();

/**
 * A name-and-key anchor as the issuer crl.ts expects: its name and key, and
 * no keyUsage or key identifier to check (the anchor information has none).
 * Only the fields revocationProblem reads are set.
 */
function issuerView(a: TrustAnchor): Certificate {
  let v = issuerViews.get(a);
  if (v === undefined) {
    v = { subject: a.subject, publicKey: a.publicKey, keyUsage: undefined, subjectKeyIdentifier: undefined, serialNumber: new Uint8Array(0) } as unknown as Certificate;
    issuerViews.set(a, v);
  }
  return v;
}

interface Failure {
  readonly depth: number;
  readonly error: TlsError;
}

interface Settings {
  readonly verifier: SignatureVerifier;
  readonly time: Date;
  readonly purpose: 'serverAuth' | 'clientAuth';
  readonly profile: Profile;
  readonly maxIntermediates: number;
  readonly minRsaBits: number;
  readonly crls: readonly CertificateRevocationList[] | undefined;
  readonly budget: NameConstraintBudget;
}

class PathBuilder {
  private best: Failure | undefined;
  private checks = 0;
  private candidatesSeen = 0;
  private readonly sigCache = new Map<Certificate, Map<Anchor, boolean>>();
  private readonly crlCache = new Map<CertificateRevocationList, Map<Certificate, boolean>>();
  private readonly crlContext: CrlContext | undefined;

  constructor(
    private readonly pool: readonly Certificate[],
    private readonly anchors: readonly Anchor[],
    private readonly s: Settings,
  ) {
    const crls = s.crls;
    this.crlContext =
      crls === undefined
        ? undefined
        : {
            crls,
            time: s.time,
            unsupported: (crl, issuer) => unsupportedSignature(crl.signatureAlgorithm, issuer.publicKey),
            verify: (crl, issuer) => this.crlSignatureValid(crl, issuer),
          };
  }

  /** A path from `leaf` to an anchor, or throws the most informative failure. */
  build(leaf: Certificate): Anchor[] {
    const path = this.extend([leaf]);
    if (path !== undefined) return path;
    throw (this.best as Failure).error;
  }

  private spendSignatureCheck(): void {
    if (this.checks >= MAX_SIGNATURE_CHECKS) throw new TlsError('unknown_ca', `path building gave up after ${MAX_SIGNATURE_CHECKS} signature checks`);
    this.checks++;
  }

  /** Keeps the failure of the path that got furthest; the first one on a tie. */
  private fail(depth: number, alert: AlertName | TlsError, message = ''): void {
    const error = alert instanceof TlsError ? alert : new TlsError(alert, message);
    if (this.best === undefined || depth > this.best.depth) this.best = { depth, error };
  }

  /**
   * Issuer candidates for `child`: same name (RFC 5280 §6.1.3 (a)(4)), and
   * matching key identifiers when both are present (§4.2.1.1). Anchors
   * first, so the shortest path is found first.
   */
  private candidates(child: Certificate, path: readonly Certificate[]): Candidate[] {
    const fits = (c: Anchor): boolean =>
      equalBytes(c.subject.der, child.issuer.der) &&
      (isTrustAnchor(c) ||
        !(
          child.authorityKeyIdentifier !== undefined &&
          c.subjectKeyIdentifier !== undefined &&
          !equalBytes(child.authorityKeyIdentifier, c.subjectKeyIdentifier)
        ));
    const out: Candidate[] = this.anchors.filter(fits).map((cert) => ({ cert, anchor: true }) as Candidate);
    for (const cert of this.pool) {
      if (!fits(cert)) continue;
      // A copy of an anchor is tried as the anchor; a certificate already on
      // the path would loop.
      if (this.anchors.some((a) => isCopyOf(cert, a))) continue;
      if (path.some((p) => equalBytes(p.der, cert.der))) continue;
      out.push({ cert, anchor: false });
    }
    return out;
  }

  /**
   * RFC 5280 §6.1.4 (k), (l), (m), (n), the time, key and extension checks
   * and the profile rules of an issuer: everything that needs no signature.
   */
  private issuerProblem(cand: Candidate, path: readonly Certificate[]): TlsError | undefined {
    const c = cand.cert;
    const role = cand.anchor ? 'trust anchor' : 'intermediate';
    if (isTrustAnchor(c)) return keyProblem(c, role, this.s.minRsaBits) ?? signatureProblem(path[path.length - 1] as Certificate, c);
    const t = timeProblem(c, role, this.s.time);
    if (t !== undefined) return t;
    const bc = c.basicConstraints;
    if (cand.anchor ? bc !== undefined && !bc.ca : bc === undefined || !bc.ca) {
      return new TlsError(
        'bad_certificate',
        `${role} ${label(c)} is not a CA (basicConstraints ${bc === undefined ? 'absent' : 'cA is false'}, RFC 5280 §4.2.1.9) but issued ${label(path[path.length - 1] as Certificate)}`,
      );
    }
    if (c.keyUsage !== undefined && !c.keyUsage.has('keyCertSign')) {
      return new TlsError(
        'bad_certificate',
        `${role} ${label(c)} may not sign certificates: its keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3)`,
      );
    }
    const pathLen = bc?.pathLenConstraint;
    if (pathLen !== undefined) {
      // §6.1.4 (l): self-issued intermediates do not count.
      const below = path.slice(1).filter((p) => !isSelfIssued(p)).length;
      if (below > pathLen) {
        return new TlsError(
          'bad_certificate',
          `${role} ${label(c)} has pathLenConstraint ${pathLen} but ${below} intermediate certificates follow it`,
        );
      }
    }
    const crit = criticalProblem(c, role) ?? policyProblem(c, role);
    if (crit !== undefined) return crit;
    const key = keyProblem(c, role, this.s.minRsaBits);
    if (key !== undefined) return key;
    const rule = profileProblem(c, cand.anchor ? 'anchor' : 'ca', this.s.profile, this.s.purpose);
    if (rule !== undefined) return rule;
    const child = path[path.length - 1] as Certificate;
    const sig = unsupportedSignature(child.signatureAlgorithm, c.publicKey);
    if (sig !== undefined) {
      return new TlsError('unsupported_certificate', `cannot check the signature on ${label(child)} by ${label(c)}: ${sig}`);
    }
    return undefined;
  }

  /**
   * The name constraints (§6.1.4 (g) with §6.1.3 (b), (c)) of a verified
   * issuer over the certificates below it. Checked after the signature, so
   * certificates that do not verify cannot spend the comparison budget.
   */
  private constraintProblem(cand: Candidate, path: readonly Certificate[]): TlsError | undefined {
    const c = cand.cert;
    const role = cand.anchor ? 'trust anchor' : 'intermediate';
    const nc = c.nameConstraints;
    if (nc !== undefined) {
      // §6.1.3 (b), (c): the names of every certificate below, except
      // self-issued intermediates (the leaf is checked even if self-issued).
      for (let i = 0; i < path.length; i++) {
        const p = path[i] as Certificate;
        if (i > 0 && isSelfIssued(p)) continue;
        const why = nameConstraintViolation(p, nc, this.s.budget);
        if (why !== undefined) {
          return new TlsError(
            'bad_certificate',
            `${i === 0 ? 'leaf' : 'intermediate'} ${label(p)} breaks the nameConstraints of ${role} ${label(c)}: ${why} (RFC 5280 §4.2.1.10)`,
          );
        }
      }
    }
    return undefined;
  }

  /**
   * Every consultation counts against the budget, cached or not: the cache
   * saves the crypto, the count bounds the search (measured: counting only
   * fresh checks let 12 same-named CAs run for 9 s through cached pairs).
   */
  private signatureValid(child: Certificate, issuer: Anchor): boolean {
    this.spendSignatureCheck();
    let row = this.sigCache.get(child);
    if (row === undefined) {
      row = new Map();
      this.sigCache.set(child, row);
    }
    const cached = row.get(issuer);
    if (cached !== undefined) return cached;
    const ok = this.s.verifier.verify(child.signatureAlgorithm, issuer.publicKey, child.tbs, child.signature) === true;
    row.set(issuer, ok);
    return ok;
  }

  /** A CRL's signature by `issuer`; counted and cached like certificate signatures. */
  private crlSignatureValid(crl: CertificateRevocationList, issuer: Certificate): boolean {
    this.spendSignatureCheck();
    let row = this.crlCache.get(crl);
    if (row === undefined) {
      row = new Map();
      this.crlCache.set(crl, row);
    }
    const cached = row.get(issuer);
    if (cached !== undefined) return cached;
    const ok = this.s.verifier.verify(crl.signatureAlgorithm, issuer.publicKey, crl.tbs, crl.signature) === true;
    row.set(issuer, ok);
    return ok;
  }

  /** Intermediates in `path` (after the leaf) and `next` that count toward maxIntermediates: §6.1.4 (l) skips self-issued ones. */
  private counted(path: readonly Certificate[], next: Certificate): number {
    let n = isSelfIssued(next) ? 0 : 1;
    for (let i = 1; i < path.length; i++) if (!isSelfIssued(path[i] as Certificate)) n++;
    return n;
  }

  private extend(path: Certificate[]): Anchor[] | undefined {
    const depth = path.length;
    const child = path[depth - 1] as Certificate;
    const cands = this.candidates(child, path);
    if (cands.length === 0) {
      const why = isSelfIssued(child)
        ? `${label(child)} is self-signed and is not a trust anchor; to trust it, pass it in \`ca\``
        : `${label(child)} is issued by ${child.issuer.text}, which is not a trust anchor${this.pool.length === 0 ? ', and the peer sent no other certificates (a server should send its intermediates)' : `, nor among the ${this.pool.length} other certificates the peer sent`}; to trust it, pass that CA's certificate in \`ca\``;
      // node:tls's codes (OpenSSL's X509_V_ERR_*): a self-signed leaf, a self-signed certificate further up, or a missing issuer.
      const nodeCode = !isSelfIssued(child) ? 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' : depth === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN';
      this.fail(depth, new TlsError('unknown_ca', `unknown certificate authority: ${why}`, { nodeCode }));
      return undefined;
    }
    for (const cand of cands) {
      if (++this.candidatesSeen > MAX_CANDIDATE_ISSUERS) {
        throw new TlsError('unknown_ca', `path building gave up after examining ${MAX_CANDIDATE_ISSUERS} candidate issuers`);
      }
      const problem = this.issuerProblem(cand, path);
      if (problem !== undefined) {
        this.fail(depth, problem);
        continue;
      }
      if (!this.signatureValid(child, cand.cert)) {
        this.fail(
          depth,
          'bad_certificate',
          `bad signature: the ${child.signatureAlgorithm.name} signature on ${label(child)} does not verify with the key of ${label(cand.cert)}`,
        );
        continue;
      }
      const rollover = selfIssuedAkiProblem(child, cand.cert, depth === 1 ? 'leaf' : 'ca');
      if (rollover !== undefined) {
        this.fail(depth, rollover);
        continue;
      }
      const constrained = this.constraintProblem(cand, path);
      if (constrained !== undefined) {
        this.fail(depth, constrained);
        continue;
      }
      if (this.crlContext !== undefined) {
        const issuer = isTrustAnchor(cand.cert) ? issuerView(cand.cert) : cand.cert;
        const revoked = revocationProblem(child, issuer, depth === 1 ? 'leaf' : 'intermediate', this.crlContext);
        if (revoked !== undefined) {
          this.fail(depth + 1, revoked);
          continue;
        }
      }
      if (cand.anchor) return [...path, cand.cert];
      const next = cand.cert as Certificate;
      if (this.counted(path, next) > this.s.maxIntermediates) {
        this.fail(
          depth,
          'unknown_ca',
          `certificate chain too long: more than ${this.s.maxIntermediates} intermediate certificates that are not self-issued (option maxIntermediates, RFC 5280 §6.1.4 (l))`,
        );
        continue;
      }
      const found = this.extend([...path, next]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

function parseChainEntry(entry: Certificate | Uint8Array, i: number): Certificate {
  if (!(entry instanceof Uint8Array)) return entry;
  try {
    return parseCertificate(entry);
  } catch (e) {
    if (e instanceof TlsError && e.alert !== 'unknown') throw new TlsError(e.alert, `certificate ${i} of the peer's chain: ${e.message}`, { cause: e });
    throw e;
  }
}

/**
 * Validates a peer's certificate list: builds a path from the leaf (first
 * entry) through any of the other entries to one of `trustAnchors`, checks
 * every signature with `verifier`, every certificate's validity at `time`,
 * the CA constraints of every issuer, the leaf's purpose and key, and the
 * hostname. Throws a {@link TlsError} whose `alert` is the one to send; see
 * the module notes for the mapping.
 *
 * @example
 * ```ts
 * const { path } = validateChain(peerCertificatesDer, {
 *   trustAnchors: parseCertificatesPem(caPem),
 *   verifier,
 *   hostname: 'example.com',
 * });
 * ```
 */
export function validateChain(presented: readonly (Certificate | Uint8Array)[], options: ValidationOptions): ValidatedChain {
  const { trustAnchors, verifier } = options;
  if (!Array.isArray(trustAnchors)) throw new TypeError('options.trustAnchors must be an array of certificates');
  if (typeof verifier?.verify !== 'function') throw new TypeError('options.verifier must have a verify method');
  const time = options.time ?? new Date();
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw new TypeError('options.time must be a valid Date');
  const purpose = options.purpose ?? 'serverAuth';
  if (purpose !== 'serverAuth' && purpose !== 'clientAuth') throw new TypeError(`options.purpose must be 'serverAuth' or 'clientAuth'`);
  const maxIntermediates = options.maxIntermediates ?? DEFAULT_MAX_INTERMEDIATES;
  const minRsaBits = options.minRsaBits ?? DEFAULT_MIN_RSA_BITS;
  if (!Number.isInteger(maxIntermediates) || maxIntermediates < 0) throw new RangeError('options.maxIntermediates must be a non-negative integer');
  if (!Number.isInteger(minRsaBits) || minRsaBits < 0) throw new RangeError('options.minRsaBits must be a non-negative integer');
  const profile = options.profile ?? 'web';
  if (profile !== 'web' && profile !== 'rfc5280') throw new TypeError(`options.profile must be 'web' or 'rfc5280'`);
  const crls = options.crl === undefined ? undefined : crlsFrom('options.crl', options.crl);
  // Reject a malformed hostname before any work, as a caller error.
  if (options.hostname !== undefined) parseReferenceIdentity(options.hostname);

  if (presented.length === 0) {
    // RFC 8446 §4.4.2.4.
    throw purpose === 'serverAuth'
      ? new TlsError('decode_error', 'the server sent an empty certificate list')
      : new TlsError('certificate_required', 'the client sent no certificate');
  }
  const certs = presented.map(parseChainEntry);
  const leaf = certs[0] as Certificate;

  let path: Anchor[];
  const pinned = trustAnchors.some((a) => !isTrustAnchor(a) && equalBytes(a.der, leaf.der));
  if (pinned) {
    // The leaf itself is trusted (a pinned or self-signed certificate).
    path = [leaf];
  } else {
    const budget = new NameConstraintBudget();
    const settings: Settings = { verifier, time, purpose, profile, maxIntermediates, minRsaBits, crls, budget };
    try {
      path = new PathBuilder(distinct(certs), trustAnchors, settings).build(leaf);
    } catch (e) {
      if (e instanceof NameConstraintBudgetExceeded) throw new TlsError('bad_certificate', `${e.message} (RFC 5280 §4.2.1.10; the limit bounds hostile inputs, as webpki's)`);
      throw e;
    }
  }

  const problem =
    timeProblem(leaf, 'leaf', time) ??
    criticalProblem(leaf, 'leaf') ??
    keyProblem(leaf, 'leaf', minRsaBits) ??
    (pinned ? undefined : profileProblem(leaf, 'leaf', profile, purpose)) ??
    purposeProblem(leaf, purpose);
  if (problem !== undefined) throw problem;
  if (options.hostname !== undefined) checkHostname(leaf, options.hostname);
  const anchor = path[path.length - 1] as Anchor;
  return { path: (isTrustAnchor(anchor) ? path.slice(0, -1) : path) as Certificate[], leaf, anchor };
}

/**
 * The certificates after the leaf, without byte-identical repeats (of the
 * leaf or of each other): a copy adds no path, and each copy would cost a
 * signature check of its own (the cache is keyed by parsed object).
 */
function distinct(certs: readonly Certificate[]): Certificate[] {
  const out: Certificate[] = [];
  for (let i = 1; i < certs.length; i++) {
    const c = certs[i] as Certificate;
    if (equalBytes(c.der, (certs[0] as Certificate).der) || out.some((o) => equalBytes(o.der, c.der))) continue;
    out.push(c);
  }
  return out;
}

/** RFC 5280 §4.2.1.12 (extKeyUsage) and RFC 8446 §4.4.2.2 (digitalSignature) on the leaf. */
function purposeProblem(leaf: Certificate, purpose: 'serverAuth' | 'clientAuth'): TlsError | undefined {
  const eku = leaf.extKeyUsage;
  const want = purpose === 'serverAuth' ? EKU.serverAuth : EKU.clientAuth;
  if (eku !== undefined && !eku.includes(want) && !eku.includes(EKU.any)) {
    return new TlsError(
      'unsupported_certificate',
      `leaf ${label(leaf)} is not valid for TLS ${purpose === 'serverAuth' ? 'server' : 'client'} authentication: its extKeyUsage allows only ${eku.map(describeOid).join(', ')}`,
    );
  }
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.has('digitalSignature')) {
    return new TlsError(
      'unsupported_certificate',
      `leaf ${label(leaf)} may not sign the handshake: its keyUsage lacks digitalSignature (RFC 8446 §4.4.2.2)`,
    );
  }
  return undefined;
}
