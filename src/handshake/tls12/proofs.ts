// The TLS 1.2 checks that make proof values (rustls style): only
// verifyServerKeyExchange makes a ServerKeyExchangeVerified, only
// checkFinished12 makes a Finished12Verified, and the states that come after
// each check demand the value in their constructors. The classes are not
// exported, so no other code can make one.

import { TlsError } from '../../errors.js';
import { type CryptoProvider, schemeFitsKey, signatureSchemeInfo } from '../../provider.js';
import { signatureSchemeName } from '../../wire/constants.js';
import type { ServerKeyExchange } from '../../wire/tls12-messages.js';
import { serverEcdhParams } from '../../wire/tls12-messages.js';
import type { SubjectPublicKeyInfo } from '../../x509/certificate.js';
import type { MasterSecret } from './key-schedule.js';
import type { Tls12Suite } from './suites.js';

class ServerKeyExchangeVerifiedImpl {
  readonly scheme: number;
  constructor(scheme: number) {
    this.scheme = scheme;
  }
}
/** Proof that ServerKeyExchange was signed by the certificate's key. */
export type ServerKeyExchangeVerified = ServerKeyExchangeVerifiedImpl;

class Finished12VerifiedImpl {
  readonly #ok = true;
  get valid(): boolean {
    return this.#ok;
  }
}
/** Proof that the peer's TLS 1.2 Finished matched. */
export type Finished12Verified = Finished12VerifiedImpl;

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The signed content of ServerKeyExchange (RFC 8422 §5.4):
 * `client_random || server_random || ServerECDHParams`.
 */
export function serverKeyExchangeContent(clientRandom: Uint8Array, serverRandom: Uint8Array, namedCurve: number, publicKey: Uint8Array): Uint8Array {
  return concat(clientRandom, serverRandom, serverEcdhParams(namedCurve, publicKey));
}

/**
 * Checks the ServerKeyExchange signature (RFC 5246 §7.4.3, RFC 8422 §5.4):
 * the scheme must be one the client offered in signature_algorithms
 * (illegal_parameter), fit the suite's authentication and the certificate key
 * (illegal_parameter), and verify (decrypt_error, RFC 5246 §7.2.2).
 * SHA-1 schemes are never accepted: the WASM core has no SHA-1.
 */
export function verifyServerKeyExchange(
  provider: CryptoProvider,
  suite: Tls12Suite,
  offeredSchemes: readonly number[],
  publicKey: SubjectPublicKeyInfo,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  m: ServerKeyExchange,
): ServerKeyExchangeVerified {
  const name = signatureSchemeName(m.scheme);
  if (!offeredSchemes.includes(m.scheme)) {
    throw new TlsError('illegal_parameter', `ServerKeyExchange: signed with ${name}, which the client did not offer in signature_algorithms (RFC 5246 §7.4.1.4.1)`);
  }
  const info = signatureSchemeInfo(m.scheme);
  if (info === undefined || info.kind === 'ed25519') {
    throw new TlsError('illegal_parameter', `ServerKeyExchange: ${name} cannot sign a TLS 1.2 ${suite.name} handshake`);
  }
  const wantEc = suite.auth === 'ecdsa';
  if (wantEc !== (info.kind === 'ecdsa')) {
    throw new TlsError('illegal_parameter', `ServerKeyExchange: ${name} does not match the suite ${suite.name}, which is authenticated with ${suite.auth.toUpperCase()} (RFC 8422 §6)`);
  }
  if (!schemeFitsKey(m.scheme, publicKey)) {
    throw new TlsError('illegal_parameter', `ServerKeyExchange: ${name} does not fit the certificate's ${publicKey.type} key`);
  }
  const content = serverKeyExchangeContent(clientRandom, serverRandom, m.namedCurve, m.publicKey);
  let ok: boolean;
  try {
    // PKCS#1 v1.5 is not a CertificateVerify scheme, so the provider's x509 verifier checks it (RFC 5246 §4.7).
    ok = info.kind === 'rsa-pkcs1' ? provider.x509.verify({ type: 'rsa-pkcs1', name: name, hash: info.hash }, publicKey, content, m.signature) : provider.verify(m.scheme, publicKey, content, m.signature);
  } catch (cause) {
    if (cause instanceof TlsError && cause.alert !== 'internal_error') throw cause;
    ok = false;
  }
  if (!ok) throw new TlsError('decrypt_error', `ServerKeyExchange: the ${name} signature does not verify under the server certificate's key (RFC 5246 §7.4.3)`);
  return new ServerKeyExchangeVerifiedImpl(m.scheme);
}

/** Compares the peer's verify_data in constant time; a mismatch is decrypt_error (RFC 5246 §7.4.9). */
export function checkFinished12(master: MasterSecret, sender: 'client' | 'server', transcriptHash: Uint8Array, verifyData: Uint8Array): Finished12Verified {
  const expected = master.verifyData(sender, transcriptHash);
  let diff = expected.length ^ verifyData.length;
  for (let i = 0; i < expected.length; i++) diff |= (expected[i] as number) ^ (verifyData[i] ?? 0);
  expected.fill(0);
  if (diff !== 0) throw new TlsError('decrypt_error', `Finished: the ${sender}'s verify_data does not match the transcript (RFC 5246 §7.4.9)`);
  return new Finished12VerifiedImpl();
}
