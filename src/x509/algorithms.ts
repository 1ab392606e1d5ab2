/**
 * Certificate and CRL signature algorithms (RFC 5280 §4.1.1.2): the
 * AlgorithmIdentifier reader and its mapping to the algorithms wasmtls
 * verifies (ECDSA RFC 5758 §3.2, RSASSA-PKCS1-v1_5 RFC 4055 §5, RSASSA-PSS
 * RFC 4055 §3.1, Ed25519 RFC 8410 §3). Well-formed but unsupported ones
 * become `{ type: 'unsupported', reason }`; malformed ones throw a
 * {@link DerError}.
 * @module
 */
import type { HashName } from '../../bindings/sha2.js';
import { DerError, type DerElement, DerReader, TAG } from './der.js';
import { describeOid, HASH, SIG } from './oids.js';

/** A certificate signature algorithm (RFC 5280 §4.1.1.2). */
export type SignatureAlgorithm =
  /** ECDSA, RFC 5758 §3.2. The signature is a DER ECDSA-Sig-Value. */
  | { readonly type: 'ecdsa'; readonly name: string; readonly hash: HashName }
  /** RSASSA-PKCS1-v1_5, RFC 4055 §5 / RFC 8017 §8.2. */
  | { readonly type: 'rsa-pkcs1'; readonly name: string; readonly hash: HashName }
  /**
   * RSASSA-PSS, RFC 4055 §3.1. Parsing guarantees `mgf1Hash === hash` and
   * `saltLength` = the hash length (as TLS 1.3 requires, RFC 8446 §4.2.3);
   * other parameters become `unsupported`.
   */
  | {
      readonly type: 'rsa-pss';
      readonly name: string;
      readonly hash: HashName;
      readonly mgf1Hash: HashName;
      readonly saltLength: number;
    }
  /** Ed25519, RFC 8410 §3 (PureEdDSA, 64-byte signature). */
  | { readonly type: 'ed25519'; readonly name: 'Ed25519' }
  /** Anything else; `reason` says what. */
  | { readonly type: 'unsupported'; readonly name: string; readonly oid: string; readonly reason: string };

const HASH_LEN: Readonly<Record<HashName, number>> = { sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

export interface AlgorithmIdentifier {
  readonly oid: string;
  readonly params: DerElement | undefined;
  readonly reader: DerReader;
  readonly el: DerElement;
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280 §4.1.1.2). */
export function readAlgorithm(r: DerReader, what: string): AlgorithmIdentifier {
  const el = r.readTag(TAG.SEQUENCE, what);
  const s = r.child(el);
  const oid = s.oid(what);
  const params = s.atEnd ? undefined : s.read();
  s.end(what);
  return { oid, params, reader: s, el };
}

/** RFC-mandated absent parameters, else a DerError citing `rule`. */
export function noParams(alg: AlgorithmIdentifier, what: string, rule: string): void {
  if (alg.params !== undefined) throw new DerError(`${what}: parameters must be absent (${rule})`, alg.el.offset);
}

/** Parameters that must be NULL or absent, else a DerError citing `rule`. */
export function nullOrNoParams(alg: AlgorithmIdentifier, what: string, rule: string): void {
  const p = alg.params;
  if (p !== undefined && (p.tag !== TAG.NULL || p.value.length !== 0)) {
    throw new DerError(`${what}: parameters must be NULL or absent (${rule})`, alg.el.offset);
  }
}

/** A hash AlgorithmIdentifier; NULL or absent parameters (RFC 4055 §2.1). */
function readHash(r: DerReader, what: string): HashName | string {
  const alg = readAlgorithm(r, what);
  nullOrNoParams(alg, what, 'RFC 4055 §2.1');
  switch (alg.oid) {
    case HASH.sha256:
      return 'sha256';
    case HASH.sha384:
      return 'sha384';
    case HASH.sha512:
      return 'sha512';
    default:
      return alg.oid;
  }
}

function isHashName(h: string): h is HashName {
  return h === 'sha256' || h === 'sha384' || h === 'sha512';
}

function hashLabel(h: string): string {
  return isHashName(h) ? h.toUpperCase().replace('SHA', 'SHA-') : describeOid(h);
}

/**
 * The restriction of an id-RSASSA-PSS key (RFC 4055 §3.1) from the DER of
 * its AlgorithmIdentifier: `hash` undefined when the parameters are absent
 * (any hash), else the one hash allowed; a string says why wasmtls cannot
 * use it (SHA-1, a salt other than the hash length, another MGF).
 * @example rsaPssKeyRestriction(algorithmIdentifierDer) // { hash: 'sha256' }
 */
export function rsaPssKeyRestriction(algorithmIdentifier: Uint8Array): { hash: 'sha256' | 'sha384' | 'sha512' | undefined } | string {
  const r = new DerReader(algorithmIdentifier);
  const alg = readAlgorithm(r, 'RSASSA-PSS key algorithm');
  r.end('RSASSA-PSS key algorithm');
  if (alg.oid !== SIG.rsassaPss) throw new DerError(`not an id-RSASSA-PSS algorithm: ${describeOid(alg.oid)}`, 0);
  if (alg.params === undefined) return { hash: undefined };
  const a = pssAlgorithm(alg);
  if (a.type !== 'rsa-pss') return a.type === 'unsupported' ? a.reason : 'unexpected RSASSA-PSS parameters';
  // TLS 1.3 has PSS schemes for SHA-256, SHA-384 and SHA-512 only (RFC 8446 §4.2.3).
  if (a.hash === 'sha224') return 'hash SHA-224 has no TLS 1.3 signature scheme';
  return { hash: a.hash };
}

/** RSASSA-PSS-params (RFC 4055 §3.1), with the DEFAULTs of SHA-1, MGF1-SHA-1, salt 20, trailer 1. */
function pssAlgorithm(alg: AlgorithmIdentifier): SignatureAlgorithm {
  const what = 'RSASSA-PSS parameters';
  if (alg.params === undefined || alg.params.tag !== TAG.SEQUENCE) {
    throw new DerError(`${what}: a SEQUENCE is required (RFC 4055 §3.1)`, alg.el.offset);
  }
  const p = alg.reader.child(alg.params);
  let hash: string = HASH.sha1;
  let mgf1Hash: string = HASH.sha1;
  let saltLength = 20;
  const h = p.optionalExplicit(0);
  if (h !== undefined) {
    hash = readHash(h, `${what} hashAlgorithm`);
    h.end(what);
  }
  const m = p.optionalExplicit(1);
  if (m !== undefined) {
    const mgf = readAlgorithm(m, `${what} maskGenAlgorithm`);
    m.end(what);
    if (mgf.oid !== SIG.mgf1) {
      return unsupportedAlg(SIG.rsassaPss, 'RSASSA-PSS', `mask generation function ${mgf.oid} is not MGF1`);
    }
    if (mgf.params === undefined || mgf.params.tag !== TAG.SEQUENCE) {
      throw new DerError(`${what}: MGF1 needs a hash AlgorithmIdentifier`, mgf.el.offset);
    }
    const mr = new DerReader(mgf.params.bytes, 1, mgf.params.offset);
    mgf1Hash = readHash(mr, `${what} MGF1 hash`);
    mr.end(what);
  }
  const s = p.optionalExplicit(2);
  if (s !== undefined) {
    saltLength = s.smallInteger(`${what} saltLength`);
    s.end(what);
    if (saltLength < 0) throw new DerError(`${what}: negative saltLength`, alg.el.offset);
  }
  const t = p.optionalExplicit(3);
  if (t !== undefined) {
    // RFC 4055 §3.1: trailerField MUST be 1.
    if (t.smallInteger(`${what} trailerField`) !== 1) throw new DerError(`${what}: trailerField must be 1`, alg.el.offset);
    t.end(what);
  }
  p.end(what);
  const name = `RSASSA-PSS with ${hashLabel(hash)}`;
  if (!isHashName(hash)) return unsupportedAlg(SIG.rsassaPss, name, `hash ${hashLabel(hash)} is not supported`);
  if (mgf1Hash !== hash) {
    return unsupportedAlg(SIG.rsassaPss, name, `MGF1 hash ${hashLabel(mgf1Hash)} differs from the hash ${hashLabel(hash)}`);
  }
  if (saltLength !== HASH_LEN[hash]) {
    return unsupportedAlg(
      SIG.rsassaPss,
      name,
      `salt length ${saltLength} is not the hash length ${HASH_LEN[hash]} (RFC 8446 §4.2.3)`,
    );
  }
  return { type: 'rsa-pss', name, hash, mgf1Hash: hash, saltLength };
}

function unsupportedAlg(oid: string, name: string, reason: string): SignatureAlgorithm {
  return { type: 'unsupported', name, oid, reason };
}

/** Maps a signature AlgorithmIdentifier to the model. */
export function signatureAlgorithm(alg: AlgorithmIdentifier): SignatureAlgorithm {
  const what = 'signature algorithm';
  switch (alg.oid) {
    case SIG.ecdsaWithSha256:
    case SIG.ecdsaWithSha384:
    case SIG.ecdsaWithSha512: {
      noParams(alg, what, 'RFC 5758 §3.2');
      const hash = alg.oid === SIG.ecdsaWithSha256 ? 'sha256' : alg.oid === SIG.ecdsaWithSha384 ? 'sha384' : 'sha512';
      return { type: 'ecdsa', name: `ecdsa-with-${hashLabel(hash).replace('-', '')}`, hash };
    }
    case SIG.sha256WithRsa:
    case SIG.sha384WithRsa:
    case SIG.sha512WithRsa: {
      nullOrNoParams(alg, what, 'RFC 4055 §5');
      const hash = alg.oid === SIG.sha256WithRsa ? 'sha256' : alg.oid === SIG.sha384WithRsa ? 'sha384' : 'sha512';
      return { type: 'rsa-pkcs1', name: `${hash}WithRSAEncryption`, hash };
    }
    case SIG.rsassaPss:
      return pssAlgorithm(alg);
    case SIG.ed25519:
      noParams(alg, what, 'RFC 8410 §3');
      return { type: 'ed25519', name: 'Ed25519' };
    default:
      return unsupportedAlg(alg.oid, describeOid(alg.oid), `signature algorithm ${describeOid(alg.oid)} is not supported`);
  }
}
