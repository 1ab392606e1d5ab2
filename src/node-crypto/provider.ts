// The native crypto provider for Node: every operation of the CryptoProvider
// interface (src/provider.ts) through node:crypto, that is OpenSSL's
// constant-time code with AES-NI, CLMUL and the 64x64-bit multiplier that
// WebAssembly lacks (issue 18 item 1).
//
// Key material: an AEAD keeps a private copy of its key (unpooled), zeroed
// by dispose(). A server's private key becomes one KeyObject per parsed
// PrivateKey, a certificate's public key one KeyObject per distinct
// SubjectPublicKeyInfo (a bounded cache keyed by its bytes), an ephemeral
// key one KeyObject or ECDH object per key exchange. Those cannot be wiped
// from JavaScript: dispose() drops the reference and Node frees the native
// copy (cleared with OPENSSL_clear_free) when it is collected. The
// JavaScript copies this file makes of private keys (DER encodings) are
// zeroed after import.
//
// Behaviour matches the WASM provider (src/provider-wasm.ts) where the
// interface leaves room: AuthenticationError from open(), InvalidKeyError
// from a bad peer key, the same RSA modulus range with unsupported_certificate
// outside it, false (never a throw) for a malformed signature. Differences:
// ECDSA signatures use OpenSSL's random nonces (the WASM core's are RFC 6979
// deterministic), and P-384 keys can sign (ecdsa_secp384r1_sha384).

import {
  type KeyObject,
  createCipheriv,
  createDecipheriv,
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  sign as nodeSign,
  verify as nodeVerify,
  constants,
  randomFillSync,
  generateKeyPairSync,
  type CipherGCMTypes,
  type CipherChaCha20Poly1305Types,
} from 'node:crypto';
import { AuthenticationError, InvalidKeyError } from '../../bindings/errors.js';
import { TlsError } from '../errors.js';
import { type AeadCipher, type CryptoProvider, type KeyExchange, signatureSchemeInfo, type TlsHash } from '../provider.js';
import { CIPHER_SUITE_PARAMS, CipherSuite, cipherSuiteName, NamedGroup, SignatureScheme, signatureSchemeName } from '../wire/constants.js';
import type { SignatureAlgorithm, SubjectPublicKeyInfo } from '../x509/certificate.js';
import { encodePkcs8PrivateKey, type PrivateKey } from '../x509/keys.js';
import type { SignatureVerifier } from '../x509/validate.js';
import { NODE_SHA256, NODE_SHA384 } from './hash.js';

/** The tag of every TLS 1.3 AEAD (RFC 5116 §5.1, RFC 8439 §2.8). */
const TAG = 16;

type AeadName = CipherGCMTypes | CipherChaCha20Poly1305Types;

/** A plain Uint8Array over a Buffer's bytes (no copy): callers' `.slice()` must copy, as it does on Uint8Array. */
function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * One direction's AEAD (RFC 8446 §5.2) on OpenSSL: the key is imported once
 * as a KeyObject; each record is one EVP cipher context, as OpenSSL needs a
 * fresh context per nonce.
 */
class NativeAead implements AeadCipher {
  readonly #name: AeadName;
  // The raw key, a private copy wiped on dispose(). Not a KeyObject: making
  // one (createSecretKey) took 3.4 % of a handshake's CPU profile with this
  // provider, for AEADs that protect one to three handshake records, and
  // OpenSSL expands the key schedule in every EVP_CipherInit either way.
  readonly #key: Buffer;
  #disposed = false;

  constructor(name: AeadName, key: Uint8Array) {
    this.#name = name;
    this.#key = Buffer.alloc(key.length);
    this.#key.set(key);
  }

  #keyBytes(): Buffer {
    if (this.#disposed) throw new TlsError('internal_error', 'node-crypto provider: AEAD used after dispose');
    return this.#key;
  }

  seal(nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array): Uint8Array {
    const c = createCipheriv(this.#name as CipherGCMTypes, this.#keyBytes(), nonce, { authTagLength: TAG });
    c.setAAD(additionalData);
    const out = plain(Buffer.allocUnsafeSlow(plaintext.length + TAG));
    out.set(c.update(plaintext));
    c.final();
    out.set(c.getAuthTag(), plaintext.length);
    return out;
  }

  sealRecord(nonce: Uint8Array, header: Uint8Array, content: Uint8Array, type: number): Uint8Array {
    const c = createCipheriv(this.#name as CipherGCMTypes, this.#keyBytes(), nonce, { authTagLength: TAG });
    c.setAAD(header);
    const h = header.length;
    // Every byte is written below: header, ciphertext, the sealed type, tag.
    // Unpooled and uncleared: 0.8 µs against 3 µs for a zeroed 16 KiB array (measured).
    const out = plain(Buffer.allocUnsafeSlow(h + content.length + 1 + TAG));
    out.set(header);
    out.set(c.update(content), h);
    out.set(c.update(TYPE_BYTE[type & 0xff] as Uint8Array), h + content.length);
    c.final();
    out.set(c.getAuthTag(), h + content.length + 1);
    return out;
  }

  open(nonce: Uint8Array, ciphertext: Uint8Array, additionalData: Uint8Array): Uint8Array {
    if (ciphertext.length < TAG) throw new AuthenticationError('authentication failed: shorter than the tag');
    const n = ciphertext.length - TAG;
    const d = createDecipheriv(this.#name as CipherGCMTypes, this.#keyBytes(), nonce, { authTagLength: TAG });
    d.setAuthTag(ciphertext.subarray(n));
    d.setAAD(additionalData);
    const pt = d.update(ciphertext.subarray(0, n));
    try {
      d.final();
    } catch {
      // No plaintext is released when the tag does not verify (RFC 5116 §2.2).
      pt.fill(0);
      throw new AuthenticationError();
    }
    return plain(pt);
  }

  dispose(): void {
    this.#disposed = true;
    this.#key.fill(0);
  }
}

/** The 256 one-byte arrays of a ContentType, so sealRecord allocates none per record. */
const TYPE_BYTE: readonly Uint8Array[] = Array.from({ length: 256 }, (_, i) => Uint8Array.of(i));

function aead(cipherSuite: number, key: Uint8Array): AeadCipher {
  switch (cipherSuite) {
    case CipherSuite.TLS_AES_128_GCM_SHA256:
      return new NativeAead('aes-128-gcm', key);
    case CipherSuite.TLS_AES_256_GCM_SHA384:
      return new NativeAead('aes-256-gcm', key);
    case CipherSuite.TLS_CHACHA20_POLY1305_SHA256:
      return new NativeAead('chacha20-poly1305', key);
    default:
      throw new TlsError('internal_error', `node-crypto provider: no AEAD for suite 0x${cipherSuite.toString(16)}`);
  }
}

// X25519 keys in DER around the raw 32 bytes (RFC 8410 §4, §7), for the one
// path that imports a given private key (tests replaying a trace).
const X25519_SPKI = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00);
const X25519_PKCS8 = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20);

function withPrefix(prefix: Uint8Array, raw: Uint8Array): Buffer {
  const b = Buffer.alloc(prefix.length + raw.length);
  b.set(prefix);
  b.set(raw, prefix.length);
  return b;
}

/** A raw X25519 public key as a KeyObject: through JWK (RFC 8037 §2), which Node imports with EVP_PKEY_new_raw_public_key; DER goes through OpenSSL 3's decoders, several times slower (measured: 8 µs against about 100 µs of CPU). */
function x25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: base64url(raw) }, format: 'jwk' });
}

function base64url(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
}

/** A fresh X25519 key pair from OpenSSL's key generation, or (tests replaying a trace) one from `secretKey`. */
function x25519KeyPair(secretKey?: Uint8Array): { privateKey: KeyObject; publicKey: Uint8Array } {
  if (secretKey === undefined) {
    const kp = generateKeyPairSync('x25519');
    return { privateKey: kp.privateKey, publicKey: plain(Buffer.from(kp.publicKey.export({ format: 'jwk' }).x as string, 'base64url')) };
  }
  const der = withPrefix(X25519_PKCS8, secretKey);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: plain(spki.subarray(X25519_SPKI.length)) };
}

function x25519KeyExchange(secretKey?: Uint8Array): KeyExchange {
  const pair = x25519KeyPair(secretKey);
  let privateKey: KeyObject | undefined = pair.privateKey;
  return {
    group: NamedGroup.x25519,
    publicKey: pair.publicKey,
    sharedSecret(peer) {
      if (privateKey === undefined) throw new TlsError('internal_error', 'node-crypto provider: key exchange used after dispose');
      try {
        // OpenSSL refuses an all-zero result (RFC 7748 §6.1), as the WASM core does.
        return plain(diffieHellman({ privateKey, publicKey: x25519PublicKey(peer) }));
      } catch (cause) {
        throw new InvalidKeyError(`x25519: the peer's public key is not usable (${(cause as Error).message})`);
      }
    },
    dispose() {
      privateKey = undefined;
    },
  };
}

/** P-256 and P-384 ECDH (RFC 8446 §7.4.2; SEC 1 §3.3.1): the x-coordinate of the shared point. */
function ecdhKeyExchange(group: number, curve: 'prime256v1' | 'secp384r1', secretKey?: Uint8Array): KeyExchange {
  let ecdh: ReturnType<typeof createECDH> | undefined = createECDH(curve);
  if (secretKey === undefined) ecdh.generateKeys();
  else ecdh.setPrivateKey(secretKey);
  return {
    group,
    publicKey: plain(ecdh.getPublicKey()),
    sharedSecret(peer) {
      if (ecdh === undefined) throw new TlsError('internal_error', 'node-crypto provider: key exchange used after dispose');
      try {
        // OpenSSL decodes the point and checks that it is on the curve (§4.2.8.2).
        return plain(ecdh.computeSecret(peer));
      } catch (cause) {
        throw new InvalidKeyError(`${curve}: the peer's public key is not a point on the curve (${(cause as Error).message})`);
      }
    },
    dispose() {
      ecdh = undefined;
    },
  };
}

/** Bits of a big-endian magnitude. */
function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i] as number));
}

/** The WASM provider's RSA range (issue 4), kept so that the choice of provider never changes which peers connect. */
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 4096;

/**
 * Certificate keys already imported, keyed by their SubjectPublicKeyInfo
 * bytes: a server's leaf and intermediate arrive as new objects on every
 * connection but with the same bytes, and an import costs more than the
 * signature check it serves (measured: about 70-100 µs of CPU for a P-256
 * key, against 80 µs for the check). Public data only; bounded, the oldest
 * entry goes first.
 */
const publicKeys = new Map<string, KeyObject>();
const PUBLIC_KEY_CACHE_SIZE = 256;

/** A certificate key as a JWK (RFC 7517, RFC 7518 §6, RFC 8037 §2): Node imports JWKs without OpenSSL 3's slower DER decoders. */
function jwkOf(spki: SubjectPublicKeyInfo): Record<string, string> | undefined {
  switch (spki.type) {
    case 'ec': {
      const n = (spki.point.length - 1) / 2;
      return { kty: 'EC', crv: spki.curve, x: base64url(spki.point.subarray(1, 1 + n)), y: base64url(spki.point.subarray(1 + n)) };
    }
    case 'ed25519':
      return { kty: 'OKP', crv: 'Ed25519', x: base64url(spki.publicKey) };
    case 'rsa':
      return { kty: 'RSA', n: base64url(spki.n), e: base64url(spki.e) };
    default:
      return undefined;
  }
}

/** The KeyObject of a certificate's key, imported once per distinct key; undefined for one OpenSSL refuses. */
function publicKeyObject(spki: SubjectPublicKeyInfo): KeyObject | undefined {
  if (spki.type === 'rsa') {
    const bits = bitLength(spki.n);
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
      throw new TlsError('unsupported_certificate', `a ${bits}-bit RSA key: wasmtls supports RSA keys of ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits`);
    }
  }
  const id = Buffer.from(spki.der.buffer, spki.der.byteOffset, spki.der.byteLength).toString('latin1');
  let k = publicKeys.get(id);
  if (k === undefined) {
    const jwk = jwkOf(spki);
    if (jwk === undefined) return undefined;
    try {
      k = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      return undefined;
    }
    if (publicKeys.size >= PUBLIC_KEY_CACHE_SIZE) publicKeys.delete(publicKeys.keys().next().value as string);
    publicKeys.set(id, k);
  }
  return k;
}

const HASH_LENGTH = { sha256: 32, sha384: 48, sha512: 64 } as const;
type Hash = keyof typeof HASH_LENGTH;

/** One signature check; OpenSSL errors on malformed input (bad DER, wrong length) become false. */
function check(hash: Hash | null, key: KeyObject, message: Uint8Array, signature: Uint8Array, pss = false): boolean {
  try {
    if (pss) return nodeVerify(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash as Hash] }, signature);
    if (key.asymmetricKeyType === 'ec') return nodeVerify(hash, message, { key, dsaEncoding: 'der' }, signature);
    if (key.asymmetricKeyType === 'rsa') return nodeVerify(hash, message, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return nodeVerify(hash, message, key, signature);
  } catch {
    return false;
  }
}

function verifyEcdsa(curve: 'P-256' | 'P-384', hash: Hash, spki: SubjectPublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean {
  if (spki.type !== 'ec' || spki.curve !== curve) return false;
  const key = publicKeyObject(spki);
  return key !== undefined && check(hash, key, message, signature);
}

const x509: SignatureVerifier = {
  verify(alg: SignatureAlgorithm, spki: SubjectPublicKeyInfo, signedData: Uint8Array, signature: Uint8Array): boolean {
    if (alg.type === 'ecdsa' && spki.type === 'ec') {
      if (spki.curve === 'P-256' && alg.hash === 'sha256') return verifyEcdsa('P-256', 'sha256', spki, signedData, signature);
      if (spki.curve === 'P-384' && alg.hash === 'sha384') return verifyEcdsa('P-384', 'sha384', spki, signedData, signature);
      return false;
    }
    if (alg.type === 'ed25519' && spki.type === 'ed25519') {
      const key = publicKeyObject(spki);
      return key !== undefined && check(null, key, signedData, signature);
    }
    // validate.ts guarantees RSASSA-PSS parameters of MGF1 with the same hash and a salt of the hash length.
    if ((alg.type === 'rsa-pkcs1' || alg.type === 'rsa-pss') && spki.type === 'rsa' && alg.hash in HASH_LENGTH) {
      const key = publicKeyObject(spki);
      return key !== undefined && check(alg.hash as Hash, key, signedData, signature, alg.type === 'rsa-pss');
    }
    return false;
  },
};

const privateKeys = new WeakMap<PrivateKey, KeyObject>();

/** The KeyObject of a server's key, imported once per parsed PrivateKey (its PKCS#8 encoding is zeroed after import). */
function privateKeyObject(key: PrivateKey): KeyObject {
  let k = privateKeys.get(key);
  if (k === undefined) {
    const der = encodePkcs8PrivateKey(key);
    try {
      k = createPrivateKey({ key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type: 'pkcs8' });
    } finally {
      der.fill(0);
    }
    privateKeys.set(key, k);
  }
  return k;
}

const RSA_PSS = [SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512] as const;

/**
 * The crypto provider over node:crypto (OpenSSL): native speed in Node, at
 * the cost of the WASM provider's guarantees of identical bytes in every
 * runtime and deterministic signatures. Import it from `wasmtls/node-crypto`
 * (Node only) and pass it as `provider` to any client or server.
 * @example
 * import { nodeCryptoProvider } from 'wasmtls/node-crypto';
 * new TlsClient({ serverName: 'example.com', ca, provider: nodeCryptoProvider });
 */
export const nodeCryptoProvider: CryptoProvider = {
  name: 'node-crypto',
  cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256],
  groups: [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1],
  verifySchemes: [
    SignatureScheme.ecdsa_secp256r1_sha256,
    SignatureScheme.ecdsa_secp384r1_sha384,
    ...RSA_PSS,
    SignatureScheme.ed25519,
  ],
  aead,
  hash(cipherSuite: number): TlsHash {
    const p = CIPHER_SUITE_PARAMS[cipherSuite];
    if (p === undefined) throw new TlsError('internal_error', `node-crypto provider: no hash for cipher suite ${cipherSuiteName(cipherSuite)}`);
    return p.hash === 'sha256' ? NODE_SHA256 : NODE_SHA384;
  },
  keyExchange(group: number, secretKey?: Uint8Array): KeyExchange {
    if (group === NamedGroup.x25519) return x25519KeyExchange(secretKey);
    if (group === NamedGroup.secp256r1) return ecdhKeyExchange(group, 'prime256v1', secretKey);
    if (group === NamedGroup.secp384r1) return ecdhKeyExchange(group, 'secp384r1', secretKey);
    throw new TlsError('internal_error', `node-crypto provider: no key exchange for group 0x${group.toString(16)}`);
  },
  verify(scheme: number, spki: SubjectPublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean {
    const info = signatureSchemeInfo(scheme);
    if (info?.kind === 'ecdsa') return verifyEcdsa(info.curve, info.hash, spki, message, signature);
    if (info?.kind === 'ed25519') {
      if (spki.type !== 'ed25519') return false;
      const key = publicKeyObject(spki);
      return key !== undefined && check(null, key, message, signature);
    }
    if (info?.kind === 'rsa-pss') {
      if (spki.type !== 'rsa') return false;
      const key = publicKeyObject(spki);
      return key !== undefined && check(info.hash, key, message, signature, true);
    }
    throw new TlsError('internal_error', `node-crypto provider: cannot verify ${signatureSchemeName(scheme)}`);
  },
  sign(scheme: number, key: PrivateKey, message: Uint8Array): Uint8Array {
    const info = signatureSchemeInfo(scheme);
    if (info?.kind === 'ecdsa' && key.type === 'ec' && key.curve === info.curve) {
      return plain(nodeSign(info.hash, message, { key: privateKeyObject(key), dsaEncoding: 'der' }));
    }
    if (info?.kind === 'ed25519' && key.type === 'ed25519') return plain(nodeSign(null, message, privateKeyObject(key)));
    if (info?.kind === 'rsa-pss' && key.type === 'rsa') {
      return plain(nodeSign(info.hash, message, { key: privateKeyObject(key), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[info.hash] }));
    }
    throw new TlsError('internal_error', `node-crypto provider: cannot sign ${signatureSchemeName(scheme)} with a ${key.type} key`);
  },
  signSchemes(key: PrivateKey): readonly number[] {
    if (key.type === 'ec') return [key.curve === 'P-256' ? SignatureScheme.ecdsa_secp256r1_sha256 : SignatureScheme.ecdsa_secp384r1_sha384];
    if (key.type === 'ed25519') return [SignatureScheme.ed25519];
    const bits = bitLength(key.n);
    return bits >= RSA_MIN_BITS && bits <= RSA_MAX_BITS ? RSA_PSS : [];
  },
  randomBytes(n: number): Uint8Array {
    return randomFillSync(new Uint8Array(n));
  },
  x509,
};
