// PEM (RFC 7468) and strict base64 (RFC 4648).
import { describe, expect, test } from 'vitest';
import { base64Decode, base64Encode, decodePem, encodePem, PemError } from '../../src/x509/pem.js';
import { seededBytes, toHex } from '../helpers/hex.js';
import { certPem, keyPem } from '../helpers/x509-fixtures.js';

describe('base64 (RFC 4648 §4)', () => {
  test('RFC 4648 §10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of vectors) {
      expect(base64Encode(new TextEncoder().encode(plain))).toBe(b64);
      expect(new TextDecoder().decode(base64Decode(b64))).toBe(plain);
    }
  });
  test('round trip of every length up to 100', () => {
    for (let n = 0; n <= 100; n++) {
      const data = seededBytes(n + 1, n);
      expect(toHex(base64Decode(base64Encode(data)))).toBe(toHex(data));
    }
  });
  const bad: [string, string, RegExp][] = [
    ['missing padding', 'Zg', /not a multiple of 4/],
    ['padding in the middle', 'Zg==Zm9v', /invalid base64 character "="/],
    ['three padding characters', 'Z===', /invalid base64 character "="/],
    ['non-zero padding bits (one =)', 'Zm9=', /non-canonical/],
    ['non-zero padding bits (two =)', 'Zh==', /non-canonical/],
    ['URL-safe alphabet', 'Zm-_', /invalid base64 character "-"/],
    ['whitespace', 'Zm9 v', /not a multiple of 4|invalid base64 character/],
    ['non-ASCII', 'Zm9é', /invalid base64 character/],
  ];
  for (const [name, text, re] of bad) {
    test(`refuses ${name}`, () => {
      expect(() => base64Decode(text)).toThrow(PemError);
      expect(() => base64Decode(text)).toThrow(re);
    });
  }
});

describe('PEM (RFC 7468)', () => {
  const der = seededBytes(7, 200);
  test('encode writes 64-column lines and decodes back', () => {
    const pem = encodePem('CERTIFICATE', der);
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines[lines.length - 1]).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -1).every((l, i, a) => l.length === 64 || i === a.length - 1)).toBe(true);
    expect(pem.endsWith('\n')).toBe(true);
    const [block] = decodePem(pem);
    expect(block?.label).toBe('CERTIFICATE');
    expect(toHex(block?.der as Uint8Array)).toBe(toHex(der));
  });
  test('several blocks, labels and explanatory text in between (§5.2)', () => {
    const text = `Subject: CN=x\n${encodePem('CERTIFICATE', der)}junk between\n${encodePem('EC PRIVATE KEY', der.subarray(0, 10))}trailer`;
    const blocks = decodePem(text);
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'EC PRIVATE KEY']);
    expect(blocks[1]?.der.length).toBe(10);
  });
  test('CRLF line ends, trailing blanks and other line widths', () => {
    const b64 = base64Encode(der);
    const text = `-----BEGIN X-----  \r\n${b64.slice(0, 76)}\r\n ${b64.slice(76)} \r\n-----END X-----\r\n`;
    expect(toHex(decodePem(text)[0]?.der as Uint8Array)).toBe(toHex(der));
  });
  test('the fixtures decode: bundle of 11, keys', () => {
    expect(decodePem(certPem('chain-long')).length).toBe(11);
    expect(decodePem(keyPem('int-p256', 'sec1'))[0]?.label).toBe('EC PRIVATE KEY');
    expect(decodePem(keyPem('int-rsa', 'pkcs1'))[0]?.label).toBe('RSA PRIVATE KEY');
    expect(decodePem(keyPem('int-rsa', 'pkcs8'))[0]?.label).toBe('PRIVATE KEY');
    expect(decodePem(keyPem('int-rsa', 'spki'))[0]?.label).toBe('PUBLIC KEY');
  });
  const body = base64Encode(der);
  const bad: [string, string, RegExp][] = [
    ['no block', 'hello', /no "-----BEGIN/],
    ['missing END', `-----BEGIN X-----\n${body}\n`, /has no END line/],
    ['mismatched END', `-----BEGIN X-----\n${body}\n-----END Y-----\n`, /BEGIN X closed by END Y/],
    ['empty block', '-----BEGIN X-----\n-----END X-----\n', /empty X block/],
    ['bad base64', `-----BEGIN X-----\n${body}!\n-----END X-----\n`, /not a multiple of 4|invalid base64/],
    ['nested BEGIN', `-----BEGIN X-----\n-----BEGIN Y-----\n${body}\n-----END X-----\n`, /unexpected "-----BEGIN Y-----"/],
    ['RFC 1421 headers', `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\n${body}\n-----END RSA PRIVATE KEY-----\n`, /RFC 1421 headers/],
    ['label with a leading hyphen', `-----BEGIN -X-----\n${body}\n-----END -X-----\n`, /invalid label/],
    ['label with two spaces', `-----BEGIN A  B-----\n${body}\n-----END A  B-----\n`, /invalid label/],
  ];
  for (const [name, text, re] of bad) {
    test(`refuses ${name}`, () => {
      expect(() => decodePem(text)).toThrow(PemError);
      expect(() => decodePem(text)).toThrow(re);
    });
  }
  test('encode checks its arguments', () => {
    expect(() => encodePem('', der)).toThrow(RangeError);
    expect(() => encodePem('X', 'abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
