// The crypto provider (rustls crypto/mod.rs style): everything the engine does
// with secrets goes through one object passed in the configuration, the
// suite's hash, HMAC and HKDF included (the key schedule and transcript of
// src/keyschedule.ts take them from `provider.hash(suite)`). Nothing above
// src/provider-wasm.ts imports the WASM core.
//
// The default provider is `wasmProvider` (src/provider-wasm.ts), chosen by the
// configuration builders (src/config.ts), never by the engine. Tests run the
// engine over other providers too; a provider whose crypto is trivial (for
// fuzzing, so mutated input gets past the AEAD and signatures) lives under
// test/ only and is never reachable from the package.

import type { TlsError } from './errors.js';
import type { SignatureVerifier } from './x509/validate.js';
import type { SubjectPublicKeyInfo } from './x509/certificate.js';
import type { PrivateKey } from './x509/keys.js';

/**
 * An AEAD instance keyed for one direction of one traffic secret
 * (RFC 8446 §5.2; RFC 5116 interface). The record layer owns it and calls
 * `dispose()` when the key is replaced or the connection ends.
 */
export interface AeadCipher {
  /** `AEAD-Encrypt(key, nonce, additional_data, plaintext)`: ciphertext || 16-byte tag. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array): Uint8Array;
  /**
   * `AEAD-Decrypt`; throws (any error) when the tag does not verify. No
   * plaintext may be released in that case. The record layer turns every
   * failure into `bad_record_mac` (RFC 8446 §5.2).
   */
  open(nonce: Uint8Array, ciphertext: Uint8Array, additionalData: Uint8Array): Uint8Array;
  /** Wipes the key (and any key schedule) from memory. Later calls may throw. */
  dispose(): void;
  /**
   * Optional record fast path: seals `content || type` (a TLSInnerPlaintext
   * without padding, RFC 8446 §5.2) with `header` as the additional data and
   * returns `header || ciphertext || tag` in one new array, sparing the record
   * layer the inner-plaintext and concatenation copies. Same result as
   * `header || seal(nonce, content || type, header)`.
   */
  sealRecord?(nonce: Uint8Array, header: Uint8Array, content: Uint8Array, type: number): Uint8Array;
}

/** An incremental hash (RFC 6234 SHA-2 or any other the provider runs). */
export interface Hasher {
  /** Absorbs `data`; returns the hasher for chaining. */
  update(data: Uint8Array): this;
  /** Returns the digest; the hasher cannot be used afterwards. */
  digest(): Uint8Array;
  /** An independent copy of the running state (a transcript hashed once, digested often). */
  clone(): Hasher;
}

/**
 * The hash of a cipher suite and the HMAC/HKDF built on it (RFC 8446 §7.1,
 * RFC 2104, RFC 5869): what the key schedule and the transcript hash need.
 * Made by {@link CryptoProvider.hash}.
 */
export interface TlsHash {
  /** The hash's name; two TlsHash objects with the same name must compute the same function. */
  readonly name: 'sha256' | 'sha384';
  /** Hash.length in bytes. */
  readonly length: number;
  digest(data: Uint8Array): Uint8Array;
  create(): Hasher;
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** HKDF-Extract (RFC 5869 §2.2). */
  extract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  /** HKDF-Expand (RFC 5869 §2.3). */
  expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
}

/**
 * One ephemeral (EC)DHE key pair of a named group (RFC 8446 §4.2.8, §7.4).
 * Made by {@link CryptoProvider.keyExchange}; used once, then disposed.
 */
export interface KeyExchange {
  /** The NamedGroup code (e.g. 0x001d for x25519). */
  readonly group: number;
  /**
   * The KeyShareEntry.key_exchange to send: 32 bytes (X25519), an
   * uncompressed point (65 bytes secp256r1, 97 secp384r1), or a hybrid's
   * client share (1216 bytes X25519MLKEM768).
   */
  readonly publicKey: Uint8Array;
  /**
   * The shared secret with the peer's key_exchange (RFC 8446 §7.4.1, §7.4.2).
   * Throws (any error) for a public key that is not valid for the group; the
   * engine maps that to `illegal_parameter`. The engine checks lengths and
   * the all-zero X25519 result itself, so a provider need not.
   */
  sharedSecret(peerPublicKey: Uint8Array): Uint8Array;
  /**
   * The server side of a KEM group (X25519MLKEM768, draft-ietf-tls-ecdhe-mlkem
   * §3), whose server share is an encapsulation to the client's and so
   * cannot exist before it: returns the server's key_exchange and the shared
   * secret for the client's share. Absent for Diffie-Hellman groups, where
   * the server sends `publicKey` and calls `sharedSecret`.
   */
  encapsulate?(peerPublicKey: Uint8Array): { keyExchange: Uint8Array; sharedSecret: Uint8Array };
  /** Wipes the private key. */
  dispose(): void;
}

/**
 * The cryptography a TLS connection needs, as one object in its options.
 *
 * Signature schemes, groups and suites are the IANA code points of
 * src/wire/constants.ts. Methods are synchronous: the engine is sans-I/O
 * and runs to completion on every input.
 *
 * @example
 * import { wasmProvider } from 'wasmtls';
 * new TlsClient({ serverName: 'example.com', ca, provider: wasmProvider });
 */
export interface CryptoProvider {
  /** A name for logs and traces, e.g. `'wasm'`. */
  readonly name: string;
  /** Cipher suites this provider can run, in its order of preference (RFC 8446 §B.4). */
  readonly cipherSuites: readonly number[];
  /** Named groups it can run, in order of preference (RFC 8446 §4.2.7). */
  readonly groups: readonly number[];
  /** Signature schemes it can verify in CertificateVerify (RFC 8446 §4.2.3). */
  readonly verifySchemes: readonly number[];

  /**
   * A keyed AEAD for a cipher suite: AES-128-GCM, AES-256-GCM or
   * ChaCha20-Poly1305 (RFC 8446 §5.2, §B.4). `key` is the traffic key of
   * RFC 8446 §7.3; the provider may keep a reference until dispose().
   */
  aead(cipherSuite: number, key: Uint8Array): AeadCipher;

  /**
   * The hash of a cipher suite (RFC 8446 §B.4: SHA-256 or SHA-384) with its
   * HMAC and HKDF: the key schedule, Finished and the transcript use it.
   * Return the same object for the same suite (the engine caches nothing).
   * Throws a {@link TlsError} (internal_error) for a suite it does not run.
   */
  hash(cipherSuite: number): TlsHash;

  /**
   * A fresh ephemeral key pair for `group`. `secretKey` replaces the random
   * private key: tests use it to replay a known trace (RFC 8448); it is
   * never set by the engine itself.
   */
  keyExchange(group: number, secretKey?: Uint8Array): KeyExchange;

  /**
   * Verifies a CertificateVerify signature (RFC 8446 §4.4.3) under the
   * peer's certificate key. `message` is the whole signed content (the 64
   * spaces, context string, 0 and transcript hash); the provider hashes it as
   * the scheme says. Returns false for a bad or malformed signature, or a key
   * that does not fit the scheme. Throws for a scheme it does not support,
   * and a {@link TlsError} (e.g. unsupported_certificate) for a key it
   * cannot use, such as an RSA modulus outside its range.
   */
  verify(scheme: number, publicKey: SubjectPublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean;

  /**
   * Signs `message` (the CertificateVerify content) with the server's key.
   * ECDSA signatures are DER; RSA-PSS uses MGF1 with the same hash and a
   * salt of the hash length (RFC 8446 §4.2.3).
   */
  sign(scheme: number, key: PrivateKey, message: Uint8Array): Uint8Array;

  /**
   * The schemes this provider can sign with `key`, in its order of
   * preference: the server picks the first one the client also offers.
   */
  signSchemes(key: PrivateKey): readonly number[];

  /** `n` cryptographically random bytes (ClientHello/ServerHello.random, session ids). */
  randomBytes(n: number): Uint8Array;

  /** Checks certificate signatures for path validation (src/x509/validate.ts). */
  readonly x509: SignatureVerifier;
}

/** What a TLS 1.3 signature scheme means (RFC 8446 §4.2.3). */
export type SchemeInfo =
  | { readonly kind: 'ecdsa'; readonly curve: 'P-256' | 'P-384'; readonly hash: 'sha256' | 'sha384' }
  /** `pssKey`: rsa_pss_pss_*, for an id-RSASSA-PSS key; else rsa_pss_rsae_*, for an rsaEncryption key (§4.2.3). */
  | { readonly kind: 'rsa-pss'; readonly hash: 'sha256' | 'sha384' | 'sha512'; readonly pssKey?: true }
  | { readonly kind: 'rsa-pkcs1'; readonly hash: 'sha256' | 'sha384' | 'sha512' }
  | { readonly kind: 'ed25519' };

const SCHEMES: Readonly<Partial<Record<number, SchemeInfo>>> = {
  0x0403: { kind: 'ecdsa', curve: 'P-256', hash: 'sha256' },
  0x0503: { kind: 'ecdsa', curve: 'P-384', hash: 'sha384' },
  // rsa_pss_rsae_*: RSASSA-PSS with an rsaEncryption key (§4.2.3).
  0x0804: { kind: 'rsa-pss', hash: 'sha256' },
  0x0805: { kind: 'rsa-pss', hash: 'sha384' },
  0x0806: { kind: 'rsa-pss', hash: 'sha512' },
  0x0807: { kind: 'ed25519' },
  // rsa_pss_pss_*: RSASSA-PSS with an id-RSASSA-PSS key (§4.2.3, RFC 4055).
  0x0809: { kind: 'rsa-pss', hash: 'sha256', pssKey: true },
  0x080a: { kind: 'rsa-pss', hash: 'sha384', pssKey: true },
  0x080b: { kind: 'rsa-pss', hash: 'sha512', pssKey: true },
  // Certificates only: §4.2.3 forbids them in CertificateVerify.
  0x0401: { kind: 'rsa-pkcs1', hash: 'sha256' },
  0x0501: { kind: 'rsa-pkcs1', hash: 'sha384' },
  0x0601: { kind: 'rsa-pkcs1', hash: 'sha512' },
};

/**
 * The algorithm behind a signature scheme wasmtls knows, or undefined.
 * @example signatureSchemeInfo(0x0804) // { kind: 'rsa-pss', hash: 'sha256' }
 */
export function signatureSchemeInfo(scheme: number): SchemeInfo | undefined {
  return SCHEMES[scheme];
}

/**
 * Every scheme wasmtls knows that may sign a TLS 1.3 CertificateVerify
 * (all but rsa_pkcs1_*, RFC 8446 §4.2.3), in code point order.
 * @example certificateVerifySchemes().includes(0x0807) // true
 */
export function certificateVerifySchemes(): number[] {
  return Object.keys(SCHEMES)
    .map(Number)
    .filter((s) => SCHEMES[s]?.kind !== 'rsa-pkcs1');
}

/**
 * True when `publicKey` is the kind of key `scheme` signs with: an EC key on
 * the scheme's curve, an rsaEncryption key for rsa_pss_rsae_* and
 * rsa_pkcs1_*, an id-RSASSA-PSS key for rsa_pss_pss_*, an Ed25519 key for
 * ed25519 (RFC 8446 §4.2.3).
 * @example schemeFitsKey(0x0403, leaf.publicKey)
 */
export function schemeFitsKey(scheme: number, publicKey: SubjectPublicKeyInfo): boolean {
  const s = SCHEMES[scheme];
  if (s === undefined) return false;
  switch (s.kind) {
    case 'ecdsa':
      return publicKey.type === 'ec' && publicKey.curve === s.curve;
    case 'rsa-pss':
      // §4.2.3: rsae needs rsaEncryption, pss an id-RSASSA-PSS key (within its hash restriction, RFC 4055 §3.1).
      if (publicKey.type !== 'rsa') return false;
      if (s.pssKey !== true) return publicKey.pss === undefined;
      return publicKey.pss !== undefined && (publicKey.pss.hash === undefined || publicKey.pss.hash === s.hash);
    case 'rsa-pkcs1':
      // RFC 4055 §1.2: an id-RSASSA-PSS key never makes PKCS#1 v1.5 signatures.
      return publicKey.type === 'rsa' && publicKey.pss === undefined;
    case 'ed25519':
      return publicKey.type === 'ed25519';
  }
}
