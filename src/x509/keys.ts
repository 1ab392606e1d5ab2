/**
 * Private keys from PEM or DER: PKCS#8 (RFC 5208, RFC 5958) holding EC
 * (RFC 5915), Ed25519 (RFC 8410 §7), RSA (RFC 8017 appendix A.1.2) or
 * RSASSA-PSS (RFC 4055 §1.2); SEC1
 * `EC PRIVATE KEY` (RFC 5915 §3); PKCS#1 `RSA PRIVATE KEY` (RFC 8017
 * appendix A.1.2). Integers come out as big-endian byte arrays without sign
 * octets; EC scalars are left-padded to the curve size.
 *
 * This parser runs in JavaScript and is not constant time in the key bytes
 * (DER lengths and range checks branch on them); keys are parsed once, when
 * a server is configured.
 * @module
 */
import { toBigInt } from './bytes.js';
import * as w from './der-writer.js';
import { DerError, DerReader, TAG, decodeOid } from './der.js';
import { rsaPssKeyRestriction } from './certificate.js';
import { describeOid, HASH, KEY, SIG } from './oids.js';
import { decodePem, encodePem, PemError } from './pem.js';

/** An EC private key on P-256 or P-384. */
export interface EcPrivateKey {
  readonly type: 'ec';
  readonly curve: 'P-256' | 'P-384';
  /** The scalar, big-endian, 32 (P-256) or 48 (P-384) bytes. */
  readonly d: Uint8Array;
  /** The uncompressed SEC1 public point when the encoding carries it. */
  readonly publicKey?: Uint8Array;
}

/** An Ed25519 private key (RFC 8032 §5.1.5). */
export interface Ed25519PrivateKey {
  readonly type: 'ed25519';
  /** The 32-byte secret seed. */
  readonly seed: Uint8Array;
  /** The 32-byte public key when the encoding carries it (PKCS#8 v2). */
  readonly publicKey?: Uint8Array;
}

/** An RSA private key in CRT form (RFC 8017 §3.2); all fields big-endian magnitudes. */
export interface RsaPrivateKey {
  readonly type: 'rsa';
  /**
   * Present for an id-RSASSA-PSS key (RFC 4055 §1.2, `openssl genpkey
   * -algorithm RSA-PSS`): it signs with RSASSA-PSS only, so TLS 1.3 uses
   * rsa_pss_pss_* for it (RFC 8446 §4.2.3); `hash` when restricted to one.
   */
  readonly pss?: { readonly hash: 'sha256' | 'sha384' | 'sha512' | undefined };
  readonly n: Uint8Array;
  readonly e: Uint8Array;
  readonly d: Uint8Array;
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly dp: Uint8Array;
  readonly dq: Uint8Array;
  readonly qi: Uint8Array;
}

/** A parsed private key. */
export type PrivateKey = EcPrivateKey | Ed25519PrivateKey | RsaPrivateKey;

// Group orders, SEC 2 v2 §2.4.2 and §2.5.1.
const ORDERS = {
  'P-256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  'P-384': 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
} as const;
const SIZES = { 'P-256': 32, 'P-384': 48 } as const;

/** A well-formed key of a kind wasmtls does not handle: a DerError (the key's element at `offset`) that says what is supported. */
function unsupported(what: string, offset: number): DerError {
  return new DerError(`unsupported private key: ${what}; supported are EC P-256 and P-384, Ed25519, RSA and RSASSA-PSS`, offset);
}

function curveOf(oid: string, offset: number): 'P-256' | 'P-384' {
  if (oid === KEY.p256) return 'P-256';
  if (oid === KEY.p384) return 'P-384';
  if (oid.length === 0) throw new DerError('EC key without a curve', offset);
  throw unsupported(`EC curve ${describeOid(oid)}`, offset);
}

/**
 * ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
 * parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
 * (RFC 5915 §3). `curve` comes from the PKCS#8 AlgorithmIdentifier when
 * wrapped; the inner parameters must then agree.
 */
function readEcPrivateKey(r: DerReader, outerCurve: 'P-256' | 'P-384' | undefined): EcPrivateKey {
  const at = r.offset;
  const seq = r.sequence('ECPrivateKey');
  if (seq.smallInteger('ECPrivateKey version') !== 1) throw new DerError('ECPrivateKey version must be 1 (RFC 5915 §3)', at);
  const raw = seq.octetString('ECPrivateKey privateKey');
  let curve = outerCurve;
  const params = seq.optionalExplicit(0);
  if (params !== undefined) {
    const el = params.read();
    params.end('ECPrivateKey parameters');
    if (el.tag !== TAG.OID) throw unsupported('EC key with explicit curve parameters (RFC 5480 §2.1.1 requires a named curve)', el.offset);
    const inner = curveOf(decodeOid(el, 'namedCurve'), el.offset);
    if (curve !== undefined && inner !== curve) throw new DerError(`EC key parameters say ${inner} but the algorithm says ${curve}`, at);
    curve = inner;
  }
  if (curve === undefined) throw new DerError('SEC1 EC key without curve parameters', at);
  let publicKey: Uint8Array | undefined;
  const pub = seq.optionalExplicit(1);
  if (pub !== undefined) {
    publicKey = pub.bitStringBytes('ECPrivateKey publicKey');
    pub.end('ECPrivateKey publicKey');
    if (publicKey.length !== 1 + 2 * SIZES[curve] || publicKey[0] !== 0x04) {
      throw new DerError(`ECPrivateKey publicKey is not an uncompressed ${curve} point`, at);
    }
  }
  seq.end('ECPrivateKey');
  const size = SIZES[curve];
  // RFC 5915 §3 fixes the length at the order's size; older encoders dropped
  // leading zero octets, so shorter scalars are left-padded.
  if (raw.length > size) throw new DerError(`${curve} private key of ${raw.length} bytes`, at);
  const d = new Uint8Array(size);
  d.set(raw, size - raw.length);
  const dv = toBigInt(d);
  if (dv === 0n || dv >= ORDERS[curve]) throw new DerError(`${curve} private key is not in [1, n-1]`, at);
  return publicKey === undefined ? { type: 'ec', curve, d } : { type: 'ec', curve, d, publicKey };
}

/**
 * RSAPrivateKey (RFC 8017 appendix A.1.2), two-prime only. Checks n = p * q;
 * the CRT values are taken as given.
 */
function readRsaPrivateKey(r: DerReader): RsaPrivateKey {
  const at = r.offset;
  const seq = r.sequence('RSAPrivateKey');
  const version = seq.smallInteger('RSAPrivateKey version');
  if (version === 1) throw unsupported('multi-prime RSA', at);
  if (version !== 0) throw new DerError(`RSAPrivateKey version ${version}`, at);
  const names = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;
  const v: Record<string, Uint8Array> = {};
  for (const name of names) v[name] = seq.unsignedInteger(`RSAPrivateKey ${name}`);
  seq.end('RSAPrivateKey');
  const key = { type: 'rsa', ...v } as RsaPrivateKey;
  if (toBigInt(key.p) * toBigInt(key.q) !== toBigInt(key.n)) throw new DerError('RSA key: n is not p * q', at);
  return key;
}

/** PrivateKeyInfo / OneAsymmetricKey (RFC 5208 §5, RFC 5958 §2). */
function readPkcs8(r: DerReader): PrivateKey {
  const at = r.offset;
  const seq = r.sequence('PrivateKeyInfo');
  const version = seq.smallInteger('PrivateKeyInfo version');
  if (version !== 0 && version !== 1) throw new DerError(`PrivateKeyInfo version ${version}`, at);
  const algEl = seq.readTag(TAG.SEQUENCE, 'privateKeyAlgorithm');
  const alg = seq.child(algEl);
  const oid = alg.oid('privateKeyAlgorithm');
  const params = alg.atEnd ? undefined : alg.read();
  alg.end('privateKeyAlgorithm');
  const keyEl = seq.readTag(TAG.OCTET_STRING, 'privateKey');
  seq.optionalImplicit(0, true); // attributes
  const pubEl = version === 1 ? seq.optionalImplicit(1) : undefined; // RFC 5958 publicKey [1] IMPLICIT BIT STRING
  seq.end('PrivateKeyInfo');
  const inner = seq.nested(keyEl);
  let key: PrivateKey;
  switch (oid) {
    case KEY.ecPublicKey: {
      if (params === undefined || params.tag !== TAG.OID) throw unsupported('EC key without a named curve', params?.offset ?? at);
      key = readEcPrivateKey(inner, curveOf(decodeOid(params, 'namedCurve'), params.offset));
      break;
    }
    case KEY.ed25519: {
      // RFC 8410 §7: parameters absent; CurvePrivateKey ::= OCTET STRING of 32 bytes.
      if (params !== undefined) throw new DerError('Ed25519 algorithm parameters must be absent (RFC 8410 §3)', at);
      const seed = inner.octetString('CurvePrivateKey');
      if (seed.length !== 32) throw new DerError(`Ed25519 private key of ${seed.length} bytes`, at);
      let publicKey: Uint8Array | undefined;
      if (pubEl !== undefined) {
        const v = pubEl.value;
        if (v.length !== 33 || v[0] !== 0) throw new DerError('Ed25519 publicKey must be a 32-byte BIT STRING', pubEl.offset);
        publicKey = v.subarray(1);
      }
      key = publicKey === undefined ? { type: 'ed25519', seed } : { type: 'ed25519', seed, publicKey };
      break;
    }
    case KEY.rsaEncryption:
      // RFC 8017 appendix A.1: parameters NULL.
      if (params === undefined || params.tag !== TAG.NULL || params.value.length !== 0) {
        throw new DerError('rsaEncryption parameters must be NULL (RFC 8017 appendix A.1)', at);
      }
      key = readRsaPrivateKey(inner);
      break;
    case SIG.rsassaPss: {
      // RFC 4055 §1.2: RSAPrivateKey under id-RSASSA-PSS, parameters absent or restricting the hash.
      const restriction = rsaPssKeyRestriction(algEl.bytes);
      if (typeof restriction === 'string') throw unsupported(`RSASSA-PSS key: ${restriction}`, at);
      key = { ...readRsaPrivateKey(inner), pss: { hash: restriction.hash } };
      break;
    }
    default:
      throw unsupported(`algorithm ${describeOid(oid)}`, at);
  }
  inner.end('privateKey');
  return key;
}

function whole<T>(der: Uint8Array, what: string, read: (r: DerReader) => T): T {
  if (!(der instanceof Uint8Array)) throw new TypeError('der must be a Uint8Array');
  const r = new DerReader(der);
  const key = read(r);
  r.end(what);
  return key;
}

/**
 * Parses a DER PKCS#8 PrivateKeyInfo (the `PRIVATE KEY` PEM label).
 *
 * @example
 * ```ts
 * const key = parsePkcs8PrivateKey(der);
 * ```
 */
export function parsePkcs8PrivateKey(der: Uint8Array): PrivateKey {
  return whole(der, 'PrivateKeyInfo', readPkcs8);
}

/**
 * Parses a DER SEC1 ECPrivateKey (the `EC PRIVATE KEY` PEM label); it must name its curve.
 *
 * @example
 * ```ts
 * const { curve, d, publicKey } = parseSec1PrivateKey(der);
 * ```
 */
export function parseSec1PrivateKey(der: Uint8Array): EcPrivateKey {
  return whole(der, 'ECPrivateKey', (r) => readEcPrivateKey(r, undefined));
}

/**
 * Parses a DER PKCS#1 RSAPrivateKey (the `RSA PRIVATE KEY` PEM label).
 *
 * @example
 * ```ts
 * const { n, e, d, p, q } = parsePkcs1PrivateKey(der);
 * ```
 */
export function parsePkcs1PrivateKey(der: Uint8Array): RsaPrivateKey {
  return whole(der, 'RSAPrivateKey', readRsaPrivateKey);
}

const PEM_LABELS: Readonly<Record<string, (der: Uint8Array) => PrivateKey>> = {
  'PRIVATE KEY': parsePkcs8PrivateKey,
  'EC PRIVATE KEY': parseSec1PrivateKey,
  'RSA PRIVATE KEY': parsePkcs1PrivateKey,
};

/**
 * Parses a private key from PEM text (labels `PRIVATE KEY`, `EC PRIVATE KEY`,
 * `RSA PRIVATE KEY`; other blocks such as `EC PARAMETERS` or certificates
 * are skipped) or from DER bytes in any of the three forms, told apart by
 * their structure. Every failure is typed: malformed or unsupported DER
 * throws a `DerError` (an unsupported key's message starts "unsupported
 * private key" and says what is supported), PEM that is malformed, encrypted
 * or holds no single key block a `PemError`, a non-string non-Uint8Array
 * input a `TypeError`.
 *
 * @example
 * ```ts
 * const key = parsePrivateKey(readFileSync('key.pem', 'utf8'));
 * if (key.type === 'ec') console.log(key.curve, key.d.length);
 * ```
 */
export function parsePrivateKey(input: string | Uint8Array): PrivateKey {
  if (typeof input === 'string') {
    const blocks = decodePem(input);
    if (blocks.some((b) => b.label === 'ENCRYPTED PRIVATE KEY')) {
      throw new PemError('encrypted PKCS#8 keys are not supported; decrypt first, e.g. `openssl pkey -in key.pem -out plain.pem`');
    }
    const keys = blocks.filter((b) => PEM_LABELS[b.label] !== undefined);
    if (keys.length !== 1) {
      throw new PemError(
        `expected one PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block, found ${keys.length} (labels: ${blocks.map((b) => b.label).join(', ')})`,
      );
    }
    const block = keys[0] as { label: string; der: Uint8Array };
    return (PEM_LABELS[block.label] as (der: Uint8Array) => PrivateKey)(block.der);
  }
  if (!(input instanceof Uint8Array)) throw new TypeError('input must be a PEM string or DER Uint8Array');
  // Tell the forms apart by the element after the version INTEGER:
  // AlgorithmIdentifier (PKCS#8), OCTET STRING (SEC1), INTEGER n (PKCS#1).
  const r = new DerReader(input);
  const seq = r.sequence('private key');
  seq.integer('private key version');
  const next = seq.peekTag();
  if (next === TAG.SEQUENCE) return parsePkcs8PrivateKey(input);
  if (next === TAG.OCTET_STRING) return parseSec1PrivateKey(input);
  if (next === TAG.INTEGER) return parsePkcs1PrivateKey(input);
  throw new DerError('not a PKCS#8, SEC1 or PKCS#1 private key', 0);
}

/** RSASSA-PSS-params restricting a key to `hash` (RFC 4055 §3.1; salt = hash length, MGF1 with the same hash), none when unrestricted. */
function pssParams(hash: 'sha256' | 'sha384' | 'sha512' | undefined): Uint8Array[] {
  if (hash === undefined) return [];
  const h = w.sequence(w.oid(HASH[hash]), w.nullValue());
  const salt = { sha256: 32, sha384: 48, sha512: 64 }[hash];
  return [w.sequence(w.explicit(0, h), w.explicit(1, w.sequence(w.oid(SIG.mgf1), h)), w.explicit(2, w.integer(salt)))];
}

function rsaPkcs1(key: RsaPrivateKey): Uint8Array {
  return w.sequence(
    w.integer(0),
    ...[key.n, key.e, key.d, key.p, key.q, key.dp, key.dq, key.qi].map((v) => w.integer(v)),
  );
}

/**
 * Encodes a private key as DER PKCS#8 v1 (RFC 5208 §5), the form `openssl
 * genpkey` writes: EC keys carry their public point inside ECPrivateKey
 * when known, without repeating the curve (RFC 5915 §3).
 *
 * @example
 * ```ts
 * const pem = encodePem('PRIVATE KEY', encodePkcs8PrivateKey({ type: 'ed25519', seed }));
 * ```
 */
export function encodePkcs8PrivateKey(key: PrivateKey): Uint8Array {
  let alg: Uint8Array;
  let inner: Uint8Array;
  switch (key.type) {
    case 'ec': {
      if (key.d.length !== SIZES[key.curve]) throw new RangeError(`d must be ${SIZES[key.curve]} bytes for ${key.curve}`);
      alg = w.sequence(w.oid(KEY.ecPublicKey), w.oid(key.curve === 'P-256' ? KEY.p256 : KEY.p384));
      const parts = [w.integer(1), w.octetString(key.d)];
      if (key.publicKey !== undefined) parts.push(w.explicit(1, w.bitString(key.publicKey)));
      inner = w.sequence(...parts);
      break;
    }
    case 'ed25519':
      if (key.seed.length !== 32) throw new RangeError('seed must be 32 bytes');
      alg = w.sequence(w.oid(KEY.ed25519));
      inner = w.octetString(key.seed);
      break;
    case 'rsa':
      alg = key.pss === undefined ? w.sequence(w.oid(KEY.rsaEncryption), w.nullValue()) : w.sequence(w.oid(SIG.rsassaPss), ...pssParams(key.pss.hash));
      inner = rsaPkcs1(key);
      break;
  }
  return w.sequence(w.integer(0), alg, w.octetString(inner));
}

/**
 * {@link encodePkcs8PrivateKey} as a `PRIVATE KEY` PEM block.
 *
 * @example
 * ```ts
 * writeFileSync('key.pem', encodePrivateKeyPem(key));
 * ```
 */
export function encodePrivateKeyPem(key: PrivateKey): string {
  return encodePem('PRIVATE KEY', encodePkcs8PrivateKey(key));
}
