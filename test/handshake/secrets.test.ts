// After connections close, the WASM core's memory holds no traffic secret,
// traffic key or IV, exporter secret, ephemeral private key or server
// signing key of them, after a clean close and after a handshake aborted by
// an alert (issue 6, "Side channels and secrets").
import { expect, test } from 'vitest';
import { hkdfExpandLabel } from '../../src/keyschedule.js';
import { SHA256, SHA384 } from '../../src/provider-wasm.js';
import type { CryptoProvider } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { parsePrivateKey } from '../../src/x509/keys.js';
import { fromHex, utf8 } from '../helpers/hex.js';
import { findInWasmMemory } from '../helpers/memscan.js';
import { IDENTITIES, pair } from '../helpers/tls-pair.js';

test.each([
  ['TLS_AES_128_GCM_SHA256', 'x25519', 'p256'],
  ['TLS_AES_256_GCM_SHA384', 'secp256r1', 'ed25519'],
  ['TLS_CHACHA20_POLY1305_SHA256', 'x25519', 'p256'],
] as const)('%s %s %s: no secret left in WASM memory after close', (suite, group, key) => {
  const secrets: Uint8Array[] = [];
  const provider: CryptoProvider = {
    ...wasmProvider,
    keyExchange: (g, sk) => {
      const s = sk ?? wasmProvider.randomBytes(32);
      secrets.push(s.slice());
      return wasmProvider.keyExchange(g, s);
    },
  };
  const hash = suite === 'TLS_AES_256_GCM_SHA384' ? SHA384 : SHA256;
  const keyLength = suite === 'TLS_AES_128_GCM_SHA256' ? 16 : 32;
  const keylog = (line: string) => {
    const secret = fromHex(line.split(' ')[2] as string);
    secrets.push(secret);
    if (!line.startsWith('EXPORTER')) {
      secrets.push(hkdfExpandLabel(hash, secret, 'key', new Uint8Array(0), keyLength));
      secrets.push(hkdfExpandLabel(hash, secret, 'iv', new Uint8Array(0), 12));
    }
  };
  const id = IDENTITIES[key];
  const signing = parsePrivateKey(id.key);
  secrets.push(signing.type === 'ec' ? signing.d : signing.type === 'ed25519' ? signing.seed : signing.d);
  const p = pair(id, { provider, keylog, cipherSuites: [suite], groups: [group] }, { provider, key: signing });
  p.pump();
  p.client.keyUpdate(true);
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
  // Two ephemeral keys, the signing key, four traffic secrets with their keys and IVs, the exporter secret.
  expect(secrets.length).toBe(2 + 1 + 4 * 3 + 1);
  for (const s of secrets) expect(findInWasmMemory(s), `a ${s.length}-byte secret`).toEqual([]);
});

test('a handshake aborted by an alert leaves no secret in WASM memory', () => {
  const secrets: Uint8Array[] = [];
  const provider: CryptoProvider = {
    ...wasmProvider,
    keyExchange: (g, sk) => {
      const s = sk ?? wasmProvider.randomBytes(32);
      secrets.push(s.slice());
      return wasmProvider.keyExchange(g, s);
    },
  };
  const keylog = (line: string) => {
    const secret = fromHex(line.split(' ')[2] as string);
    secrets.push(secret);
    if (!line.startsWith('EXPORTER')) {
      secrets.push(hkdfExpandLabel(SHA256, secret, 'key', new Uint8Array(0), 16));
      secrets.push(hkdfExpandLabel(SHA256, secret, 'iv', new Uint8Array(0), 12));
    }
  };
  // The client rejects the certificate (wrong name) after deriving its handshake secrets; the server has its application secrets by then.
  const p = pair(IDENTITIES.p256, { provider, keylog, serverName: 'wrong.example', cipherSuites: ['TLS_AES_128_GCM_SHA256'] }, { provider, keylog });
  p.pump();
  expect(p.c.errors.map((e) => e.alert)).toEqual(['bad_certificate']);
  expect(p.s.errors.map((e) => e.alert)).toEqual(['bad_certificate']);
  p.client.transportClosed();
  p.server.transportClosed();
  // Two ephemeral keys; both handshake secrets and both application secrets with keys and IVs (client and server log the same ones), the exporter secret.
  expect(secrets.length).toBeGreaterThanOrEqual(2 + 2 * 3);
  for (const s of secrets) expect(findInWasmMemory(s), `a ${s.length}-byte secret`).toEqual([]);
});
