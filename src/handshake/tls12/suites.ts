// The TLS 1.2 cipher suites wasmtls runs: ECDHE key exchange with an AEAD
// (RFC 5289 §3.2 for AES-GCM, RFC 7905 §2 for ChaCha20-Poly1305), nothing
// else. RSA key transport, static and finite-field DH, CBC and stream
// ciphers, export and anonymous suites are refused by simply not being here
// (docs/tls12.md says why).

import { CipherSuite, NamedGroup } from '../../wire/constants.js';

/** What the TLS 1.2 handshake and record layer need to know about a suite. */
export interface Tls12Suite {
  readonly code: number;
  /** The IANA name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`. */
  readonly name: string;
  /** OpenSSL's name, as node:tls `getCipher().name` gives it. */
  readonly opensslName: string;
  /** The certificate key type the suite authenticates with (RFC 8422 §6). */
  readonly auth: 'ecdsa' | 'rsa';
  /**
   * The TLS 1.3 suite with the same AEAD and the same hash: the provider keys
   * AEADs and hashes by suite, and the PRF and Finished hash is SHA-256, or
   * SHA-384 for the _SHA384 suites (RFC 5246 §5, RFC 5289 §3.2), as for it.
   */
  readonly aeadSuite: number;
  readonly keyLength: number;
  /** key_block IV bytes: 4 (GCM salt, RFC 5288 §3) or 12 (RFC 7905 §2). */
  readonly ivLength: number;
  /** True for GCM: each record carries an 8-byte explicit nonce (RFC 5288 §3). */
  readonly explicitNonce: boolean;
}

const C = CipherSuite;
const gcm128 = { aeadSuite: C.TLS_AES_128_GCM_SHA256, keyLength: 16, ivLength: 4, explicitNonce: true } as const;
const gcm256 = { aeadSuite: C.TLS_AES_256_GCM_SHA384, keyLength: 32, ivLength: 4, explicitNonce: true } as const;
const chacha = { aeadSuite: C.TLS_CHACHA20_POLY1305_SHA256, keyLength: 32, ivLength: 12, explicitNonce: false } as const;

const LIST: readonly Tls12Suite[] = [
  { code: C.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', opensslName: 'ECDHE-ECDSA-AES128-GCM-SHA256', auth: 'ecdsa', ...gcm128 },
  { code: C.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', opensslName: 'ECDHE-RSA-AES128-GCM-SHA256', auth: 'rsa', ...gcm128 },
  { code: C.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', opensslName: 'ECDHE-ECDSA-AES256-GCM-SHA384', auth: 'ecdsa', ...gcm256 },
  { code: C.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', opensslName: 'ECDHE-RSA-AES256-GCM-SHA384', auth: 'rsa', ...gcm256 },
  { code: C.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', opensslName: 'ECDHE-ECDSA-CHACHA20-POLY1305', auth: 'ecdsa', ...chacha },
  { code: C.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, name: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', opensslName: 'ECDHE-RSA-CHACHA20-POLY1305', auth: 'rsa', ...chacha },
];

const BY_CODE = new Map(LIST.map((s) => [s.code, s]));

/** The TLS 1.2 suite with this code, or undefined (any suite wasmtls does not run). */
export function tls12Suite(code: number): Tls12Suite | undefined {
  return BY_CODE.get(code);
}

/** Every TLS 1.2 suite, in wasmtls's default order of preference (AES-128-GCM first: fastest in WASM). */
export const TLS12_SUITES: readonly number[] = LIST.map((s) => s.code);

/**
 * The ECDHE curves of TLS 1.2 (RFC 8422 §5.1.1, RFC 7748 for x25519): other
 * groups a TLS 1.3 configuration may list (the hybrid post-quantum ones,
 * finite-field DH) are never used for TLS 1.2.
 */
export const TLS12_GROUPS: readonly number[] = [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1];

/** True for a TLS 1.3 suite code (0x13xx), which a TLS 1.2 ServerHello must not choose. */
export function isTls13Suite(code: number): boolean {
  return code >> 8 === 0x13;
}
