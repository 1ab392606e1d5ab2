// `wasmtls demo --web` in Chromium (playwright-core): the page's own code
// runs the handshake and a GET through the WebSocket tunnel to the demo's
// wasmtls server, and draws one arrow per message. Screenshots go to
// test-results/ (gitignored). The cold time to the first handshake is
// printed (bench/RESULTS.md quotes it).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DemoWeb, startDemoWeb } from '../../src/cli/demo-web.js';
import type { DemoRun } from '../../src/demo/run.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RESULTS = join(import.meta.dirname, '..', '..', 'test-results');

let demo: DemoWeb;
let browser: Browser;
beforeAll(async () => {
  demo = await startDemoWeb(0);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, timeout: 30_000 });
  mkdirSync(RESULTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('wasmtls demo --web (Chromium)', () => {
  test('the page completes the handshake and a GET through the tunnel and draws every message', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(demo.url);
      await page.waitForSelector('body[data-state=done], body[data-state=error]', { timeout: 60_000 });
      const state = await page.evaluate(() => (globalThis as unknown as { wasmtlsDemo: { runs: DemoRun[]; error?: string } }).wasmtlsDemo);
      expect(state.error).toBeUndefined();
      expect(errors).toEqual([]);
      const run = state.runs[0] as DemoRun;
      expect(run.messages).toEqual([
        'C>S ClientHello',
        'S>C ServerHello',
        'S>C EncryptedExtensions',
        'S>C Certificate',
        'S>C CertificateVerify',
        'S>C Finished',
        'C>S Finished',
      ]);
      expect(run.info.authorized).toBe(true);
      expect(run.info.alpn).toBe('http/1.1');
      expect(run.response).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Hello over TLS 1\.3 from wasmtls/);

      // The diagram: arrows in order, grouped by step, directions right.
      const arrows = await page.$$eval('details.msg', (els) => els.map((e) => `${(e as HTMLElement).dataset.from}:${(e as HTMLElement).dataset.name}`));
      expect(arrows.filter((a) => !/keys$|ChangeCipherSpec|Application|close_notify/.test(a))).toEqual([
        'client:ClientHello',
        'server:ServerHello',
        'server:EncryptedExtensions',
        'server:Certificate',
        'server:CertificateVerify',
        'server:Finished',
        'client:Finished',
      ]);
      expect(await page.$$eval('section.step', (els) => els.map((e) => (e as HTMLElement).dataset.step))).toEqual(['1', '3', '2', '3', '4']);
      await page.screenshot({ path: join(RESULTS, 'demo-web.png'), fullPage: true });

      // An arrow expands to its fields, check, explanation and bytes.
      await page.click('details[data-name=Certificate] > summary');
      const text = await page.textContent('details[data-name=Certificate] .details');
      expect(text).toMatch(/Checked: the chain leads to a trusted CA/);
      expect(text).toMatch(/subjectAltNameDNS:localhost, IP:127\.0\.0\.1, IP:::1/);
      expect(text).toMatch(/RFC 8446 §4\.4\.2/);
      expect(await page.locator('details[data-name=Certificate] pre.hexdump').textContent()).toMatch(/^0000 {2}0b 00 0/);
      await page.click('details[data-name=ServerHello] > summary');
      expect(await page.textContent('details[data-name=ServerHello] .details')).toMatch(/No session key is ever sent/);
      await page.screenshot({ path: join(RESULTS, 'demo-web-expanded.png'), fullPage: true });

      // The summary, and a second run from the button.
      expect(await page.textContent('#summary')).toMatch(/TLS_AES_128_GCM_SHA256[\s\S]*X25519MLKEM768[\s\S]*HTTP\/1\.1 200 OK/);
      await page.click('#run');
      await page.waitForFunction(() => (globalThis as unknown as { wasmtlsDemo: { runs: unknown[] } }).wasmtlsDemo.runs.length === 2, undefined, { timeout: 30_000 });
      const second = await page.evaluate(() => (globalThis as unknown as { wasmtlsDemo: { runs: DemoRun[] } }).wasmtlsDemo.runs[1] as DemoRun);
      expect(second.messages).toEqual(run.messages);
      console.log(
        `demo page, Chromium: first handshake ${run.sinceNavigationMs.toFixed(0)} ms after navigation start (cold), ` +
          `${run.handshakeMs.toFixed(1)} ms from connect(); second ${second.handshakeMs.toFixed(1)} ms`,
      );
    } finally {
      await page.close();
    }
  }, 120_000);
});
