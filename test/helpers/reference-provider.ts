// A CryptoProvider on @noble/ciphers, @noble/curves and BigInt RSA: the
// reference the engine tests run against (in Node and Chromium), beside the
// WASM provider. Test code only.
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { type CryptoProvider, type Hasher, type KeyExchange, signatureSchemeInfo, type TlsHash } from '../../src/provider.js';
import { CipherSuite, NamedGroup, SignatureScheme } from '../../src/wire/constants.js';
import type { SignatureAlgorithm, SubjectPublicKeyInfo } from '../../src/x509/certificate.js';
import type { PrivateKey } from '../../src/x509/keys.js';
import { rsaPkcs1Verify, rsaPssSign, rsaPssVerify } from './rsa.js';

type NobleHash = typeof sha256 | typeof sha384;

function nobleHasher(h: ReturnType<NobleHash['create']>): Hasher {
  const self: Hasher = {
    update(data) {
      h.update(data);
      return self as never;
    },
    digest: () => h.digest(),
    clone: () => nobleHasher(h.clone()),
  };
  return self;
}

function nobleTlsHash(name: 'sha256' | 'sha384', f: NobleHash): TlsHash {
  return {
    name,
    length: f.outputLen,
    digest: (data) => f(data),
    create: () => nobleHasher(f.create()),
    hmac: (key, data) => hmac(f, key, data),
    extract: (salt, ikm) => extract(f, ikm, salt),
    expand: (prk, info, length) => expand(f, prk, info, length),
  };
}

/** SHA-2, HMAC and HKDF from @noble/hashes: the key schedule runs without the WASM core. */
const NOBLE_SHA256 = nobleTlsHash('sha256', sha256);
const NOBLE_SHA384 = nobleTlsHash('sha384', sha384);

function keyExchange(group: number, secretKey?: Uint8Array): KeyExchange {
  if (group === NamedGroup.x25519) {
    const sk = secretKey ?? x25519.utils.randomSecretKey();
    return { group, publicKey: x25519.getPublicKey(sk), sharedSecret: (pk) => x25519.getSharedSecret(sk, pk), dispose: () => sk.fill(0) };
  }
  if (group === NamedGroup.secp256r1) {
    const sk = secretKey ?? p256.utils.randomSecretKey();
    return {
      group,
      publicKey: p256.getPublicKey(sk, false),
      sharedSecret: (pk) => p256.getSharedSecret(sk, pk, true).slice(1),
      dispose: () => sk.fill(0),
    };
  }
  throw new Error(`reference provider: no group 0x${group.toString(16)}`);
}

function verifyScheme(scheme: number, key: SubjectPublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean {
  const info = signatureSchemeInfo(scheme);
  if (info === undefined) throw new Error(`reference provider: scheme 0x${scheme.toString(16)}`);
  try {
    switch (info.kind) {
      case 'ecdsa':
        if (key.type !== 'ec' || key.curve !== info.curve) return false;
        return (info.curve === 'P-256' ? p256 : p384).verify(signature, message, key.point, { format: 'der', lowS: false });
      case 'rsa-pss':
        return key.type === 'rsa' && rsaPssVerify(info.hash, key, message, signature);
      case 'rsa-pkcs1':
        return key.type === 'rsa' && rsaPkcs1Verify(info.hash, key, message, signature);
      case 'ed25519':
        return key.type === 'ed25519' && ed25519.verify(signature, message, key.publicKey);
    }
  } catch {
    return false;
  }
}

const CERT_SCHEME: Record<string, number> = {
  'ecdsa-sha256': SignatureScheme.ecdsa_secp256r1_sha256,
  'ecdsa-sha384': SignatureScheme.ecdsa_secp384r1_sha384,
  'rsa-pss-sha256': SignatureScheme.rsa_pss_rsae_sha256,
  'rsa-pss-sha384': SignatureScheme.rsa_pss_rsae_sha384,
  'rsa-pss-sha512': SignatureScheme.rsa_pss_rsae_sha512,
  'rsa-pkcs1-sha256': SignatureScheme.rsa_pkcs1_sha256,
  'rsa-pkcs1-sha384': SignatureScheme.rsa_pkcs1_sha384,
  'rsa-pkcs1-sha512': SignatureScheme.rsa_pkcs1_sha512,
};

/** The reference provider. */
export const referenceProvider: CryptoProvider = {
  name: 'reference',
  cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256],
  groups: [NamedGroup.x25519, NamedGroup.secp256r1],
  verifySchemes: [
    SignatureScheme.ecdsa_secp256r1_sha256,
    SignatureScheme.ecdsa_secp384r1_sha384,
    SignatureScheme.rsa_pss_rsae_sha256,
    SignatureScheme.rsa_pss_rsae_sha384,
    SignatureScheme.rsa_pss_rsae_sha512,
    SignatureScheme.ed25519,
  ],
  aead(suite, key) {
    let k = key.slice();
    const make = suite === CipherSuite.TLS_CHACHA20_POLY1305_SHA256 ? chacha20poly1305 : gcm;
    return {
      seal: (nonce, pt, aad) => make(k, nonce, aad).encrypt(pt),
      open: (nonce, ct, aad) => make(k, nonce, aad).decrypt(ct),
      dispose: () => {
        k.fill(0);
        k = new Uint8Array(0);
      },
    };
  },
  hash: (suite) => (suite === CipherSuite.TLS_AES_256_GCM_SHA384 ? NOBLE_SHA384 : NOBLE_SHA256),
  keyExchange,
  verify: verifyScheme,
  sign(scheme: number, key: PrivateKey, message: Uint8Array): Uint8Array {
    const info = signatureSchemeInfo(scheme);
    if (info?.kind === 'ecdsa' && key.type === 'ec') return (key.curve === 'P-256' ? p256 : p384).sign(message, key.d, { format: 'der', lowS: false });
    if (info?.kind === 'rsa-pss' && key.type === 'rsa') return rsaPssSign(info.hash, key, message);
    if (info?.kind === 'ed25519' && key.type === 'ed25519') return ed25519.sign(message, key.seed);
    throw new Error(`reference provider: cannot sign 0x${scheme.toString(16)} with ${key.type}`);
  },
  signSchemes(key: PrivateKey): readonly number[] {
    if (key.type === 'ec') return [key.curve === 'P-256' ? SignatureScheme.ecdsa_secp256r1_sha256 : SignatureScheme.ecdsa_secp384r1_sha384];
    if (key.type === 'ed25519') return [SignatureScheme.ed25519];
    return [SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512];
  },
  randomBytes: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
  x509: {
    verify(alg: SignatureAlgorithm, key: SubjectPublicKeyInfo, data: Uint8Array, sig: Uint8Array): boolean {
      if (alg.type === 'unsupported') return false;
      if (alg.type === 'ed25519') return verifyScheme(SignatureScheme.ed25519, key, data, sig);
      const scheme = alg.type === 'ecdsa' && key.type === 'ec' ? (key.curve === 'P-256' ? SignatureScheme.ecdsa_secp256r1_sha256 : SignatureScheme.ecdsa_secp384r1_sha384) : CERT_SCHEME[`${alg.type}-${alg.hash}`];
      if (scheme === undefined) return false;
      if (alg.type === 'ecdsa') {
        // Certificates may pair a curve with another hash; only the TLS pairings are supported here.
        const want = key.type === 'ec' && key.curve === 'P-256' ? 'sha256' : 'sha384';
        if (alg.hash !== want) return false;
      }
      return verifyScheme(scheme, key, data, sig);
    },
  },
};
