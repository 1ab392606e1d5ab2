// The command line's own surface: per-command --help, --version, wasmtls's
// wording for unknown or missing options (exit status 2 with a pointer to
// the command's --help), and the value checks that moved into args.ts.
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { commandHelp, EXIT, parseCommandLine, parseGetArgs, parseTunnelArgs, UsageError } from '../../src/cli/args.js';
import { main, packageVersion } from '../../src/cli/main.js';

async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (d: Buffer) => (chunks.out += String(d)));
  err.on('data', (d: Buffer) => (chunks.err += String(d)));
  const status = await main(argv, { stdin: new PassThrough(), stdout: out, stderr: err }, () => Promise.resolve());
  return { status, ...chunks };
}

describe('wasmtls --help and --version', () => {
  test('the top level lists every command, the exit statuses and --version', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(EXIT.ok);
    for (const c of ['connect', 'serve', 'get', 'tunnel', 'demo']) expect(r.out).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.out).toMatch(/exit status: 0 success, 1 failure .*\n.* 2 usage error/);
    expect(r.out.split('\n').length).toBeLessThan(25);
  });

  test.each(['connect', 'serve', 'get', 'tunnel', 'demo'])('wasmtls %s --help prints that command only', async (c) => {
    const r = await run([c, '--help']);
    expect(r.status).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`^usage: wasmtls ${c} `));
    expect(r.out).toBe(commandHelp(c));
    for (const other of ['connect', 'serve', 'get', 'tunnel', 'demo'].filter((o) => o !== c)) expect(r.out).not.toMatch(new RegExp(`wasmtls ${other} `));
    // -h, `help CMD`, and --help after other (even bad) options give the same.
    expect((await run([c, '-h'])).out).toBe(r.out);
    expect((await run(['help', c])).out).toBe(r.out);
    expect((await run([c, '--bogus', '--help'])).out).toBe(r.out);
  });

  test('--version prints the package.json version', async () => {
    const r = await run(['--version']);
    expect(r.status).toBe(0);
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.out).toBe(`wasmtls ${packageVersion()}\n`);
  });
});

describe('usage errors: exit status 2, our wording, a pointer to --help', () => {
  test.each([
    [['connect', 'localhost:443', '--bogus'], /^error: wasmtls connect: unknown option --bogus\nRun "wasmtls connect --help" for usage\.\n$/],
    [['connect', 'localhost:443', '--servername'], /wasmtls connect: --servername needs a value \(NAME\)/],
    [['connect', 'localhost:443', '--ca', '--insecure'], /--ca needs a value \(FILE\)/],
    [['connect', 'localhost:443', '--insecure=yes'], /--insecure takes no value \(got "yes"\)/],
    [['connect', 'localhost:443', '--ca', 'a', '--ca', 'b'], /--ca given twice/],
    [['connect', 'localhost:443', '--cipher', 'x'], /unknown option --cipher \(did you mean --ciphers\?\)/],
    [['connect'], /wasmtls connect: HOST:PORT is missing/],
    [['serve', '-x'], /wasmtls serve: unknown option -x/],
    [['serve', '--cert', 'c.pem'], /wasmtls serve: --cert and --key go together\nRun "wasmtls serve --help"/],
    [['get'], /wasmtls get: URL is missing/],
    [['tunnel', '--allow', '127.0.0.1:1'], /wasmtls tunnel: --port is required/],
    [['demo', '--side', 'both'], /--side client or --side server, not both/],
    [['frobnicate'], /^error: unknown command frobnicate\nRun "wasmtls --help" for usage\.\n$/],
    [['--frobnicate'], /unknown option --frobnicate \(options go after the command\)/],
    [[], /a command is required/],
  ])('%j', async (argv, message) => {
    const r = await run(argv);
    expect(r.status).toBe(EXIT.usage);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/ERR_PARSE_ARGS|TypeError/);
  });

  test('get: a URL without a scheme suggests https://', () => {
    expect(() => parseGetArgs(['localhost:9443'])).toThrow('wasmtls get: "localhost:9443" has no scheme; did you mean https://localhost:9443/ ?');
    expect(() => parseGetArgs(['example.com/x'])).toThrow('did you mean https://example.com/x ?');
    expect(() => parseGetArgs(['http://example.com/'])).toThrow('"http://example.com/" is an http: URL; wasmtls get speaks https: only');
    expect(parseGetArgs(['https://[::1]:8443/a', '--trace'])).toEqual({ url: 'https://[::1]:8443/a', ca: undefined, insecure: false, trace: true });
  });

  test('--opt=value, -- and repeated list options', () => {
    expect(parseTunnelArgs(['--port=0', '--allow', '127.0.0.1:1,[::1]:2', '--allow=localhost:3']).allow).toEqual(['127.0.0.1:1', '[::1]:2', 'localhost:3']);
    const c = parseCommandLine(['connect', '--servername=a.test', '--', '127.0.0.1:443']);
    expect(c).toMatchObject({ kind: 'connect', args: { host: '127.0.0.1', port: 443, servername: 'a.test' } });
    expect(() => parseCommandLine(['connect', '--', '--help'])).toThrow(UsageError);
  });
});
