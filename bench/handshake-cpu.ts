// CPU time per full TLS 1.3 handshake on each crypto provider, both ends in
// memory (no sockets, so nothing but the engine and the crypto is counted):
// X25519, ECDSA P-256 chain verified, TLS_AES_128_GCM_SHA256. The providers
// alternate in rounds so that load from other processes falls on all alike;
// beside the WASM core and the node:crypto provider, the node:crypto
// provider with node:crypto's SHA-2/HMAC/HKDF for the key schedule (the
// choice src/node-crypto/provider.ts measured against).
//   npx esbuild bench/handshake-cpu.ts --bundle --platform=node --format=esm \
//     --packages=external --outfile=build/handshake-cpu.mjs \
//   && node build/handshake-cpu.mjs [handshakes per round]
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientConfig, serverConfig } from '../src/config.js';
import { TlsClient, TlsServer } from '../src/engine.js';
import { nodeCryptoProvider } from '../src/node-crypto/provider.js';
import type { CryptoProvider, Hasher, TlsHash } from '../src/provider.js';
import { wasmProvider } from '../src/provider-wasm.js';
import { parseCertificatesPem } from '../src/x509/certificate.js';

const X509 = join('test', 'vectors', 'x509');
const CHAIN = readFileSync(join(X509, 'leaf-localhost.pem'), 'utf8') + readFileSync(join(X509, 'int-p256.pem'), 'utf8');
const KEY = readFileSync(join(X509, 'keys', 'leaf-localhost.pkcs8.pem'), 'utf8');
const CA = parseCertificatesPem(readFileSync(join(X509, 'root-p256.pem'), 'utf8'));

const wrap = (h: ReturnType<typeof createHash>): Hasher => ({
  update(d) {
    h.update(d);
    return this;
  },
  digest: () => new Uint8Array(h.digest()),
  clone: () => wrap(h.copy()),
});
/** SHA-2, HMAC and HKDF-over-HMAC (RFC 5869 §2.3) on node:crypto, for the comparison only. */
function nodeHash(name: 'sha256' | 'sha384', length: number): TlsHash {
  const hmac = (k: Uint8Array, d: Uint8Array) => new Uint8Array(createHmac(name, k).update(d).digest());
  return {
    name,
    length,
    digest: (d) => new Uint8Array(createHash(name).update(d).digest()),
    create: () => wrap(createHash(name)),
    hmac,
    extract: hmac,
    expand(prk, info, size) {
      const out = new Uint8Array(size);
      let t = new Uint8Array(0);
      for (let i = 1, off = 0; off < size; i++, off += length) {
        t = new Uint8Array(createHmac(name, prk).update(t).update(info).update(Uint8Array.of(i)).digest());
        out.set(t.subarray(0, Math.min(length, size - off)), off);
      }
      return out;
    },
  };
}
const NODE_HASH = { sha256: nodeHash('sha256', 32), sha384: nodeHash('sha384', 48) };
const nodeHashed: CryptoProvider = { ...nodeCryptoProvider, name: 'node-crypto, node:crypto hashes', hash: (suite) => NODE_HASH[wasmProvider.hash(suite).name] };

const providers = [wasmProvider, nodeCryptoProvider, nodeHashed];
const configs = providers.map((provider) => ({
  server: serverConfig({ cert: CHAIN, key: KEY, provider, cipherSuites: ['TLS_AES_128_GCM_SHA256'], groups: ['x25519'] }),
  client: clientConfig({ serverName: 'localhost', ca: CA, provider, cipherSuites: ['TLS_AES_128_GCM_SHA256'], groups: ['x25519'] }),
}));

function handshake(k: number): void {
  const c = configs[k] as (typeof configs)[number];
  const client = new TlsClient(c.client);
  const server = new TlsServer(c.server);
  for (let flight = 0; flight < 4; flight++) {
    for (const b of client.takeOutput()) server.receive(b);
    for (const b of server.takeOutput()) client.receive(b);
  }
  if (client.handshakeInfo?.authorized !== true) throw new Error(`${providers[k]?.name}: the handshake did not complete`);
}

const N = Number(process.argv[2] ?? 60);
const ROUNDS = 5;
const ms = providers.map(() => [] as number[]);
for (const k of providers.keys()) for (let i = 0; i < 30; i++) handshake(k);
for (let round = 0; round < ROUNDS; round++) {
  for (const k of providers.keys()) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) handshake(k);
    const c = process.cpuUsage(c0);
    ms[k]?.push((c.user + c.system) / 1000 / N);
  }
}
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
console.log(`CPU per in-memory handshake (both ends), ${ROUNDS} alternating rounds of ${N}`);
for (const [k, p] of providers.entries()) {
  const m = ms[k] as number[];
  console.log(`  ${p.name.padEnd(32)} ${mean(m).toFixed(3)} ms  (${(mean(ms[0] as number[]) / mean(m)).toFixed(2)}x the WASM provider; rounds ${m.map((x) => x.toFixed(2)).join(' / ')})`);
}
