/**
 * Server identity checks of RFC 9525 (which replaces RFC 6125): the
 * reference identity is matched against subjectAltName only, never the
 * subject CN (§6.3); DNS names compare case-insensitively as ASCII, so IDNs
 * must be given as A-labels and are compared as-is (§6.2); a wildcard is
 * honoured only as the whole leftmost label and stands for exactly one
 * label (§6.3); IP addresses match iPAddress entries byte for byte and never
 * a DNS name or wildcard (§6.4).
 * @module
 */
import { TlsError } from '../errors.js';
import { equalBytes } from './bytes.js';
import type { Certificate } from './certificate.js';

/** A reference identity: what the client meant to connect to. */
export type ReferenceIdentity = { readonly type: 'ip'; readonly bytes: Uint8Array } | { readonly type: 'dns'; readonly name: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): Uint8Array | undefined {
  const m = IPV4.exec(text);
  if (m === null) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = m[i + 1] as string;
    // Leading zeros are refused: inet_aton reads them as octal.
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** IPv6 text form of RFC 4291 §2.2, including `::` and an IPv4 tail. */
function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups: number[][] = [];
  for (let h = 0; h < halves.length; h++) {
    const half = halves[h] as string;
    const out: number[] = [];
    if (half !== '') {
      const parts = half.split(':');
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as string;
        if (i === parts.length - 1 && h === halves.length - 1 && part.includes('.')) {
          const v4 = parseIpv4(part);
          if (v4 === undefined) return undefined;
          out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
        } else {
          if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
          out.push(parseInt(part, 16));
        }
      }
    }
    groups.push(out);
  }
  const head = groups[0] as number[];
  const tail = groups[1];
  let all: number[];
  if (tail === undefined) {
    if (head.length !== 8) return undefined;
    all = head;
  } else {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  }
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * Parses an IPv4 dotted quad or an IPv6 address (optionally in brackets) to
 * 4 or 16 bytes; undefined when `text` is neither.
 *
 * @example
 * ```ts
 * parseIpAddress('::1'); // Uint8Array(16) [0, ..., 1]
 * ```
 */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (text.startsWith('[') && text.endsWith(']')) return parseIpv6(text.slice(1, -1));
  return parseIpv4(text) ?? (text.includes(':') ? parseIpv6(text) : undefined);
}

/** IPv4 dotted quad or the RFC 5952 §4 canonical IPv6 text.
 *
 * @example
 * ```ts
 * formatIpAddress(Uint8Array.of(127, 0, 0, 1)); // '127.0.0.1'
 * ```
 */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return `<${bytes.length}-byte address>`;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexes = g.map((x) => x.toString(16));
  if (best < 0) return hexes.join(':');
  return `${hexes.slice(0, best).join(':')}::${hexes.slice(best + bestLen).join(':')}`;
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Turns the hostname a caller connects to into a reference identity:
 * an IP literal, or a lowercase DNS name without its trailing dot. Throws a
 * TypeError for text that is neither, including non-ASCII names (convert
 * IDNs to A-labels first, e.g. `new URL('https://' + name).hostname`) and
 * numeric forms that are not dotted-quad IPv4.
 *
 * @example
 * ```ts
 * parseReferenceIdentity('WWW.Example.com.'); // { type: 'dns', name: 'www.example.com' }
 * ```
 */
export function parseReferenceIdentity(hostname: string): ReferenceIdentity {
  if (typeof hostname !== 'string') throw new TypeError('hostname must be a string');
  const ip = parseIpAddress(hostname);
  if (ip !== undefined) return { type: 'ip', bytes: ip };
  if (hostname.includes(':') || hostname.startsWith('[')) throw new TypeError(`hostname ${JSON.stringify(hostname)} is not a valid IPv6 address`);
  if (!/^[\p{ASCII}]*$/u.test(hostname)) {
    throw new TypeError(
      `hostname ${JSON.stringify(hostname)} is not ASCII: pass internationalized names as A-labels (new URL('https://' + name).hostname does it)`,
    );
  }
  const name = (hostname.endsWith('.') ? hostname.slice(0, -1) : hostname).toLowerCase();
  const labels = name.split('.');
  if (name.length === 0 || name.length > 253 || !labels.every((l) => LABEL.test(l))) {
    throw new TypeError(`hostname ${JSON.stringify(hostname)} is not a valid DNS name`);
  }
  // WHATWG URL reads a name ending in a numeric label as IPv4 (octal, hex,
  // fewer parts); refuse those forms instead of guessing.
  if (/^(?:0x[0-9a-f]*|\d+)$/.test(labels[labels.length - 1] as string)) {
    throw new TypeError(`hostname ${JSON.stringify(hostname)} looks numeric but is not a dotted-quad IPv4 address`);
  }
  return { type: 'dns', name };
}

/**
 * Whether a subjectAltName dNSName `pattern` matches the normalized
 * reference `name` (lowercase, no trailing dot), under RFC 9525 §6.3.
 * `*.example.com` matches `a.example.com` only; partial-label wildcards
 * (`f*.example.com`), wildcards in other labels and wildcards over a single
 * label (`*.com`) never match.
 *
 * @example
 * ```ts
 * matchDnsName('*.example.com', 'a.example.com'); // true
 * matchDnsName('*.example.com', 'a.b.example.com'); // false
 * ```
 */
export function matchDnsName(pattern: string, name: string): boolean {
  let p = pattern.toLowerCase();
  if (p.endsWith('.')) p = p.slice(0, -1);
  if (p.length === 0) return false;
  if (!p.includes('*')) return p === name;
  if (!p.startsWith('*.')) return false;
  const rest = p.slice(2);
  const restLabels = rest.split('.');
  if (rest.includes('*') || restLabels.length < 2 || restLabels.some((l) => l.length === 0)) return false;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === rest;
}

/** Whether `cert` is valid for `hostname` (a DNS name or an IP literal).
 *
 * @example
 * ```ts
 * if (!matchesHostname(leaf, 'example.com')) console.log('wrong certificate');
 * ```
 */
export function matchesHostname(cert: Certificate, hostname: string): boolean {
  const ref = parseReferenceIdentity(hostname);
  const san = cert.subjectAltName;
  if (san === undefined) return false;
  if (ref.type === 'ip') return san.ipAddresses.some((a) => equalBytes(a, ref.bytes));
  return san.dnsNames.some((p) => matchDnsName(p, ref.name));
}

/**
 * Throws a `bad_certificate` {@link TlsError} unless `cert` is valid for
 * `hostname`. The message lists the names the certificate is for.
 *
 * @example
 * ```ts
 * checkHostname(leaf, 'www.example.com');
 * ```
 */
export function checkHostname(cert: Certificate, hostname: string): void {
  if (matchesHostname(cert, hostname)) return;
  const san = cert.subjectAltName;
  const names = [...(san?.dnsNames ?? []), ...(san?.ipAddresses ?? []).map(formatIpAddress)];
  if (names.length === 0) {
    throw new TlsError(
      'bad_certificate',
      `hostname mismatch: certificate has no DNS or IP subjectAltName, so it is valid for no host (its subject ${cert.subject.text} is not used, RFC 9525 §6.3); wanted ${hostname}`,
      { nodeCode: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    );
  }
  throw new TlsError('bad_certificate', `hostname mismatch: certificate is for ${names.join(', ')}, not ${hostname}`, { nodeCode: 'ERR_TLS_CERT_ALTNAME_INVALID' });
}
