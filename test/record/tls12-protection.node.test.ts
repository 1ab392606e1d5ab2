// TLS 1.2 record protection (RFC 5246 §6.2.3.3, RFC 5288 §3, RFC 7905 §2)
// against node:crypto's AES-GCM and ChaCha20-Poly1305: the nonce
// construction, the additional data, the explicit nonce on the wire, and
// the alerts for bad records.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { Tls12Protection } from '../../src/record/tls12-protection.js';

const seqBytes = (hi: number, lo: number) => {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(hi, 0);
  b.writeUInt32BE(lo, 4);
  return b;
};
const aad = (seq: Buffer, type: number, len: number) => Buffer.concat([seq, Buffer.from([type, 3, 3, len >> 8, len & 0xff])]);

const CASES = [
  { name: 'AES-128-GCM', suite: 0x1301, node: 'aes-128-gcm', keyLength: 16, ivLength: 4, explicit: true },
  { name: 'AES-256-GCM', suite: 0x1302, node: 'aes-256-gcm', keyLength: 32, ivLength: 4, explicit: true },
  { name: 'ChaCha20-Poly1305', suite: 0x1303, node: 'chacha20-poly1305', keyLength: 32, ivLength: 12, explicit: false },
] as const;

function nodeOpen(c: (typeof CASES)[number], key: Buffer, nonce: Buffer, ct: Buffer, ad: Buffer): Buffer {
  const d = createDecipheriv(c.node, key, nonce, { authTagLength: 16 } as never) as ReturnType<typeof createDecipheriv> & { setAAD(b: Buffer, o?: object): void; setAuthTag(b: Buffer): void };
  d.setAAD(ad, { plaintextLength: ct.length - 16 });
  d.setAuthTag(ct.subarray(ct.length - 16));
  return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
}

function nodeSeal(c: (typeof CASES)[number], key: Buffer, nonce: Buffer, pt: Buffer, ad: Buffer): Buffer {
  const e = createCipheriv(c.node, key, nonce, { authTagLength: 16 } as never) as ReturnType<typeof createCipheriv> & { setAAD(b: Buffer, o?: object): void; getAuthTag(): Buffer };
  e.setAAD(ad, { plaintextLength: pt.length });
  return Buffer.concat([e.update(pt), e.final(), e.getAuthTag()]);
}

describe('TLS 1.2 record protection', () => {
  for (const c of CASES) {
    test(`${c.name}: seal matches node:crypto, nonce and AAD as the RFCs say, across the 2^32 sequence boundary`, () => {
      const key = randomBytes(c.keyLength);
      const iv = randomBytes(c.ivLength);
      const w = Tls12Protection.withSequence(new Tls12Protection(wasmProvider.aead(c.suite, key), iv, c.explicit), 0, 0xfffffffe);
      for (const [hi, lo] of [[0, 0xfffffffe], [0, 0xffffffff], [1, 0]] as const) {
        const pt = randomBytes(1 + (lo & 0xff));
        const rec = Buffer.from(w.seal(23, pt));
        expect(rec.subarray(0, 3)).toEqual(Buffer.from([23, 3, 3]));
        const body = rec.subarray(5);
        expect(rec.readUInt16BE(3)).toBe(body.length);
        const seq = seqBytes(hi, lo);
        let nonce: Buffer;
        let ct: Buffer;
        if (c.explicit) {
          // RFC 5288 §3: salt || nonce_explicit, the explicit part sent first; wasmtls sends the sequence number.
          expect(body.subarray(0, 8)).toEqual(seq);
          nonce = Buffer.concat([iv, body.subarray(0, 8)]);
          ct = body.subarray(8);
        } else {
          // RFC 7905 §2: iv XOR (0^32 || seq), nothing explicit.
          nonce = Buffer.from(iv);
          for (let i = 0; i < 8; i++) nonce[4 + i] = (nonce[4 + i] as number) ^ (seq[i] as number);
          ct = body;
        }
        expect(nodeOpen(c, key, nonce, ct, aad(seq, 23, pt.length))).toEqual(pt);
      }
    });

    test(`${c.name}: opens what node:crypto seals, taking the explicit nonce as sent`, () => {
      const key = randomBytes(c.keyLength);
      const iv = randomBytes(c.ivLength);
      const r = new Tls12Protection(wasmProvider.aead(c.suite, key), iv, c.explicit);
      for (let seq = 0; seq < 3; seq++) {
        const pt = randomBytes(100 + seq);
        const s = seqBytes(0, seq);
        const explicit = randomBytes(8);
        let nonce: Buffer;
        if (c.explicit) nonce = Buffer.concat([iv, explicit]);
        else {
          nonce = Buffer.from(iv);
          for (let i = 0; i < 8; i++) nonce[4 + i] = (nonce[4 + i] as number) ^ (s[i] as number);
        }
        const sealed = nodeSeal(c, key, nonce, pt, aad(s, 22, pt.length));
        const fragment = c.explicit ? Buffer.concat([explicit, sealed]) : sealed;
        const header = Buffer.from([22, 3, 3, fragment.length >> 8, fragment.length & 0xff]);
        const got = r.open(header, fragment);
        expect(got.type).toBe(22);
        expect(Buffer.from(got.content)).toEqual(pt);
      }
    });

    test(`${c.name}: a flipped bit, a wrong type in the header, or a short record is bad_record_mac`, () => {
      const key = randomBytes(c.keyLength);
      const iv = randomBytes(c.ivLength);
      const rec = new Tls12Protection(wasmProvider.aead(c.suite, key), iv, c.explicit).seal(23, Buffer.from('hello'));
      const open = (mut: (b: Uint8Array) => Uint8Array) => {
        const r = new Tls12Protection(wasmProvider.aead(c.suite, key), iv, c.explicit);
        const b = mut(rec.slice());
        return () => r.open(b.subarray(0, 5), b.subarray(5));
      };
      const expectAlert = (f: () => unknown, alert: string) => {
        try {
          f();
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(TlsError);
          expect((e as TlsError).alert).toBe(alert);
        }
      };
      expect(Buffer.from(open((b) => b)().content).toString()).toBe('hello');
      expectAlert(open((b) => ((b[b.length - 1] = (b[b.length - 1] as number) ^ 1), b)), 'bad_record_mac');
      expectAlert(open((b) => ((b[0] = 22), b)), 'bad_record_mac');
      // Too short for the explicit nonce and the tag (RFC 5288 §3).
      const short = c.explicit ? 8 + 15 : 15;
      expectAlert(open((b) => Uint8Array.of(23, 3, 3, 0, short, ...b.subarray(5, 5 + short))), 'bad_record_mac');
    });
  }
});
