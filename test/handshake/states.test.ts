// The state machines under hostile input: every handshake message in every
// state where it is not expected (unexpected_message, and the engine stays
// closed). Issue 6's other bad inputs are in test/hostile/, by group.
import { describe, expect, test } from 'vitest';
import type { TestHooks } from '../../src/handshake/common.js';
import { type ClientHello, ContentType, encodeHandshake, frameHandshake, HandshakeType } from '../../src/wire/index.js';
import { expectFailed, plaintextRecord, PROVIDERS, run, type RunOptions, watchedServer } from '../helpers/hostile.js';
import { concatBytes } from '../helpers/tls-pair.js';

// A ClientHello of the kind a real client sends, for the samples below.
const SAMPLE_CH: ClientHello = {
  type: 'client_hello',
  legacyVersion: 0x0303,
  random: new Uint8Array(32).fill(7),
  legacySessionId: new Uint8Array(0),
  cipherSuites: [0x1301],
  legacyCompressionMethods: [0],
  extensions: [
    { type: 'supported_versions', versions: [0x0304] },
    { type: 'supported_groups', groups: [0x1d] },
    { type: 'key_share', shares: [{ group: 0x1d, keyExchange: new Uint8Array(32).fill(9) }] },
    { type: 'signature_algorithms', schemes: [0x0403] },
  ],
};

/** One well-formed instance of every handshake message type, plus types that do not exist on the wire. */
const SAMPLES: readonly { name: string; type: number; bytes: Uint8Array }[] = [
  { name: 'ClientHello', type: 1, bytes: encodeHandshake(SAMPLE_CH) },
  {
    name: 'ServerHello',
    type: 2,
    bytes: encodeHandshake({
      type: 'server_hello',
      legacyVersion: 0x0303,
      random: new Uint8Array(32).fill(1),
      legacySessionIdEcho: new Uint8Array(0),
      cipherSuite: 0x1301,
      legacyCompressionMethod: 0,
      extensions: [{ type: 'supported_versions', selectedVersion: 0x0304 }],
    }),
  },
  {
    name: 'HelloRetryRequest',
    type: 2,
    bytes: encodeHandshake({
      type: 'hello_retry_request',
      legacyVersion: 0x0303,
      legacySessionIdEcho: new Uint8Array(0),
      cipherSuite: 0x1301,
      legacyCompressionMethod: 0,
      extensions: [{ type: 'supported_versions', selectedVersion: 0x0304 }, { type: 'key_share', selectedGroup: 0x17 }],
    }),
  },
  {
    name: 'NewSessionTicket',
    type: 4,
    bytes: encodeHandshake({ type: 'new_session_ticket', ticketLifetime: 60, ticketAgeAdd: 1, ticketNonce: new Uint8Array(1), ticket: new Uint8Array(16), extensions: [] }),
  },
  { name: 'EndOfEarlyData', type: 5, bytes: encodeHandshake({ type: 'end_of_early_data' }) },
  { name: 'EncryptedExtensions', type: 8, bytes: encodeHandshake({ type: 'encrypted_extensions', extensions: [] }) },
  { name: 'Certificate', type: 11, bytes: encodeHandshake({ type: 'certificate', requestContext: new Uint8Array(0), entries: [{ data: new Uint8Array(8), extensions: [] }] }) },
  {
    name: 'CertificateRequest',
    type: 13,
    bytes: encodeHandshake({ type: 'certificate_request', requestContext: new Uint8Array(0), extensions: [{ type: 'signature_algorithms', schemes: [0x0403] }] }),
  },
  { name: 'CertificateVerify', type: 15, bytes: encodeHandshake({ type: 'certificate_verify', algorithm: 0x0403, signature: new Uint8Array(70) }) },
  { name: 'Finished', type: 20, bytes: encodeHandshake({ type: 'finished', verifyData: new Uint8Array(32) }) },
  { name: 'KeyUpdate', type: 24, bytes: encodeHandshake({ type: 'key_update', updateRequested: false }) },
  // TLS 1.2 only (src/wire/tls12-messages.ts): unexpected in every TLS 1.3 state.
  { name: 'HelloRequest', type: 0, bytes: encodeHandshake({ type: 'hello_request' }) },
  {
    name: 'ServerKeyExchange',
    type: 12,
    bytes: encodeHandshake({ type: 'server_key_exchange', namedCurve: 0x1d, publicKey: new Uint8Array(32).fill(9), scheme: 0x0403, signature: new Uint8Array(70) }),
  },
  { name: 'ServerHelloDone', type: 14, bytes: encodeHandshake({ type: 'server_hello_done' }) },
  { name: 'ClientKeyExchange', type: 16, bytes: encodeHandshake({ type: 'client_key_exchange', publicKey: new Uint8Array(32).fill(9) }) },
  { name: 'unknown type 3', type: 3, bytes: frameHandshake(3, new Uint8Array(4)) },
  { name: 'message_hash (254)', type: 254, bytes: frameHandshake(254, new Uint8Array(32)) },
];

for (const provider of PROVIDERS) {
  describe(`(${provider.name} provider)`, () => {
    describe('client: every message in every state where it is not expected', () => {
      // How the server delivers the sample in place of the message the client waits for.
      const states: { state: string; valid: number[]; hooks: (bytes: Uint8Array) => TestHooks }[] = [
        { state: 'ExpectServerHello', valid: [2], hooks: (b) => ({ handshake: (m) => (m.type === 'server_hello' ? b : m) }) },
        { state: 'ExpectEncryptedExtensions', valid: [8], hooks: (b) => ({ handshake: (m) => (m.type === 'encrypted_extensions' ? b : m) }) },
        { state: 'ExpectCertificateOrCertificateRequest', valid: [11, 13], hooks: (b) => ({ handshake: (m) => (m.type === 'certificate' ? b : m) }) },
        {
          state: 'ExpectCertificate',
          valid: [11],
          hooks: (b) => ({
            handshake: (m) =>
              m.type === 'encrypted_extensions' ? concatBytes([encodeHandshake(m), (SAMPLES[7] as { bytes: Uint8Array }).bytes]) : m.type === 'certificate' ? b : m,
          }),
        },
        { state: 'ExpectCertificateVerify', valid: [15], hooks: (b) => ({ handshake: (m) => (m.type === 'certificate_verify' ? b : m) }) },
        { state: 'ExpectFinished', valid: [20], hooks: (b) => ({ handshake: (m) => (m.type === 'finished' ? b : m) }) },
        { state: 'Connected', valid: [4, 24], hooks: (b) => ({ afterHandshake: () => [b] }) },
      ];
      for (const s of states) {
        for (const sample of SAMPLES.filter((x) => !s.valid.includes(x.type))) {
          test(`${sample.name} in ${s.state}`, () => {
            const { p } = run(provider, { serverHooks: s.hooks(sample.bytes) });
            expectFailed(p.client, p.c, 'unexpected_message', p.s);
          });
        }
      }
    });

    describe('server: every message in every state where it is not expected', () => {
      for (const sample of SAMPLES.filter((x) => x.type !== 1)) {
        test(`${sample.name} in ExpectClientHello`, () => {
          const { server, r } = watchedServer(provider);
          server.receive(plaintextRecord(22, sample.bytes, 0x0301));
          expectFailed(server, r, 'unexpected_message');
        });
      }
      const states: { state: string; valid: number[]; o: (b: Uint8Array) => RunOptions }[] = [
        {
          state: 'ExpectSecondClientHello',
          valid: [1],
          o: (b) => {
            let n = 0;
            return { server: { groups: ['secp256r1'] }, clientHooks: { handshake: (m) => (m.type === 'client_hello' && n++ === 1 ? b : m) } };
          },
        },
        { state: 'ExpectFinished', valid: [20], o: (b) => ({ clientHooks: { handshake: (m) => (m.type === 'finished' ? b : m) } }) },
        { state: 'Connected', valid: [24], o: (b) => ({ clientHooks: { afterHandshake: () => [b] } }) },
      ];
      for (const s of states) {
        for (const sample of SAMPLES.filter((x) => !s.valid.includes(x.type))) {
          test(`${sample.name} in ${s.state}`, () => {
            const { p } = run(provider, s.o(sample.bytes));
            expectFailed(p.server, p.s, 'unexpected_message', p.c);
          });
        }
      }
    });

  });
}

test('the message samples cover every handshake type', () => {
  const types = new Set(SAMPLES.map((s) => s.type));
  for (const t of Object.values(HandshakeType)) if (t !== HandshakeType.message_hash) expect(types.has(t)).toBe(true);
  expect(ContentType.handshake).toBe(22);
});
