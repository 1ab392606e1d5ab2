// Handshake messages across records, several per record, and the size cap (RFC 8446 §5.1).
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { HandshakeReassembler } from '../../src/record/index.js';
import { decodeHandshake } from '../../src/wire/index.js';
import { fromHex, seededBytes, toHex } from '../helpers/hex.js';
import { concat, parseVec, vecBytes } from '../helpers/vec.js';
import raw from '../vectors/rfc8448/transcripts.vec?raw';

const vec = parseVec(raw);
const S = 'Simple_1RTT_Handshake';
/** The server's encrypted flight, as plaintext: EE, Certificate, CertificateVerify, Finished. */
const flight = ['Message_EncryptedExtensions', 'Message_Server_Certificate', 'Message_Server_CertificateVerify', 'Message_Server_Finished'].map((k) =>
  vecBytes(vec, S, k),
);
const stream = concat(...flight);

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlsError) return `${e.alert}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

describe('HandshakeReassembler', () => {
  for (const size of [1, 2, 3, 4, 5, 7, 64, 300, 16384]) {
    test(`the server flight in records of ${size} byte(s)`, () => {
      const hs = new HandshakeReassembler();
      const got: string[] = [];
      for (let off = 0; off < stream.length; off += size) {
        hs.push(stream.subarray(off, off + size));
        for (let m = hs.next(); m; m = hs.next()) {
          got.push(toHex(m.raw));
          expect(m.body.length).toBe(m.raw.length - 4);
          decodeHandshake(m, { hashLength: 32 });
        }
      }
      expect(got).toEqual(flight.map(toHex));
      expect(hs.hasPendingData).toBe(false);
    });
  }

  test('several messages in one record are all delivered', () => {
    const hs = new HandshakeReassembler();
    hs.push(stream);
    expect(hs.next()?.msgType).toBe(8);
    expect(hs.next()?.msgType).toBe(11);
    expect(hs.next()?.msgType).toBe(15);
    expect(hs.next()?.msgType).toBe(20);
    expect(hs.next()).toBeUndefined();
  });

  test('a 0xFFFFFF length is refused from the 4-byte header, without buffering its body', () => {
    const hs = new HandshakeReassembler();
    hs.push(concat(flight[0] as Uint8Array, fromHex('0bffffff')));
    // The message before the bad header is still delivered.
    expect(hs.next()?.msgType).toBe(8);
    const msg = 'decode_error: Handshake: certificate of 16777215 bytes exceeds the 65536-byte limit (ReassemblerOptions.maxMessageLength)';
    expect(failure(() => hs.next())).toBe(msg);
    hs.push(new Uint8Array(100_000));
    expect(hs.bufferedBytes).toBe(0);
    expect(failure(() => hs.next())).toBe(msg);
  });

  test('the cap is configurable and exact', () => {
    const atCap = new HandshakeReassembler({ maxMessageLength: 100 });
    atCap.push(concat(fromHex('08000064'), new Uint8Array(100)));
    expect(atCap.next()?.body.length).toBe(100);
    const over = new HandshakeReassembler({ maxMessageLength: 100 });
    over.push(fromHex('08000065'));
    expect(failure(() => over.next())).toMatch(/^decode_error: Handshake: encrypted_extensions of 101 bytes exceeds the 100-byte limit/);
    expect(() => new HandshakeReassembler({ maxMessageLength: 0x1000000 })).toThrow(RangeError);
  });

  test('assertAtBoundary: a message must not span a key change', () => {
    const hs = new HandshakeReassembler();
    hs.assertAtBoundary('a key change');
    hs.push(stream.subarray(0, 10));
    expect(hs.hasPendingData).toBe(true);
    expect(failure(() => hs.assertAtBoundary('a key change'))).toBe(
      'unexpected_message: Handshake: 10 handshake byte(s) still buffered at a key change; a handshake message must not span it (RFC 8446 §5.1)',
    );
    // A complete message not yet taken also counts: it arrived under the old keys.
    hs.push(stream.subarray(10, (flight[0] as Uint8Array).length));
    expect(failure(() => hs.assertAtBoundary('a key change'))).toMatch(/^unexpected_message/);
    hs.next();
    expect(hs.hasPendingData).toBe(false);
    hs.assertAtBoundary('a key change');
  });

  test('a partial header is pending data too', () => {
    const hs = new HandshakeReassembler();
    hs.push(fromHex('0800'));
    expect(hs.hasPendingData).toBe(true);
    expect(hs.next()).toBeUndefined();
    hs.clear();
    expect(hs.hasPendingData).toBe(false);
  });

  test('a zero-length body is a complete message', () => {
    const hs = new HandshakeReassembler();
    hs.push(fromHex('05000000'));
    expect(hs.next()?.msgType).toBe(5);
  });
});

describe('garbage in', () => {
  test('random bytes through reassembler and decoder raise only TlsError', () => {
    let messages = 0;
    let errors = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const junk = seededBytes(seed, 600);
      // Small lengths so that some headers are satisfiable.
      junk[1] = 0;
      junk[2] = 0;
      const hs = new HandshakeReassembler({ maxMessageLength: 4096 });
      hs.push(junk);
      try {
        for (let m = hs.next(); m; m = hs.next()) {
          messages++;
          try {
            decodeHandshake(m, { hashLength: 32 });
          } catch (e) {
            if (!(e instanceof TlsError)) throw e;
            errors++;
          }
        }
      } catch (e) {
        if (!(e instanceof TlsError)) throw e;
        errors++;
      }
    }
    expect(messages).toBeGreaterThan(100);
    expect(errors).toBeGreaterThan(100);
  });
});
