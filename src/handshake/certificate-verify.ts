// CertificateVerify (RFC 8446 §4.4.3): the signed content, signing, and the
// check that is the only way to obtain a CertificateVerified proof.

import { TlsError } from '../errors.js';
import { type CryptoProvider, schemeFitsKey, signatureSchemeInfo } from '../provider.js';
import type { CertificateVerify } from '../wire/certificate-verify.js';
import { signatureSchemeName } from '../wire/constants.js';
import type { SubjectPublicKeyInfo } from '../x509/certificate.js';
import type { PrivateKey } from '../x509/keys.js';

const encoder = new TextEncoder();
const CONTEXT = {
  server: encoder.encode('TLS 1.3, server CertificateVerify'),
  client: encoder.encode('TLS 1.3, client CertificateVerify'),
};

/**
 * The content covered by the signature (§4.4.3): 64 bytes of 0x20, the
 * context string, a 0 byte, then Transcript-Hash(Handshake Context, Certificate).
 * @example certificateVerifyContent('server', transcript.digest())
 */
export function certificateVerifyContent(signer: 'server' | 'client', transcriptHash: Uint8Array): Uint8Array {
  const context = CONTEXT[signer];
  const out = new Uint8Array(64 + context.length + 1 + transcriptHash.length);
  out.fill(0x20, 0, 64);
  out.set(context, 64);
  out.set(transcriptHash, 64 + context.length + 1);
  return out;
}

/**
 * Proof that a CertificateVerify signature was checked against the peer's
 * certificate key and the transcript. The class is not exported: only
 * {@link verifyCertificateVerify} makes one, and the client's
 * ExpectFinished state cannot be built without it (rustls implvulns.rs).
 */
class CertificateVerifiedImpl {
  readonly #proof = true;
  /** The scheme that verified. */
  readonly scheme: number;

  constructor(scheme: number) {
    this.scheme = scheme;
  }

  /** Always true; reading it keeps the private brand in use. */
  get valid(): boolean {
    return this.#proof;
  }
}

/** See {@link verifyCertificateVerify}. */
export type CertificateVerified = CertificateVerifiedImpl;

/**
 * Checks a CertificateVerify (§4.4.3) and returns the proof.
 * - rsa_pkcs1_* is illegal_parameter: §4.2.3 allows it only in certificates;
 * - a scheme the verifier did not offer, or one that does not fit the
 *   certificate key, is illegal_parameter (§4.4.3: "MUST be one of those
 *   present in ... signature_algorithms");
 * - a signature that does not verify is decrypt_error (§4.4.3, §6.2).
 */
export function verifyCertificateVerify(
  provider: CryptoProvider,
  offered: readonly number[],
  signer: 'server' | 'client',
  publicKey: SubjectPublicKeyInfo,
  message: CertificateVerify,
  transcriptHash: Uint8Array,
): CertificateVerified {
  const scheme = message.algorithm;
  const name = signatureSchemeName(scheme);
  if (signatureSchemeInfo(scheme)?.kind === 'rsa-pkcs1') {
    throw new TlsError('illegal_parameter', `CertificateVerify: ${name} is for certificates only, never for CertificateVerify (RFC 8446 §4.2.3)`);
  }
  if (!offered.includes(scheme)) {
    throw new TlsError('illegal_parameter', `CertificateVerify: ${name} was not offered in signature_algorithms (RFC 8446 §4.4.3)`);
  }
  if (!schemeFitsKey(scheme, publicKey)) {
    const key = publicKey.type === 'ec' ? `an EC ${publicKey.curve}` : publicKey.type === 'rsa' ? 'an RSA' : publicKey.type === 'ed25519' ? 'an Ed25519' : 'an unsupported';
    throw new TlsError('illegal_parameter', `CertificateVerify: ${name} does not fit the certificate's key (${key} key)`);
  }
  const content = certificateVerifyContent(signer, transcriptHash);
  if (!provider.verify(scheme, publicKey, content, message.signature)) {
    throw new TlsError('decrypt_error', `CertificateVerify: the ${signer}'s ${name} signature does not verify (RFC 8446 §4.4.3)`);
  }
  return new CertificateVerifiedImpl(scheme);
}

/**
 * Signs the transcript for our CertificateVerify (§4.4.3).
 * @example ctx.sendHandshake(signCertificateVerify(provider, scheme, key, 'server', transcript.digest()))
 */
export function signCertificateVerify(provider: CryptoProvider, scheme: number, key: PrivateKey, signer: 'server' | 'client', transcriptHash: Uint8Array): CertificateVerify {
  const signature = provider.sign(scheme, key, certificateVerifyContent(signer, transcriptHash));
  return { type: 'certificate_verify', algorithm: scheme, signature };
}
