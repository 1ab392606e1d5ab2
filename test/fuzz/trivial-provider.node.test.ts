// The trivial provider (test/helpers/trivial-provider.ts) turns off record
// protection and signatures for the fuzzers. It must be impossible to select
// by accident: nothing in src/ may reach it, the package may not ship it,
// and the default provider refuses what it produces.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { TlsClient } from '../../src/engine.js';
import { concatBytes, IDENTITIES, pump, record } from '../helpers/tls-pair.js';
import { trivialServer } from '../helpers/fuzz.js';
import { AT } from '../helpers/x509-fixtures.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('the trivial provider stays in the tests', () => {
  test('no file under src/ refers to it or imports from test/', () => {
    const sources = files(join(ROOT, 'src'));
    expect(sources.length).toBeGreaterThan(30);
    const offenders = sources.filter((f) => /trivial-provider|unsafeTrivialProvider|UNSAFE-trivial|from '[^']*\/test\//.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  test('the package ships neither test/ nor an export into it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, unknown> };
    expect(pkg.files.some((f) => f.startsWith('test'))).toBe(false);
    expect(JSON.stringify(pkg.exports)).not.toMatch(/test\//);
  });

  test('a client on the default provider refuses a trivially protected server flight (bad_record_mac)', () => {
    const client = new TlsClient({ serverName: IDENTITIES.p256.serverName, ca: IDENTITIES.p256.ca, now: AT });
    const c = record(client);
    const server = trivialServer();
    record(server);
    pump(client, server);
    expect(c.errors.map((e) => e.alert)).toEqual(['bad_record_mac']);
    expect(c.handshake).toBeUndefined();
    expect(concatBytes(client.takeOutput()).length).toBe(0);
  });
});
