// Interop with OpenSSL on loopback: the wasmtls client against
// `openssl s_server -tls1_3`, and `openssl s_client -tls1_3` against the
// wasmtls server, across the three suites, both groups, HelloRetryRequest in
// each direction and ECDSA P-256, RSA-2048 and Ed25519 certificates chained
// through an intermediate CA. Data goes both ways and both sides close.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CipherSuiteName, NamedGroupName } from '../../src/index.js';
import { IDENTITIES } from '../helpers/tls-pair.js';
import { clientTo, echoServer } from '../helpers/tcp.js';

const SUITES: CipherSuiteName[] = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const GROUPS = ['x25519', 'secp256r1'] as const satisfies readonly NamedGroupName[];
const KEYS = ['p256', 'rsa2048', 'ed25519'] as const;
const OPENSSL_GROUP = { x25519: 'X25519', secp256r1: 'P-256' } as const;

let dir = '';
const children = new Set<ChildProcess>();

/** The leaf and intermediate of an identity as separate files, plus its key and root. */
function files(key: (typeof KEYS)[number]): { cert: string; chain: string; key: string; ca: string } {
  const id = IDENTITIES[key];
  const [leaf, ...rest] = id.cert.split(/(?=-----BEGIN CERTIFICATE-----)/);
  const f = { cert: join(dir, `${key}.pem`), chain: join(dir, `${key}-chain.pem`), key: join(dir, `${key}.key`), ca: join(dir, `${key}-ca.pem`) };
  writeFileSync(f.cert, leaf!);
  writeFileSync(f.chain, rest.join(''));
  writeFileSync(f.key, id.key);
  writeFileSync(f.ca, id.ca);
  return f;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function run(
  args: string[],
  input?: string,
  holdStdinMs = 0,
): { child: ChildProcess; accepting: Promise<void>; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  // s_server prints ACCEPT once it listens; probing the port would use up its one -naccept.
  let accepted: () => void = () => {};
  const accepting = new Promise<void>((resolve) => (accepted = resolve));
  child.stdout!.on('data', (d) => {
    stdout += d;
    if (stdout.includes('ACCEPT')) accepted();
  });
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.on('error', () => {});
  if (input !== undefined) {
    child.stdin!.write(input);
    setTimeout(() => child.stdin!.end(), holdStdinMs);
  }
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
  child.on('close', () => clearTimeout(kill));
  return { child, accepting, done };
}

/** Lines of printable text, each reversed by `s_server -rev`. */
function lines(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${i}:`.padEnd(width, String.fromCharCode(97 + (i % 26))) + '\n';
  return s;
}
const reverseLines = (text: string): string =>
  text
    .split('\n')
    .map((l) => [...l].reverse().join(''))
    .join('\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wasmtls-interop-'));
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('wasmtls client against openssl s_server -tls1_3', () => {
  const cases: { suite: CipherSuiteName; group: (typeof GROUPS)[number]; key: (typeof KEYS)[number]; clientGroups: NamedGroupName[] }[] = [];
  for (const key of KEYS) for (const suite of SUITES) for (const group of GROUPS) cases.push({ suite, group, key, clientGroups: [group] });
  // HelloRetryRequest: the client's first group is not one the server takes.
  cases.push({ suite: SUITES[0]!, group: 'secp256r1', key: 'p256', clientGroups: ['x25519', 'secp256r1'] });
  cases.push({ suite: SUITES[2]!, group: 'x25519', key: 'ed25519', clientGroups: ['secp256r1', 'x25519'] });

  test.each(cases)('$suite $group $key (client offers $clientGroups)', async ({ suite, group, key, clientGroups }) => {
    const f = files(key);
    const port = await freePort();
    const server = run([
      's_server', '-accept', `127.0.0.1:${port}`, '-tls1_3', '-rev', '-naccept', '1',
      '-cert', f.cert, '-cert_chain', f.chain, '-key', f.key,
      '-ciphersuites', suite, '-groups', OPENSSL_GROUP[group],
    ]);
    await server.accepting;
    const text = lines(40, 200);
    const want = new TextEncoder().encode(reverseLines(text));
    const out = await clientTo(
      port,
      { serverName: IDENTITIES[key].serverName, ca: IDENTITIES[key].ca, cipherSuites: [suite], groups: clientGroups },
      (tls) => tls.write(new TextEncoder().encode(text)),
      (got) => got.length >= want.length,
    );
    expect(out.error?.message).toBeUndefined();
    expect(out.info?.cipherSuite).toBe(suite);
    expect(out.info?.group).toBe(group);
    expect(out.info?.helloRetryRequest).toBe(clientGroups[0] !== group);
    expect(new TextDecoder().decode(out.received)).toBe(new TextDecoder().decode(want));
    await server.done;
  });
});

describe('openssl s_client -tls1_3 against the wasmtls server', () => {
  const cases: { suite: CipherSuiteName; group: (typeof GROUPS)[number]; key: (typeof KEYS)[number]; serverGroups: NamedGroupName[] }[] = [];
  for (const key of KEYS) for (const suite of SUITES) for (const group of GROUPS) cases.push({ suite, group, key, serverGroups: [group] });

  test.each(cases)('$suite $group $key', async ({ suite, group, key, serverGroups }) => {
    const f = files(key);
    const id = IDENTITIES[key];
    const server = await echoServer({ cert: id.cert, key: id.key, cipherSuites: [suite], groups: serverGroups });
    try {
      const text = lines(20, 300);
      // s_client offers X25519 first by default, so secp256r1 here is a HelloRetryRequest from our server.
      const client = run(
        [
          's_client', '-connect', `127.0.0.1:${server.port}`, '-tls1_3', '-quiet', '-no_ign_eof', '-verify_return_error',
          '-CAfile', f.ca, '-servername', id.serverName, '-ciphersuites', suite, '-groups', 'X25519:P-256',
          ...(id.serverName === '127.0.0.1' ? ['-verify_ip', '127.0.0.1'] : ['-verify_hostname', id.serverName]),
        ],
        text,
        1000,
      );
      const { code, stdout, stderr } = await client.done;
      expect(stderr).not.toMatch(/error|alert/i);
      expect(code).toBe(0);
      expect(stdout).toBe(text);
      const [outcome] = await Promise.all(server.outcomes);
      expect(outcome!.error?.message).toBeUndefined();
      expect(outcome!.info?.cipherSuite).toBe(suite);
      expect(outcome!.info?.group).toBe(group);
      expect(outcome!.info?.helloRetryRequest).toBe(group !== 'x25519');
      expect(outcome!.peerClosed).toBe(true);
    } finally {
      await server.close();
    }
  });
});
