// The default crypto provider: everything on the constant-time WebAssembly
// core of src/crypto.ts.

import { ecdsaP256, ecdsaP384, p256 } from './crypto.js';
import { TlsError } from './errors.js';
import { type CryptoProvider, type KeyExchange, signatureSchemeInfo } from './provider.js';
import { NamedGroup, SignatureScheme, signatureSchemeName } from './wire/constants.js';
import type { SignatureAlgorithm, SubjectPublicKeyInfo } from './x509/certificate.js';
import type { PrivateKey } from './x509/keys.js';
import type { SignatureVerifier } from './x509/validate.js';

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

const x509: SignatureVerifier = {
  verify(alg: SignatureAlgorithm, publicKey: SubjectPublicKeyInfo, signedData: Uint8Array, signature: Uint8Array): boolean {
    if (alg.type === 'ecdsa' && publicKey.type === 'ec') {
      if (publicKey.curve === 'P-256' && alg.hash === 'sha256') return verifyEcdsa('P-256', publicKey, signedData, signature);
      if (publicKey.curve === 'P-384' && alg.hash === 'sha384') return verifyEcdsa('P-384', publicKey, signedData, signature);
    }
    return false;
  },
};

/**
 * The crypto provider over the WebAssembly core (src/crypto.ts): the
 * default of every {@link TlsClient} and {@link TlsServer}.
 * @example new TlsClient({ serverName: 'example.com', ca, provider: wasmProvider })
 */
export const wasmProvider: CryptoProvider = {
  name: 'wasm',
  cipherSuites: [],
  groups: [NamedGroup.secp256r1],
  verifySchemes: [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384],
  aead(cipherSuite: number): never {
    throw new TlsError('internal_error', `wasm provider: no AEAD for suite 0x${cipherSuite.toString(16)}`);
  },
  keyExchange(group: number, secretKey?: Uint8Array): KeyExchange {
    if (group === NamedGroup.secp256r1) return p256KeyExchange(secretKey);
    throw new TlsError('internal_error', `wasm provider: no key exchange for group 0x${group.toString(16)}`);
  },
  verify(scheme: number, publicKey: SubjectPublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean {
    const info = signatureSchemeInfo(scheme);
    if (info?.kind === 'ecdsa') return verifyEcdsa(info.curve, publicKey, message, signature);
    throw new TlsError('internal_error', `wasm provider: cannot verify ${signatureSchemeName(scheme)}`);
  },
  sign(scheme: number, key: PrivateKey, message: Uint8Array): Uint8Array {
    if (scheme === SignatureScheme.ecdsa_secp256r1_sha256 && key.type === 'ec' && key.curve === 'P-256') return ecdsaP256.sign(message, key.d);
    throw new TlsError('internal_error', `wasm provider: cannot sign ${signatureSchemeName(scheme)} with a ${key.type} key`);
  },
  signSchemes(key: PrivateKey): readonly number[] {
    return key.type === 'ec' && key.curve === 'P-256' ? [SignatureScheme.ecdsa_secp256r1_sha256] : [];
  },
  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    globalThis.crypto.getRandomValues(out);
    return out;
  },
  x509,
};
