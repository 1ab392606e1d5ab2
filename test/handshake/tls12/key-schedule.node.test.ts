// The TLS 1.2 PRF and key schedule (RFC 5246 §5, §6.3, §7.4.9, §8.1; RFC
// 7627 §4; RFC 5705 §4) against two independent references: OpenSSL's
// TLS1-PRF KDF (`openssl kdf`, a named peer) and a node:crypto HMAC
// implementation of P_hash written here from RFC 5246 §5.
import { createHmac, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { extendedMasterSecret, legacyMasterSecret, prf } from '../../../src/handshake/tls12/key-schedule.js';
import type { TlsHash } from '../../../src/keyschedule.js';
import { SHA256, SHA384 } from '../../../src/provider-wasm.js';

const enc = new TextEncoder();
const cat = (...p: Uint8Array[]) => new Uint8Array(Buffer.concat(p));

/** RFC 5246 §5 with node:crypto's HMAC. */
function referencePrf(hash: 'sha256' | 'sha384', secret: Uint8Array, label: string, seed: Uint8Array, n: number): Uint8Array {
  const ls = cat(enc.encode(label), seed);
  const out: Buffer[] = [];
  let a: Buffer = Buffer.from(ls);
  let have = 0;
  while (have < n) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(ls).digest();
    out.push(block);
    have += block.length;
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, n));
}

function opensslPrf(hash: 'sha256' | 'sha384', secret: Uint8Array, labelSeed: Uint8Array, n: number): Uint8Array {
  const hex = execFileSync('openssl', [
    'kdf', '-keylen', String(n), '-kdfopt', `digest:${hash.toUpperCase()}`, '-kdfopt', `hexsecret:${Buffer.from(secret).toString('hex')}`,
    '-kdfopt', `hexseed:${Buffer.from(labelSeed).toString('hex')}`, 'TLS1-PRF',
  ], { encoding: 'utf8' });
  return new Uint8Array(Buffer.from(hex.trim().replace(/:/g, ''), 'hex'));
}

const HASHES: [TlsHash, 'sha256' | 'sha384'][] = [
  [SHA256, 'sha256'],
  [SHA384, 'sha384'],
];

describe('TLS 1.2 PRF', () => {
  for (const [h, name] of HASHES) {
    test(`${name}: equals OpenSSL's TLS1-PRF on random inputs`, () => {
      for (const n of [12, 48, 104, 200]) {
        const secret = randomBytes(48);
        const seed = randomBytes(64);
        expect(Buffer.from(prf(h, secret, 'key expansion', seed, n)).toString('hex')).toBe(
          Buffer.from(opensslPrf(name, secret, cat(enc.encode('key expansion'), seed), n)).toString('hex'),
        );
      }
    });
    test(`${name}: equals the node:crypto reference for every length 0..300`, () => {
      const secret = randomBytes(32);
      const seed = randomBytes(40);
      const ref = referencePrf(name, secret, 'test label', seed, 300);
      for (let n = 0; n <= 300; n++) expect(prf(h, secret, 'test label', seed, n)).toEqual(ref.subarray(0, n));
    });
  }

  test('the master secrets use the RFC labels and seeds, and wipe the premaster secret', () => {
    const pms = randomBytes(32);
    const cr = randomBytes(32);
    const sr = randomBytes(32);
    const sessionHash = randomBytes(32);
    const emsPms = new Uint8Array(pms);
    const ems = extendedMasterSecret(SHA256, emsPms, sessionHash);
    expect(emsPms.every((b) => b === 0)).toBe(true);
    expect(ems.exportSecret()).toEqual(referencePrf('sha256', pms, 'extended master secret', sessionHash, 48));
    const legacy = legacyMasterSecret(SHA256, new Uint8Array(pms), cr, sr);
    const ms = referencePrf('sha256', pms, 'master secret', cat(cr, sr), 48);
    expect(legacy.exportSecret()).toEqual(ms);
    // key_block: server_random first (RFC 5246 §6.3); client key, server key, client IV, server IV.
    const kb = referencePrf('sha256', ms, 'key expansion', cat(sr, cr), 2 * (16 + 4));
    const keys = legacy.keyBlock(cr, sr, 16, 4);
    expect(keys.client.key).toEqual(kb.subarray(0, 16));
    expect(keys.server.key).toEqual(kb.subarray(16, 32));
    expect(keys.client.iv).toEqual(kb.subarray(32, 36));
    expect(keys.server.iv).toEqual(kb.subarray(36, 40));
    const th = randomBytes(32);
    expect(legacy.verifyData('client', th)).toEqual(referencePrf('sha256', ms, 'client finished', th, 12));
    expect(legacy.verifyData('server', th)).toEqual(referencePrf('sha256', ms, 'server finished', th, 12));
    // RFC 5705 §4: no context, and a context with its 2-byte length.
    expect(legacy.export('EXPERIMENTAL x', cr, sr, undefined, 20)).toEqual(referencePrf('sha256', ms, 'EXPERIMENTAL x', cat(cr, sr), 20));
    const ctx = enc.encode('ctx');
    expect(legacy.export('EXPERIMENTAL x', cr, sr, ctx, 20)).toEqual(referencePrf('sha256', ms, 'EXPERIMENTAL x', cat(cr, sr, Uint8Array.of(0, 3), ctx), 20));
    expect(() => legacy.export('key expansion', cr, sr, undefined, 20)).toThrow(/reserved/);
    legacy.wipe();
    expect(() => legacy.verifyData('client', th)).toThrow(/after wipe/);
  });
});
