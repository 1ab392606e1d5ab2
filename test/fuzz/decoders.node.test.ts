// Fuzzing every decoder with fast-check (issue 6): the record deframer,
// TLSInnerPlaintext, the handshake reassembler, each handshake message
// decoder, each extension decoder, the DER reader, PEM, the certificate
// parser and the private-key parser. Inputs are mutations of real bytes (the
// wasmtls and openssl handshakes of test/helpers/fuzz.ts, the X.509 fixtures)
// and random bytes. Properties: the decoder returns or throws its documented
// error type, nothing else; no call takes a second; what the wire codec
// decodes, it re-encodes byte for byte.
//
// Node only: the code is platform-independent TypeScript and the time budget
// of `npm test` on a 2-core machine is better spent on more runs here.
// `npm run fuzz` multiplies every run count by 50 (FUZZ_SCALE, see helpers/fuzz.ts).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { HandshakeReassembler } from '../../src/record/handshake-reassembler.js';
import { RecordDeframer } from '../../src/record/deframer.js';
import { decodeInnerPlaintext } from '../../src/record/inner-plaintext.js';
import { readAlpnClientHello, readAlpnEncryptedExtensions } from '../../src/wire/extensions/alpn.js';
import { readCertificateAuthorities } from '../../src/wire/extensions/certificate-authorities.js';
import { readCookie } from '../../src/wire/extensions/cookie.js';
import { readEarlyDataIndication, readEarlyDataTicket } from '../../src/wire/extensions/early-data.js';
import { readKeyShareClientHello, readKeyShareHelloRetryRequest, readKeyShareServerHello } from '../../src/wire/extensions/key-share.js';
import { readPostHandshakeAuth } from '../../src/wire/extensions/post-handshake-auth.js';
import { readPreSharedKeyClientHello, readPreSharedKeyServerHello } from '../../src/wire/extensions/pre-shared-key.js';
import { readPskKeyExchangeModes } from '../../src/wire/extensions/psk-key-exchange-modes.js';
import { readRecordSizeLimit } from '../../src/wire/extensions/record-size-limit.js';
import { readServerNameAck, readServerNameClientHello } from '../../src/wire/extensions/server-name.js';
import { readSignatureAlgorithms, readSignatureAlgorithmsCert } from '../../src/wire/extensions/signature-algorithms.js';
import { readSupportedGroups } from '../../src/wire/extensions/supported-groups.js';
import { readSupportedVersionsClientHello, readSupportedVersionsServerHello } from '../../src/wire/extensions/supported-versions.js';
import { type ExtensionContext, readExtensions } from '../../src/wire/extensions/index.js';
import { decodeHandshake, encodeHandshake, parseHandshakeFrame } from '../../src/wire/handshake.js';
import { Reader } from '../../src/wire/reader.js';
import { parseCertificate, parseCertificatesPem, parseSubjectPublicKeyInfo } from '../../src/x509/certificate.js';
import {
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeOid,
  decodeString,
  decodeTime,
  DerError,
  type DerElement,
  DerReader,
  TAG,
} from '../../src/x509/der.js';
import { parsePrivateKey } from '../../src/x509/keys.js';
import { decodePem, PemError } from '../../src/x509/pem.js';
import { bytesLike, captureWasmtls, MAX_CALL_MS, messagesByType, OPENSSL_CAPTURES, opensslCapture, params, runs, timed } from '../helpers/fuzz.js';
import { certNames, certPem, keyNames, keyPem } from '../helpers/x509-fixtures.js';

const captures = [captureWasmtls(false), captureWasmtls(true), ...OPENSSL_CAPTURES.map((n) => opensslCapture(n))];
const byType = messagesByType(captures);
const allRecords = captures.flatMap((c) => [...c.fromClient, ...c.fromServer]);

/** The check every target shares: only `allowed` errors escape, and no call takes a second. */
function only(allowed: readonly (abstract new (...a: never[]) => Error)[], f: () => void): void {
  const { thrown, ms } = timed(f);
  expect(ms).toBeLessThan(MAX_CALL_MS);
  if (thrown !== undefined && !allowed.some((k) => thrown instanceof k)) {
    throw new Error(`unexpected ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`, { cause: thrown });
  }
  // A bug surfaces as internal_error: every bad input must be classified.
  if (thrown instanceof TlsError) expect(thrown.alert, thrown.message).not.toBe('internal_error');
}

/** Per-target iteration counts, printed once for the report. */
const counts: Record<string, number> = {};
function prop<T>(name: string, base: number, seed: number, arb: fc.Arbitrary<T>, check: (x: T) => void): void {
  counts[name] = runs(base);
  test(`${name} (${runs(base)} runs)`, () => {
    fc.assert(fc.property(arb, check), params(base, seed));
  });
}

describe('records', () => {
  // A stream of records, mutated, cut into random transport chunks.
  const stream = fc.tuple(fc.array(bytesLike(allRecords), { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }));
  prop('RecordDeframer', 500, 1, stream, ([recs, cuts]) => {
    const d = new RecordDeframer();
    const all = recs.flatMap((r) => [...r]);
    const bytes = Uint8Array.from(all);
    only([TlsError], () => {
      let at = 0;
      for (let i = 0; at < bytes.length; i++) {
        const n = cuts[i % cuts.length] as number;
        d.push(bytes.subarray(at, at + n));
        at += n;
        for (let r = d.next(); r !== undefined; r = d.next()) expect(r.fragment.length).toBeLessThanOrEqual(16640);
      }
    });
  });
  prop('decodeInnerPlaintext', 250, 2, bytesLike(allRecords.map((r) => r.subarray(5)), 17000), (b) => {
    only([TlsError], () => {
      const { content } = decodeInnerPlaintext(b);
      expect(content.length).toBeLessThan(b.length);
    });
  });
  const handshakeBytes = [...byType.values()].flat();
  prop('HandshakeReassembler', 400, 3, fc.tuple(fc.array(bytesLike(handshakeBytes), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 300 })), ([msgs, cut]) => {
    const h = new HandshakeReassembler();
    const bytes = Uint8Array.from(msgs.flatMap((m) => [...m]));
    only([TlsError], () => {
      for (let at = 0; at < bytes.length; at += cut) {
        h.push(bytes.subarray(at, at + cut));
        for (let f = h.next(); f !== undefined; f = h.next()) expect(f.body.length).toBeLessThanOrEqual(h.maxMessageLength);
      }
    });
  });
});

describe('handshake messages', () => {
  const NAMES: Record<number, string> = { 1: 'ClientHello', 2: 'ServerHello/HelloRetryRequest', 4: 'NewSessionTicket', 8: 'EncryptedExtensions', 11: 'Certificate', 15: 'CertificateVerify', 20: 'Finished' };
  // CertificateRequest and EndOfEarlyData do not occur in the captures: hand-made seeds (and two more KeyUpdates).
  const extra: Record<number, { name: string; seeds: Uint8Array[] }> = {
    24: { name: 'KeyUpdate', seeds: [Uint8Array.of(24, 0, 0, 1, 0), Uint8Array.of(24, 0, 0, 1, 1)] },
    13: {
      name: 'CertificateRequest',
      seeds: [encodeHandshake({ type: 'certificate_request', requestContext: Uint8Array.of(7), extensions: [{ type: 'signature_algorithms', schemes: [0x0403, 0x0804] }] })],
    },
    5: { name: 'EndOfEarlyData', seeds: [Uint8Array.of(5, 0, 0, 0)] },
  };
  const targets = [...new Set([...byType.keys(), ...Object.keys(extra).map(Number)])].map((type) => ({
    type,
    name: NAMES[type] ?? extra[type]?.name ?? `type ${type}`,
    seeds: [...(byType.get(type) ?? []), ...(extra[type]?.seeds ?? [])],
  }));
  test('every handshake type that exists on the wire has a target', () => {
    expect(targets.map((t) => t.type).sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 8, 11, 13, 15, 20, 24]);
  });
  for (const t of targets) {
    // Finished decodes only with the suite's hash length; 32 and 48 both occur.
    prop(`decodeHandshake: ${t.name}`, t.type === 11 ? 150 : 300, 10 + t.type, fc.tuple(bytesLike(t.seeds), fc.constantFrom(32, 48)), ([bytes, hashLength]) => {
      only([TlsError], () => {
        const frame = parseHandshakeFrame(bytes);
        const m = decodeHandshake(frame, { hashLength });
        // The codec's promise: a decoded message re-encodes byte for byte.
        expect(encodeHandshake(m)).toEqual(bytes);
      });
    });
  }
});

describe('extensions', () => {
  // Real extension blocks: each message's extensions<..> vector, found by decoding the seeds.
  const blocks: { ctx: ExtensionContext; bytes: Uint8Array }[] = [];
  const bodies = new Map<number, Uint8Array[]>();
  const note = (ctx: ExtensionContext, block: Uint8Array) => {
    blocks.push({ ctx, bytes: block });
    const r = new Reader(block, 'block');
    const v = r.vec16('extensions', 0, 0xffff);
    while (!v.isEmpty) {
      const code = v.u16('type');
      const list = bodies.get(code) ?? [];
      list.push(v.vec16('data', 0, 0xffff).rest('data'));
      bodies.set(code, list);
    }
  };
  for (const m of byType.get(1) ?? []) note('client_hello', extensionsOf(m, 4 + 34));
  for (const m of byType.get(2) ?? []) note(isHrr(m) ? 'hello_retry_request' : 'server_hello', extensionsOf(m, 4 + 34, 3));
  for (const m of byType.get(8) ?? []) note('encrypted_extensions', m.subarray(4));
  for (const m of byType.get(4) ?? []) note('new_session_ticket', ticketExtensions(m));

  prop('readExtensions (every message context)', 500, 30, fc.constantFrom(...blocks).chain((b) => fc.tuple(fc.constant(b.ctx), bytesLike([b.bytes]))), ([ctx, bytes]) => {
    only([TlsError], () => {
      const r = new Reader(bytes, 'fuzz');
      readExtensions(r, ctx, 0, 0xffff);
    });
  });

  const seedsFor = (code: number, fallback: Uint8Array[]) => [...(bodies.get(code) ?? []), ...fallback];
  const readers: [string, number, (r: Reader) => unknown, Uint8Array[]][] = [
    ['server_name (ClientHello)', 0, readServerNameClientHello, []],
    ['server_name (EncryptedExtensions)', 0, readServerNameAck, [new Uint8Array(0)]],
    ['supported_groups', 10, readSupportedGroups, []],
    ['signature_algorithms', 13, readSignatureAlgorithms, []],
    ['signature_algorithms_cert', 50, readSignatureAlgorithmsCert, [Uint8Array.of(0, 4, 4, 3, 8, 4)]],
    ['application_layer_protocol_negotiation (ClientHello)', 16, readAlpnClientHello, [Uint8Array.of(0, 6, 2, 0x68, 0x32, 2, 0x68, 0x33)]],
    ['application_layer_protocol_negotiation (EncryptedExtensions)', 16, readAlpnEncryptedExtensions, [Uint8Array.of(0, 3, 2, 0x68, 0x32)]],
    ['key_share (ClientHello)', 51, readKeyShareClientHello, []],
    ['key_share (ServerHello)', 51, readKeyShareServerHello, []],
    ['key_share (HelloRetryRequest)', 51, readKeyShareHelloRetryRequest, [Uint8Array.of(0, 0x17)]],
    ['supported_versions (ClientHello)', 43, readSupportedVersionsClientHello, []],
    ['supported_versions (ServerHello)', 43, readSupportedVersionsServerHello, [Uint8Array.of(3, 4)]],
    ['psk_key_exchange_modes', 45, readPskKeyExchangeModes, [Uint8Array.of(1, 1)]],
    ['cookie', 44, readCookie, [Uint8Array.of(0, 3, 1, 2, 3)]],
    ['pre_shared_key (ClientHello)', 41, readPreSharedKeyClientHello, [Uint8Array.of(0, 9, 0, 3, 1, 2, 3, 0, 0, 0, 7, 0, 33, 32, ...new Uint8Array(32))]],
    ['pre_shared_key (ServerHello)', 41, readPreSharedKeyServerHello, [Uint8Array.of(0, 0)]],
    ['early_data (ClientHello, EncryptedExtensions)', 42, readEarlyDataIndication, [new Uint8Array(0)]],
    ['early_data (NewSessionTicket)', 42, readEarlyDataTicket, [Uint8Array.of(0, 0, 0x40, 0)]],
    ['post_handshake_auth', 49, readPostHandshakeAuth, [new Uint8Array(0)]],
    ['certificate_authorities', 47, readCertificateAuthorities, [Uint8Array.of(0, 5, 0, 3, 0x30, 1, 0)]],
    ['record_size_limit', 28, readRecordSizeLimit, [Uint8Array.of(0x40, 1)]],
  ];
  for (const [name, code, read, fallback] of readers) {
    const seeds = seedsFor(code, fallback);
    test(`${name}: a seed decodes`, () => {
      expect(seeds.length).toBeGreaterThan(0);
    });
    prop(`extension ${name}`, 150, 40 + code, bytesLike(seeds, 80), (bytes) => {
      only([TlsError], () => {
        const r = new Reader(bytes, name);
        read(r);
        r.end();
      });
    });
  }
});

describe('X.509', () => {
  const ders = certNames.flatMap((n) => parseCertificatesPem(certPem(n)).map((c) => c.der));
  const spkis = ders.map((d) => {
    // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo.
    const tbs = new DerReader(d).sequence('cert').sequence('tbs');
    for (let i = 0; i < 6; i++) tbs.read();
    return tbs.read().bytes;
  });

  /** Walks every element, decoding primitives by tag. */
  function walk(r: DerReader, depth: number): void {
    while (!r.atEnd) {
      const el: DerElement = r.read();
      if ((el.tag & 0x20) !== 0) {
        if (depth < 40) walk(r.child(el), depth + 1);
        continue;
      }
      switch (el.tag) {
        case TAG.INTEGER:
          decodeInteger(el, 'integer');
          break;
        case TAG.OID:
          decodeOid(el, 'oid');
          break;
        case TAG.BIT_STRING:
          decodeBitString(el, 'bits');
          break;
        case TAG.BOOLEAN:
          decodeBoolean(el, 'boolean');
          break;
        case TAG.UTC_TIME:
        case TAG.GENERALIZED_TIME:
          decodeTime(el, 'time');
          break;
        case TAG.UTF8_STRING:
        case TAG.PRINTABLE_STRING:
        case TAG.IA5_STRING:
          decodeString(el, 'string');
          break;
        default:
      }
    }
  }
  prop('DER reader (every element, primitives decoded by tag)', 500, 60, bytesLike(ders, 200), (bytes) => {
    only([DerError], () => walk(new DerReader(bytes), 0));
  });
  prop('certificate parser', 500, 61, bytesLike(ders, 200), (bytes) => {
    // Documented: malformed input is TlsError bad_certificate.
    only([TlsError], () => {
      try {
        parseCertificate(bytes);
      } catch (e) {
        if (e instanceof TlsError) expect(e.alert).toBe('bad_certificate');
        throw e;
      }
    });
  });
  prop('SubjectPublicKeyInfo parser', 250, 62, bytesLike(spkis, 100), (bytes) => {
    only([DerError], () => parseSubjectPublicKeyInfo(bytes));
  });
  const pemSeeds = certNames.map((n) => certPem(n));
  const pemText = fc.oneof(
    fc.constantFrom(...pemSeeds).chain((t) => bytesLike([new TextEncoder().encode(t)]).map((b) => new TextDecoder().decode(b))),
    fc.string({ maxLength: 200 }),
    fc.array(fc.constantFrom('-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', 'MIIB', '====', 'a:b', '', ' ', '\r', 'AAAA', '-----BEGIN X-----'), { maxLength: 8 }).map((l) => l.join('\n')),
  );
  prop('PEM decoder', 400, 63, pemText, (text) => {
    only([PemError], () => decodePem(text));
  });
  prop('PEM certificates', 200, 64, pemText, (text) => {
    only([TlsError], () => parseCertificatesPem(text));
  });
  const keys = keyNames
    .map((n) => keyPem(n.slice(0, n.lastIndexOf('.')), n.slice(n.lastIndexOf('.') + 1) as 'pkcs8' | 'sec1' | 'pkcs1' | 'spki'))
    .filter((t) => t.includes('PRIVATE KEY'));
  const keyDers = keys.map((t) => (decodePem(t)[0] as { der: Uint8Array }).der);
  // Documented: every failure is a DerError (malformed or unsupported DER) or a PemError (PEM level); no plain Error.
  const keyErrors = (e: unknown) => e instanceof DerError || e instanceof PemError;
  prop('private-key parser (DER)', 500, 65, bytesLike(keyDers, 200), (bytes) => {
    const { thrown, ms } = timed(() => parsePrivateKey(bytes));
    expect(ms).toBeLessThan(MAX_CALL_MS);
    if (thrown !== undefined) expect(keyErrors(thrown), String(thrown)).toBe(true);
  });
  prop('private-key parser (PEM)', 200, 66, fc.constantFrom(...keys).chain((t) => bytesLike([new TextEncoder().encode(t)]).map((b) => new TextDecoder().decode(b))), (text) => {
    const { thrown, ms } = timed(() => parsePrivateKey(text));
    expect(ms).toBeLessThan(MAX_CALL_MS);
    if (thrown !== undefined) expect(keyErrors(thrown), String(thrown)).toBe(true);
  });
});

test('iteration counts', () => {
  expect(Object.keys(counts).length).toBeGreaterThan(30);
  console.log(`decoder fuzz targets: ${Object.keys(counts).length}, runs ${JSON.stringify(counts)}`);
});

/** The extensions<..> vector of a ClientHello or ServerHello, found by walking the fixed fields. */
function extensionsOf(m: Uint8Array, afterRandom: number, fixedAfterSid = 0): Uint8Array {
  let at = afterRandom;
  at += 1 + (m[at] as number); // legacy_session_id
  if (m[0] === 1) {
    at += 2 + (((m[at] as number) << 8) | (m[at + 1] as number)); // cipher_suites
    at += 1 + (m[at] as number); // compression methods
  } else {
    at += fixedAfterSid; // cipher_suite, compression method
  }
  return m.subarray(at);
}

function isHrr(m: Uint8Array): boolean {
  // §4.1.3: the HelloRetryRequest's random is SHA-256("HelloRetryRequest").
  return m[6] === 0xcf && m[7] === 0x21 && m[8] === 0xad && m[9] === 0x74;
}

function ticketExtensions(m: Uint8Array): Uint8Array {
  let at = 4 + 8;
  at += 1 + (m[at] as number); // ticket_nonce
  at += 2 + (((m[at] as number) << 8) | (m[at + 1] as number)); // ticket
  return m.subarray(at);
}
