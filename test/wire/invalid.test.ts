// Hand-made invalid messages: each must fail with the alert RFC 8446 names,
// and a message that names the field. Plus truncation and mutation sweeps
// over the RFC 8448 messages.
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import {
  assertSolicited,
  type ClientHello,
  decodeHandshake,
  encodeHandshake,
  ExtensionType,
  HandshakeType,
  HELLO_RETRY_REQUEST_RANDOM,
  parseHandshakeFrame,
  Writer,
} from '../../src/wire/index.js';
import { fromHex, seededBytes, toHex } from '../helpers/hex.js';
import { parseVec, splitHandshakes, splitRecords } from '../helpers/vec.js';
import raw from '../vectors/rfc8448/transcripts.vec?raw';

type Ext = [code: number, dataHex: string];

const SV13: Ext = [ExtensionType.supported_versions, '020304'];
const KS: Ext = [ExtensionType.key_share, `0024001d0020${'11'.repeat(32)}`];
const GROUPS: Ext = [ExtensionType.supported_groups, '0004001d0017'];

/** Builds a ClientHello body with no bounds checks of its own, so it can be wrong on purpose. */
function clientHello(o: { sessionId?: number; suites?: string; compression?: string; extensions?: Ext[] | null; trailing?: string } = {}): Uint8Array {
  const w = new Writer('test');
  w.u16(0x0303, 'legacy_version');
  w.bytes(new Uint8Array(32).fill(0xaa), 'random');
  w.opaque8('legacy_session_id', new Uint8Array(o.sessionId ?? 0).fill(1), 0, 255);
  w.bytes(fromHex(o.suites ?? '00021301'), 'cipher_suites');
  w.bytes(fromHex(o.compression ?? '0100'), 'legacy_compression_methods');
  if (o.extensions !== null) extensionBlock(w, o.extensions ?? [SV13, GROUPS, KS]);
  if (o.trailing !== undefined) w.bytes(fromHex(o.trailing), 'trailing');
  return w.finish();
}

function extensionBlock(w: Writer, list: Ext[]): void {
  w.vec16('extensions', 0, 0xffff, () => {
    for (const [code, data] of list) {
      w.u16(code, 'type');
      w.opaque16('data', fromHex(data), 0, 0xffff);
    }
  });
}

function serverHello(o: { random?: Uint8Array; compression?: number; extensions?: Ext[] } = {}): Uint8Array {
  const w = new Writer('test');
  w.u16(0x0303, 'legacy_version');
  w.bytes(o.random ?? new Uint8Array(32).fill(0xbb), 'random');
  w.opaque8('legacy_session_id_echo', new Uint8Array(0), 0, 32);
  w.u16(0x1301, 'cipher_suite');
  w.u8(o.compression ?? 0, 'legacy_compression_method');
  extensionBlock(w, o.extensions ?? [[ExtensionType.supported_versions, '0304'], [ExtensionType.key_share, `001d0020${'22'.repeat(32)}`]]);
  return w.finish();
}

function decode(msgType: number, body: Uint8Array, hashLength = 32) {
  return decodeHandshake({ msgType, body }, { hashLength });
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

const CH = HandshakeType.client_hello;
const SH = HandshakeType.server_hello;
const EE = HandshakeType.encrypted_extensions;

describe('ClientHello', () => {
  test('the hand-built baseline is valid and round-trips', () => {
    const body = clientHello();
    const m = decode(CH, body);
    expect(m.type).toBe('client_hello');
    expect(toHex(encodeHandshake(m).subarray(4))).toBe(toHex(body));
  });

  test('legacy_session_id of 33 bytes', () => {
    expect(failure(() => decode(CH, clientHello({ sessionId: 33 })))).toBe('decode_error: ClientHello: legacy_session_id of 33 bytes exceeds 32');
  });

  test('trailing bytes after the extensions', () => {
    expect(failure(() => decode(CH, clientHello({ trailing: '00' })))).toBe('decode_error: ClientHello: 1 unexpected trailing byte(s) after the last field');
  });

  test('cipher_suites empty, odd, or truncated', () => {
    expect(failure(() => decode(CH, clientHello({ suites: '0000' })))).toBe('decode_error: ClientHello: cipher_suites of 0 bytes is below the minimum 2');
    expect(failure(() => decode(CH, clientHello({ suites: '000313011302' })))).toMatch(/^decode_error: ClientHello: cipher_suites has an odd length/);
    expect(failure(() => decode(CH, clientHello({ suites: '0004', compression: '', extensions: null })))).toMatch(/^decode_error: ClientHello: truncated cipher_suites: declares 4/);
  });

  test('legacy_compression_methods other than [0] in a TLS 1.3 ClientHello', () => {
    expect(failure(() => decode(CH, clientHello({ compression: '020100' })))).toBe(
      'illegal_parameter: ClientHello: legacy_compression_methods must be [0] in a TLS 1.3 ClientHello, got [1, 0]',
    );
    expect(failure(() => decode(CH, clientHello({ compression: '0101' })))).toMatch(/^illegal_parameter: .*got \[1\]/);
    expect(failure(() => decode(CH, clientHello({ compression: '00' })))).toBe('decode_error: ClientHello: legacy_compression_methods of 0 bytes is below the minimum 1');
    // Not a TLS 1.3 ClientHello: left to the handshake layer's protocol_version.
    expect(failure(() => decode(CH, clientHello({ compression: '020100', extensions: [GROUPS, KS] })))).toBe('accepted');
  });

  test('duplicated extension', () => {
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, GROUPS, KS, GROUPS] })))).toBe(
      'illegal_parameter: ClientHello: duplicated extension supported_groups (RFC 8446 §4.2)',
    );
    // Unknown types are covered too.
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [0x7777, ''], [0x7777, '00']] })))).toMatch(/duplicated extension unknown\(0x7777\)/);
  });

  test('an extension the §4.2 table does not allow in ClientHello', () => {
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.oid_filters, '0000']] })))).toBe(
      'illegal_parameter: ClientHello: extension oid_filters is not allowed in ClientHello (RFC 8446 §4.2)',
    );
  });

  test('pre_shared_key must be last', () => {
    const psk: Ext = [ExtensionType.pre_shared_key, `000b0005${'aa'.repeat(5)}00000000` + `0021 20${'bb'.repeat(32)}`.replace(/ /g, '')];
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, psk] })))).toBe('accepted');
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, psk, GROUPS] })))).toBe(
      'illegal_parameter: ClientHello: pre_shared_key must be the last extension, found at position 2 of 3',
    );
  });

  test('pre_shared_key: binder count and size', () => {
    const ids = `0016${`0005${'aa'.repeat(5)}00000000`.repeat(2)}`;
    const oneBinder = `0021 20${'bb'.repeat(32)}`.replace(/ /g, '');
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.pre_shared_key, ids + oneBinder]] })))).toMatch(
      /^illegal_parameter: ClientHello.extensions.pre_shared_key: 2 identities but 1 binders/,
    );
    const shortBinder = `0021 1f${'bb'.repeat(32)}`.replace(/ /g, '');
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.pre_shared_key, `000b0005${'aa'.repeat(5)}00000000${shortBinder}`]] })))).toMatch(
      /^decode_error: .*PskBinderEntry of 31 bytes is below the minimum 32/,
    );
  });

  test('extensions block shorter than 8 bytes in a TLS 1.3 ClientHello, or trailing data in one extension', () => {
    expect(failure(() => decode(CH, clientHello({ extensions: [[ExtensionType.supported_versions, '020304']] })))).toBe(
      'decode_error: ClientHello: extensions of 7 bytes is below the minimum 8 (RFC 8446 §4.1.2)',
    );
    // Without TLS 1.3 in supported_versions the block may be short: the server answers protocol_version (test/hostile/versions.test.ts).
    expect(failure(() => decode(CH, clientHello({ extensions: [[ExtensionType.post_handshake_auth, '']] })))).toBe('accepted');
    expect(failure(() => decode(CH, clientHello({ extensions: [[ExtensionType.supported_versions, '02030400'], GROUPS] })))).toBe(
      'decode_error: ClientHello.extensions.supported_versions: 1 unexpected trailing byte(s) after the last field',
    );
  });

  test('key_share: two shares of one group; empty key_exchange', () => {
    const share = `001d0020${'11'.repeat(32)}`;
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.key_share, `0048${share}${share}`]] })))).toBe(
      'illegal_parameter: ClientHello.extensions.key_share: two key shares for x25519',
    );
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.key_share, '0004001d0000']] })))).toBe(
      'decode_error: ClientHello.extensions.key_share.client_shares: key_exchange of 0 bytes is below the minimum 1',
    );
  });

  test('supported_versions, server_name, ALPN, psk modes bounds', () => {
    expect(failure(() => decode(CH, clientHello({ extensions: [[ExtensionType.supported_versions, '03030403'], GROUPS] })))).toMatch(/versions has an odd length/);
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.server_name, '0000']] })))).toMatch(/server_name_list of 0 bytes is below the minimum 1/);
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.server_name, '000a0000027878000002797a']] })))).toBe(
      'illegal_parameter: ClientHello.extensions.server_name: more than one name of name_type 0',
    );
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.application_layer_protocol_negotiation, '00020000']] })))).toMatch(
      /ProtocolName of 0 bytes is below the minimum 1/,
    );
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.psk_key_exchange_modes, '00']] })))).toMatch(/ke_modes of 0 bytes/);
    expect(failure(() => decode(CH, clientHello({ extensions: [SV13, [ExtensionType.record_size_limit, '003f']] })))).toBe(
      'illegal_parameter: ClientHello.extensions.record_size_limit: record_size_limit 63 is below 64',
    );
  });

  test('a ClientHello without any extensions (pre-TLS 1.3 client) decodes and re-encodes', () => {
    const body = clientHello({ extensions: null });
    const m = decode(CH, body) as ClientHello;
    expect(m.extensionsOmitted).toBe(true);
    expect(toHex(encodeHandshake(m).subarray(4))).toBe(toHex(body));
  });

  test('the encoder refuses what the decoder would reject', () => {
    const m = decode(CH, clientHello()) as ClientHello;
    expect(failure(() => encodeHandshake({ ...m, legacySessionId: new Uint8Array(33) }))).toBe('internal_error: ClientHello: legacy_session_id of 33 bytes exceeds 32');
    expect(failure(() => encodeHandshake({ ...m, cipherSuites: [] }))).toMatch(/^internal_error: ClientHello: cipher_suites of 0 bytes/);
    expect(failure(() => encodeHandshake({ ...m, extensions: [...m.extensions, { type: 'cookie', cookie: new Uint8Array(1) }, { type: 'cookie', cookie: new Uint8Array(1) }] }))).toBe(
      'internal_error: ClientHello: duplicated extension cookie',
    );
    const psk = { type: 'pre_shared_key' as const, identities: [{ identity: new Uint8Array(1), obfuscatedTicketAge: 0 }], binders: [new Uint8Array(32)] };
    expect(failure(() => encodeHandshake({ ...m, extensions: [psk, ...m.extensions] }))).toBe('internal_error: ClientHello: pre_shared_key must be the last extension');
  });
});

describe('ServerHello and HelloRetryRequest', () => {
  test('TLS 1.3 ServerHello: compression must be 0, extensions per §4.2', () => {
    expect(failure(() => decode(SH, serverHello()))).toBe('accepted');
    expect(failure(() => decode(SH, serverHello({ compression: 1 })))).toBe('illegal_parameter: ServerHello: legacy_compression_method must be 0, got 1');
    expect(failure(() => decode(SH, serverHello({ extensions: [[ExtensionType.supported_versions, '0304'], [ExtensionType.server_name, '']] })))).toBe(
      'illegal_parameter: ServerHello: extension server_name is not allowed in ServerHello (RFC 8446 §4.2)',
    );
    // A TLS 1.2 ServerHello (no supported_versions) may carry server_name; the handshake layer answers protocol_version.
    expect(failure(() => decode(SH, serverHello({ extensions: [[ExtensionType.server_name, ''], [0xff01, '00']] })))).toBe('accepted');
  });

  test('ServerHello forms: supported_versions is one version, key_share one entry', () => {
    expect(failure(() => decode(SH, serverHello({ extensions: [[ExtensionType.supported_versions, '020304']] })))).toBe(
      'decode_error: ServerHello.extensions.supported_versions: 1 unexpected trailing byte(s) after the last field',
    );
    expect(failure(() => decode(SH, serverHello({ extensions: [[ExtensionType.supported_versions, '0304'], [ExtensionType.key_share, '001d']] })))).toMatch(
      /^decode_error: ServerHello.extensions.key_share: truncated key_exchange length/,
    );
  });

  test('HelloRetryRequest: allowed extensions only; selected_group form', () => {
    const hrr = (extensions: Ext[]) => serverHello({ random: HELLO_RETRY_REQUEST_RANDOM, extensions });
    const m = decode(SH, hrr([[ExtensionType.supported_versions, '0304'], [ExtensionType.key_share, '0017']]));
    expect(m.type).toBe('hello_retry_request');
    expect(failure(() => decode(SH, hrr([[ExtensionType.supported_versions, '0304'], [ExtensionType.pre_shared_key, '0000']])))).toBe(
      'illegal_parameter: ServerHello: extension pre_shared_key is not allowed in HelloRetryRequest (RFC 8446 §4.2)',
    );
    expect(failure(() => decode(SH, hrr([[ExtensionType.supported_versions, '0304'], [ExtensionType.cookie, '0000']])))).toMatch(/cookie of 0 bytes is below the minimum 1/);
  });

  test('a ServerHello cannot be encoded with the HelloRetryRequest random', () => {
    const m = decode(SH, serverHello());
    if (m.type !== 'server_hello') throw new Error(m.type);
    expect(failure(() => encodeHandshake({ ...m, random: HELLO_RETRY_REQUEST_RANDOM }))).toBe(
      'internal_error: ServerHello: a ServerHello random must not be the HelloRetryRequest value',
    );
  });
});

describe('other messages', () => {
  const ext = (list: Ext[]) => {
    const w = new Writer('test');
    extensionBlock(w, list);
    return w.finish();
  };

  test('EncryptedExtensions', () => {
    expect(failure(() => decode(EE, ext([[ExtensionType.key_share, '0017']])))).toBe(
      'illegal_parameter: EncryptedExtensions: extension key_share is not allowed in EncryptedExtensions (RFC 8446 §4.2)',
    );
    expect(failure(() => decode(EE, ext([[ExtensionType.server_name, '00']])))).toBe(
      "decode_error: EncryptedExtensions.extensions.server_name: must be empty in a server's response, got 1 bytes",
    );
    expect(failure(() => decode(EE, ext([[ExtensionType.application_layer_protocol_negotiation, '0006026832026832']])))).toBe(
      "decode_error: EncryptedExtensions.extensions.application_layer_protocol_negotiation: the server's protocol_name_list must hold exactly one name, got 2",
    );
    expect(failure(() => decode(EE, ext([[ExtensionType.early_data, '00000000']])))).toMatch(/^decode_error: EncryptedExtensions.extensions.early_data: must be empty/);
    expect(failure(() => decode(EE, fromHex('0000ff')))).toMatch(/trailing/);
  });

  test('CertificateRequest needs signature_algorithms', () => {
    expect(failure(() => decode(HandshakeType.certificate_request, fromHex('000000')))).toBe(
      'decode_error: CertificateRequest: extensions of 0 bytes is below the minimum 2',
    );
    const body = fromHex(`00${toHex(ext([[ExtensionType.signature_algorithms_cert, '00020403']]))}`);
    expect(failure(() => decode(HandshakeType.certificate_request, body))).toBe(
      'missing_extension: CertificateRequest: signature_algorithms is mandatory (RFC 8446 §4.3.2)',
    );
  });

  test('Certificate', () => {
    expect(failure(() => decode(HandshakeType.certificate, fromHex('00000005000000' + '0000')))).toBe(
      'decode_error: Certificate.certificate_list: cert_data of 0 bytes is below the minimum 1',
    );
    const dup = toHex(ext([[5, ''], [5, '']]));
    const entry = `00000130${dup}`;
    const body = fromHex(`00${(entry.length / 2).toString(16).padStart(6, '0')}${entry}`);
    expect(failure(() => decode(HandshakeType.certificate, body))).toBe('illegal_parameter: Certificate.certificate_list: duplicated extension status_request (RFC 8446 §4.2)');
    expect(failure(() => decode(HandshakeType.certificate, fromHex('0000000400000130')))).toMatch(/^decode_error: Certificate.certificate_list: truncated extensions length/);
  });

  test('Finished must be Hash.length bytes', () => {
    expect(failure(() => decode(HandshakeType.finished, new Uint8Array(31)))).toBe('decode_error: Finished: verify_data of 31 bytes, expected 32 (the suite\'s Hash.length)');
    expect(failure(() => decode(HandshakeType.finished, new Uint8Array(48), 48))).toBe('accepted');
    expect(failure(() => decodeHandshake({ msgType: HandshakeType.finished, body: new Uint8Array(32) }))).toMatch(/^internal_error: .*hashLength/);
  });

  test('KeyUpdate, EndOfEarlyData, CertificateVerify, NewSessionTicket', () => {
    expect(failure(() => decode(HandshakeType.key_update, fromHex('02')))).toBe('illegal_parameter: KeyUpdate: request_update must be 0 or 1, got 2');
    expect(failure(() => decode(HandshakeType.key_update, fromHex('0100')))).toMatch(/^decode_error: KeyUpdate: 1 unexpected trailing/);
    expect(decode(HandshakeType.key_update, fromHex('01'))).toEqual({ type: 'key_update', updateRequested: true });
    expect(failure(() => decode(HandshakeType.end_of_early_data, fromHex('00')))).toMatch(/^decode_error: EndOfEarlyData/);
    expect(failure(() => decode(HandshakeType.certificate_verify, fromHex('0804000201')))).toMatch(/truncated signature: declares 2/);
    expect(failure(() => decode(HandshakeType.new_session_ticket, fromHex('0000001e00000000000000' + '0000')))).toMatch(/ticket of 0 bytes is below the minimum 1/);
  });

  test('unknown and transcript-only handshake types are unexpected_message', () => {
    expect(failure(() => decode(99, new Uint8Array(0)))).toBe('unexpected_message: Handshake: unexpected handshake message type unknown(0x63) (99)');
    expect(failure(() => decode(HandshakeType.message_hash, new Uint8Array(32)))).toMatch(/^unexpected_message: .*message_hash \(254\)/);
  });

  test('framing: the uint24 length must match', () => {
    expect(failure(() => parseHandshakeFrame(fromHex('14000020' + '00'.repeat(31))))).toBe('decode_error: Handshake: finished declares 32 body bytes, 31 present');
    expect(failure(() => parseHandshakeFrame(fromHex('140000')))).toMatch(/truncated length/);
  });

  test('unsolicited extensions in a response are unsupported_extension', () => {
    const ee = decode(EE, ext([[ExtensionType.server_name, ''], [ExtensionType.application_layer_protocol_negotiation, '0003026832']]));
    if (ee.type !== 'encrypted_extensions') throw new Error(ee.type);
    expect(failure(() => assertSolicited(ee.extensions, 'encrypted_extensions', new Set([0, 16])))).toBe('accepted');
    expect(failure(() => assertSolicited(ee.extensions, 'encrypted_extensions', new Set([0])))).toBe(
      'unsupported_extension: EncryptedExtensions: extension application_layer_protocol_negotiation was not offered (RFC 8446 §4.2)',
    );
  });
});

describe('sweeps over the RFC 8448 messages', () => {
  const vec = parseVec(raw);
  const messages: Uint8Array[] = [];
  for (const [, section] of vec) {
    for (const [key, value] of section) {
      const bytes = () => fromHex(value.replace(/\s+/g, '').toLowerCase());
      if (/^Record_(ClientHello_\d|ServerHello|HelloRetryRequest)$/.test(key)) {
        for (const r of splitRecords(bytes())) messages.push(...splitHandshakes(r.fragment));
      } else if (key.startsWith('Message_')) {
        messages.push(bytes());
      }
    }
  }

  test('every truncation of every message is a decode_error', () => {
    let n = 0;
    for (const m of messages) {
      const msgType = m[0] as number;
      const body = m.subarray(4);
      for (let len = 0; len < body.length; len++) {
        const f = failure(() => decode(msgType, body.subarray(0, len)));
        // Cutting a ClientHello/ServerHello right after the compression field leaves a valid extension-less (pre-1.3) hello.
        if (f === 'accepted') {
          expect([1, 2]).toContain(msgType);
          continue;
        }
        expect(f.split(':')[0], `type ${msgType} cut at ${len}`).toBe('decode_error');
        n++;
      }
    }
    expect(n).toBeGreaterThan(6000);
  });

  test('single-byte mutations: either a TlsError, or a message that re-encodes to the same bytes', () => {
    const alerts = new Set<string>();
    let accepted = 0;
    for (const [i, m] of messages.entries()) {
      const noise = seededBytes(i + 1, 400);
      for (let k = 0; k < 100; k++) {
        const copy = m.slice();
        const at = 4 + (((noise[4 * k] as number) << 8) | (noise[4 * k + 1] as number)) % (m.length - 4);
        copy[at] = noise[4 * k + 2] as number;
        try {
          const decoded = decode(m[0] as number, copy.subarray(4));
          expect(toHex(encodeHandshake(decoded))).toBe(toHex(copy));
          accepted++;
        } catch (e) {
          if (!(e instanceof TlsError)) throw e;
          alerts.add(e.alert);
        }
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect([...alerts].sort()).toEqual(['decode_error', 'illegal_parameter', 'missing_extension']);
  });
});
