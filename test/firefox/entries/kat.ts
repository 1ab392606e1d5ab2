// Firefox page module: the crypto known-answer test files (FIPS 180-4,
// RFC 4231, RFC 5869, RFC 7748, RFC 8439, RFC 8032, the GCM spec, RFC 6979,
// FIPS 203 and the Wycheproof files they run) under vitest-shim.ts, results POSTed to
// the harness. The same files run in Node and Chromium under vitest.
import { runRegistered } from '../vitest-shim.js';
import '../../sha2.test.js';
import '../../hmac.test.js';
import '../../hkdf.test.js';
import '../../x25519.test.js';
import '../../aes-gcm.test.js';
import '../../chacha20poly1305.test.js';
import '../../ed25519.test.js';
import '../../ecdsa.test.js';
import '../../p256.test.js';
import '../../mlkem.test.js';
import '../../p384.test.js';

const results = await runRegistered();
await fetch('/result', { method: 'POST', body: JSON.stringify({ userAgent: navigator.userAgent, results }) });
