// Reader and Writer edge cases: truncation, trailing bytes, vector bounds, prefix overflow.
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { Reader, Writer } from '../../src/wire/index.js';
import { fromHex, toHex } from '../helpers/hex.js';

function alertOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlsError) return `${e.alert}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('Reader', () => {
  test('integers are big-endian, u32 stays positive', () => {
    const r = new Reader(fromHex('01 0203 040506 fffffffe'.replace(/ /g, '')), 'T');
    expect(r.u8('a')).toBe(1);
    expect(r.u16('b')).toBe(0x0203);
    expect(r.u24('c')).toBe(0x040506);
    expect(r.u32('d')).toBe(0xfffffffe);
    expect(r.isEmpty).toBe(true);
    r.end();
  });

  test('every integer read is bounds-checked', () => {
    expect(alertOf(() => new Reader(new Uint8Array(0), 'T').u8('x'))).toBe('decode_error: T: truncated x: needs 1 byte(s), 0 left');
    expect(alertOf(() => new Reader(new Uint8Array(1), 'T').u16('x'))).toMatch(/^decode_error: T: truncated x: needs 2/);
    expect(alertOf(() => new Reader(new Uint8Array(2), 'T').u24('x'))).toMatch(/^decode_error: T: truncated x: needs 3/);
    expect(alertOf(() => new Reader(new Uint8Array(3), 'T').u32('x'))).toMatch(/^decode_error: T: truncated x: needs 4/);
    expect(alertOf(() => new Reader(new Uint8Array(31), 'T').bytes(32, 'random'))).toBe('decode_error: T: truncated random: needs 32 byte(s), 31 left');
  });

  test('end() rejects trailing bytes', () => {
    const r = new Reader(fromHex('000102'), 'ClientHello');
    r.u8('a');
    expect(alertOf(() => r.end())).toBe('decode_error: ClientHello: 2 unexpected trailing byte(s) after the last field');
  });

  test('a vector longer than what is left is truncated', () => {
    expect(alertOf(() => new Reader(fromHex('0005aabbcc'), 'T').vec16('v', 0, 0xffff))).toBe('decode_error: T: truncated v: declares 5 byte(s), 3 left');
    expect(alertOf(() => new Reader(fromHex('00'), 'T').vec16('v', 0, 0xffff))).toBe('decode_error: T: truncated v length: needs 2 byte(s), 1 left');
    expect(alertOf(() => new Reader(fromHex('0000'), 'T').vec24('v', 0, 0xffffff))).toMatch(/truncated v length: needs 3/);
  });

  test('vector bounds are checked before the contents are touched', () => {
    // 33 declared, 0 present: the ceiling is reported, not the truncation.
    expect(alertOf(() => new Reader(fromHex('21'), 'ClientHello').opaque8('legacy_session_id', 0, 32))).toBe(
      'decode_error: ClientHello: legacy_session_id of 33 bytes exceeds 32',
    );
    expect(alertOf(() => new Reader(fromHex('0000'), 'ClientHello').vec16('cipher_suites', 2, 0xfffe))).toBe(
      'decode_error: ClientHello: cipher_suites of 0 bytes is below the minimum 2',
    );
    expect(alertOf(() => new Reader(fromHex('ffffff'), 'T').vec24('certificate_list', 0, 0xffff))).toBe('decode_error: T: certificate_list of 16777215 bytes exceeds 65535');
  });

  test('sub-readers are confined to their vector and name their path', () => {
    const r = new Reader(fromHex('0002aabbcc'), 'M');
    const sub = r.vec16('list', 0, 10);
    expect(sub.context).toBe('M.list');
    expect(sub.u16('x')).toBe(0xaabb);
    expect(alertOf(() => sub.u8('y'))).toBe('decode_error: M.list: truncated y: needs 1 byte(s), 0 left');
    expect(r.u8('z')).toBe(0xcc);
  });

  test('u16 lists reject odd lengths', () => {
    expect(alertOf(() => new Reader(fromHex('0003130113'), 'ClientHello').u16List(2, 'cipher_suites', 2, 0xfffe))).toBe(
      'decode_error: ClientHello: cipher_suites has an odd length (3 bytes) for a list of uint16',
    );
    expect(new Reader(fromHex('04 0304 0303'.replace(/ /g, '')), 'T').u16List(1, 'versions', 2, 254)).toEqual([0x0304, 0x0303]);
  });

  test('bytes() copies: the decoded value does not alias the input', () => {
    const input = fromHex('aabb');
    const out = new Reader(input, 'T').bytes(2, 'x');
    input[0] = 0;
    expect(toHex(out)).toBe('aabb');
  });

  test('the observer sees absolute byte ranges', () => {
    const seen: string[] = [];
    const r = new Reader(fromHex('0002aabb01'), 'M', (label, start, end) => seen.push(`${label}@${start}-${end}`));
    r.vec16('list', 0, 10).u16('x');
    r.u8('y');
    expect(seen).toEqual(['M.list length@0-2', 'M.list@0-4', 'M.list.x@2-4', 'M.y@4-5']);
  });
});

describe('Writer', () => {
  test('writes integers and patches vector prefixes after the body', () => {
    const w = new Writer('T', undefined, 16);
    w.u8(1, 'a');
    w.u16(0x0203, 'b');
    w.u24(0x040506, 'c');
    w.u32(0xfffffffe, 'd');
    w.vec16('v', 0, 0xffff, () => {
      w.opaque8('inner', fromHex('aabbcc'), 1, 255);
      w.vec24('empty', 0, 10, () => {});
    });
    expect(toHex(w.finish())).toBe('01' + '0203' + '040506' + 'fffffffe' + '0007' + '03aabbcc' + '000000');
  });

  test('grows past its initial capacity', () => {
    const w = new Writer('T', undefined, 16);
    const big = new Uint8Array(70000).fill(7);
    w.opaque24('big', big, 0, 0xffffff);
    const out = w.finish();
    expect(out.length).toBe(70003);
    expect(toHex(out.subarray(0, 4))).toBe('01117007');
  });

  test('a body that does not fit its prefix is refused', () => {
    const w = new Writer('ClientHello');
    expect(alertOf(() => w.opaque8('x', new Uint8Array(256), 0, 0xffff))).toBe('internal_error: ClientHello: x of 256 bytes does not fit a 1-byte length');
    expect(alertOf(() => w.opaque16('y', new Uint8Array(0x10000), 0, 0xffffff))).toBe('internal_error: ClientHello: y of 65536 bytes does not fit a 2-byte length');
  });

  test('declared bounds are enforced on the way out too', () => {
    const w = new Writer('ClientHello');
    expect(alertOf(() => w.opaque8('legacy_session_id', new Uint8Array(33), 0, 32))).toBe('internal_error: ClientHello: legacy_session_id of 33 bytes exceeds 32');
    expect(alertOf(() => w.u16List(2, 'cipher_suites', [], 2, 0xfffe))).toBe('internal_error: ClientHello: cipher_suites of 0 bytes is below the minimum 2');
    expect(alertOf(() => w.fixed(new Uint8Array(31), 32, 'random'))).toBe('internal_error: ClientHello: random must be 32 bytes, got 31');
  });

  test('integers out of range are refused, not truncated', () => {
    const w = new Writer('T');
    expect(alertOf(() => w.u8(256, 'a'))).toBe('internal_error: T: a must be an integer in 0..255, got 256');
    expect(alertOf(() => w.u16(-1, 'b'))).toMatch(/b must be an integer in 0..65535, got -1/);
    expect(alertOf(() => w.u24(0x1000000, 'c'))).toMatch(/c must be an integer in 0..16777215/);
    expect(alertOf(() => w.u32(1.5, 'd'))).toMatch(/d must be an integer in 0..4294967295, got 1.5/);
    expect(w.length).toBe(0);
  });

  test('the observer sees each field and each vector once its length is patched', () => {
    const seen: string[] = [];
    const w = new Writer('M', (label, start, end) => seen.push(`${label}@${start}-${end}`));
    w.u8(1, 'a');
    w.vec16('v', 0, 10, () => w.u16(2, 'b'));
    expect(seen).toEqual(['M.a@0-1', 'M.b@3-5', 'M.v@1-5']);
  });

  test('Reader reads back what Writer wrote', () => {
    const w = new Writer('T');
    w.u16List(1, 'versions', [0x0304, 0x0303], 2, 254);
    w.u8List('modes', [1], 1, 255);
    const r = new Reader(w.finish(), 'T');
    expect(r.u16List(1, 'versions', 2, 254)).toEqual([0x0304, 0x0303]);
    expect(r.u8List('modes', 1, 255)).toEqual([1]);
    r.end();
  });
});
