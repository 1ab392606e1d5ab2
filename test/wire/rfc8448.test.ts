// Every plaintext handshake message of the RFC 8448 traces (Botan's
// transcripts.vec): decode, check the fields that matter, re-encode byte for byte.
import { describe, expect, test } from 'vitest';
import {
  CipherSuite,
  decodeHandshake,
  encodeHandshake,
  ExtensionType,
  findExtension,
  findRawExtension,
  HandshakeType,
  type HandshakeMessage,
  hostName,
  NamedGroup,
  parseHandshakeFrame,
  ProtocolVersion,
  SignatureScheme,
} from '../../src/wire/index.js';
import { fromHex, toHex, utf8 } from '../helpers/hex.js';
import { concat, parseVec, splitHandshakes, splitRecords, vecBytes } from '../helpers/vec.js';
import raw from '../vectors/rfc8448/transcripts.vec?raw';

const vec = parseVec(raw);

/** The plaintext handshake messages of a section: from Record_* (handshake records) and Message_* entries. */
function plaintextMessages(section: string): { key: string; bytes: Uint8Array }[] {
  const out: { key: string; bytes: Uint8Array }[] = [];
  for (const key of vec.get(section)?.keys() ?? []) {
    if (/^Record_(ClientHello_\d|ServerHello|HelloRetryRequest)$/.test(key)) {
      for (const rec of splitRecords(vecBytes(vec, section, key))) {
        expect(rec.type, `${section} ${key}`).toBe(22);
        for (const m of splitHandshakes(rec.fragment)) out.push({ key, bytes: m });
      }
    } else if (key.startsWith('Message_')) {
      out.push({ key, bytes: vecBytes(vec, section, key) });
    }
  }
  return out;
}

function roundTrip(bytes: Uint8Array): HandshakeMessage {
  const frame = parseHandshakeFrame(bytes);
  const m = decodeHandshake(frame, { hashLength: 32 });
  expect(toHex(encodeHandshake(m))).toBe(toHex(bytes));
  return m;
}

const SECTIONS = [...vec.keys()];

describe('RFC 8448 traces: decode and re-encode byte for byte', () => {
  for (const section of SECTIONS) {
    for (const { key, bytes } of plaintextMessages(section)) {
      test(`${section} ${key}`, () => {
        roundTrip(bytes);
      });
    }
  }
  test('count', () => {
    const all = SECTIONS.flatMap((s) => plaintextMessages(s).map((m) => m.bytes));
    for (const m of all) roundTrip(m);
    const total = all.length;
    const distinct = new Set(all.map(toHex));
    // 7 sections (RFC 8448 §3-§7, Botan's external-PSK and raw-public-key traces); ServerHello
    // appears both as Record_ and Message_, and some EE/Certificate/CR repeat across sections.
    expect(total).toBe(49);
    expect(distinct.size).toBe(37);
    console.log(`RFC 8448 messages re-encoded byte-exact: ${total} (${distinct.size} distinct)`);
  });
});

describe('RFC 8448 §3 (Simple 1-RTT): decoded fields', () => {
  const S = 'Simple_1RTT_Handshake';
  const [ch] = plaintextMessages(S);
  test('ClientHello', () => {
    const m = roundTrip(ch?.bytes as Uint8Array);
    if (m.type !== 'client_hello') throw new Error(m.type);
    expect(m.legacyVersion).toBe(0x0303);
    expect(toHex(m.random)).toBe('cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7');
    expect(m.legacySessionId.length).toBe(0);
    expect(m.cipherSuites).toEqual([CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384]);
    expect(m.legacyCompressionMethods).toEqual([0]);
    expect(hostName(findExtension(m.extensions, 'server_name')?.serverNames ?? [])).toBe('server');
    expect(findExtension(m.extensions, 'supported_groups')?.groups).toEqual([0x1d, 0x17, 0x18, 0x19, 0x100, 0x101, 0x102, 0x103, 0x104]);
    const ks = findExtension(m.extensions, 'key_share');
    expect(ks?.shares.map((s) => [s.group, toHex(s.keyExchange)])).toEqual([
      [NamedGroup.x25519, '99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c'],
    ]);
    expect(findExtension(m.extensions, 'supported_versions')?.versions).toEqual([ProtocolVersion.TLS13]);
    expect(findExtension(m.extensions, 'signature_algorithms')?.schemes.slice(0, 3)).toEqual([
      SignatureScheme.ecdsa_secp256r1_sha256,
      SignatureScheme.ecdsa_secp384r1_sha384,
      SignatureScheme.ecdsa_secp521r1_sha512,
    ]);
    expect(findExtension(m.extensions, 'psk_key_exchange_modes')?.modes).toEqual([1]);
    expect(findExtension(m.extensions, 'record_size_limit')?.limit).toBe(0x4001);
    // renegotiation_info (0xff01) and session_ticket (0x23) are unknown to TLS 1.3: kept raw.
    expect(toHex(findRawExtension(m.extensions, 0xff01)?.data ?? new Uint8Array(1))).toBe('00');
    expect(findRawExtension(m.extensions, 0x23)?.data.length).toBe(0);
    expect(m.extensions.map((e) => (e.type === 'raw' ? e.code : e.type))).toEqual([
      'server_name', 0xff01, 'supported_groups', 0x23, 'key_share', 'supported_versions', 'signature_algorithms', 'psk_key_exchange_modes', 'record_size_limit',
    ]);
  });

  test('ServerHello, EncryptedExtensions, Certificate, CertificateVerify, Finished', () => {
    const sh = roundTrip(vecBytes(vec, S, 'Message_ServerHello'));
    if (sh.type !== 'server_hello') throw new Error(sh.type);
    expect(sh.cipherSuite).toBe(CipherSuite.TLS_AES_128_GCM_SHA256);
    expect(findExtension(sh.extensions, 'supported_versions')?.selectedVersion).toBe(0x0304);
    expect(toHex(findExtension(sh.extensions, 'key_share')?.share.keyExchange ?? new Uint8Array())).toBe(
      'c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f',
    );

    const ee = roundTrip(vecBytes(vec, S, 'Message_EncryptedExtensions'));
    if (ee.type !== 'encrypted_extensions') throw new Error(ee.type);
    expect(ee.extensions.map((e) => (e.type === 'raw' ? e.code : e.type))).toEqual(['supported_groups', 'record_size_limit', 'server_name']);

    const cert = roundTrip(vecBytes(vec, S, 'Message_Server_Certificate'));
    if (cert.type !== 'certificate') throw new Error(cert.type);
    expect(cert.requestContext.length).toBe(0);
    expect(cert.entries.length).toBe(1);
    expect(cert.entries[0]?.data.length).toBe(432);
    expect(cert.entries[0]?.extensions).toEqual([]);

    const cv = roundTrip(vecBytes(vec, S, 'Message_Server_CertificateVerify'));
    if (cv.type !== 'certificate_verify') throw new Error(cv.type);
    expect(cv.algorithm).toBe(SignatureScheme.rsa_pss_rsae_sha256);
    expect(toHex(cv.signature)).toBe(toHex(vecBytes(vec, S, 'Server_MessageSignature')));

    const fin = roundTrip(vecBytes(vec, S, 'Message_Server_Finished'));
    if (fin.type !== 'finished') throw new Error(fin.type);
    expect(toHex(fin.verifyData)).toBe('9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718');
  });

  test('NewSessionTicket (RFC 8448 §3 text; ticket bytes from the trace)', () => {
    // {server} construct a NewSessionTicket handshake message: lifetime 30 s,
    // age_add fad6aac5, nonce 0000, early_data max_early_data_size 1024.
    const ticket = vecBytes(vec, S, 'SessionTicket');
    const body = concat(fromHex('0000001efad6aac5020000'), fromHex('00b2'), ticket, fromHex('0008002a000400000400'));
    const bytes = concat(fromHex('040000c9'), body);
    expect(bytes.length).toBe(205);
    const m = roundTrip(bytes);
    if (m.type !== 'new_session_ticket') throw new Error(m.type);
    expect(m.ticketLifetime).toBe(30);
    expect(m.ticketAgeAdd).toBe(0xfad6aac5);
    expect(toHex(m.ticketNonce)).toBe('0000');
    expect(toHex(m.ticket)).toBe(toHex(ticket));
    expect(findExtension(m.extensions, 'early_data')?.maxEarlyDataSize).toBe(1024);
  });
});

describe('RFC 8448 §5 (HelloRetryRequest): decoded fields', () => {
  const S = 'HelloRetryRequest_Handshake';
  test('HelloRetryRequest is recognised by its random', () => {
    const [rec] = splitRecords(vecBytes(vec, S, 'Record_HelloRetryRequest'));
    const m = roundTrip(rec?.fragment as Uint8Array);
    if (m.type !== 'hello_retry_request') throw new Error(m.type);
    expect(m.cipherSuite).toBe(CipherSuite.TLS_AES_128_GCM_SHA256);
    expect(findExtension(m.extensions, 'key_share')?.selectedGroup).toBe(NamedGroup.secp256r1);
    expect(toHex(findExtension(m.extensions, 'cookie')?.cookie ?? new Uint8Array())).toBe(toHex(vecBytes(vec, S, 'HelloRetryRequest_Cookie')));
    expect(findExtension(m.extensions, 'supported_versions')?.selectedVersion).toBe(0x0304);
  });

  test('ClientHello2 echoes the cookie, carries a P-256 share and padding', () => {
    const [rec] = splitRecords(vecBytes(vec, S, 'Record_ClientHello_2'));
    const m = roundTrip(rec?.fragment as Uint8Array);
    if (m.type !== 'client_hello') throw new Error(m.type);
    expect(toHex(findExtension(m.extensions, 'cookie')?.cookie ?? new Uint8Array())).toBe(toHex(vecBytes(vec, S, 'HelloRetryRequest_Cookie')));
    const ks = findExtension(m.extensions, 'key_share');
    expect(ks?.shares.map((s) => [s.group, s.keyExchange.length])).toEqual([[NamedGroup.secp256r1, 65]]);
    expect(findRawExtension(m.extensions, ExtensionType.padding)?.data.every((b) => b === 0)).toBe(true);
  });
});

describe('RFC 8448 §4, §6, §7 and PSK/raw public key traces', () => {
  test('resumed ClientHello: pre_shared_key last, early_data', () => {
    const [rec] = splitRecords(vecBytes(vec, 'Resumed_0RTT_Handshake', 'Record_ClientHello_1'));
    const m = roundTrip(rec?.fragment as Uint8Array);
    if (m.type !== 'client_hello') throw new Error(m.type);
    const psk = findExtension(m.extensions, 'pre_shared_key');
    expect(m.extensions.at(-1)).toBe(psk);
    expect(toHex(psk?.identities[0]?.identity ?? new Uint8Array())).toBe(toHex(vecBytes(vec, 'Resumed_0RTT_Handshake', 'SessionTicket')));
    expect(psk?.identities[0]?.obfuscatedTicketAge).toBe(0xfad6aacb);
    expect(toHex(psk?.binders[0] ?? new Uint8Array())).toBe('3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d');
    expect(findExtension(m.extensions, 'early_data')).toEqual({ type: 'early_data' });
  });

  test('external PSK: ClientHello identity and ServerHello selected_identity', () => {
    const S = 'Externally_Provided_PSK_with_Ephemeral_Key';
    const [rec] = splitRecords(vecBytes(vec, S, 'Record_ClientHello_1'));
    const ch = roundTrip(rec?.fragment as Uint8Array);
    if (ch.type !== 'client_hello') throw new Error(ch.type);
    expect(findExtension(ch.extensions, 'pre_shared_key')?.identities[0]?.identity).toEqual(utf8('rfc8448'));
    const sh = roundTrip(vecBytes(vec, S, 'Message_ServerHello'));
    if (sh.type !== 'server_hello') throw new Error(sh.type);
    expect(findExtension(sh.extensions, 'pre_shared_key')?.selectedIdentity).toBe(0);
  });

  test('client authentication: CertificateRequest', () => {
    const m = roundTrip(vecBytes(vec, 'Client_Authentication_Handshake', 'Message_CertificateRequest'));
    if (m.type !== 'certificate_request') throw new Error(m.type);
    expect(m.requestContext.length).toBe(0);
    expect(findExtension(m.extensions, 'signature_algorithms')?.schemes.length).toBe(15);
  });

  test('middlebox compatibility: 32-byte session id echoed', () => {
    const S = 'Middlebox_Compatibility_Mode';
    const [rec] = splitRecords(vecBytes(vec, S, 'Record_ClientHello_1'));
    const ch = roundTrip(rec?.fragment as Uint8Array);
    const sh = roundTrip(vecBytes(vec, S, 'Message_ServerHello'));
    if (ch.type !== 'client_hello' || sh.type !== 'server_hello') throw new Error('types');
    expect(ch.legacySessionId.length).toBe(32);
    expect(toHex(sh.legacySessionIdEcho)).toBe(toHex(ch.legacySessionId));
  });

  test('raw public key: Certificate entry is a SubjectPublicKeyInfo', () => {
    const m = roundTrip(vecBytes(vec, 'RawPublicKey_With_Client_Authentication', 'Message_Server_Certificate'));
    if (m.type !== 'certificate') throw new Error(m.type);
    expect(m.entries.length).toBe(1);
    expect(m.entries[0]?.data[0]).toBe(0x30);
    expect(m.entries[0]?.data.length).toBe(91);
  });

  test('message types map back to their codes', () => {
    const ee = parseHandshakeFrame(vecBytes(vec, 'Simple_1RTT_Handshake', 'Message_EncryptedExtensions'));
    expect(ee.msgType).toBe(HandshakeType.encrypted_extensions);
  });
});
