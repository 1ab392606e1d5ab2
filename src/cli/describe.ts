// One-line descriptions of handshakes and errors for the command line.
import type { HandshakeInfo } from '../handshake/common.js';
import { TlsError } from '../errors.js';

/**
 * `<alert>: <reason>` for a TlsError, `<code>: <reason>` for a Node system
 * error (ECONNREFUSED, ENOENT, ETIMEDOUT), the message otherwise.
 */
export function describeError(e: unknown): string {
  if (e instanceof TlsError) return `${e.alert}: ${commandLineHint(e.message)}`;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !e.message.startsWith(code)) return `${code}: ${e.message}`;
    return e.message;
  }
  return String(e);
}

/** The library's next step in command-line terms: `ca` is --ca FILE, the name checked is --servername's. */
function commandLineHint(message: string): string {
  if (message.endsWith('in `ca`')) return `${message.slice(0, -'in `ca`'.length)}with --ca FILE (or skip the check with --insecure)`;
  if (message.startsWith('hostname mismatch: certificate is for ')) return `${message}; connect to one of those names (connect: or check one with --servername NAME)`;
  return message;
}

/** The negotiated parameters, e.g. `TLSv1.3 TLS_AES_128_GCM_SHA256 x25519 ecdsa_secp256r1_sha256 ALPN=h2`. */
export function describeHandshake(info: HandshakeInfo): string {
  const parts: string[] = [info.version, info.cipherSuite, info.group, info.signatureScheme];
  if (info.alpn !== undefined) parts.push(`ALPN=${info.alpn}`);
  if (info.helloRetryRequest) parts.push('HelloRetryRequest');
  return parts.join(' ');
}
