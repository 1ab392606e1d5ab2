/// <reference types="vite/client" />
// The X.509 fixtures of test/vectors/x509 (made by scripts/make-x509-fixtures.sh),
// loaded as text through Vite's ?raw imports so Node and Chromium read them alike.
import { type Certificate, parseCertificatesPem } from '../../src/x509/index.js';

const certFiles = import.meta.glob('../vectors/x509/*.pem', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const keyFiles = import.meta.glob('../vectors/x509/keys/*.pem', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

function base(path: string): string {
  return (path.split('/').pop() as string).replace(/\.pem$/, '');
}

/** The instant every fixture test validates at; valid fixtures cover 2025 to 2045. */
export const AT = new Date('2030-06-01T00:00:00Z');

/** Names of the certificate files, without `.pem` (chain-long is a bundle). */
export const certNames: readonly string[] = Object.keys(certFiles).map(base).sort();

/** Key file names without `.pem`, e.g. `int-p256.sec1`. */
export const keyNames: readonly string[] = Object.keys(keyFiles).map(base).sort();

/** PEM text of a certificate fixture. */
export function certPem(name: string): string {
  const text = certFiles[`../vectors/x509/${name}.pem`];
  if (text === undefined) throw new Error(`no certificate fixture ${name}`);
  return text;
}

/** A parsed certificate fixture (the first one of a bundle). */
export function cert(name: string): Certificate {
  return parseCertificatesPem(certPem(name))[0] as Certificate;
}

/** PEM text of a key fixture, e.g. `keyPem('int-p256', 'sec1')`. */
export function keyPem(name: string, form: 'pkcs8' | 'sec1' | 'pkcs1' | 'spki'): string {
  const text = keyFiles[`../vectors/x509/keys/${name}.${form}.pem`];
  if (text === undefined) throw new Error(`no key fixture ${name}.${form}`);
  return text;
}
