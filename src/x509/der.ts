/**
 * A strict DER reader (ITU-T X.690 §8 basic rules, §10 and §11 DER
 * restrictions) for certificates and keys. It refuses everything DER forbids
 * that can be checked without the ASN.1 module: indefinite and non-minimal
 * lengths (§10.1, §8.1.3), high tag numbers (unused by X.509), constructed
 * strings (§10.2), non-minimal INTEGERs (§8.3.2), BOOLEANs other than 0x00
 * and 0xFF (§11.1), non-zero unused BIT STRING bits (§11.2.1), and trailing
 * bytes. Lengths are checked against the input before any slicing, and
 * nesting is capped at {@link MAX_DEPTH}.
 *
 * Schema-level DER rules (a DEFAULT value encoded explicitly, §11.5) are left
 * to the callers, which accept them where real certificates use them.
 * @module
 */

/** Identifier octets of the universal types used here (X.680 §8.4, X.690 §8.1.2). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific class bit (X.690 §8.1.2.2). */
export const CONTEXT = 0x80;
/** Constructed bit (X.690 §8.1.2.5). */
export const CONSTRUCTED = 0x20;

/**
 * Deepest nesting accepted. A certificate needs 8 levels (Certificate, TBS,
 * extensions, Extension, then the extension's own value); 32 leaves room and
 * still bounds recursion on hostile input.
 */
export const MAX_DEPTH = 32;

/** Malformed DER. `offset` is the position of the offending element. */
export class DerError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`DER: ${message} at offset ${offset}`);
    this.name = 'DerError';
    this.offset = offset;
  }
}

/** One decoded element (tag, length, value). */
export interface DerElement {
  /** The identifier octet: class, constructed bit and tag number. */
  readonly tag: number;
  /** Offset of the identifier octet from the start of the outermost input. */
  readonly offset: number;
  /** The whole encoding: identifier, length and contents. */
  readonly bytes: Uint8Array;
  /** The contents octets. */
  readonly value: Uint8Array;
}

/** A decoded BIT STRING (X.690 §8.6). */
export interface BitString {
  readonly bytes: Uint8Array;
  /** Unused bits in the last byte, 0 to 7. */
  readonly unusedBits: number;
}

const TAG_NAMES: Readonly<Record<number, string>> = {
  0x01: 'BOOLEAN',
  0x02: 'INTEGER',
  0x03: 'BIT STRING',
  0x04: 'OCTET STRING',
  0x05: 'NULL',
  0x06: 'OBJECT IDENTIFIER',
  0x0c: 'UTF8String',
  0x12: 'NumericString',
  0x13: 'PrintableString',
  0x14: 'TeletexString',
  0x16: 'IA5String',
  0x17: 'UTCTime',
  0x18: 'GeneralizedTime',
  0x1a: 'VisibleString',
  0x1c: 'UniversalString',
  0x1e: 'BMPString',
  0x30: 'SEQUENCE',
  0x31: 'SET',
};

/** A readable name for an identifier octet, e.g. `SEQUENCE` or `[3] constructed`. */
export function tagName(tag: number): string {
  const known = TAG_NAMES[tag];
  if (known !== undefined) return known;
  const cls = ['universal', 'application', 'context', 'private'][tag >> 6] as string;
  const form = tag & CONSTRUCTED ? 'constructed' : 'primitive';
  const num = tag & 0x1f;
  return cls === 'context' ? `[${num}] ${form}` : `${cls} ${num} ${form}`;
}

function hexByte(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Reads DER elements one after another from a byte range. Child readers for
 * constructed elements share the input and track depth and absolute offsets.
 *
 * @example
 * ```ts
 * const r = new DerReader(der);
 * const seq = r.sequence('Certificate');
 * r.end('Certificate');
 * ```
 */
export class DerReader {
  private pos = 0;

  /**
   * @param data - the bytes to read; every element must lie inside them.
   * @param depth - nesting depth of these bytes (0 for the outermost input).
   * @param base - absolute offset of `data[0]`, for error messages.
   */
  constructor(
    private readonly data: Uint8Array,
    private readonly depth = 0,
    private readonly base = 0,
  ) {
    if (depth > MAX_DEPTH) throw new DerError(`nesting deeper than ${MAX_DEPTH}`, base);
  }

  /** True when every byte has been read. */
  get atEnd(): boolean {
    return this.pos >= this.data.length;
  }

  /** Absolute offset of the next element. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** The identifier octet of the next element, or undefined at the end. */
  peekTag(): number | undefined {
    return this.pos < this.data.length ? this.data[this.pos] : undefined;
  }

  /** Reads the next element of any type (X.690 §8.1). */
  read(): DerElement {
    const d = this.data;
    const start = this.pos;
    const at = this.base + start;
    if (start >= d.length) throw new DerError('unexpected end of data', at);
    const tag = d[start] as number;
    // X.690 §8.1.2.4: tag numbers of 31 and above use more identifier octets.
    // X.509 never needs them, so they are refused rather than parsed.
    if ((tag & 0x1f) === 0x1f) throw new DerError(`high tag number form (${hexByte(tag)}) not supported`, at);
    if (start + 1 >= d.length) throw new DerError('missing length', at);
    const first = d[start + 1] as number;
    let len: number;
    let header: number;
    if (first < 0x80) {
      len = first;
      header = 2;
    } else if (first === 0x80) {
      // X.690 §10.1: DER uses the definite form only.
      throw new DerError('indefinite length', at);
    } else {
      const n = first & 0x7f;
      // Four length octets address 4 GiB, more than any input here. 0xff is
      // reserved by X.690 §8.1.3.5 c) and falls under this check too.
      if (n > 4) throw new DerError(`length of ${n} octets`, at);
      if (start + 2 + n > d.length) throw new DerError('truncated length', at);
      if (d[start + 2] === 0) throw new DerError('non-minimal length (leading zero octet)', at);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (d[start + 2 + i] as number);
      // X.690 §10.1: the long form only when the short form cannot hold it.
      if (len < 0x80) throw new DerError(`non-minimal length (${len} in long form)`, at);
      header = 2 + n;
    }
    const end = start + header + len;
    if (end > d.length) {
      throw new DerError(`length ${len} runs past the end (${d.length - start - header} bytes left)`, at);
    }
    this.pos = end;
    return { tag, offset: at, bytes: d.subarray(start, end), value: d.subarray(start + header, end) };
  }

  /** Reads the next element and checks its identifier octet. */
  readTag(tag: number, what: string): DerElement {
    const t = this.peekTag();
    if (t === undefined) throw new DerError(`${what}: expected ${tagName(tag)}, got end of data`, this.offset);
    if (t !== tag) throw new DerError(`${what}: expected ${tagName(tag)}, got ${tagName(t)}`, this.offset);
    return this.read();
  }

  /** Reads the next element if its identifier octet is `tag`. */
  optional(tag: number): DerElement | undefined {
    return this.peekTag() === tag ? this.read() : undefined;
  }

  /** A reader over the contents of a constructed element. */
  child(el: DerElement): DerReader {
    if (!(el.tag & CONSTRUCTED)) throw new DerError(`${tagName(el.tag)} is not constructed`, el.offset);
    return new DerReader(el.value, this.depth + 1, el.offset + (el.bytes.length - el.value.length));
  }

  /** A reader over bytes carried inside an element, e.g. an OCTET STRING holding DER. */
  nested(el: DerElement): DerReader {
    return new DerReader(el.value, this.depth + 1, el.offset + (el.bytes.length - el.value.length));
  }

  /** Reads a SEQUENCE and returns a reader over its contents. */
  sequence(what: string): DerReader {
    return this.child(this.readTag(TAG.SEQUENCE, what));
  }

  /** Reads a SET and returns a reader over its contents. */
  set(what: string): DerReader {
    return this.child(this.readTag(TAG.SET, what));
  }

  /** Reads `[n] EXPLICIT` and returns a reader over its contents (X.690 §8.14). */
  explicit(n: number, what: string): DerReader {
    return this.child(this.readTag(CONTEXT | CONSTRUCTED | n, what));
  }

  /** Reads `[n] EXPLICIT` if it comes next. */
  optionalExplicit(n: number): DerReader | undefined {
    const el = this.optional(CONTEXT | CONSTRUCTED | n);
    return el === undefined ? undefined : this.child(el);
  }

  /**
   * Reads `[n] IMPLICIT`: the element keeps the underlying type's contents
   * under a context tag (X.690 §8.14.3); decode them with the `decode*`
   * functions. `constructed` must match the underlying type's form.
   */
  implicit(n: number, what: string, constructed = false): DerElement {
    return this.readTag(CONTEXT | (constructed ? CONSTRUCTED : 0) | n, what);
  }

  /** Reads `[n] IMPLICIT` if it comes next. */
  optionalImplicit(n: number, constructed = false): DerElement | undefined {
    return this.optional(CONTEXT | (constructed ? CONSTRUCTED : 0) | n);
  }

  /** Reads an INTEGER and returns its two's complement contents. */
  integer(what: string): Uint8Array {
    return decodeInteger(this.readTag(TAG.INTEGER, what), what);
  }

  /** Reads a non-negative INTEGER and returns its magnitude without a sign octet. */
  unsignedInteger(what: string): Uint8Array {
    return decodeUnsignedInteger(this.readTag(TAG.INTEGER, what), what);
  }

  /** Reads an INTEGER that fits a JavaScript number exactly. */
  smallInteger(what: string): number {
    return decodeSmallInteger(this.readTag(TAG.INTEGER, what), what);
  }

  /** Reads a BOOLEAN (X.690 §11.1). */
  boolean(what: string): boolean {
    return decodeBoolean(this.readTag(TAG.BOOLEAN, what), what);
  }

  /** Reads a NULL (X.690 §8.8). */
  null(what: string): void {
    const el = this.readTag(TAG.NULL, what);
    if (el.value.length !== 0) throw new DerError(`${what}: NULL with contents`, el.offset);
  }

  /** Reads an OBJECT IDENTIFIER as a dotted string. */
  oid(what: string): string {
    return decodeOid(this.readTag(TAG.OID, what), what);
  }

  /** Reads a BIT STRING. */
  bitString(what: string): BitString {
    return decodeBitString(this.readTag(TAG.BIT_STRING, what), what);
  }

  /** Reads a BIT STRING that must hold whole bytes (keys, signatures). */
  bitStringBytes(what: string): Uint8Array {
    const el = this.readTag(TAG.BIT_STRING, what);
    const bs = decodeBitString(el, what);
    if (bs.unusedBits !== 0) throw new DerError(`${what}: BIT STRING with ${bs.unusedBits} unused bits`, el.offset);
    return bs.bytes;
  }

  /** Reads an OCTET STRING. */
  octetString(what: string): Uint8Array {
    return this.readTag(TAG.OCTET_STRING, what).value;
  }

  /** Reads any of the character string types {@link decodeString} knows. */
  string(what: string): string {
    return decodeString(this.read(), what);
  }

  /** Reads a UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5). */
  time(what: string): Date {
    return decodeTime(this.read(), what);
  }

  /** Throws unless every byte has been read. */
  end(what: string): void {
    if (!this.atEnd) {
      throw new DerError(`${what}: ${this.data.length - this.pos} unexpected trailing bytes`, this.offset);
    }
  }
}

/** Parses `der` as exactly one element; trailing bytes are an error. */
export function readSingle(der: Uint8Array, what: string): { el: DerElement; reader: DerReader } {
  const reader = new DerReader(der);
  const el = reader.read();
  reader.end(what);
  return { el, reader };
}

/** INTEGER contents after the minimality check of X.690 §8.3.2. */
export function decodeInteger(el: DerElement, what: string): Uint8Array {
  const v = el.value;
  if (v.length === 0) throw new DerError(`${what}: empty INTEGER`, el.offset);
  // X.690 §8.3.2: the first nine bits must not be all zeros or all ones.
  if (v.length > 1) {
    const a = v[0] as number;
    const b = (v[1] as number) & 0x80;
    if ((a === 0x00 && b === 0) || (a === 0xff && b !== 0)) {
      throw new DerError(`${what}: non-minimal INTEGER`, el.offset);
    }
  }
  return v;
}

/** A non-negative INTEGER's magnitude, without the 0x00 sign octet. */
export function decodeUnsignedInteger(el: DerElement, what: string): Uint8Array {
  const v = decodeInteger(el, what);
  if ((v[0] as number) & 0x80) throw new DerError(`${what}: negative INTEGER`, el.offset);
  return v.length > 1 && v[0] === 0 ? v.subarray(1) : v;
}

/** An INTEGER of at most 6 octets (within ±2^47) as a number. */
export function decodeSmallInteger(el: DerElement, what: string): number {
  const v = decodeInteger(el, what);
  if (v.length > 6) throw new DerError(`${what}: INTEGER too large (${v.length} octets)`, el.offset);
  // Two's complement: a negative value starts from all ones (-1).
  let n = (v[0] as number) & 0x80 ? -1 : 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

/** BOOLEAN: DER allows only 0x00 and 0xFF (X.690 §11.1). */
export function decodeBoolean(el: DerElement, what: string): boolean {
  if (el.value.length !== 1) throw new DerError(`${what}: BOOLEAN of ${el.value.length} octets`, el.offset);
  const b = el.value[0];
  if (b === 0x00) return false;
  if (b === 0xff) return true;
  throw new DerError(`${what}: BOOLEAN ${hexByte(b as number)} (DER allows 0x00 and 0xff)`, el.offset);
}

/** OBJECT IDENTIFIER contents to dotted form (X.690 §8.19). */
export function decodeOid(el: DerElement, what: string): string {
  const v = el.value;
  if (v.length === 0) throw new DerError(`${what}: empty OBJECT IDENTIFIER`, el.offset);
  if ((v[v.length - 1] as number) & 0x80) throw new DerError(`${what}: truncated OBJECT IDENTIFIER`, el.offset);
  const arcs: string[] = [];
  let i = 0;
  while (i < v.length) {
    // X.690 §8.19.2: subidentifiers are minimal, so never start with 0x80.
    if (v[i] === 0x80) throw new DerError(`${what}: non-minimal OBJECT IDENTIFIER subidentifier`, el.offset);
    let n = 0n;
    let b: number;
    do {
      b = v[i++] as number;
      n = (n << 7n) | BigInt(b & 0x7f);
    } while (b & 0x80);
    if (arcs.length === 0) {
      // X.690 §8.19.4: the first subidentifier is 40 * arc1 + arc2.
      if (n < 40n) arcs.push('0', n.toString());
      else if (n < 80n) arcs.push('1', (n - 40n).toString());
      else arcs.push('2', (n - 80n).toString());
    } else {
      arcs.push(n.toString());
    }
  }
  return arcs.join('.');
}

/** BIT STRING (X.690 §8.6, §11.2.1: unused bits must be zero). */
export function decodeBitString(el: DerElement, what: string): BitString {
  const v = el.value;
  if (v.length === 0) throw new DerError(`${what}: empty BIT STRING`, el.offset);
  const unused = v[0] as number;
  if (unused > 7) throw new DerError(`${what}: BIT STRING with ${unused} unused bits`, el.offset);
  if (v.length === 1 && unused !== 0) throw new DerError(`${what}: empty BIT STRING with unused bits`, el.offset);
  if (unused !== 0 && ((v[v.length - 1] as number) & ((1 << unused) - 1)) !== 0) {
    throw new DerError(`${what}: BIT STRING unused bits are not zero`, el.offset);
  }
  return { bytes: v.subarray(1), unusedBits: unused };
}

// PrintableString alphabet, X.680 §41.4 table 10.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function ascii(v: Uint8Array, ok: (b: number) => boolean, el: DerElement, what: string, kind: string): string {
  let s = '';
  for (const b of v) {
    if (!ok(b)) throw new DerError(`${what}: byte ${hexByte(b)} not allowed in ${kind}`, el.offset);
    s += String.fromCharCode(b);
  }
  return s;
}

/**
 * A character string of any type X.509 names use (X.680 §41). TeletexString
 * is read as Latin-1, which is what certificates in the wild mean by it.
 */
export function decodeString(el: DerElement, what: string): string {
  const v = el.value;
  switch (el.tag) {
    case TAG.UTF8_STRING:
      try {
        return utf8Decoder.decode(v);
      } catch {
        throw new DerError(`${what}: invalid UTF-8 in UTF8String`, el.offset);
      }
    case TAG.PRINTABLE_STRING: {
      const s = ascii(v, (b) => b < 0x80, el, what, 'PrintableString');
      if (!PRINTABLE.test(s)) throw new DerError(`${what}: character not allowed in PrintableString`, el.offset);
      return s;
    }
    case TAG.IA5_STRING:
      return ascii(v, (b) => b < 0x80, el, what, 'IA5String');
    case TAG.NUMERIC_STRING:
      return ascii(v, (b) => b === 0x20 || (b >= 0x30 && b <= 0x39), el, what, 'NumericString');
    case TAG.VISIBLE_STRING:
      return ascii(v, (b) => b >= 0x20 && b <= 0x7e, el, what, 'VisibleString');
    case TAG.TELETEX_STRING:
      return ascii(v, () => true, el, what, 'TeletexString');
    case TAG.BMP_STRING: {
      // X.680 §41.16: UCS-2 big-endian, so no surrogate code units.
      if (v.length % 2 !== 0) throw new DerError(`${what}: odd-length BMPString`, el.offset);
      let s = '';
      for (let i = 0; i < v.length; i += 2) {
        const u = ((v[i] as number) << 8) | (v[i + 1] as number);
        if (u >= 0xd800 && u <= 0xdfff) throw new DerError(`${what}: surrogate in BMPString`, el.offset);
        s += String.fromCharCode(u);
      }
      return s;
    }
    case TAG.UNIVERSAL_STRING: {
      // X.680 §41.15: UCS-4 big-endian.
      if (v.length % 4 !== 0) throw new DerError(`${what}: UniversalString length not a multiple of 4`, el.offset);
      let s = '';
      for (let i = 0; i < v.length; i += 4) {
        const c = (v[i] as number) * 0x1000000 + (v[i + 1] as number) * 0x10000 + (v[i + 2] as number) * 0x100 + (v[i + 3] as number);
        if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
          throw new DerError(`${what}: invalid code point in UniversalString`, el.offset);
        }
        s += String.fromCodePoint(c);
      }
      return s;
    }
    default:
      throw new DerError(`${what}: expected a character string, got ${tagName(el.tag)}`, el.offset);
  }
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/**
 * UTCTime or GeneralizedTime under RFC 5280 §4.1.2.5: Zulu time only,
 * seconds always present, no fractional seconds. UTCTime years 50 to 99
 * are 19xx and 00 to 49 are 20xx (§4.1.2.5.1).
 */
export function decodeTime(el: DerElement, what: string): Date {
  let m: RegExpExecArray | null;
  let year: number;
  const text = ascii(el.value, (b) => b < 0x80, el, what, 'a time');
  if (el.tag === TAG.UTC_TIME) {
    m = UTC_TIME.exec(text);
    if (m === null) throw new DerError(`${what}: UTCTime "${text}" is not YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1)`, el.offset);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (el.tag === TAG.GENERALIZED_TIME) {
    m = GENERALIZED_TIME.exec(text);
    if (m === null) {
      throw new DerError(`${what}: GeneralizedTime "${text}" is not YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2)`, el.offset);
    }
    year = Number(m[1]);
  } else {
    throw new DerError(`${what}: expected UTCTime or GeneralizedTime, got ${tagName(el.tag)}`, el.offset);
  }
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // Out-of-range fields roll over in Date; a round trip catches them.
  if (
    month < 1 ||
    month > 12 ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new DerError(`${what}: invalid date or time "${text}"`, el.offset);
  }
  return date;
}
