// Code points of TLS 1.3 (RFC 8446 §4, §5, appendix B) and the registries it uses.

/**
 * Record content types (RFC 8446 §5.1, appendix B.1). `invalid` (0) is never
 * sent as an outer type.
 * @example ContentType.handshake // 22
 */
export const ContentType = {
  invalid: 0,
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
} as const;
/** The name of a content type. */
export type ContentTypeName = keyof typeof ContentType;

/**
 * Handshake message types (RFC 8446 §4, appendix B.3). `message_hash` (254)
 * exists only inside the transcript (§4.4.1).
 * @example HandshakeType.client_hello // 1
 */
export const HandshakeType = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  end_of_early_data: 5,
  encrypted_extensions: 8,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
  key_update: 24,
  message_hash: 254,
} as const;
/** The name of a handshake type. */
export type HandshakeTypeName = keyof typeof HandshakeType;

/**
 * Extension types of RFC 8446 §4.2 (with RFC 6066, 6520, 6961, 6962, 7250,
 * 7301, 7685, 5764 and 8449 ones the TLS 1.3 table lists).
 * @example ExtensionType.key_share // 51
 */
export const ExtensionType = {
  server_name: 0,
  max_fragment_length: 1,
  status_request: 5,
  supported_groups: 10,
  signature_algorithms: 13,
  use_srtp: 14,
  heartbeat: 15,
  application_layer_protocol_negotiation: 16,
  signed_certificate_timestamp: 18,
  client_certificate_type: 19,
  server_certificate_type: 20,
  padding: 21,
  record_size_limit: 28,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  oid_filters: 48,
  post_handshake_auth: 49,
  signature_algorithms_cert: 50,
  key_share: 51,
  // TLS 1.2 only (RFC 8422 §5.1.2, RFC 7627 §5.1, RFC 5077 §3.2, RFC 5746 §3.2).
  ec_point_formats: 11,
  extended_master_secret: 23,
  session_ticket: 35,
  renegotiation_info: 0xff01,
} as const;
/** The name of an extension type. */
export type ExtensionTypeName = keyof typeof ExtensionType;

/**
 * Cipher suites of RFC 8446 §B.4, plus the TLS 1.2 SCSV a ClientHello may carry.
 * @example CipherSuite.TLS_AES_128_GCM_SHA256 // 0x1301
 */
export const CipherSuite = {
  TLS_AES_128_GCM_SHA256: 0x1301,
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_AES_128_CCM_SHA256: 0x1304,
  TLS_AES_128_CCM_8_SHA256: 0x1305,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV: 0x00ff,
  // TLS 1.2 ECDHE + AEAD suites (RFC 5289 §3.2, RFC 7905 §2); see src/handshake/tls12/suites.ts.
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca8,
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca9,
} as const;
/** The name of a cipher suite. */
export type CipherSuiteName = keyof typeof CipherSuite;

/** What the key schedule and record layer need to know about a TLS 1.3 suite. */
export interface CipherSuiteParams {
  /** The suite's hash (RFC 8446 §B.4), used for HKDF and the transcript. */
  readonly hash: 'sha256' | 'sha384';
  /** AEAD key length in bytes (RFC 8446 §7.3 "key"). */
  readonly keyLength: number;
  /** AEAD nonce length in bytes (RFC 8446 §5.3: max(8, N_MIN) = 12 for these AEADs). */
  readonly ivLength: number;
}

/**
 * Parameters of the TLS 1.3 suites wasmtls implements (RFC 8446 §B.4; key
 * sizes from RFC 5116 §5.1-5.2 and RFC 8439 §2.8).
 * @example CIPHER_SUITE_PARAMS[0x1302] // { hash: 'sha384', keyLength: 32, ivLength: 12 }
 */
export const CIPHER_SUITE_PARAMS: Readonly<Partial<Record<number, CipherSuiteParams>>> = {
  [CipherSuite.TLS_AES_128_GCM_SHA256]: { hash: 'sha256', keyLength: 16, ivLength: 12 },
  [CipherSuite.TLS_AES_256_GCM_SHA384]: { hash: 'sha384', keyLength: 32, ivLength: 12 },
  [CipherSuite.TLS_CHACHA20_POLY1305_SHA256]: { hash: 'sha256', keyLength: 32, ivLength: 12 },
};

/**
 * Named groups (RFC 8446 §4.2.7; X25519MLKEM768 from
 * draft-ietf-tls-ecdhe-mlkem).
 * @example NamedGroup.x25519 // 0x001d
 */
export const NamedGroup = {
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x25519: 0x001d,
  x448: 0x001e,
  ffdhe2048: 0x0100,
  ffdhe3072: 0x0101,
  ffdhe4096: 0x0102,
  ffdhe6144: 0x0103,
  ffdhe8192: 0x0104,
  // draft-ietf-tls-ecdhe-mlkem §6 (IANA TLS Supported Groups registry).
  SecP256r1MLKEM768: 0x11eb,
  X25519MLKEM768: 0x11ec,
} as const;
/** The name of a named group. */
export type NamedGroupName = keyof typeof NamedGroup;

/**
 * Signature schemes (RFC 8446 §4.2.3).
 * @example SignatureScheme.rsa_pss_rsae_sha256 // 0x0804
 */
export const SignatureScheme = {
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  rsa_pkcs1_sha512: 0x0601,
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  ecdsa_secp521r1_sha512: 0x0603,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  ed25519: 0x0807,
  ed448: 0x0808,
  rsa_pss_pss_sha256: 0x0809,
  rsa_pss_pss_sha384: 0x080a,
  rsa_pss_pss_sha512: 0x080b,
  rsa_pkcs1_sha1: 0x0201,
  ecdsa_sha1: 0x0203,
} as const;
/** The name of a signature scheme. */
export type SignatureSchemeName = keyof typeof SignatureScheme;

/**
 * Protocol versions (RFC 8446 §4.2.1, §5.1).
 * @example ProtocolVersion.TLS13 // 0x0304
 */
export const ProtocolVersion = {
  TLS10: 0x0301,
  TLS11: 0x0302,
  TLS12: 0x0303,
  TLS13: 0x0304,
} as const;

/** PSK key exchange modes (RFC 8446 §4.2.9). */
export const PskKeyExchangeMode = { psk_ke: 0, psk_dhe_ke: 1 } as const;

/** KeyUpdate request_update values (RFC 8446 §4.6.3). */
export const KeyUpdateRequest = { update_not_requested: 0, update_requested: 1 } as const;

/** server_name NameType values (RFC 6066 §3). */
export const NameType = { host_name: 0 } as const;

/**
 * The ServerHello.random that marks a HelloRetryRequest: SHA-256 of
 * "HelloRetryRequest" (RFC 8446 §4.1.3).
 */
export const HELLO_RETRY_REQUEST_RANDOM: Uint8Array = Uint8Array.of(
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
);

/**
 * Last 8 bytes of ServerHello.random when a TLS 1.3 server negotiates TLS 1.2
 * ("DOWNGRD" 01) or TLS 1.1 and below ("DOWNGRD" 00) (RFC 8446 §4.1.3).
 */
export const DOWNGRADE_TLS12: Uint8Array = Uint8Array.of(0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01);
/** See {@link DOWNGRADE_TLS12}. */
export const DOWNGRADE_TLS11: Uint8Array = Uint8Array.of(0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00);

/** TLSPlaintext.length limit: 2^14 (RFC 8446 §5.1). */
export const MAX_PLAINTEXT_LENGTH = 16384;
/** TLSCiphertext.length limit: 2^14 + 256 (RFC 8446 §5.2). */
export const MAX_CIPHERTEXT_LENGTH = 16384 + 256;
/** Record header: type (1), legacy_record_version (2), length (2) (RFC 8446 §5.1). */
export const RECORD_HEADER_LENGTH = 5;
/** Handshake header: msg_type (1), length (3) (RFC 8446 §4). */
export const HANDSHAKE_HEADER_LENGTH = 4;

function reverse(table: Readonly<Record<string, number>>): Map<number, string> {
  return new Map(Object.entries(table).map(([name, code]) => [code, name]));
}

const NAMES = {
  content: reverse(ContentType),
  handshake: reverse(HandshakeType),
  extension: reverse(ExtensionType),
  suite: reverse(CipherSuite),
  group: reverse(NamedGroup),
  scheme: reverse(SignatureScheme),
  version: reverse(ProtocolVersion),
};

function hex(code: number, digits: number): string {
  return `0x${code.toString(16).padStart(digits, '0')}`;
}

/**
 * Name of a content type, or `unknown(0x..)`.
 * @example contentTypeName(22) // 'handshake'
 */
export function contentTypeName(code: number): string {
  return NAMES.content.get(code) ?? `unknown(${hex(code, 2)})`;
}

/**
 * Name of a handshake type, or `unknown(0x..)`.
 * @example handshakeTypeName(8) // 'encrypted_extensions'
 */
export function handshakeTypeName(code: number): string {
  return NAMES.handshake.get(code) ?? `unknown(${hex(code, 2)})`;
}

/**
 * Name of an extension type, or `unknown(0x....)`.
 * @example extensionName(51) // 'key_share'
 */
export function extensionName(code: number): string {
  return NAMES.extension.get(code) ?? `unknown(${hex(code, 4)})`;
}

/**
 * Name of a cipher suite, or `unknown(0x....)`.
 * @example cipherSuiteName(0x1301) // 'TLS_AES_128_GCM_SHA256'
 */
export function cipherSuiteName(code: number): string {
  return NAMES.suite.get(code) ?? `unknown(${hex(code, 4)})`;
}

/**
 * Name of a named group, or `unknown(0x....)`.
 * @example namedGroupName(0x1d) // 'x25519'
 */
export function namedGroupName(code: number): string {
  return NAMES.group.get(code) ?? `unknown(${hex(code, 4)})`;
}

/**
 * Name of a signature scheme, or `unknown(0x....)`.
 * @example signatureSchemeName(0x0807) // 'ed25519'
 */
export function signatureSchemeName(code: number): string {
  return NAMES.scheme.get(code) ?? `unknown(${hex(code, 4)})`;
}

/**
 * Name of a protocol version, or `unknown(0x....)`.
 * @example protocolVersionName(0x0304) // 'TLS13'
 */
export function protocolVersionName(code: number): string {
  return NAMES.version.get(code) ?? `unknown(${hex(code, 4)})`;
}
