#!/usr/bin/env node
// Records real TLS 1.3 handshakes between `openssl s_client` and
// `openssl s_server` on loopback, for the fuzz tests' seeds (issue 6), and
// writes them to test/vectors/openssl-handshakes.json. Run once by hand:
//
//   node scripts/capture-openssl-handshake.mjs
//
// A TCP relay between the two records each direction's bytes; s_client's
// key log (-keylogfile) gives the traffic secrets, with which the script
// removes record protection (RFC 8446 §5.2, §7.3) using node:crypto only, so
// the fixture holds both the records as sent and every handshake message in
// the clear. The tests read the JSON and never need openssl.
import { spawn } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const X509 = join(ROOT, 'test', 'vectors', 'x509');
const OUT = join(ROOT, 'test', 'vectors', 'openssl-handshakes.json');
const OPENSSL = process.env.OPENSSL ?? 'openssl';

const SUITES = {
  TLS_AES_128_GCM_SHA256: { hash: 'sha256', hashLen: 32, keyLen: 16, cipher: 'aes-128-gcm' },
  TLS_AES_256_GCM_SHA384: { hash: 'sha384', hashLen: 48, keyLen: 32, cipher: 'aes-256-gcm' },
  TLS_CHACHA20_POLY1305_SHA256: { hash: 'sha256', hashLen: 32, keyLen: 32, cipher: 'chacha20-poly1305' },
};

/** The handshakes recorded: a plain one and one with a HelloRetryRequest. */
const CAPTURES = [
  { name: 'x25519', suite: 'TLS_AES_128_GCM_SHA256', clientGroups: 'X25519:P-256', serverGroups: 'X25519:P-256' },
  { name: 'hrr-secp256r1', suite: 'TLS_CHACHA20_POLY1305_SHA256', clientGroups: 'X25519:P-256', serverGroups: 'P-256' },
];

const hex = (b) => Buffer.from(b).toString('hex');

function hkdfExpandLabel(hash, secret, label, length) {
  const full = Buffer.from(`tls13 ${label}`);
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  // HKDF-Expand (RFC 5869 §2.3); every length here fits one block.
  return createHmac(hash, secret).update(Buffer.concat([info, Buffer.from([1])])).digest().subarray(0, length);
}

/** Splits a byte stream into records. */
function records(stream) {
  const out = [];
  for (let at = 0; at + 5 <= stream.length; ) {
    const len = stream.readUInt16BE(at + 3);
    out.push({ type: stream[at], bytes: stream.subarray(at, at + 5 + len) });
    at += 5 + len;
  }
  return out;
}

/** Removes record protection from one direction; returns the handshake messages in order. */
function decrypt(recs, suite, secrets) {
  const p = SUITES[suite];
  let epoch = 0;
  let seq = 0;
  let pending = Buffer.alloc(0);
  const messages = [];
  const out = [];
  const open = (rec) => {
    const secret = secrets[epoch];
    const key = hkdfExpandLabel(p.hash, secret, 'key', p.keyLen);
    const iv = hkdfExpandLabel(p.hash, secret, 'iv', 12);
    for (let i = 0; i < 8; i++) iv[11 - i] ^= Number((BigInt(seq) >> BigInt(8 * i)) & 0xffn);
    seq++;
    const header = rec.bytes.subarray(0, 5);
    const body = rec.bytes.subarray(5);
    const d = createDecipheriv(p.cipher, key, iv, { authTagLength: 16 });
    d.setAAD(header);
    d.setAuthTag(body.subarray(body.length - 16));
    const inner = Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]);
    let end = inner.length - 1;
    while (inner[end] === 0) end--;
    return { type: inner[end], content: inner.subarray(0, end) };
  };
  for (const rec of recs) {
    if (rec.type === 20) {
      out.push({ record: hex(rec.bytes), epoch: 'plaintext' });
      continue;
    }
    let type = rec.type;
    let content = rec.bytes.subarray(5);
    const protectedRecord = rec.type === 23;
    const epochName = protectedRecord ? (epoch === 0 ? 'handshake' : 'application') : 'plaintext';
    if (protectedRecord) ({ type, content } = open(rec));
    out.push({ record: hex(rec.bytes), epoch: epochName, innerType: type, inner: hex(content) });
    if (type !== 22) continue;
    pending = Buffer.concat([pending, content]);
    while (pending.length >= 4) {
      const len = pending.readUIntBE(1, 3);
      if (pending.length < 4 + len) break;
      const msg = pending.subarray(0, 4 + len);
      messages.push({ epoch: epochName, message: hex(msg) });
      pending = pending.subarray(4 + len);
      if (msg[0] === 20 && protectedRecord && epoch === 0) {
        epoch = 1;
        seq = 0;
      }
    }
  }
  return { records: out, messages };
}

function run(cmd, args, input) {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  if (input !== undefined) child.stdin.write(input);
  return { child, out: () => stdout, err: () => stderr };
}

async function capture(c) {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtls-capture-'));
  const keylog = join(dir, 'keylog.txt');
  // s_server's stdout is block-buffered on a pipe, so its ACCEPT line comes
  // late: take a free port here and poll until it accepts.
  const port = await new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const p = probe.address().port;
      probe.close(() => resolve(p));
    });
  });
  const server = run(OPENSSL, [
    's_server', '-tls1_3', '-accept', `127.0.0.1:${port}`, '-groups', c.serverGroups, '-ciphersuites', c.suite,
    '-cert', join(X509, 'leaf-localhost.pem'), '-cert_chain', join(X509, 'int-p256.pem'), '-key', join(X509, 'keys', 'leaf-localhost.pkcs8.pem'),
  ]);
  try {
    for (let i = 0; ; i++) {
      const ok = await new Promise((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.on('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (ok) break;
      if (i > 100) throw new Error(`s_server did not start: ${server.err()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const fromClient = [];
    const fromServer = [];
    const relay = createServer((down) => {
      const up = connect(port, '127.0.0.1');
      down.on('data', (d) => {
        fromClient.push(d);
        up.write(d);
      });
      up.on('data', (d) => {
        fromServer.push(d);
        down.write(d);
      });
      down.on('end', () => up.end());
      up.on('end', () => down.end());
      down.on('error', () => up.destroy());
      up.on('error', () => down.destroy());
    });
    await new Promise((r) => relay.listen(0, '127.0.0.1', r));
    const client = run(
      OPENSSL,
      ['s_client', '-tls1_3', '-connect', `127.0.0.1:${relay.address().port}`, '-servername', 'localhost', '-groups', c.clientGroups,
        '-ciphersuites', c.suite, '-CAfile', join(X509, 'root-p256.pem'), '-keylogfile', keylog, '-brief'],
    );
    client.child.stdin.write('hello from s_client\n');
    await new Promise((r) => setTimeout(r, 1500));
    client.child.stdin.end();
    await new Promise((r) => client.child.on('exit', r));
    relay.close();
    const secrets = Object.fromEntries(
      readFileSync(keylog, 'utf8').trim().split('\n').map((l) => l.split(' ')).map(([label, , s]) => [label, Buffer.from(s, 'hex')]),
    );
    const clientStream = Buffer.concat(fromClient);
    const serverStream = Buffer.concat(fromServer);
    return {
      name: c.name,
      suite: c.suite,
      clientGroups: c.clientGroups,
      serverGroups: c.serverGroups,
      client: decrypt(records(clientStream), c.suite, [secrets.CLIENT_HANDSHAKE_TRAFFIC_SECRET, secrets.CLIENT_TRAFFIC_SECRET_0]),
      server: decrypt(records(serverStream), c.suite, [secrets.SERVER_HANDSHAKE_TRAFFIC_SECRET, secrets.SERVER_TRAFFIC_SECRET_0]),
    };
  } finally {
    server.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Confirm the AEAD names before recording anything.
for (const s of Object.values(SUITES)) createCipheriv(s.cipher, Buffer.alloc(s.keyLen), Buffer.alloc(12), { authTagLength: 16 });

const version = await new Promise((resolve) => {
  const v = run(OPENSSL, ['version']);
  v.child.on('exit', () => resolve(v.out().trim()));
});
const handshakes = [];
for (const c of CAPTURES) handshakes.push(await capture(c));
writeFileSync(
  OUT,
  `${JSON.stringify({ source: 'scripts/capture-openssl-handshake.mjs', openssl: version, identity: 'leaf-localhost + int-p256 (root-p256), serverName localhost', handshakes }, null, 1)}\n`,
);
for (const h of handshakes) {
  console.log(`${h.name}: client ${h.client.records.length} records / ${h.client.messages.length} messages, server ${h.server.records.length} records / ${h.server.messages.length} messages`);
}
