// The default crypto provider: everything on the constant-time WebAssembly
// core of src/crypto.ts.

import { AesGcm, ChaCha20Poly1305, ecdsaP256, ecdsaP384, ed25519, hkdfExpand, hkdfExtract, hmac, p256, rsa, sha256, sha384, x25519 } from './crypto.js';
import { internalError, TlsError } from './errors.js';
import { p384KeyExchange, secp256r1Mlkem768KeyExchange, x25519Mlkem768KeyExchange } from './key-exchange-groups.js';
import { type AeadCipher, type CryptoProvider, type KeyExchange, signatureSchemeInfo, type TlsHash } from './provider.js';
import { CIPHER_SUITE_PARAMS, CipherSuite, cipherSuiteName, NamedGroup, SignatureScheme, signatureSchemeName } from './wire/constants.js';
import type { SignatureAlgorithm, SubjectPublicKeyInfo } from './x509/certificate.js';
import type { PrivateKey } from './x509/keys.js';
import type { SignatureVerifier } from './x509/validate.js';

function wasmHash(name: 'sha256' | 'sha384', length: number, f: typeof sha256): TlsHash {
  return {
    name,
    length,
    digest: (data) => f(data),
    create: () => f.create(),
    hmac: (key, data) => hmac(name, key, data),
    extract: (salt, ikm) => hkdfExtract(name, salt, ikm),
    expand: (prk, info, length) => hkdfExpand(name, prk, info, length),
  };
}

/**
 * SHA-256 with its HMAC and HKDF over the WASM core: TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256.
 * @example const early = earlySecret(SHA256)
 */
export const SHA256: TlsHash = wasmHash('sha256', 32, sha256);

/**
 * SHA-384 with its HMAC and HKDF over the WASM core: TLS_AES_256_GCM_SHA384.
 * @example const early = earlySecret(SHA384)
 */
export const SHA384: TlsHash = wasmHash('sha384', 48, sha384);

/** The hash of a TLS 1.3 cipher suite (RFC 8446 §B.4) over the WASM core. */
function hashForSuite(suite: number): TlsHash {
  const p = CIPHER_SUITE_PARAMS[suite];
  if (p === undefined) throw internalError(`wasm provider: no hash for cipher suite ${cipherSuiteName(suite)}`);
  return p.hash === 'sha256' ? SHA256 : SHA384;
}

function x25519KeyExchange(secretKey?: Uint8Array): KeyExchange {
  let sk = secretKey?.slice() ?? x25519.randomSecretKey();
  const publicKey = x25519.getPublicKey(sk);
  return {
    group: NamedGroup.x25519,
    publicKey,
    // Throws InvalidKeyError for a small-order point (all-zero secret, RFC 8446 §7.4.2).
    sharedSecret: (peer) => x25519.getSharedSecret(sk, peer),
    dispose: () => {
      sk.fill(0);
      sk = new Uint8Array(32);
    },
  };
}

function p256KeyExchange(secretKey?: Uint8Array): KeyExchange {
  let sk = secretKey?.slice() ?? p256.randomSecretKey();
  const publicKey = p256.getPublicKey(sk, false);
  return {
    group: NamedGroup.secp256r1,
    publicKey,
    sharedSecret: (peer) => p256.getSharedSecret(sk, peer),
    dispose: () => {
      sk.fill(0);
      sk = new Uint8Array(32);
    },
  };
}

function verifyEcdsa(curve: 'P-256' | 'P-384', publicKey: SubjectPublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.type !== 'ec' || publicKey.curve !== curve) return false;
  return curve === 'P-256' ? ecdsaP256.verify(signature, message, publicKey.point) : ecdsaP384.verify(signature, message, publicKey.point);
}

/** Bits of a big-endian magnitude. */
function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i] as number));
}

/** The WASM core's RSA takes moduli of 2048 to 4096 bits (issue 4: "RSA 2048 to 4096"). */
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 4096;

function rsaPublicKey(publicKey: SubjectPublicKeyInfo): { n: Uint8Array; e: Uint8Array } | undefined {
  if (publicKey.type !== 'rsa') return undefined;
  const bits = bitLength(publicKey.n);
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw new TlsError('unsupported_certificate', `a ${bits}-bit RSA key: wasmtls supports RSA keys of ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits`);
  }
  return { n: publicKey.n, e: publicKey.e };
}

const x509: SignatureVerifier = {
  verify(alg: SignatureAlgorithm, publicKey: SubjectPublicKeyInfo, signedData: Uint8Array, signature: Uint8Array): boolean {
    if (alg.type === 'ecdsa' && publicKey.type === 'ec') {
      if (publicKey.curve === 'P-256' && alg.hash === 'sha256') return verifyEcdsa('P-256', publicKey, signedData, signature);
      if (publicKey.curve === 'P-384' && alg.hash === 'sha384') return verifyEcdsa('P-384', publicKey, signedData, signature);
    }
    if (alg.type === 'ed25519' && publicKey.type === 'ed25519') return ed25519.verify(signature, signedData, publicKey.publicKey);
    // validate.ts guarantees RSASSA-PSS parameters of MGF1 with the same hash and a salt of the hash length.
    if (alg.type === 'rsa-pkcs1' || alg.type === 'rsa-pss') {
      const key = rsaPublicKey(publicKey);
      if (key === undefined) return false;
      return alg.type === 'rsa-pkcs1' ? rsa.verifyPkcs1v15(alg.hash, signature, signedData, key) : rsa.verifyPss(alg.hash, signature, signedData, key);
    }
    return false;
  },
};

/** The TLS 1.3 AEADs (RFC 8446 §5.2, §B.4); both classes copy the key and wipe it on dispose(). */
function aead(cipherSuite: number, key: Uint8Array): AeadCipher {
  switch (cipherSuite) {
    case CipherSuite.TLS_AES_128_GCM_SHA256:
    case CipherSuite.TLS_AES_256_GCM_SHA384:
      return new AesGcm(key);
    case CipherSuite.TLS_CHACHA20_POLY1305_SHA256:
      return new ChaCha20Poly1305(key);
    default:
      throw new TlsError('internal_error', `wasm provider: no AEAD for suite 0x${cipherSuite.toString(16)}`);
  }
}

/**
 * The crypto provider over the WebAssembly core (src/crypto.ts): the
 * default of every {@link TlsClient} and {@link TlsServer}.
 * @example new TlsClient({ serverName: 'example.com', ca, provider: wasmProvider })
 */
export const wasmProvider: CryptoProvider = {
  name: 'wasm',
  cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256],
  groups: [NamedGroup.X25519MLKEM768, NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1, NamedGroup.SecP256r1MLKEM768],
  verifySchemes: [
    SignatureScheme.ecdsa_secp256r1_sha256,
    SignatureScheme.ecdsa_secp384r1_sha384,
    SignatureScheme.rsa_pss_rsae_sha256,
    SignatureScheme.rsa_pss_rsae_sha384,
    SignatureScheme.rsa_pss_rsae_sha512,
    SignatureScheme.ed25519,
    SignatureScheme.rsa_pss_pss_sha256,
    SignatureScheme.rsa_pss_pss_sha384,
    SignatureScheme.rsa_pss_pss_sha512,
  ],
  aead,
  hash: hashForSuite,
  keyExchange(group: number, secretKey?: Uint8Array): KeyExchange {
    if (group === NamedGroup.x25519) return x25519KeyExchange(secretKey);
    if (group === NamedGroup.secp256r1) return p256KeyExchange(secretKey);
    if (group === NamedGroup.secp384r1) return p384KeyExchange(secretKey);
    if (group === NamedGroup.X25519MLKEM768) return x25519Mlkem768KeyExchange(secretKey);
    if (group === NamedGroup.SecP256r1MLKEM768) return secp256r1Mlkem768KeyExchange(secretKey);
    throw new TlsError('internal_error', `wasm provider: no key exchange for group 0x${group.toString(16)}`);
  },
  verify(scheme: number, publicKey: SubjectPublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean {
    const info = signatureSchemeInfo(scheme);
    if (info?.kind === 'ecdsa') return verifyEcdsa(info.curve, publicKey, message, signature);
    if (info?.kind === 'ed25519') return publicKey.type === 'ed25519' && ed25519.verify(signature, message, publicKey.publicKey);
    if (info?.kind === 'rsa-pss') {
      const key = rsaPublicKey(publicKey);
      return key !== undefined && rsa.verifyPss(info.hash, signature, message, key);
    }
    throw new TlsError('internal_error', `wasm provider: cannot verify ${signatureSchemeName(scheme)}`);
  },
  sign(scheme: number, key: PrivateKey, message: Uint8Array): Uint8Array {
    if (scheme === SignatureScheme.ecdsa_secp256r1_sha256 && key.type === 'ec' && key.curve === 'P-256') return ecdsaP256.sign(message, key.d);
    if (scheme === SignatureScheme.ecdsa_secp384r1_sha384 && key.type === 'ec' && key.curve === 'P-384') return ecdsaP384.sign(message, key.d);
    if (scheme === SignatureScheme.ed25519 && key.type === 'ed25519') return ed25519.sign(message, key.seed);
    const info = signatureSchemeInfo(scheme);
    if (info?.kind === 'rsa-pss' && key.type === 'rsa' && (info.pssKey === true) === (key.pss !== undefined)) return rsa.signPss(info.hash, message, key);
    throw new TlsError('internal_error', `wasm provider: cannot sign ${signatureSchemeName(scheme)} with a ${key.type} key`);
  },
  signSchemes(key: PrivateKey): readonly number[] {
    if (key.type === 'ec' && key.curve === 'P-256') return [SignatureScheme.ecdsa_secp256r1_sha256];
    if (key.type === 'ec' && key.curve === 'P-384') return [SignatureScheme.ecdsa_secp384r1_sha384];
    if (key.type === 'ed25519') return [SignatureScheme.ed25519];
    if (key.type === 'rsa') {
      const bits = bitLength(key.n);
      if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) return [];
      if (key.pss === undefined) return [SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512];
      // An id-RSASSA-PSS key: rsa_pss_pss_*, within its hash restriction (RFC 8446 §4.2.3, RFC 4055 §3.1).
      const pss = { sha256: SignatureScheme.rsa_pss_pss_sha256, sha384: SignatureScheme.rsa_pss_pss_sha384, sha512: SignatureScheme.rsa_pss_pss_sha512 };
      return key.pss.hash === undefined ? [pss.sha256, pss.sha384, pss.sha512] : [pss[key.pss.hash]];
    }
    return [];
  },
  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    globalThis.crypto.getRandomValues(out);
    return out;
  },
  x509,
};
