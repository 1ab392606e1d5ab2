// Record deframing over arbitrary fragmentation, and its limits (RFC 8446 §5.1, §5.2).
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { frameRecords, RecordDeframer, type TlsRecord } from '../../src/record/index.js';
import { ContentType } from '../../src/wire/index.js';
import { fromHex, seededBytes, toHex, utf8 } from '../helpers/hex.js';
import { concat, parseVec, splitRecords, vecBytes } from '../helpers/vec.js';
import raw from '../vectors/rfc8448/transcripts.vec?raw';

const vec = parseVec(raw);

/** Every record of every section, in file order: 0x0301 ClientHellos and 0x0303 rest. */
function allRecordBytes(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const [, section] of vec) {
    for (const [key, value] of section) if (key.startsWith('Record_')) out.push(fromHex(value.replace(/\s+/g, '').toLowerCase()));
  }
  return out;
}

function drain(d: RecordDeframer): TlsRecord[] {
  const out: TlsRecord[] = [];
  for (let r = d.next(); r; r = d.next()) out.push(r);
  return out;
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlsError) return `${e.alert}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

function hdr(type: number, version: number, length: number): Uint8Array {
  return Uint8Array.of(type, version >> 8, version & 0xff, length >> 8, length & 0xff);
}

/** Every record of the traces back to back, both directions (the deframer does not care). */
const stream = concat(...allRecordBytes());
const expected = splitRecords(stream).map((r) => `${r.type}/${r.version.toString(16)}/${toHex(r.fragment)}`);

function deframe(pushes: Uint8Array[]): string[] {
  const d = new RecordDeframer();
  const got: string[] = [];
  for (const p of pushes) {
    d.push(p);
    for (const r of drain(d)) {
      expect(toHex(r.header)).toBe(toHex(hdr(r.type, r.version, r.fragment.length)));
      got.push(`${r.type}/${r.version.toString(16)}/${toHex(r.fragment)}`);
    }
  }
  expect(d.bufferedBytes).toBe(0);
  return got;
}

describe('RecordDeframer: fragmentation', () => {
  test(`all ${expected.length} records of the RFC 8448 traces in one chunk`, () => {
    expect(expected.length).toBe(55);
    expect(deframe([stream])).toEqual(expected);
  });

  test('one byte at a time', () => {
    const pushes: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i++) pushes.push(stream.subarray(i, i + 1));
    expect(deframe(pushes)).toEqual(expected);
  });

  test('random chunk sizes (seeded)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const sizes = seededBytes(seed, 4000);
      const pushes: Uint8Array[] = [];
      for (let off = 0, i = 0; off < stream.length; i++) {
        const n = 1 + (((sizes[i % sizes.length] as number) * 7) % 600);
        pushes.push(stream.subarray(off, off + n));
        off += n;
      }
      expect(deframe(pushes)).toEqual(expected);
    }
  });

  test('middlebox compatibility: a change_cipher_spec record then a protected one', () => {
    const d = new RecordDeframer();
    d.push(vecBytes(vec, 'Middlebox_Compatibility_Mode', 'Record_ServerHandshakeMessages'));
    const recs = drain(d);
    expect(recs.map((r) => [r.type, r.fragment.length])).toEqual([
      [ContentType.change_cipher_spec, 1],
      [ContentType.application_data, 0x2a2],
    ]);
    expect(recs[0]?.fragment[0]).toBe(1);
  });

  test('returned records do not alias the pushed chunk', () => {
    const d = new RecordDeframer();
    const chunk = concat(hdr(23, 0x0303, 2), fromHex('abcd'));
    d.push(chunk);
    chunk.fill(0);
    expect(toHex(d.next()?.fragment ?? new Uint8Array())).toBe('abcd');
  });

  test('zero-length application_data records pass (§5.1 allows them)', () => {
    const d = new RecordDeframer();
    d.push(concat(hdr(23, 0x0303, 0), hdr(23, 0x0303, 1), fromHex('07')));
    expect(drain(d).map((r) => r.fragment.length)).toEqual([0, 1]);
  });

  test('frameRecords splits at 2^14 and deframes back', () => {
    const data = seededBytes(9, 40000);
    const d = new RecordDeframer();
    d.push(frameRecords(ContentType.handshake, data));
    const recs = drain(d);
    expect(recs.map((r) => r.fragment.length)).toEqual([16384, 16384, 7232]);
    expect(toHex(concat(...recs.map((r) => r.fragment)))).toBe(toHex(data));
    expect(frameRecords(ContentType.handshake, new Uint8Array(0)).length).toBe(0);
  });
});

describe('RecordDeframer: limits', () => {
  test('ciphertext of 2^14 + 256 passes, 2^14 + 257 is record_overflow before the body is buffered', () => {
    const ok = new RecordDeframer();
    ok.push(concat(hdr(23, 0x0303, 16640), new Uint8Array(16640)));
    expect(ok.next()?.fragment.length).toBe(16640);

    const d = new RecordDeframer();
    d.push(concat(hdr(23, 0x0303, 3), fromHex('010203'), hdr(23, 0x0303, 16641)));
    d.push(new Uint8Array(16641));
    // Nothing of the oversized body was kept: only the earlier record.
    expect(d.bufferedBytes).toBe(8);
    expect(d.next()?.fragment.length).toBe(3);
    const msg = 'record_overflow: Record: application_data record of 16641 bytes exceeds 2^14 + 256 = 16640 (RFC 8446 §5.2)';
    expect(failure(() => d.next())).toBe(msg);
    // The deframer stays failed.
    d.push(concat(hdr(23, 0x0303, 1), fromHex('00')));
    expect(failure(() => d.next())).toBe(msg);
    expect(d.bufferedBytes).toBe(0);
  });

  test('the limit is known from the header alone', () => {
    const d = new RecordDeframer();
    d.push(hdr(23, 0x0303, 0xffff));
    expect(failure(() => d.next())).toMatch(/^record_overflow: .*65535 bytes/);
  });

  test('plaintext types are limited to 2^14', () => {
    for (const type of [ContentType.handshake, ContentType.alert, ContentType.change_cipher_spec]) {
      const ok = new RecordDeframer();
      ok.push(hdr(type, 0x0303, 16384));
      expect(ok.next()).toBeUndefined();
      const d = new RecordDeframer();
      d.push(hdr(type, 0x0303, 16385));
      expect(failure(() => d.next())).toMatch(/^record_overflow: Record: \w+ record of 16385 bytes exceeds 2\^14 = 16384/);
    }
  });

  test('unknown content types are unexpected_message', () => {
    const d = new RecordDeframer();
    d.push(hdr(24, 0x0303, 3)); // heartbeat (RFC 6520): not a TLS 1.3 content type
    expect(failure(() => d.next())).toBe('unexpected_message: Record: unknown content type 24 (RFC 8446 §5)');
    const http = new RecordDeframer();
    http.push(utf8('GET / HTTP/1.1\r\n'));
    expect(failure(() => http.next())).toBe(
      'unexpected_message: Record: unknown content type 71 (RFC 8446 §5); the peer sent text ("GET /"), not a TLS record: it speaks a plain-text protocol such as HTTP on this port (for a plain-text server use http://, else check the port)',
    );
    const sslv2 = new RecordDeframer();
    sslv2.push(fromHex('802b0100020012'));
    expect(failure(() => sslv2.next())).toMatch(/unknown content type 128 .*SSL 2\.0 ClientHello/);
    const zero = new RecordDeframer();
    zero.push(hdr(0, 0x0303, 1));
    expect(failure(() => zero.next())).toMatch(/unknown content type 0/);
  });

  test('empty handshake and alert records are decode_error', () => {
    for (const type of [ContentType.handshake, ContentType.alert]) {
      const d = new RecordDeframer();
      d.push(hdr(type, 0x0303, 0));
      expect(failure(() => d.next())).toMatch(/^decode_error: Record: empty (handshake|alert) record/);
    }
  });

  test('legacy_record_version is returned and never checked (RFC 8446 §5.1, Appendix D.2)', () => {
    const versions = [0x0303, 0x0301, 0x0300, 0x0302, 0x0304, 0x0203, 0x0000, 0xffff];
    const d = new RecordDeframer();
    d.push(concat(...versions.map((v, i) => concat(hdr(22, v, 1), Uint8Array.of(i)))));
    for (const v of versions) expect(d.next()?.version).toBe(v);
    expect(d.next()).toBeUndefined();
  });
});

describe('garbage in', () => {
  test('random bytes raise only TlsError, in any chunking', () => {
    const alerts = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const junk = seededBytes(seed, 3000);
      junk[0] = 20 + (seed % 5); // mostly valid types, so the length checks run too
      const d = new RecordDeframer();
      try {
        for (let off = 0; off < junk.length; off += 1 + (seed % 97)) {
          d.push(junk.subarray(off, off + 1 + (seed % 97)));
          drain(d);
        }
      } catch (e) {
        if (!(e instanceof TlsError)) throw e;
        alerts.add(e.alert);
      }
    }
    expect([...alerts].sort()).toEqual(['record_overflow', 'unexpected_message']);
  });
});
