// The strict DER reader (X.690 §8, §10, §11) and the DER writer.
import { describe, expect, test } from 'vitest';
import { DerError, DerReader, MAX_DEPTH, TAG } from '../../src/x509/der.js';
import { decodeSmallInteger, readSingle } from '../../src/x509/der.js';
import * as w from '../../src/x509/der-writer.js';
import { fromHex, toHex } from '../helpers/hex.js';

const reader = (hex: string): DerReader => new DerReader(fromHex(hex.replace(/ /g, '')));

/** Reads one element of `hex` with `fn` and requires the input to be used up. */
function one<T>(hex: string, fn: (r: DerReader) => T): T {
  const r = reader(hex);
  const v = fn(r);
  r.end('test');
  return v;
}

describe('lengths and tags (X.690 §8.1, §10.1)', () => {
  test('short and long form lengths', () => {
    expect(one('30 03 02 01 05', (r) => r.sequence('s').smallInteger('i'))).toBe(5);
    const long = `04 81 80 ${'00'.repeat(128)}`;
    expect(one(long, (r) => r.octetString('o')).length).toBe(128);
    const longer = `04 82 01 00 ${'00'.repeat(256)}`;
    expect(one(longer, (r) => r.octetString('o')).length).toBe(256);
  });
  const bad: [string, string, RegExp][] = [
    ['long form for a short length', '30 81 03 02 01 05', /non-minimal length \(3 in long form\)/],
    ['leading zero length octet', '30 82 00 03 02 01 05', /non-minimal length \(leading zero octet\)/],
    ['indefinite length', '30 80 02 01 05 00 00', /indefinite length/],
    ['length past the end', '30 05 02 01', /runs past the end/],
    ['truncated long length', '30 82 01', /truncated length/],
    ['five length octets', '30 85 01 00 00 00 00', /length of 5 octets/],
    ['reserved 0xff length', '30 ff', /length of 127 octets/],
    ['missing length', '30', /missing length/],
    ['empty input', '', /unexpected end of data/],
    ['high tag number form', '1f 22 00', /high tag number form/],
  ];
  for (const [name, hex, re] of bad) {
    test(name, () => {
      expect(() => reader(hex).read()).toThrow(re);
      expect(() => reader(hex).read()).toThrow(DerError);
    });
  }
  test('trailing bytes are refused', () => {
    expect(() => readSingle(fromHex('020105'), 'x')).not.toThrow();
    expect(() => readSingle(fromHex('02010500'), 'x')).toThrow(/1 unexpected trailing bytes/);
    expect(() => one('30 04 02 01 05 00', (r) => r.sequence('s').smallInteger('i'))).not.toThrow();
    expect(() => {
      const s = reader('30 04 02 01 05 00').sequence('s');
      s.smallInteger('i');
      s.end('s');
    }).toThrow(/trailing/);
  });
  test('wrong tag names both tags', () => {
    expect(() => reader('02 01 05').sequence('tbsCertificate')).toThrow(/tbsCertificate: expected SEQUENCE, got INTEGER/);
    // X.690 §10.2: DER strings are primitive; a constructed OCTET STRING is another tag.
    expect(() => reader('24 03 04 01 00').octetString('o')).toThrow(/expected OCTET STRING, got universal 4 constructed/);
  });
  test('errors carry the absolute offset', () => {
    try {
      reader('30 05 02 03 00 00 01').sequence('s').integer('i');
      expect.fail('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(DerError);
      expect((e as DerError).offset).toBe(2);
      expect((e as DerError).message).toMatch(/at offset 2$/);
    }
  });
  test(`nesting deeper than ${MAX_DEPTH} is refused`, () => {
    const deep = (n: number): Uint8Array => {
      let x = w.nullValue();
      for (let i = 0; i < n; i++) x = w.sequence(x);
      return x;
    };
    const walk = (r: DerReader): void => {
      if (r.peekTag() === TAG.SEQUENCE) walk(r.sequence('s'));
      else r.null('n');
    };
    expect(() => walk(new DerReader(deep(MAX_DEPTH)))).not.toThrow();
    expect(() => walk(new DerReader(deep(MAX_DEPTH + 1)))).toThrow(/nesting deeper than 32/);
  });
});

describe('INTEGER (X.690 §8.3)', () => {
  test('minimal encodings', () => {
    expect(toHex(one('02 01 00', (r) => r.integer('i')))).toBe('00');
    expect(toHex(one('02 02 00 80', (r) => r.unsignedInteger('i')))).toBe('80');
    expect(toHex(one('02 02 00 80', (r) => r.integer('i')))).toBe('0080');
    expect(one('02 01 80', (r) => r.smallInteger('i'))).toBe(-128);
    expect(one('02 02 ff 7f', (r) => r.smallInteger('i'))).toBe(-129);
    expect(one('02 06 7f ff ff ff ff ff', (r) => r.smallInteger('i'))).toBe(2 ** 47 - 1);
  });
  test('non-minimal, empty, negative and oversized are refused', () => {
    expect(() => one('02 02 00 7f', (r) => r.integer('i'))).toThrow(/non-minimal INTEGER/);
    expect(() => one('02 02 ff 80', (r) => r.integer('i'))).toThrow(/non-minimal INTEGER/);
    expect(() => one('02 03 00 00 01', (r) => r.integer('i'))).toThrow(/non-minimal INTEGER/);
    expect(() => one('02 00', (r) => r.integer('i'))).toThrow(/empty INTEGER/);
    expect(() => one('02 01 80', (r) => r.unsignedInteger('i'))).toThrow(/negative INTEGER/);
    expect(() => one('02 07 01 00 00 00 00 00 00', (r) => r.smallInteger('i'))).toThrow(/too large/);
  });
  test('writer round trip', () => {
    for (const v of [0, 1, 127, 128, 255, 256, -1, -128, -129, -256, 2 ** 40, -(2 ** 40), 2 ** 47 - 1]) {
      const { el } = readSingle(w.integer(v), 'i');
      expect(decodeSmallInteger(el, 'i'), String(v)).toBe(v);
    }
    expect(toHex(w.integer(new Uint8Array([0, 0, 0x80])))).toBe('02020080');
    expect(toHex(w.integer(new Uint8Array([0, 0x7f])))).toBe('02017f');
    expect(toHex(w.integer(new Uint8Array(0)))).toBe('020100');
    expect(toHex(w.integer(2n ** 64n))).toBe('0209010000000000000000');
  });
});

describe('BOOLEAN and NULL (X.690 §11.1, §8.8)', () => {
  test('only 0x00 and 0xff', () => {
    expect(one('01 01 ff', (r) => r.boolean('b'))).toBe(true);
    expect(one('01 01 00', (r) => r.boolean('b'))).toBe(false);
    expect(() => one('01 01 01', (r) => r.boolean('b'))).toThrow(/BOOLEAN 0x01/);
    expect(() => one('01 01 7f', (r) => r.boolean('b'))).toThrow(/BOOLEAN 0x7f/);
    expect(() => one('01 02 ff ff', (r) => r.boolean('b'))).toThrow(/BOOLEAN of 2 octets/);
    expect(() => one('01 00', (r) => r.boolean('b'))).toThrow(/BOOLEAN of 0 octets/);
    expect(toHex(w.boolean(true))).toBe('0101ff');
  });
  test('NULL has no contents', () => {
    expect(() => one('05 00', (r) => r.null('n'))).not.toThrow();
    expect(() => one('05 01 00', (r) => r.null('n'))).toThrow(/NULL with contents/);
  });
});

describe('OBJECT IDENTIFIER (X.690 §8.19)', () => {
  test('decodes dotted form', () => {
    expect(one('06 03 55 04 03', (r) => r.oid('o'))).toBe('2.5.4.3');
    expect(one('06 09 2a 86 48 86 f7 0d 01 01 0b', (r) => r.oid('o'))).toBe('1.2.840.113549.1.1.11');
    expect(one('06 01 27', (r) => r.oid('o'))).toBe('0.39');
    expect(one('06 02 88 37', (r) => r.oid('o'))).toBe('2.999');
  });
  test('refuses empty, truncated and non-minimal subidentifiers', () => {
    expect(() => one('06 00', (r) => r.oid('o'))).toThrow(/empty OBJECT IDENTIFIER/);
    expect(() => one('06 02 2a 86', (r) => r.oid('o'))).toThrow(/truncated/);
    expect(() => one('06 03 2a 80 01', (r) => r.oid('o'))).toThrow(/non-minimal/);
    expect(() => one('06 02 80 01', (r) => r.oid('o'))).toThrow(/non-minimal/);
  });
  test('writer round trip, arcs beyond 2^53 included', () => {
    for (const oid of ['2.5.29.17', '1.2.840.10045.4.3.2', '1.3.101.112', '2.25.329800735698586629295641978511506172918', '0.0']) {
      expect(readSingle(w.oid(oid), 'o').reader).toBeDefined();
      expect(one(toHex(w.oid(oid)), (r) => r.oid('o'))).toBe(oid);
    }
    expect(() => w.oid('1.40')).toThrow(RangeError);
    expect(() => w.oid('3.1')).toThrow(RangeError);
    expect(() => w.oid('1.02')).toThrow(RangeError);
  });
});

describe('BIT STRING (X.690 §8.6, §11.2)', () => {
  test('unused bits', () => {
    expect(one('03 02 00 ff', (r) => r.bitString('b'))).toEqual({ bytes: fromHex('ff'), unusedBits: 0 });
    expect(one('03 02 03 f8', (r) => r.bitString('b')).unusedBits).toBe(3);
    expect(one('03 01 00', (r) => r.bitString('b')).bytes.length).toBe(0);
    expect(() => one('03 02 03 f9', (r) => r.bitString('b'))).toThrow(/unused bits are not zero/);
    expect(() => one('03 01 03', (r) => r.bitString('b'))).toThrow(/empty BIT STRING with unused bits/);
    expect(() => one('03 02 08 00', (r) => r.bitString('b'))).toThrow(/8 unused bits/);
    expect(() => one('03 00', (r) => r.bitString('b'))).toThrow(/empty BIT STRING/);
    expect(() => one('03 02 01 fe', (r) => r.bitStringBytes('b'))).toThrow(/1 unused bits/);
  });
  test('named bits drop trailing zeros (§11.2.2)', () => {
    expect(toHex(w.namedBits([0]))).toBe('03020780');
    expect(toHex(w.namedBits([5, 6]))).toBe('03020106');
    expect(toHex(w.namedBits([8]))).toBe('0303070080');
    expect(toHex(w.namedBits([]))).toBe('030100');
    expect(() => w.bitString(fromHex('ff'), 1)).toThrow(RangeError);
  });
});

describe('character strings (X.680 §41)', () => {
  test('each type decodes and checks its alphabet', () => {
    expect(one('0c 02 c3 a9', (r) => r.string('s'))).toBe('é');
    expect(() => one('0c 02 c3 28', (r) => r.string('s'))).toThrow(/invalid UTF-8/);
    expect(one('13 03 41 2d 3f', (r) => r.string('s'))).toBe('A-?');
    expect(() => one('13 01 40', (r) => r.string('s'))).toThrow(/not allowed in PrintableString/);
    expect(() => one('13 01 2a', (r) => r.string('s'))).toThrow(/not allowed in PrintableString/);
    expect(one('16 01 40', (r) => r.string('s'))).toBe('@');
    expect(() => one('16 01 80', (r) => r.string('s'))).toThrow(/IA5String/);
    expect(one('12 02 31 20', (r) => r.string('s'))).toBe('1 ');
    expect(() => one('12 01 41', (r) => r.string('s'))).toThrow(/NumericString/);
    expect(() => one('1a 01 0a', (r) => r.string('s'))).toThrow(/VisibleString/);
    expect(one('14 01 e9', (r) => r.string('s'))).toBe('é');
    expect(one('1e 04 00 41 20 ac', (r) => r.string('s'))).toBe('A€');
    expect(() => one('1e 03 00 41 00', (r) => r.string('s'))).toThrow(/odd-length BMPString/);
    expect(() => one('1e 02 d8 00', (r) => r.string('s'))).toThrow(/surrogate/);
    expect(one('1c 04 00 01 f6 00', (r) => r.string('s'))).toBe('😀');
    expect(() => one('1c 04 80 00 00 41', (r) => r.string('s'))).toThrow(/invalid code point/);
    expect(() => one('1c 03 00 00 41', (r) => r.string('s'))).toThrow(/multiple of 4/);
    expect(() => one('04 01 41', (r) => r.string('s'))).toThrow(/expected a character string/);
  });
  test('a byte order mark in UTF8String is kept', () => {
    expect(one('0c 04 ef bb bf 41', (r) => r.string('s'))).toBe('\ufeffA');
  });
});

describe('UTCTime and GeneralizedTime (RFC 5280 §4.1.2.5)', () => {
  const ascii = (s: string): string => toHex(new TextEncoder().encode(s));
  const utc = (s: string): string => `17 ${(s.length).toString(16).padStart(2, '0')} ${ascii(s)}`;
  const gen = (s: string): string => `18 ${(s.length).toString(16).padStart(2, '0')} ${ascii(s)}`;
  const time = (hex: string): string => one(hex, (r) => r.time('t')).toISOString();
  test('valid times', () => {
    expect(time(utc('250101000000Z'))).toBe('2025-01-01T00:00:00.000Z');
    expect(time(utc('491231235959Z'))).toBe('2049-12-31T23:59:59.000Z');
    expect(time(utc('500101000000Z'))).toBe('1950-01-01T00:00:00.000Z');
    expect(time(utc('240229120000Z'))).toBe('2024-02-29T12:00:00.000Z');
    expect(time(gen('20550101000000Z'))).toBe('2055-01-01T00:00:00.000Z');
    expect(time(gen('00010101000000Z'))).toBe('0001-01-01T00:00:00.000Z');
  });
  const bad: [string, string][] = [
    ['UTCTime without seconds', utc('2501010000Z')],
    ['UTCTime with an offset', utc('250101000000+0100')],
    ['UTCTime without Z', utc('250101000000')],
    ['UTCTime in lowercase z', utc('250101000000z')],
    ['GeneralizedTime with fractions', gen('20250101000000.5Z')],
    ['GeneralizedTime without seconds', gen('202501010000Z')],
    ['GeneralizedTime with an offset', gen('20250101000000-0500')],
    ['February 30', utc('250230000000Z')],
    ['February 29 of 2025', utc('250229000000Z')],
    ['month 13', utc('251301000000Z')],
    ['month 0', utc('250001000000Z')],
    ['day 0', utc('250100000000Z')],
    ['hour 24', utc('250101240000Z')],
    ['minute 60', utc('250101006000Z')],
    ['leap second', utc('250101235960Z')],
  ];
  for (const [name, hex] of bad) {
    test(`refuses ${name}`, () => {
      expect(() => time(hex)).toThrow(DerError);
    });
  }
  test('a time of the wrong type', () => {
    expect(() => one('02 01 00', (r) => r.time('notBefore'))).toThrow(/notBefore: expected UTCTime or GeneralizedTime/);
  });
  test('writer picks UTCTime through 2049 and GeneralizedTime after', () => {
    const d2049 = new Date('2049-12-31T23:59:59Z');
    const d2050 = new Date('2050-01-01T00:00:00Z');
    expect(w.time(d2049)[0]).toBe(TAG.UTC_TIME);
    expect(w.time(d2050)[0]).toBe(TAG.GENERALIZED_TIME);
    expect(one(toHex(w.time(d2049)), (r) => r.time('t')).getTime()).toBe(d2049.getTime());
    expect(one(toHex(w.time(d2050)), (r) => r.time('t')).getTime()).toBe(d2050.getTime());
    expect(() => w.time(new Date('2030-01-01T00:00:00.500Z'))).toThrow(/whole seconds/);
  });
});

describe('context tags (X.690 §8.14)', () => {
  test('explicit and optional explicit', () => {
    const r = reader('a0 03 02 01 02 81 01 ff');
    expect(r.optionalExplicit(1)).toBeUndefined();
    const v = r.explicit(0, 'version');
    expect(v.smallInteger('v')).toBe(2);
    v.end('version');
    expect(r.optionalImplicit(1, true)).toBeUndefined();
    const imp = r.implicit(1, 'id');
    expect(imp.value).toEqual(fromHex('ff'));
    r.end('t');
    expect(toHex(w.explicit(0, w.integer(2)))).toBe('a003020102');
    expect(toHex(w.implicit(2, new TextEncoder().encode('a')))).toBe('820161');
  });
  test('a primitive element has no child reader', () => {
    const r = reader('80 01 00');
    expect(() => r.child(r.read())).toThrow(/not constructed/);
  });
});

describe('DER writer', () => {
  test('length octets', () => {
    expect(toHex(w.encodeLength(127))).toBe('7f');
    expect(toHex(w.encodeLength(128))).toBe('8180');
    expect(toHex(w.encodeLength(255))).toBe('81ff');
    expect(toHex(w.encodeLength(256))).toBe('820100');
    expect(toHex(w.encodeLength(65536))).toBe('83010000');
  });
  test('SET OF sorts its elements (§11.6)', () => {
    expect(toHex(w.set(w.integer(2), w.integer(1)))).toBe('3106020101020102');
  });
  test('string writers check their alphabets', () => {
    expect(() => w.printableString('a@b')).toThrow(RangeError);
    expect(() => w.ia5String('é')).toThrow(RangeError);
    expect(toHex(w.utf8String('é'))).toBe('0c02c3a9');
  });
});
