/**
 * A small DER encoder (ITU-T X.690 §8 with the DER rules of §10 and §11),
 * enough to write certificates and keys. Every function returns a complete
 * element; constructed ones take the encodings of their children.
 * @module
 */
import { concat } from './bytes.js';
import { CONSTRUCTED, CONTEXT, TAG } from './der.js';

/** Definite length octets, short form below 128, else minimal long form (X.690 §10.1). */
export function encodeLength(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`DER length out of range: ${n}`);
  if (n < 0x80) return Uint8Array.of(n);
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** An element with identifier octet `tag` and the concatenation of `contents`. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concat(contents);
  return concat([Uint8Array.of(tag), encodeLength(body.length), body]);
}

/** SEQUENCE of the given encodings. */
export function sequence(...items: Uint8Array[]): Uint8Array {
  return tlv(TAG.SEQUENCE, ...items);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** SET OF the given encodings, sorted as X.690 §11.6 requires. */
export function set(...items: Uint8Array[]): Uint8Array {
  return tlv(TAG.SET, ...[...items].sort(compareBytes));
}

/**
 * INTEGER (X.690 §8.3). A number or bigint is encoded in minimal two's
 * complement; a Uint8Array is an unsigned big-endian magnitude.
 */
export function integer(value: number | bigint | Uint8Array): Uint8Array {
  if (value instanceof Uint8Array) {
    let i = 0;
    while (i < value.length - 1 && value[i] === 0) i++;
    const mag = value.subarray(i);
    if (mag.length === 0) return tlv(TAG.INTEGER, Uint8Array.of(0));
    return (mag[0] as number) & 0x80 ? tlv(TAG.INTEGER, Uint8Array.of(0), mag) : tlv(TAG.INTEGER, mag);
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  let v = BigInt(value);
  const octets: number[] = [];
  // Emit low octets until the remaining value is just the sign extension of
  // the last one (X.690 §8.3.2: minimal).
  for (;;) {
    const b = Number(v & 0xffn);
    octets.unshift(b);
    v >>= 8n;
    if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break;
  }
  return tlv(TAG.INTEGER, Uint8Array.from(octets));
}

/** BOOLEAN, 0xFF for true (X.690 §11.1). */
export function boolean(value: boolean): Uint8Array {
  return tlv(TAG.BOOLEAN, Uint8Array.of(value ? 0xff : 0x00));
}

/** NULL (X.690 §8.8). */
export function nullValue(): Uint8Array {
  return tlv(TAG.NULL);
}

/** OBJECT IDENTIFIER from dotted form (X.690 §8.19). */
export function oid(dotted: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new RangeError(`not a dotted OID: ${dotted}`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [a1, a2] = arcs as [bigint, bigint];
  if (a1 < 2n && a2 >= 40n) throw new RangeError(`OID arc ${a2} must be below 40 under ${a1}: ${dotted}`);
  const out: number[] = [];
  for (const sub of [a1 * 40n + a2, ...arcs.slice(2)]) {
    const chunk: number[] = [Number(sub & 0x7fn)];
    for (let v = sub >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return tlv(TAG.OID, Uint8Array.from(out));
}

/** BIT STRING holding `bytes`, the last `unusedBits` of which must be zero (X.690 §11.2.1). */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new RangeError(`bad unused bit count ${unusedBits}`);
  }
  if (unusedBits > 0 && ((bytes[bytes.length - 1] as number) & ((1 << unusedBits) - 1)) !== 0) {
    throw new RangeError('unused BIT STRING bits must be zero');
  }
  return tlv(TAG.BIT_STRING, Uint8Array.of(unusedBits), bytes);
}

/**
 * A named-bit BIT STRING (e.g. keyUsage) with the given bit positions set,
 * bit 0 being the most significant bit of the first octet. Trailing zero
 * bits are dropped (X.690 §11.2.2).
 */
export function namedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return bitString(new Uint8Array(0));
  const top = Math.max(...bits);
  const bytes = new Uint8Array((top >> 3) + 1);
  for (const b of bits) bytes[b >> 3] = (bytes[b >> 3] as number) | (0x80 >> (b & 7));
  return bitString(bytes, 7 - (top & 7));
}

/** OCTET STRING. */
export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** UTF8String. */
export function utf8String(text: string): Uint8Array {
  return tlv(TAG.UTF8_STRING, new TextEncoder().encode(text));
}

/** PrintableString; throws on characters outside X.680 §41.4 table 10. */
export function printableString(text: string): Uint8Array {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError(`not a PrintableString: ${JSON.stringify(text)}`);
  return tlv(TAG.PRINTABLE_STRING, new TextEncoder().encode(text));
}

/** IA5String; throws on non-ASCII text. */
export function ia5String(text: string): Uint8Array {
  if (!/^[\p{ASCII}]*$/u.test(text)) throw new RangeError(`not an IA5String: ${JSON.stringify(text)}`);
  return tlv(TAG.IA5_STRING, new TextEncoder().encode(text));
}

function two(n: number): string {
  return n.toString().padStart(2, '0');
}

function checkTime(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError('expected a valid Date');
  if (date.getUTCMilliseconds() !== 0) throw new RangeError('certificate times have whole seconds (RFC 5280 §4.1.2.5)');
}

/** UTCTime YYMMDDHHMMSSZ, for years 1950 to 2049 (RFC 5280 §4.1.2.5.1). */
export function utcTime(date: Date): Uint8Array {
  checkTime(date);
  const y = date.getUTCFullYear();
  if (y < 1950 || y > 2049) throw new RangeError(`UTCTime covers 1950 to 2049, not ${y}`);
  const s = `${two(y % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return tlv(TAG.UTC_TIME, new TextEncoder().encode(s));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2). */
export function generalizedTime(date: Date): Uint8Array {
  checkTime(date);
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) throw new RangeError(`GeneralizedTime covers years 0 to 9999, not ${y}`);
  const s = `${y.toString().padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return tlv(TAG.GENERALIZED_TIME, new TextEncoder().encode(s));
}

/** The Time choice of RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  return y >= 1950 && y <= 2049 ? utcTime(date) : generalizedTime(date);
}

/** `[n] EXPLICIT` around one complete element (X.690 §8.14.2). */
export function explicit(n: number, inner: Uint8Array): Uint8Array {
  return tlv(CONTEXT | CONSTRUCTED | n, inner);
}

/**
 * `[n] IMPLICIT`: the contents of the underlying type under a context tag
 * (X.690 §8.14.3). `constructed` must match the underlying type's form.
 */
export function implicit(n: number, contents: Uint8Array, constructed = false): Uint8Array {
  return tlv(CONTEXT | (constructed ? CONSTRUCTED : 0) | n, contents);
}
