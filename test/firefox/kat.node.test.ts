// The crypto known-answer tests in Firefox ESR (see harness.ts): every test
// of the KAT files must pass there as it does in Node and Chromium.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bundleForBrowser, ROOT, runInFirefox } from './harness.js';
import type { ShimResult } from './vitest-shim.js';

describe('Firefox ESR', () => {
  test('crypto known-answer tests (SHA-2, HMAC, HKDF, X25519, AES-GCM, ChaCha20-Poly1305, Ed25519, ECDSA/ECDH P-256, P-384, ML-KEM-768)', async () => {
    const script = await bundleForBrowser(join(ROOT, 'test', 'firefox', 'entries', 'kat.ts'));
    expect(script).not.toMatch(/from ?["']node:/);
    const run = await runInFirefox<{ userAgent: string; results: ShimResult[] }>({ script, timeoutMs: 150_000 });
    expect(run.result.userAgent).toMatch(/Firefox\/\d+/);
    const failed = run.result.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`);
    expect(failed).toEqual([]);
    const names = run.result.results.map((r) => r.name);
    // Every file contributed, Wycheproof runs included.
    for (const want of ['FIPS 180-4', 'RFC 4231', 'hkdf_sha256_test.json', 'RFC 7748', 'GCM specification', 'RFC 8439', 'RFC 8032', 'RFC 6979', 'ecdh_secp256r1', 'Wycheproof x25519_test.json']) {
      expect(names.some((n) => n.includes(want)), want).toBe(true);
    }
    expect(run.result.results.length).toBeGreaterThan(60);
  }, 180_000);
});
