// Generates src/roots/mozilla.generated.ts (Mozilla's server-authentication
// root store as trust anchors) and its test copy test/vectors/mozilla-roots/
// from Debian's ca-certificates package, the pinned, dated offline source:
//
//   node scripts/gen-roots.mjs [/usr/share/ca-certificates/mozilla]
//
// Debian's package holds only the roots Mozilla trusts for server
// authentication (its certdata2pem.py keeps CKA_TRUST_SERVER_AUTH =
// CKT_NSS_TRUSTED_DELEGATOR), minus the ones Debian blacklists. The version
// comes from dpkg, the date from the package changelog's top entry, the
// Mozilla bundle version from the changelog's "bundle to version" line.
//
// Each anchor is stored as its subject Name TLV followed by its
// SubjectPublicKeyInfo TLV (what RFC 5280 §6.1.1 (d) calls the trust anchor
// information: name and key), base64: 66 KiB of DER against 154 KiB for the
// whole certificates (20250419~deb12u2). A root carrying nameConstraints is refused: validation
// would have to enforce them and src/x509/validate.ts does not (no root in
// 20250419~deb12u2 has any).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? '/usr/share/ca-certificates/mozilla';

const version = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'ca-certificates'], { encoding: 'utf8' }).trim();
const changelog = gunzipSync(readFileSync('/usr/share/doc/ca-certificates/changelog.gz')).toString('utf8');
const top = changelog.split('\n\n')[0] ?? '';
if (!changelog.startsWith(`ca-certificates (${version})`)) throw new Error(`changelog's top entry is not ${version}`);
const dateLine = changelog.split('\n').find((l) => l.startsWith(' -- '));
const date = new Date(dateLine.slice(dateLine.lastIndexOf('>') + 1).trim()).toISOString().slice(0, 10);
const bundle = /bundle to version ([0-9]+(?:\.[0-9]+)*)/.exec(changelog)?.[1];
if (bundle === undefined || top === '') throw new Error('cannot find the Mozilla bundle version in the changelog');

/** One DER TLV at `off`: tag, where the value starts and ends (X.690 §8.1). */
function tlv(buf, off) {
  const tag = buf[off];
  let len = buf[off + 1];
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3) throw new Error(`unsupported length at ${off}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  if (start + len > buf.length) throw new Error(`truncated element at ${off}`);
  return { tag, start, end: start + len };
}

function children(buf, el) {
  const out = [];
  for (let p = el.start; p < el.end; ) {
    const c = tlv(buf, p);
    out.push({ ...c, off: p });
    p = c.end;
  }
  return out;
}

const NAME_CONSTRAINTS = Buffer.from('0603551d1e', 'hex'); // OID 2.5.29.30

/** subject TLV || SPKI TLV of a certificate (RFC 5280 §4.1). */
function anchorOf(der, file) {
  const cert = tlv(der, 0);
  const tbs = children(der, cert)[0];
  const f = children(der, tbs);
  const i = f[0].tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const subject = f[i + 4];
  const spki = f[i + 5];
  const exts = f.find((e) => e.tag === 0xa3);
  if (exts !== undefined) {
    for (const ext of children(der, children(der, exts)[0])) {
      if (der.subarray(ext.start, ext.start + NAME_CONSTRAINTS.length).equals(NAME_CONSTRAINTS)) {
        throw new Error(`${file} has nameConstraints, which src/x509/validate.ts does not enforce`);
      }
    }
  }
  return Buffer.concat([der.subarray(subject.off, subject.end), der.subarray(spki.off, spki.end)]);
}

const files = readdirSync(dir).filter((f) => f.endsWith('.crt')).sort();
const pems = [];
const anchors = [];
let derBytes = 0;
for (const file of files) {
  const text = readFileSync(join(dir, file), 'utf8');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length !== 1) throw new Error(`${file}: expected one certificate, found ${blocks.length}`);
  const der = Buffer.from(blocks[0][1].replace(/\s+/g, ''), 'base64');
  derBytes += der.length;
  pems.push(`# ${file}\n${blocks[0][0]}\n`);
  anchors.push(anchorOf(der, file));
}

const pemText = pems.join('');
const pemSha256 = createHash('sha256').update(pemText).digest('hex');
const anchorBytes = anchors.reduce((n, a) => n + a.length, 0);

const vectors = join(root, 'test/vectors/mozilla-roots');
mkdirSync(vectors, { recursive: true });
writeFileSync(join(vectors, 'ca-certificates.pem'), pemText);
writeFileSync(join(vectors, 'LICENSE'), readFileSync('/usr/share/doc/ca-certificates/copyright'));
writeFileSync(
  join(vectors, 'SOURCE.md'),
  `# Mozilla root store, as packaged by Debian

\`ca-certificates.pem\`: the ${files.length} certificates of ${dir} from Debian's
\`ca-certificates\` ${version} (${date}; Mozilla CA bundle ${bundle}), one per
file in file-name order, each preceded by a \`# file name\` line. Written by
\`node scripts/gen-roots.mjs\`; SHA-256 ${pemSha256}.

\`LICENSE\`: the package's /usr/share/doc/ca-certificates/copyright. The
certificates themselves come from Mozilla's certdata.txt (MPL-2.0).

test/roots/roots.test.ts re-derives src/roots/mozilla.generated.ts from this
copy, so the check does not depend on the machine's installed package.
`,
);

const lines = anchors.map((a, k) => `  // ${files[k].replace(/\.crt$/, '')}\n  '${a.toString('base64')}',`);
const out = `// generated by scripts/gen-roots.mjs from Debian's ca-certificates, do not edit
// ${files.length} roots: ${anchorBytes} bytes of trust anchor DER (the certificates are ${derBytes})

/** Where {@link MOZILLA_ANCHORS} come from. */
export const MOZILLA_SOURCE = {
  /** The Debian package and its version (dpkg). */
  package: 'ca-certificates',
  version: '${version}',
  /** The date of the package's changelog entry for that version. */
  date: '${date}',
  /** Mozilla's CA bundle (certdata.txt) version the package carries. */
  mozillaBundle: '${bundle}',
  /** How many roots. */
  count: ${files.length},
  /** SHA-256 of test/vectors/mozilla-roots/ca-certificates.pem, the certificates these were derived from. */
  sourceSha256: '${pemSha256}',
} as const;

/** One string per root: base64 of its subject Name DER followed by its SubjectPublicKeyInfo DER. */
export const MOZILLA_ANCHORS: readonly string[] = [
${lines.join('\n')}
];
`;
mkdirSync(join(root, 'src/roots'), { recursive: true });
writeFileSync(join(root, 'src/roots/mozilla.generated.ts'), out);
console.log(`${files.length} roots, ${anchorBytes} bytes of anchors (certificates: ${derBytes}); ${version} ${date}, bundle ${bundle}`);
