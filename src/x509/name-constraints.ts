/**
 * Name constraints (RFC 5280 §4.2.1.10): the parser of the extension and the
 * check of one certificate's names against one CA's constraints, as path
 * validation applies it (§6.1.3 (b), (c), §6.1.4 (g)).
 *
 * Name forms checked: dNSName, rfc822Name, uniformResourceIdentifier (its
 * host), iPAddress (IPv4 and IPv6 with masks) and directoryName (the
 * subject and directoryName entries of subjectAltName). Constraints of the
 * other forms (otherName, x400Address, ediPartyName, registeredID) are kept;
 * a certificate holding a name of such a form under such a constraint is
 * refused, since it cannot be checked (§4.2.1.10: "process the constraint or
 * reject the certificate").
 *
 * Choices where the RFC leaves room, all in the refusing direction:
 * - a wildcard dNSName (`*.example.com`) is permitted only if every name it
 *   can match is permitted, and excluded if any name it can match is;
 * - an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is checked against IPv4
 *   exclusions as well, and is permitted only by an IPv6 subtree;
 * - a URI without a host, or whose host is an IP literal, and an email
 *   address without a domain, fail any constraint of their form;
 * - DNS names and constraints compare case-insensitively without one
 *   trailing dot; a constraint starting with `.` covers subdomains only (as
 *   for URIs in the RFC, and as Go and OpenSSL read dNSName constraints).
 *
 * Every name-against-subtree comparison counts against a budget shared by
 * the whole validation ({@link NameConstraintBudget}), as webpki bounds it.
 * @module
 */
import type { Certificate, Name } from './certificate.js';
import { CONSTRUCTED, CONTEXT, DerError, DerReader } from './der.js';
import { formatIpAddress } from './hostname.js';
import { parseName, rdnEqual } from './name.js';

/** One GeneralSubtree base (RFC 5280 §4.2.1.10), normalized for matching. */
export type GeneralSubtree =
  /** dNSName: lowercase, without a trailing dot; `''` matches every name. */
  | { readonly type: 'dns'; readonly value: string }
  /** rfc822Name: a mailbox (`user@host`), a host, or `.domain`. */
  | { readonly type: 'email'; readonly value: string }
  /** uniformResourceIdentifier: a host, or `.domain`. */
  | { readonly type: 'uri'; readonly value: string }
  /** iPAddress: address and mask of 4 (IPv4) or 16 (IPv6) bytes each; the mask is a prefix of `prefix` bits. */
  | { readonly type: 'ip'; readonly address: Uint8Array; readonly mask: Uint8Array; readonly prefix: number }
  /** directoryName. */
  | { readonly type: 'directory'; readonly name: Name }
  /** otherName, x400Address, ediPartyName or registeredID: kept, not matchable. */
  | { readonly type: 'other'; readonly tag: number };

/** A parsed nameConstraints extension. At least one of the two lists is present. */
export interface NameConstraints {
  readonly permitted: readonly GeneralSubtree[] | undefined;
  readonly excluded: readonly GeneralSubtree[] | undefined;
}

/** The name comparisons one validation may make; webpki's limit. */
export const MAX_NAME_CONSTRAINT_COMPARISONS = 250_000;

const ascii = (bytes: Uint8Array, what: string, offset: number): string => {
  let s = '';
  for (const b of bytes) {
    if (b >= 0x80) throw new DerError(`${what}: non-ASCII byte in IA5String`, offset);
    s += String.fromCharCode(b);
  }
  return s;
};

function dnsNormal(s: string): string {
  const l = s.toLowerCase();
  return l.endsWith('.') ? l.slice(0, -1) : l;
}

/** The prefix length of a contiguous mask, or -1 when the mask is not contiguous. */
function prefixLength(mask: Uint8Array): number {
  let bits = 0;
  let i = 0;
  while (i < mask.length && mask[i] === 0xff) {
    bits += 8;
    i++;
  }
  if (i < mask.length) {
    const b = mask[i] as number;
    let n = 0;
    while (n < 8 && b & (0x80 >> n)) n++;
    if ((b & (0xff >> n)) !== 0) return -1;
    bits += n;
    for (i++; i < mask.length; i++) if (mask[i] !== 0) return -1;
  }
  return bits;
}

function readSubtree(r: DerReader): GeneralSubtree {
  const seq = r.sequence('GeneralSubtree');
  const el = seq.read();
  let base: GeneralSubtree;
  switch (el.tag) {
    case CONTEXT | 1:
      base = { type: 'email', value: ascii(el.value, 'rfc822Name constraint', el.offset) };
      break;
    case CONTEXT | 2:
      base = { type: 'dns', value: dnsNormal(ascii(el.value, 'dNSName constraint', el.offset)) };
      break;
    case CONTEXT | 6:
      base = { type: 'uri', value: dnsNormal(ascii(el.value, 'URI constraint', el.offset)) };
      break;
    case CONTEXT | 7: {
      // §4.2.1.10: 8 octets for IPv4, 32 for IPv6: the address, then the mask.
      if (el.value.length !== 8 && el.value.length !== 32) {
        throw new DerError(`iPAddress constraint of ${el.value.length} bytes (RFC 5280 §4.2.1.10: 8 or 32)`, el.offset);
      }
      const half = el.value.length / 2;
      const mask = el.value.slice(half);
      const prefix = prefixLength(mask);
      if (prefix < 0) throw new DerError('iPAddress constraint with a non-contiguous mask', el.offset);
      base = { type: 'ip', address: el.value.slice(0, half), mask, prefix };
      break;
    }
    case CONTEXT | CONSTRUCTED | 4: {
      // directoryName [4] EXPLICIT Name (a CHOICE, so the tag is explicit, X.680 §31.2.7).
      base = { type: 'directory', name: parseName(el.value, 'directoryName constraint') };
      break;
    }
    case CONTEXT | CONSTRUCTED | 0:
    case CONTEXT | CONSTRUCTED | 3:
    case CONTEXT | CONSTRUCTED | 5:
    case CONTEXT | 8:
      base = { type: 'other', tag: el.tag };
      break;
    default:
      throw new DerError(`name constraint: unknown GeneralName tag 0x${el.tag.toString(16)}`, el.offset);
  }
  // §4.2.1.10: "the minimum MUST be zero" (so absent, DER omits a DEFAULT)
  // "and maximum MUST be absent".
  if (!seq.atEnd) throw new DerError('GeneralSubtree: minimum and maximum must be absent (RFC 5280 §4.2.1.10)', el.offset);
  return base;
}

function readSubtrees(r: DerReader | undefined, what: string): GeneralSubtree[] | undefined {
  if (r === undefined) return undefined;
  const out: GeneralSubtree[] = [];
  while (!r.atEnd) out.push(readSubtree(r));
  if (out.length === 0) throw new DerError(`${what}: empty GeneralSubtrees (SIZE 1..MAX)`, r.offset);
  return out;
}

/**
 * Parses a nameConstraints extnValue (RFC 5280 §4.2.1.10) from `r`. Throws
 * {@link DerError} when malformed, including an empty extension (the RFC
 * forbids issuing one), a minimum or maximum, and a non-contiguous mask.
 */
export function readNameConstraints(r: DerReader): NameConstraints {
  const seq = r.sequence('nameConstraints');
  const p = seq.optionalImplicit(0, true);
  const e = seq.optionalImplicit(1, true);
  seq.end('nameConstraints');
  if (p === undefined && e === undefined) throw new DerError('nameConstraints: neither permitted nor excluded subtrees (RFC 5280 §4.2.1.10)', r.offset);
  return {
    permitted: readSubtrees(p === undefined ? undefined : seq.child(p), 'permittedSubtrees'),
    excluded: readSubtrees(e === undefined ? undefined : seq.child(e), 'excludedSubtrees'),
  };
}

/** Parses a DER nameConstraints extnValue; throws {@link DerError} when malformed (the fuzz target). */
export function parseNameConstraints(der: Uint8Array): NameConstraints {
  const r = new DerReader(der);
  const nc = readNameConstraints(r);
  r.end('nameConstraints');
  return nc;
}

/** Counts comparisons; throws once more than `limit` are asked for. */
export class NameConstraintBudget {
  used = 0;
  constructor(readonly limit = MAX_NAME_CONSTRAINT_COMPARISONS) {}

  spend(): void {
    if (++this.used > this.limit) throw new NameConstraintBudgetExceeded(this.limit);
  }
}

/** Thrown by {@link NameConstraintBudget.spend}; validate.ts turns it into a TlsError. */
export class NameConstraintBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`name constraint checking gave up after ${limit} comparisons`);
  }
}

// ---- matching ------------------------------------------------------------

/** `name` (normalized) is `base` or below it; a base starting with `.` covers only names below. */
function dnsWithin(name: string, base: string): boolean {
  if (base === '') return true;
  if (base.startsWith('.')) return name.length > base.length && name.endsWith(base);
  return name === base || name.endsWith(`.${base}`);
}

/** Every name `*.rest` can match is within `base`. */
function wildcardAllWithin(rest: string, base: string): boolean {
  if (base === '') return true;
  return dnsWithin(rest, base.startsWith('.') ? base.slice(1) : base);
}

/** Some name `*.rest` can match is within `base`. */
function wildcardSomeWithin(rest: string, base: string): boolean {
  if (wildcardAllWithin(rest, base)) return true;
  if (base.startsWith('.')) return false;
  // base = L.rest for one label L: the wildcard matches base itself.
  if (!base.endsWith(`.${rest}`)) return false;
  const label = base.slice(0, base.length - rest.length - 1);
  return label.length > 0 && !label.includes('.');
}

function dnsMatches(name: string, base: string, excluding: boolean): boolean {
  const n = dnsNormal(name);
  const first = n.indexOf('.');
  if (first > 0 && n.slice(0, first).includes('*')) {
    const rest = n.slice(first + 1);
    return excluding ? wildcardSomeWithin(rest, base) : wildcardAllWithin(rest, base);
  }
  return dnsWithin(n, base);
}

function emailMatches(name: string, base: string): boolean | undefined {
  const at = name.lastIndexOf('@');
  if (at <= 0 || at === name.length - 1) return undefined;
  const local = name.slice(0, at);
  const host = dnsNormal(name.slice(at + 1));
  if (base.includes('@')) {
    const bat = base.lastIndexOf('@');
    return local === base.slice(0, bat) && host === dnsNormal(base.slice(bat + 1));
  }
  const b = dnsNormal(base);
  return b.startsWith('.') ? host.endsWith(b) : host === b;
}

/** The host of an absolute URI with an authority (RFC 3986 §3.2.2), or undefined. */
function uriHost(uri: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#]*)(?::[0-9]*)?(?:[/?#]|$)/i.exec(uri);
  const host = m?.[1];
  if (host === undefined || host === '' || host.startsWith('[') || /^[0-9.]+$/.test(host)) return undefined;
  return dnsNormal(host);
}

function uriMatches(name: string, base: string): boolean | undefined {
  const host = uriHost(name);
  if (host === undefined) return undefined;
  return base.startsWith('.') ? host.endsWith(base) : host === base;
}

function ipWithin(addr: Uint8Array, base: { address: Uint8Array; mask: Uint8Array }): boolean {
  if (addr.length !== base.address.length) return false;
  for (let i = 0; i < addr.length; i++) {
    const m = base.mask[i] as number;
    if (((addr[i] as number) & m) !== ((base.address[i] as number) & m)) return false;
  }
  return true;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2). */
function mappedV4(addr: Uint8Array): Uint8Array | undefined {
  if (addr.length !== 16) return undefined;
  for (let i = 0; i < 10; i++) if (addr[i] !== 0) return undefined;
  return addr[10] === 0xff && addr[11] === 0xff ? addr.slice(12) : undefined;
}

function directoryWithin(name: Name, base: Name): boolean {
  if (name.rdns.length < base.rdns.length) return false;
  return base.rdns.every((rdn, i) => rdnEqual(name.rdns[i] as Name['rdns'][number], rdn));
}

function describeSubtree(s: GeneralSubtree): string {
  switch (s.type) {
    case 'dns':
      return `dNSName "${s.value}"`;
    case 'email':
      return `rfc822Name "${s.value}"`;
    case 'uri':
      return `URI "${s.value}"`;
    case 'ip':
      return `iPAddress ${formatIpAddress(s.address)}/${s.prefix}`;
    case 'directory':
      return `directoryName "${s.name.text}"`;
    case 'other':
      return `GeneralName [${s.tag & 0x1f}]`;
  }
}

/** The names of a certificate that name constraints apply to (§4.2.1.10, §6.1.3 (b)). */
interface Names {
  readonly dns: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
  readonly ip: readonly Uint8Array[];
  readonly directory: readonly Name[];
  /** Names of the forms that cannot be matched (otherName, ...). */
  readonly other: number;
}

const EMAIL_ADDRESS = '1.2.840.113549.1.9.1'; // PKCS #9 emailAddress (RFC 2985 §5.2.1)

function namesOf(cert: Certificate): Names {
  const san = cert.subjectAltName;
  const directory: Name[] = [...(san?.directoryNames ?? [])];
  // §4.2.1.10: directoryName constraints apply to a non-empty subject.
  if (cert.subject.rdns.length > 0) directory.push(cert.subject);
  // §4.2.1.10: without subjectAltName, rfc822Name constraints apply to the
  // emailAddress attributes of the subject.
  const email =
    san === undefined
      ? cert.subject.rdns.flatMap((rdn) => rdn.filter((a) => a.oid === EMAIL_ADDRESS).map((a) => a.value))
      : san.emails;
  return {
    dns: san?.dnsNames ?? [],
    email,
    uri: san?.uris ?? [],
    ip: san?.ipAddresses ?? [],
    directory,
    other: san === undefined ? 0 : san.others - san.directoryNames.length,
  };
}

type Match = (s: GeneralSubtree, excluding: boolean) => boolean | undefined;

/**
 * Why `cert`'s names break `nc`, or undefined when they all satisfy it.
 * Spends one unit of `budget` per comparison (throws
 * {@link NameConstraintBudgetExceeded}).
 */
export function nameConstraintViolation(cert: Certificate, nc: NameConstraints, budget: NameConstraintBudget): string | undefined {
  const names = namesOf(cert);
  const check = (kind: GeneralSubtree['type'], shown: string, match: Match): string | undefined => {
    const excluded = nc.excluded?.filter((s) => s.type === kind) ?? [];
    for (const s of excluded) {
      budget.spend();
      const m = match(s, true);
      if (m === undefined) return `${shown} cannot be checked against the excluded ${describeSubtree(s)}`;
      if (m) return `${shown} is in the excluded subtree ${describeSubtree(s)}`;
    }
    const permitted = nc.permitted?.filter((s) => s.type === kind) ?? [];
    if (permitted.length === 0) return undefined;
    for (const s of permitted) {
      budget.spend();
      const m = match(s, false);
      if (m === undefined) return `${shown} cannot be checked against the permitted ${describeSubtree(s)}`;
      if (m) return undefined;
    }
    return `${shown} is outside every permitted ${permitted.length === 1 ? 'subtree' : 'subtree of its form'} (${permitted.map(describeSubtree).join(', ')})`;
  };
  for (const d of names.dns) {
    const why = check('dns', `dNSName "${d}"`, (s, ex) => s.type === 'dns' && dnsMatches(d, s.value, ex));
    if (why !== undefined) return why;
  }
  for (const e of names.email) {
    const why = check('email', `rfc822Name "${e}"`, (s) => (s.type === 'email' ? emailMatches(e, s.value) : false));
    if (why !== undefined) return why;
  }
  for (const u of names.uri) {
    const why = check('uri', `URI "${u}"`, (s) => (s.type === 'uri' ? uriMatches(u, s.value) : false));
    if (why !== undefined) return why;
  }
  for (const ip of names.ip) {
    const v4 = mappedV4(ip);
    const why = check('ip', `iPAddress ${formatIpAddress(ip)}`, (s, ex) => {
      if (s.type !== 'ip') return false;
      if (ipWithin(ip, s)) return true;
      return ex && v4 !== undefined && ipWithin(v4, s);
    });
    if (why !== undefined) return why;
  }
  for (const n of names.directory) {
    const why = check('directory', `directoryName "${n.text}"`, (s) => s.type === 'directory' && directoryWithin(n, s.name));
    if (why !== undefined) return why;
  }
  if (names.other > 0 && [...(nc.permitted ?? []), ...(nc.excluded ?? [])].some((s) => s.type === 'other')) {
    return 'a subjectAltName entry of a form this validator does not match (otherName, x400Address, ediPartyName or registeredID) is under a constraint of such a form';
  }
  return undefined;
}
