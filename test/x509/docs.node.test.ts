// docs/x509.md lists every profile rule with its profile, place and
// reference, and every limit with its current value (issue 15).
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { MAX_CANDIDATE_ISSUERS, MAX_DEPTH, MAX_NAME_CONSTRAINT_COMPARISONS, MAX_SIGNATURE_CHECKS, PROFILE_RULES } from '../../src/x509/index.js';

const doc = readFileSync(new URL('../../docs/x509.md', import.meta.url), 'utf8');
const PLACE = { leaf: 'leaf', ca: 'intermediate', any: 'leaf and intermediates', anchor: 'trust anchor' } as const;

test('every profile rule has its row in docs/x509.md', () => {
  for (const r of PROFILE_RULES) {
    const row = `| \`${r.id}\` | ${r.profile === 'web' ? 'web only' : 'web and rfc5280'} | ${PLACE[r.place]} | ${r.summary} | ${r.reference} |`;
    expect(doc, r.id).toContain(row);
  }
  expect(doc.match(/^\| `[a-z0-9-]+` \| web/gm)).toHaveLength(PROFILE_RULES.length);
});

test('the limits table has the current values', () => {
  const n = (x: number): string => x.toLocaleString('en-US');
  expect(doc).toContain(`| ${n(MAX_SIGNATURE_CHECKS)} | \`x509.MAX_SIGNATURE_CHECKS\``);
  expect(doc).toContain(`| ${n(MAX_CANDIDATE_ISSUERS)} | \`x509.MAX_CANDIDATE_ISSUERS\``);
  expect(doc).toContain(`| ${n(MAX_NAME_CONSTRAINT_COMPARISONS)} (webpki's limit) | \`x509.MAX_NAME_CONSTRAINT_COMPARISONS\``);
  expect(doc).toContain(`| ${MAX_DEPTH} | \`x509.MAX_DEPTH\``);
});
