// `wasmtls demo` in process: the terminal walk-through of a real handshake
// and GET on loopback, its summary, and its usage errors.
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseDemoArgs } from '../../src/cli/args.js';

async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => {
    o += d.toString();
  });
  err.on('data', (d: Buffer) => {
    e += d.toString();
  });
  const status = await main(argv, { stdin, stdout: out, stderr: err }, () => new Promise(() => undefined));
  return { status, out: o, err: e };
}

describe('wasmtls demo', () => {
  test("prints the client's view step by step, then the summary", async () => {
    const r = await run(['demo', '--no-color']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const arrows = [...r.out.matchAll(/^client (──▶|◀──) server {2}(\S+)/gm)].map((m) => `${m[1] === '──▶' ? '>' : '<'} ${m[2]}`);
    expect(arrows).toEqual([
      '> ClientHello',
      '< ServerHello',
      '< ChangeCipherSpec',
      '< EncryptedExtensions',
      '< Certificate',
      '< CertificateVerify',
      '< Finished',
      '> ChangeCipherSpec',
      '> Finished',
      '> Application',
      '< Application',
      '< close_notify',
      '> close_notify',
    ]);
    expect(r.out).toContain('━━ Step 2 · The server proves who it is');
    expect(r.out).toMatch(/subjectAltName +DNS:localhost, IP:127\.0\.0\.1, IP:::1/);
    expect(r.out).toMatch(/plaintext +\d+ bytes: HTTP\/1\.1 200 OK/);
    expect(r.out).toMatch(/negotiated +TLSv1\.3 TLS_AES_128_GCM_SHA256 X25519MLKEM768 ecdsa_secp256r1_sha256 ALPN=http\/1\.1/);
    expect(r.out).toMatch(/HTTP +HTTP\/1\.1 200 OK, \d+ bytes/);
    for (const step of [1, 2, 3, 4]) expect(r.out).toMatch(new RegExp(`^ {4}${step}\\. .+ +\\d+\\.\\d ms$`, 'm'));
    expect(r.out).not.toContain('\x1b[');
  });

  test("--side server prints the server's view", async () => {
    const r = await run(['demo', '--side', 'server', '--no-color', '--bytes', '0']);
    expect(r.status).toBe(0);
    expect(r.out).toContain("The server's view");
    expect(r.out).toMatch(/^server ·· derives {2}Handshake keys/m);
    expect(r.out).not.toMatch(/^ {4}bytes/m);
  });

  test('--web serves the page, its script and its configuration on 127.0.0.1 until stopped', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const printed = new Promise<string>((resolve) => {
      out.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
        if (m !== null) resolve(m[1] as string);
      });
    });
    const status = main(['demo', '--web'], { stdin: new PassThrough(), stdout: out, stderr: err }, () => stopped);
    const url = await printed;
    try {
      expect(await (await fetch(url)).text()).toContain('<h1>How HTTPS works, step by step</h1>');
      const script = await (await fetch(`${url}page.js`)).text();
      expect(script.length).toBeGreaterThan(100_000);
      expect(script).not.toMatch(/["']node:/);
      const config = (await (await fetch(`${url}config.json`)).json()) as { tunnelUrl: string; ca: string; serverName: string };
      expect(config.tunnelUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/\?target=127\.0\.0\.1:\d+$/);
      expect(config.ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect((await fetch(`${url}nothing`)).status).toBe(404);
    } finally {
      stop();
    }
    expect(await status).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  }, 60_000);

  test('usage errors exit 2', async () => {
    const r = await run(['demo', '--side', 'both']);
    expect(r.status).toBe(2);
    expect(r.err).toContain('--side client or --side server');
    expect(() => parseDemoArgs(['--bytes', 'many'])).toThrow(/--bytes/);
    expect(() => parseDemoArgs(['--nope'])).toThrow();
  });
});
