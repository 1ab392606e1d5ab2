// Runs a test module in Firefox ESR, which Playwright cannot drive here: the
// module is bundled with esbuild ('vitest' aliased to vitest-shim.ts, WASM
// inlined as everywhere), served from 127.0.0.1 on a free port with a page
// that loads it, and opened by `firefox-esr --headless --no-remote` on a
// fresh profile whose user.js turns off first-run pages, telemetry, updates
// and every other network request Firefox makes by itself. The page POSTs
// its result to /result; the harness then kills Firefox (its whole process
// group) and removes the profile, on success, failure and timeout alike.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');

/** Preferences for a quiet, offline, first-run-free profile. */
const USER_JS = [
  ['browser.shell.checkDefaultBrowser', false],
  ['browser.startup.homepage_override.mstone', 'ignore'],
  ['browser.startup.page', 0],
  ['startup.homepage_welcome_url', ''],
  ['startup.homepage_welcome_url.additional', ''],
  ['browser.aboutwelcome.enabled', false],
  ['trailhead.firstrun.didSeeAboutWelcome', true],
  ['browser.sessionstore.resume_from_crash', false],
  ['toolkit.startup.max_resumed_crashes', -1],
  ['datareporting.policy.dataSubmissionEnabled', false],
  ['datareporting.healthreport.uploadEnabled', false],
  ['toolkit.telemetry.enabled', false],
  ['toolkit.telemetry.unified', false],
  ['toolkit.telemetry.archive.enabled', false],
  ['toolkit.telemetry.server', ''],
  ['app.update.auto', false],
  ['app.update.checkInstallTime', false],
  ['app.update.disabledForTesting', true],
  ['app.normandy.enabled', false],
  ['app.normandy.api_url', ''],
  ['app.shield.optoutstudies.enabled', false],
  ['browser.discovery.enabled', false],
  ['browser.safebrowsing.malware.enabled', false],
  ['browser.safebrowsing.phishing.enabled', false],
  ['browser.safebrowsing.downloads.enabled', false],
  ['browser.safebrowsing.downloads.remote.enabled', false],
  ['browser.safebrowsing.provider.mozilla.updateURL', ''],
  ['browser.safebrowsing.provider.google4.updateURL', ''],
  ['extensions.update.enabled', false],
  ['extensions.getAddons.cache.enabled', false],
  ['extensions.blocklist.enabled', false],
  ['extensions.systemAddon.update.enabled', false],
  ['network.captive-portal-service.enabled', false],
  ['network.connectivity-service.enabled', false],
  ['network.dns.disablePrefetch', true],
  ['network.prefetch-next', false],
  ['network.http.speculative-parallel-limit', 0],
  ['network.trr.mode', 5],
  ['network.proxy.type', 0],
  ['browser.newtabpage.enabled', false],
  ['browser.newtabpage.activity-stream.feeds.telemetry', false],
  ['browser.newtabpage.activity-stream.telemetry', false],
  ['browser.newtabpage.activity-stream.feeds.topsites', false],
  ['browser.newtabpage.activity-stream.feeds.section.topstories', false],
  ['browser.ping-centre.telemetry', false],
  ['browser.search.update', false],
  ['browser.region.update.enabled', false],
  ['browser.region.network.url', ''],
  ['media.gmp-manager.updateEnabled', false],
  ['media.gmp-gmpopenh264.enabled', false],
  ['services.settings.server', 'http://127.0.0.1:9/'],
  ['security.OCSP.enabled', 0],
  ['security.remote_settings.crlite_filters.enabled', false],
  ['geo.enabled', false],
  ['browser.tabs.warnOnClose', false],
  ['dom.disable_open_during_load', false],
] as const;

/** user.js text for {@link USER_JS}. */
export function userJs(): string {
  return USER_JS.map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n') + '\n';
}

/**
 * Bundles a browser module for the page: ESM, browser platform, 'vitest'
 * replaced by the shim. Fails if it would pull in a node: module.
 */
export async function bundleForBrowser(entry: string, define: Record<string, string> = {}): Promise<string> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    alias: { vitest: join(here, 'vitest-shim.ts') },
    // package.json says "sideEffects": false (true of the library); test files are all side effects.
    ignoreAnnotations: true,
    define,
    logLevel: 'silent',
  });
  const out = r.outputFiles[0];
  if (out === undefined) throw new Error(`esbuild produced nothing for ${entry}`);
  return out.text;
}

/** Extra request handling: return true when the request was answered. */
export type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean;

/** Options of {@link runInFirefox}. */
export interface FirefoxOptions {
  /** The bundled module the page loads (from {@link bundleForBrowser}). */
  readonly script: string;
  /** Kills Firefox and fails after this many milliseconds. */
  readonly timeoutMs: number;
  /** More routes on the same server (e.g. a WebSocket upgrade is separate: see `server`). */
  readonly route?: Route;
  /** Called with the HTTP server once it listens (to attach a WebSocket server, say). */
  readonly onServer?: (server: Server, port: number) => void | Promise<void>;
  /** Query string for the page, e.g. `?ws=...`. */
  readonly query?: string;
}

/** What the page posted to /result, and what it logged. */
export interface FirefoxRun<T> {
  readonly result: T;
  readonly log: readonly string[];
  readonly stderr: string;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>wasmtls firefox</title></head><body>
<pre id="log"></pre>
<script>
  window.addEventListener('error', (e) => fetch('/result', { method: 'POST', body: JSON.stringify({ pageError: String(e.message) + ' at ' + e.filename + ':' + e.lineno }) }));
  window.addEventListener('unhandledrejection', (e) => fetch('/result', { method: 'POST', body: JSON.stringify({ pageError: String(e.reason && e.reason.stack || e.reason) }) }));
</script>
<script type="module" src="/app.js"></script>
</body></html>`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (d: Buffer) => {
      n += d.length;
      if (n > 8 << 20) req.destroy(new Error('body too large'));
      else parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export function killGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      resolve();
      return;
    }
    const pid = child.pid;
    const hard = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3_000);
    child.once('exit', () => {
      clearTimeout(hard);
      // Content processes share the group; make sure none outlives the parent.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // none left
      }
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(hard);
      resolve();
    }
  });
}

/**
 * Serves the page and the script on 127.0.0.1, opens it in headless Firefox
 * ESR on a fresh profile, and resolves with what the page POSTs to /result
 * (rejects on a page error or the timeout). Firefox is killed and the
 * profile removed in every case.
 */
export async function runInFirefox<T>(options: FirefoxOptions): Promise<FirefoxRun<T>> {
  const log: string[] = [];
  let settle!: { resolve: (v: T) => void; reject: (e: Error) => void };
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = req.url ?? '/';
      if (req.method === 'GET' && (url === '/' || url.startsWith('/?'))) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(PAGE);
      } else if (req.method === 'GET' && url === '/app.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        res.end(options.script);
      } else if (req.method === 'POST' && url === '/log') {
        log.push(body.toString('utf8'));
        res.writeHead(204).end();
      } else if (req.method === 'POST' && url === '/result') {
        res.writeHead(204).end();
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (e) {
          settle.reject(new Error(`bad /result body: ${String(e)}`));
          return;
        }
        const pageError = (parsed as { pageError?: string }).pageError;
        if (pageError !== undefined) settle.reject(new Error(`page error in Firefox: ${pageError}`));
        else settle.resolve(parsed as T);
      } else if (options.route?.(req, res, body) !== true) {
        res.writeHead(404).end();
      }
    }, () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await options.onServer?.(server, port);

  const profile = mkdtempSync(join(tmpdir(), 'wasmtls-ff-'));
  writeFileSync(join(profile, 'user.js'), userJs());
  let stderr = '';
  const child = spawn('firefox-esr', ['--headless', '--no-remote', '--profile', profile, `http://127.0.0.1:${port}/${options.query ?? ''}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: profile, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_DISABLE_AUTO_SAFE_MODE: '1', MOZ_HEADLESS: '1' },
  });
  child.stdout?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.on('error', (e) => settle.reject(e));
  child.on('exit', (code, signal) => settle.reject(new Error(`firefox-esr exited early (code ${code}, signal ${signal}): ${stderr.slice(-2000)}`)));
  const timer = setTimeout(() => settle.reject(new Error(`no result from Firefox within ${options.timeoutMs} ms; log: ${log.join(' | ').slice(-2000)}; stderr: ${stderr.slice(-2000)}`)), options.timeoutMs);
  try {
    return { result: await result, log, stderr };
  } finally {
    clearTimeout(timer);
    child.removeAllListeners('exit');
    await killGroup(child);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(profile, { recursive: true, force: true });
  }
}
