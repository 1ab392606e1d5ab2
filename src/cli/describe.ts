// One-line descriptions of handshakes and errors for the command line.
import type { HandshakeInfo } from '../handshake/common.js';
import { TlsError } from '../errors.js';

/**
 * `<alert>: <reason>` for a TlsError, `<code>: <reason>` for a Node system
 * error (ECONNREFUSED, ENOENT, ETIMEDOUT), the message otherwise.
 */
export function describeError(e: unknown): string {
  if (e instanceof TlsError) return `${e.alert}: ${e.message}`;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !e.message.startsWith(code)) return `${code}: ${e.message}`;
    return e.message;
  }
  return String(e);
}

/** The negotiated parameters, e.g. `TLSv1.3 TLS_AES_128_GCM_SHA256 x25519 ecdsa_secp256r1_sha256 ALPN=h2`. */
export function describeHandshake(info: HandshakeInfo): string {
  const parts: string[] = [info.version, info.cipherSuite, info.group, info.signatureScheme];
  if (info.alpn !== undefined) parts.push(`ALPN=${info.alpn}`);
  if (info.helloRetryRequest) parts.push('HelloRetryRequest');
  return parts.join(' ');
}
