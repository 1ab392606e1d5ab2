// Same inputs, same bytes in Firefox ESR: the determinism script
// (test/determinism/scenario.ts) run in Firefox yields Node's ClientHello,
// transcript and client bytes, both with its own server and replaying the
// server stream Node recorded in this test.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type DeterminismResult, runPair } from '../determinism/scenario.js';
import { bundleForBrowser, ROOT, runInFirefox } from './harness.js';

describe('Firefox ESR', () => {
  test('the determinism script gives the bytes Node gives', async () => {
    const node = runPair();
    const script = await bundleForBrowser(join(ROOT, 'test', 'firefox', 'entries', 'determinism.ts'));
    const run = await runInFirefox<{ userAgent: string; pair: DeterminismResult & { serverStream: string }; replay: DeterminismResult }>({
      script,
      timeoutMs: 90_000,
      route: (req, res) => {
        if (req.method !== 'GET' || req.url !== '/expected') return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ serverStream: node.serverStream }));
        return true;
      },
    });
    expect(run.result.userAgent).toMatch(/Firefox\//);
    expect(run.result.pair).toEqual(node);
    const { serverStream: _, ...client } = node;
    expect(run.result.replay).toEqual(client);
  }, 120_000);
});
