// The TLS 1.2 state machines under hostile input: every handshake message
// type in every TLS 1.2 state where it is not expected is unexpected_message
// (the engine checks a state's `expects` before decoding, so the bodies do
// not matter), and the engine stays closed.
import { describe, test } from 'vitest';
import type { TestHooks } from '../../../src/handshake/common.js';
import { encodeHandshake, frameHandshake, HandshakeType } from '../../../src/wire/index.js';
import { expectFailed, PROVIDERS, run } from '../../helpers/hostile.js';
import { concatBytes } from '../../helpers/tls-pair.js';

/** One message of each type on the wire (bodies need not be valid: they are refused before decoding). */
const SAMPLES: readonly { name: string; type: number; bytes: Uint8Array }[] = Object.entries(HandshakeType)
  .filter(([, t]) => t !== HandshakeType.message_hash)
  .map(([name, type]) => ({ name, type, bytes: frameHandshake(type, new Uint8Array(4)) }));

const TLS12 = { maxVersion: 'TLSv1.2' } as const;

for (const provider of PROVIDERS) {
  describe(`TLS 1.2 client states (${provider.name} provider)`, () => {
    const states: { state: string; valid: number[]; hooks: (b: Uint8Array) => TestHooks }[] = [
      { state: 'ExpectCertificate12', valid: [11], hooks: (b) => ({ handshake: (m) => (m.type === 'certificate' ? b : m) }) },
      { state: 'ExpectServerKeyExchange', valid: [12], hooks: (b) => ({ handshake: (m) => (m.type === 'server_key_exchange' ? b : m) }) },
      { state: 'ExpectServerHelloDone', valid: [14], hooks: (b) => ({ handshake: (m) => (m.type === 'server_hello_done' ? b : m) }) },
      { state: 'ExpectServerFinished', valid: [20], hooks: (b) => ({ handshake: (m) => (m.type === 'finished' ? b : m) }) },
      { state: 'Connected12', valid: [0], hooks: (b) => ({ afterHandshake: () => [b] }) },
    ];
    for (const s of states) {
      for (const sample of SAMPLES.filter((x) => !s.valid.includes(x.type))) {
        test(`${sample.name} in ${s.state}`, () => {
          const { p } = run(provider, { client: TLS12, serverHooks: s.hooks(sample.bytes) });
          expectFailed(p.client, p.c, 'unexpected_message', p.s);
        });
      }
    }
  });

  describe(`TLS 1.2 server states (${provider.name} provider)`, () => {
    const states: { state: string; valid: number[]; hooks: (b: Uint8Array) => TestHooks }[] = [
      { state: 'ExpectClientKeyExchange', valid: [16], hooks: (b) => ({ handshake: (m) => (m.type === 'client_key_exchange' ? b : m) }) },
      { state: 'ExpectClientChangeCipherSpec', valid: [], hooks: (b) => ({ handshake: (m) => (m.type === 'client_key_exchange' ? concatBytes([encodeHandshake(m), b]) : m) }) },
      { state: 'ExpectClientFinished', valid: [20], hooks: (b) => ({ handshake: (m) => (m.type === 'finished' ? b : m) }) },
      { state: 'Connected12', valid: [1], hooks: (b) => ({ afterHandshake: () => [b] }) },
    ];
    for (const s of states) {
      for (const sample of SAMPLES.filter((x) => !s.valid.includes(x.type))) {
        test(`${sample.name} in ${s.state}`, () => {
          const { p } = run(provider, { client: TLS12, clientHooks: s.hooks(sample.bytes) });
          expectFailed(p.server, p.s, 'unexpected_message', p.c);
        });
      }
    }
  });
}
