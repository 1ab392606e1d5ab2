// The TLS 1.2 interop matrix (test/interop/tls12-*.node.test.ts): every
// TLS 1.2 suite wasmtls runs × group × server certificate, with the
// certificate kind fixing the suite's authentication (ECDSA or RSA) and, for
// RSA, whether the ServerKeyExchange is signed with PSS or PKCS#1 v1.5.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { HandshakeInfo } from '../../src/handshake/common.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { NamedGroup } from '../../src/wire/constants.js';
import { parsePrivateKey } from '../../src/x509/keys.js';

const X509 = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors', 'x509');

export type Group12 = 'x25519' | 'secp256r1' | 'secp384r1';
export type Cert12 = 'p256' | 'p384' | 'rsa-pss' | 'rsa-pkcs1';
export type Aead12 = 'AES128-GCM' | 'AES256-GCM' | 'CHACHA20';

export interface Identity12 {
  readonly label: string;
  readonly leaf: string;
  readonly intermediate: string;
  readonly root: string;
  readonly key: string;
  readonly serverName: string;
  readonly auth: 'ECDSA' | 'RSA';
  /** The ServerKeyExchange scheme expected. */
  readonly scheme: string;
  /** OpenSSL -sigalgs forcing that scheme. */
  readonly sigalgs: string;
  /** GnuTLS priority string part for it. */
  readonly gnutlsSign: string;
}

const id = (label: string, leaf: string, int: string, root: string, serverName: string, auth: 'ECDSA' | 'RSA', scheme: string, sigalgs: string, gnutlsSign: string): Identity12 => ({
  label,
  leaf: join(X509, `${leaf}.pem`),
  intermediate: join(X509, `${int}.pem`),
  root: join(X509, `${root}.pem`),
  key: join(X509, 'keys', `${leaf}.pkcs8.pem`),
  serverName,
  auth,
  scheme,
  sigalgs,
  gnutlsSign,
});

export const IDENTITIES12: Readonly<Record<Cert12, Identity12>> = {
  p256: id('ECDSA P-256', 'leaf-localhost', 'int-p256', 'root-p256', 'localhost', 'ECDSA', 'ecdsa_secp256r1_sha256', 'ECDSA+SHA256', '+SIGN-ECDSA-SECP256R1-SHA256'),
  p384: id('ECDSA P-384', 'leaf-wildcard', 'int-p384', 'root-p384', 'a.example.com', 'ECDSA', 'ecdsa_secp384r1_sha384', 'ECDSA+SHA384', '+SIGN-ECDSA-SECP384R1-SHA384'),
  'rsa-pss': id('RSA-2048 (PSS)', 'leaf-example', 'int-rsa', 'root-rsa', 'example.com', 'RSA', 'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha256', '+SIGN-RSA-PSS-RSAE-SHA256'),
  'rsa-pkcs1': id('RSA-2048 (PKCS#1)', 'leaf-example', 'int-rsa', 'root-rsa', 'example.com', 'RSA', 'rsa_pkcs1_sha256', 'RSA+SHA256', '+SIGN-RSA-SHA256'),
};

export const AEADS: readonly Aead12[] = ['AES128-GCM', 'AES256-GCM', 'CHACHA20'];
export const GROUPS12: readonly Group12[] = ['x25519', 'secp256r1'];

export interface Combo12 {
  readonly aead: Aead12;
  readonly group: Group12;
  readonly cert: Cert12;
  /** IANA name. */
  readonly suite: string;
  /** OpenSSL name. */
  readonly openssl: string;
  readonly name: string;
}

function suiteNames(aead: Aead12, auth: 'ECDSA' | 'RSA'): { iana: string; openssl: string } {
  switch (aead) {
    case 'AES128-GCM':
      return { iana: `TLS_ECDHE_${auth}_WITH_AES_128_GCM_SHA256`, openssl: `ECDHE-${auth}-AES128-GCM-SHA256` };
    case 'AES256-GCM':
      return { iana: `TLS_ECDHE_${auth}_WITH_AES_256_GCM_SHA384`, openssl: `ECDHE-${auth}-AES256-GCM-SHA384` };
    case 'CHACHA20':
      return { iana: `TLS_ECDHE_${auth}_WITH_CHACHA20_POLY1305_SHA256`, openssl: `ECDHE-${auth}-CHACHA20-POLY1305` };
  }
}

/** suites × groups × the given certificates. */
export function matrix12(certs: readonly Cert12[], groups: readonly Group12[] = GROUPS12): Combo12[] {
  return AEADS.flatMap((aead) =>
    groups.flatMap((group) =>
      certs.map((cert) => {
        const n = suiteNames(aead, IDENTITIES12[cert].auth);
        return { aead, group, cert, suite: n.iana, openssl: n.openssl, name: `${n.iana} | ${group} | ${IDENTITIES12[cert].label}` };
      }),
    ),
  );
}

/**
 * Every certificate when wasmtls is the client. An ECDSA P-384 certificate
 * needs secp384r1 in the client's supported_groups (RFC 8422 §5.1: in TLS 1.2
 * the list bounds the certificate's curve too), so it joins the matrix as
 * soon as the provider does P-384 ECDH (the PQ issue adds it to the core).
 */
export const CLIENT_MATRIX = matrix12(wasmProvider.groups.includes(NamedGroup.secp384r1) ? ['p256', 'p384', 'rsa-pss', 'rsa-pkcs1'] : ['p256', 'rsa-pss', 'rsa-pkcs1']);
/**
 * What needs P-384 (ECDH over secp384r1 as a group, an ECDSA P-384
 * certificate) runs on the node-crypto provider until the wasm provider has
 * it: the same engine and TLS 1.2 states, node:crypto underneath.
 */
export const P384_MATRIX: readonly Combo12[] = [...matrix12(['p384'], ['x25519', 'secp256r1', 'secp384r1']), ...matrix12(['p256', 'rsa-pss'], ['secp384r1'])];

/** True when the wasm provider does P-384 ECDH (needed to present or accept a P-384 certificate in TLS 1.2). */
export const P384_GROUP = wasmProvider.groups.includes(NamedGroup.secp384r1);

/**
 * wasmtls as the server: RSA-PSS and P-256 signatures, and P-384 ones once the
 * provider signs with P-384 keys (the PQ issue adds it); no PKCS#1 v1.5 signing.
 */
export const SERVER_MATRIX = matrix12(
  P384_GROUP && wasmProvider.signSchemes(parsePrivateKey(readFileSync(IDENTITIES12.p384.key, 'utf8'))).length > 0 ? ['p256', 'p384', 'rsa-pss'] : ['p256', 'rsa-pss'],
);

export const OPENSSL_GROUP12: Readonly<Record<Group12, string>> = { x25519: 'X25519', secp256r1: 'P-256', secp384r1: 'P-384' };
export const GNUTLS_GROUP12: Readonly<Record<Group12, string>> = { x25519: '+GROUP-X25519', secp256r1: '+GROUP-SECP256R1', secp384r1: '+GROUP-SECP384R1' };
export const GNUTLS_CIPHER: Readonly<Record<Aead12, string>> = { 'AES128-GCM': '+AES-128-GCM', 'AES256-GCM': '+AES-256-GCM', CHACHA20: '+CHACHA20-POLY1305' };

export function pems12(i: Identity12): { chain: string; key: string; ca: string } {
  return { chain: readFileSync(i.leaf, 'utf8') + readFileSync(i.intermediate, 'utf8'), key: readFileSync(i.key, 'utf8'), ca: readFileSync(i.root, 'utf8') };
}

/** What wasmtls saw, against the combination. `scheme` false: the server side (it picks its own scheme). */
export function expectNegotiated12(info: HandshakeInfo | undefined, combo: Combo12, checkScheme = true): void {
  expect(info).toBeDefined();
  const i = info as HandshakeInfo;
  expect(i.version).toBe('TLSv1.2');
  expect(i.cipherSuite).toBe(combo.suite);
  expect(i.group).toBe(combo.group);
  if (checkScheme) expect(i.signatureScheme).toBe(IDENTITIES12[combo.cert].scheme);
}

/** A GnuTLS priority string for exactly this combination, TLS 1.2 only. */
export function gnutlsPriority(combo: Combo12): string {
  const kx = IDENTITIES12[combo.cert].auth === 'ECDSA' ? '+ECDHE-ECDSA' : '+ECDHE-RSA';
  return `NONE:+VERS-TLS1.2:${GNUTLS_CIPHER[combo.aead]}:+AEAD:${kx}:${GNUTLS_GROUP12[combo.group]}:+SIGN-ALL:+COMP-NULL:%SAFE_RENEGOTIATION`;
}
