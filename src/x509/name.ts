/**
 * Distinguished names (RFC 5280 §4.1.2.4): reading a DER Name into the
 * model with its RFC 4514 text, and the comparison name constraints use
 * (§7.1, simplified as below). Shared by certificates, name constraints and
 * CRLs.
 * @module
 */
import { hex } from './bytes.js';
import type { Name, NameAttribute } from './certificate.js';
import { DerError, DerReader, decodeString, TAG } from './der.js';
import { ATTRIBUTE_NAMES } from './oids.js';

// RFC 4514 §2.4: characters escaped anywhere, and at the start and end.
function escapeValue(v: string): string {
  let s = v.replace(/[\\,+"<>;]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  const lead = s.startsWith('#') || s.startsWith(' ');
  if (s.length > (lead ? 1 : 0) && s.endsWith(' ')) s = `${s.slice(0, -1)}\\ `;
  return lead ? `\\${s}` : s;
}

const STRING_TAGS = new Set<number>([
  TAG.UTF8_STRING,
  TAG.PRINTABLE_STRING,
  TAG.TELETEX_STRING,
  TAG.IA5_STRING,
  TAG.VISIBLE_STRING,
  TAG.UNIVERSAL_STRING,
  TAG.BMP_STRING,
  TAG.NUMERIC_STRING,
]);

/** Name ::= SEQUENCE OF SET SIZE (1..MAX) OF AttributeTypeAndValue (RFC 5280 §4.1.2.4). */
export function readName(r: DerReader, what: string): Name {
  const el = r.readTag(TAG.SEQUENCE, what);
  const seq = r.child(el);
  const rdns: NameAttribute[][] = [];
  const rdnTexts: string[] = [];
  while (!seq.atEnd) {
    const set = seq.set(`${what} RDN`);
    const rdn: NameAttribute[] = [];
    const texts: string[] = [];
    while (!set.atEnd) {
      const atv = set.sequence(`${what} AttributeTypeAndValue`);
      const oid = atv.oid(`${what} attribute type`);
      const v = atv.read();
      atv.end(`${what} AttributeTypeAndValue`);
      const isString = STRING_TAGS.has(v.tag);
      const value = isString ? decodeString(v, `${what} ${oid}`) : `#${hex(v.bytes)}`;
      const type = ATTRIBUTE_NAMES[oid] ?? oid;
      rdn.push({ oid, type, value, tag: v.tag });
      texts.push(`${type}=${isString ? escapeValue(value) : value}`);
    }
    if (rdn.length === 0) throw new DerError(`${what}: empty RDN`, el.offset);
    rdns.push(rdn);
    rdnTexts.push(texts.join('+'));
  }
  const text = rdnTexts.reverse().join(', ');
  return { rdns, der: el.bytes, text };
}

/** Reads a DER Name that is the whole of `der`. */
export function parseName(der: Uint8Array, what: string): Name {
  const r = new DerReader(der);
  const name = readName(r, what);
  r.end(what);
  return name;
}

/**
 * An attribute value for comparison (RFC 5280 §7.1 asks for RFC 4518
 * preparation; this is its ASCII core): strings of any string type compare
 * after trimming, collapsing inner whitespace and case folding; other values
 * compare by their DER (the `#hex` text).
 */
function comparable(a: NameAttribute): string {
  return STRING_TAGS.has(a.tag) ? a.value.trim().replace(/\s+/g, ' ').toLowerCase() : a.value;
}

/** True when two RDNs hold the same attributes (a SET, so in any order). */
export function rdnEqual(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  if (a.length !== b.length) return false;
  const rest = b.map((x) => `${x.oid}=${comparable(x)}`);
  for (const x of a) {
    const i = rest.indexOf(`${x.oid}=${comparable(x)}`);
    if (i < 0) return false;
    rest.splice(i, 1);
  }
  return true;
}
