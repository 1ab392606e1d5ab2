/**
 * Subject public keys (RFC 5280 §4.1.2.7): RSA (RFC 3279 §2.3.1, and
 * id-RSASSA-PSS keys of RFC 4055 §1.2), EC on P-256/P-384 (RFC 5480) and
 * Ed25519 (RFC 8410 §4). Unsupported algorithms become
 * `{ type: 'unsupported', reason }`; malformed keys throw a {@link DerError}.
 * @module
 */
import { nullOrNoParams, noParams, readAlgorithm, rsaPssKeyRestriction } from './algorithms.js';
import { bitLength } from './bytes.js';
import { DerError, DerReader, decodeOid, TAG } from './der.js';
import { describeOid, KEY, SIG } from './oids.js';

/** A subject public key (RFC 5280 §4.1.2.7). `der` is the whole SubjectPublicKeyInfo. */
export type SubjectPublicKeyInfo =
  /** RSA (RFC 3279 §2.3.1): modulus and exponent as big-endian magnitudes. */
  | {
      readonly type: 'rsa';
      readonly n: Uint8Array;
      readonly e: Uint8Array;
      readonly bits: number;
      readonly der: Uint8Array;
      /**
       * Present for an id-RSASSA-PSS key (RFC 4055 §1.2): it may only make
       * RSASSA-PSS signatures (TLS 1.3's rsa_pss_pss_*, RFC 8446 §4.2.3),
       * with `hash` when its parameters restrict it to one.
       */
      readonly pss?: { readonly hash: 'sha256' | 'sha384' | 'sha512' | undefined };
    }
  /** EC on a named curve (RFC 5480 §2.2): the uncompressed SEC1 point, 0x04 || X || Y. */
  | { readonly type: 'ec'; readonly curve: 'P-256' | 'P-384'; readonly point: Uint8Array; readonly der: Uint8Array }
  /** Ed25519 (RFC 8410 §4): the 32-byte public key. */
  | { readonly type: 'ed25519'; readonly publicKey: Uint8Array; readonly der: Uint8Array }
  /** Anything else; `algorithm` is the OID, `reason` says what is unsupported. */
  | { readonly type: 'unsupported'; readonly algorithm: string; readonly reason: string; readonly der: Uint8Array };

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 3279 §2.3.1), neither zero. */
function readRsaPublicKey(keyBits: Uint8Array, offset: number): { n: Uint8Array; e: Uint8Array } {
  const k = new DerReader(keyBits, 1, offset);
  const seq = k.sequence('RSAPublicKey');
  const n = seq.unsignedInteger('RSA modulus');
  const e = seq.unsignedInteger('RSA public exponent');
  seq.end('RSAPublicKey');
  k.end('RSAPublicKey');
  if (n.length === 1 && n[0] === 0) throw new DerError('RSA modulus is zero', offset);
  if (e.length === 1 && e[0] === 0) throw new DerError('RSA public exponent is zero', offset);
  return { n, e };
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) from a reader positioned on it. */
export function readSpki(r: DerReader): SubjectPublicKeyInfo {
  const what = 'subjectPublicKeyInfo';
  const el = r.readTag(TAG.SEQUENCE, what);
  const s = r.child(el);
  const alg = readAlgorithm(s, `${what} algorithm`);
  const keyBits = s.bitStringBytes(`${what} subjectPublicKey`);
  s.end(what);
  const der = el.bytes;
  const unsupported = (reason: string): SubjectPublicKeyInfo => ({ type: 'unsupported', algorithm: alg.oid, reason, der });
  switch (alg.oid) {
    case KEY.rsaEncryption: {
      nullOrNoParams(alg, `${what} rsaEncryption`, 'RFC 3279 §2.3.1');
      const { n, e } = readRsaPublicKey(keyBits, el.offset);
      return { type: 'rsa', n, e, bits: bitLength(n), der };
    }
    case SIG.rsassaPss: {
      // RFC 4055 §1.2: an RSA key that may only sign with RSASSA-PSS; the
      // parameters are absent (any hash) or RSASSA-PSS-params restricting it.
      const restriction = rsaPssKeyRestriction(alg.el.bytes);
      if (typeof restriction === 'string') return unsupported(`RSASSA-PSS key: ${restriction}`);
      const hash = restriction.hash;
      const { n, e } = readRsaPublicKey(keyBits, el.offset);
      return { type: 'rsa', n, e, bits: bitLength(n), der, pss: { hash } };
    }
    case KEY.ecPublicKey: {
      // RFC 5480 §2.1.1: ECParameters is namedCurve here; the other choices are forbidden.
      const p = alg.params;
      if (p === undefined || p.tag !== TAG.OID) return unsupported('EC key without a named curve (RFC 5480 §2.1.1)');
      const curve = decodeOid(p, 'namedCurve');
      const size = curve === KEY.p256 ? 32 : curve === KEY.p384 ? 48 : 0;
      if (size === 0) return unsupported(`EC curve ${describeOid(curve)} is not supported`);
      // RFC 5480 §2.2: 0x04 || X || Y. Compressed points are optional there and unused by TLS 1.3.
      if (keyBits.length !== 1 + 2 * size || keyBits[0] !== 0x04) {
        if (keyBits.length === 1 + size && (keyBits[0] === 0x02 || keyBits[0] === 0x03)) {
          return unsupported('compressed EC points are not supported');
        }
        throw new DerError(`EC point of ${keyBits.length} bytes is not an uncompressed ${describeOid(curve)} point`, el.offset);
      }
      return { type: 'ec', curve: size === 32 ? 'P-256' : 'P-384', point: keyBits, der };
    }
    case KEY.ed25519:
      noParams(alg, `${what} Ed25519`, 'RFC 8410 §3');
      if (keyBits.length !== 32) throw new DerError(`Ed25519 key of ${keyBits.length} bytes (RFC 8410 §4)`, el.offset);
      return { type: 'ed25519', publicKey: keyBits, der };
    default:
      return unsupported(`public key algorithm ${describeOid(alg.oid)} is not supported`);
  }
}

/**
 * Parses a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), e.g. the output of
 * `openssl pkey -pubout`. Throws a {@link DerError} if malformed.
 *
 * @example
 * ```ts
 * const key = parseSubjectPublicKeyInfo(decodePem(publicKeyPem)[0].der);
 * if (key.type === 'ec') console.log(key.curve, key.point.length);
 * ```
 */
export function parseSubjectPublicKeyInfo(der: Uint8Array): SubjectPublicKeyInfo {
  const r = new DerReader(der);
  const spki = readSpki(r);
  r.end('subjectPublicKeyInfo');
  return spki;
}
