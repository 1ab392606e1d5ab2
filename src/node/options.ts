/**
 * Node's option forms turned into the engine's: `ALPNProtocols` (strings,
 * Buffers or one wire-format Buffer) into `alpn`, `ca` (PEM strings or
 * Buffers, DER) into parsed certificates, and the default trust store
 * (Node's bundled Mozilla roots, `tls.rootCertificates`).
 * @module
 */
import { rootCertificates } from 'node:tls';
import { type Certificate, parseCertificatesPem } from '../x509/certificate.js';
import { type Anchor, anchorsFrom, type TrustAnchor } from '../x509/trust-anchor.js';

/** ALPN protocols as Node takes them: names, or each name's bytes, or one Buffer in wire format (length-prefixed names). */
export type AlpnProtocolsInput = readonly (string | Uint8Array)[] | Uint8Array;

/** A trust anchor as Node takes it (PEM text or bytes, or DER), or a list. */
export type CaInput = string | Uint8Array | Certificate | TrustAnchor | readonly (string | Uint8Array | Certificate | TrustAnchor)[];

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The engine's `alpn` list from Node's `ALPNProtocols`.
 * @example alpnList(Buffer.from('\x02h2\x08http/1.1')) // ['h2', 'http/1.1']
 */
export function alpnList(input: AlpnProtocolsInput | undefined): string[] | undefined {
  if (input === undefined) return undefined;
  if (input instanceof Uint8Array) {
    // RFC 7301 §3.1 ProtocolNameList without its 2-byte length: 1-byte length, name, repeated.
    const out: string[] = [];
    for (let i = 0; i < input.length; ) {
      const n = input[i] as number;
      if (n === 0 || i + 1 + n > input.length) throw new TypeError('ALPNProtocols: a Buffer must hold length-prefixed protocol names (RFC 7301 §3.1)');
      out.push(decodeName(input.subarray(i + 1, i + 1 + n)));
      i += 1 + n;
    }
    return out;
  }
  if (!Array.isArray(input)) throw new TypeError('ALPNProtocols must be an array of strings or Buffers, or a Buffer');
  return input.map((p: unknown) => {
    if (typeof p === 'string') return p;
    if (p instanceof Uint8Array) return decodeName(p);
    throw new TypeError('ALPNProtocols must be an array of strings or Buffers, or a Buffer');
  });
}

function decodeName(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw new TypeError('ALPNProtocols: a protocol name must be UTF-8 text', { cause: e });
  }
}

/** Parsed trust anchors from Node's `ca` (every form of src/config.ts); a bad entry is a TypeError naming it. */
export function caCertificates(input: CaInput): Anchor[] {
  return anchorsFrom('ca', input);
}

let defaultRoots: Certificate[] | undefined;

/**
 * Node's bundled root certificates (`tls.rootCertificates`), parsed once on
 * first use. A root this X.509 parser refuses is left out: it could anchor
 * no path anyway.
 */
export function defaultCaCertificates(): Certificate[] {
  if (defaultRoots === undefined) {
    const roots: Certificate[] = [];
    for (const pem of rootCertificates) {
      try {
        roots.push(...parseCertificatesPem(pem));
      } catch {
        // Unparseable here means unusable as an anchor here; see above.
      }
    }
    defaultRoots = roots;
  }
  return defaultRoots;
}

/** Milliseconds option: a non-negative integer, or the default. */
export function msOption(name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer (milliseconds), got ${String(v)}`);
  return v;
}
