// SHA3-256, SHA3-512, SHAKE128 and SHAKE256 against node:crypto (OpenSSL) on
// every length across two blocks of each rate, inputs fed to the core in
// IO-sized chunks, plus the FIPS 202 example values for the empty message and
// 'abc'.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { sha3_256, sha3_512, shake128, shake256 } from '../src/crypto.js';
import { seededBytes, toHex, utf8 } from './helpers/hex.js';

function node(name: string, data: Uint8Array, outputLength?: number): string {
  return createHash(name, outputLength === undefined ? undefined : { outputLength }).update(data).digest('hex');
}

describe('SHA-3 and SHAKE', () => {
  test('NIST example values (empty and abc)', () => {
    expect(toHex(sha3_256(new Uint8Array(0)))).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
    expect(toHex(sha3_256(utf8('abc')))).toBe('3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
    expect(toHex(sha3_512(utf8('abc')))).toBe(
      'b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0',
    );
    expect(toHex(shake128(new Uint8Array(0), 32))).toBe('7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26');
    expect(toHex(shake256(new Uint8Array(0), 32))).toBe('46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f');
  });

  test('every length 0..400 matches node:crypto', () => {
    for (let len = 0; len <= 400; len++) {
      const m = seededBytes(len + 1, len);
      expect(toHex(sha3_256(m)), `sha3-256 len ${len}`).toBe(node('sha3-256', m));
      expect(toHex(sha3_512(m)), `sha3-512 len ${len}`).toBe(node('sha3-512', m));
      expect(toHex(shake128(m, 200)), `shake128 len ${len}`).toBe(node('shake128', m, 200));
      expect(toHex(shake256(m, 137)), `shake256 len ${len}`).toBe(node('shake256', m, 137));
    }
  });

  test('long outputs and inputs larger than the IO buffer', () => {
    const m = seededBytes(7, 200_000);
    expect(toHex(sha3_256(m))).toBe(node('sha3-256', m));
    expect(toHex(shake128(m, 65536))).toBe(node('shake128', m, 65536));
    expect(toHex(shake256(m.subarray(0, 5), 1000))).toBe(node('shake256', m.subarray(0, 5), 1000));
  });

  test('parameter-named errors', () => {
    expect(() => sha3_256('abc' as unknown as Uint8Array)).toThrow(/data must be a Uint8Array/);
    expect(() => shake128(new Uint8Array(1), 0)).toThrow(/outputLength must be between 1 and 65536/);
  });
});
