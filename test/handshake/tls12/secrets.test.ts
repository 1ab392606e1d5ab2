// After a TLS 1.2 connection closes, the WASM core's memory holds no master
// secret, record key or IV, ephemeral private key or signing key of it (as
// test/handshake/secrets.test.ts checks for TLS 1.3). The record keys are
// re-derived here from the CLIENT_RANDOM key log line with the PRF.
import { expect, test } from 'vitest';
import { prf } from '../../../src/handshake/tls12/key-schedule.js';
import { tls12Suite } from '../../../src/handshake/tls12/suites.js';
import type { CryptoProvider } from '../../../src/provider.js';
import { wasmProvider } from '../../../src/provider-wasm.js';
import { CipherSuite } from '../../../src/wire/constants.js';
import { parsePrivateKey } from '../../../src/x509/keys.js';
import { fromHex, utf8 } from '../../helpers/hex.js';
import { findInWasmMemory } from '../../helpers/memscan.js';
import { IDENTITIES, pair } from '../../helpers/tls-pair.js';

test.each([
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'x25519', 'p256'],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'secp256r1', 'rsa2048'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'x25519', 'p256'],
] as const)('%s %s %s: no secret left in WASM memory after close', (name, group, key) => {
  const suite = tls12Suite(CipherSuite[name]);
  if (suite === undefined) throw new Error(name);
  const secrets: Uint8Array[] = [];
  const provider: CryptoProvider = {
    ...wasmProvider,
    keyExchange: (g, sk) => {
      const s = sk ?? wasmProvider.randomBytes(32);
      secrets.push(s.slice());
      return wasmProvider.keyExchange(g, s);
    },
  };
  let logged: { clientRandom: Uint8Array; master: Uint8Array } | undefined;
  const keylog = (line: string) => {
    const [label, clientRandom, master] = line.split(' ') as [string, string, string];
    expect(label).toBe('CLIENT_RANDOM');
    logged = { clientRandom: fromHex(clientRandom), master: fromHex(master) };
    secrets.push(logged.master);
  };
  const id = IDENTITIES[key];
  const signing = parsePrivateKey(id.key);
  secrets.push(signing.type === 'ec' ? signing.d : signing.type === 'ed25519' ? signing.seed : signing.d);
  let serverRandom: Uint8Array | undefined;
  const p = pair(
    id,
    { provider, keylog, cipherSuites: [name], groups: [group], maxVersion: 'TLSv1.2', trace: (e) => { if (e.decoded?.type === 'server_hello') serverRandom = e.decoded.random; } },
    { provider, key: signing },
  );
  p.pump();
  expect(p.c.handshake?.cipherSuite).toBe(name);
  p.client.write(utf8('x'.repeat(5000)));
  p.server.write(utf8('y'.repeat(70000)));
  p.pump();
  p.client.close();
  p.server.close();
  p.pump();
  p.client.transportClosed();
  p.server.transportClosed();
  expect(p.c.errors).toEqual([]);
  expect(p.s.errors).toEqual([]);
  // The key block from the logged master secret (RFC 5246 §6.3): both keys and both IVs.
  const l = logged as { clientRandom: Uint8Array; master: Uint8Array };
  const block = prf(wasmProvider.hash(suite.aeadSuite), l.master, 'key expansion', new Uint8Array([...(serverRandom as Uint8Array), ...l.clientRandom]), 2 * (suite.keyLength + suite.ivLength));
  const k = suite.keyLength;
  secrets.push(block.slice(0, k), block.slice(k, 2 * k));
  if (suite.ivLength === 12) secrets.push(block.slice(2 * k, 2 * k + 12), block.slice(2 * k + 12));
  // Two ephemeral keys, the signing key, the master secret, two keys (and two 12-byte IVs for ChaCha20).
  expect(secrets.length).toBe(2 + 1 + 1 + 2 + (suite.ivLength === 12 ? 2 : 0));
  for (const s of secrets) expect(findInWasmMemory(s), `a ${s.length}-byte secret`).toEqual([]);
});
