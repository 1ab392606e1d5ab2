// Every suite `npm run bench` knows, in the order it runs them.
import type { BenchSuite } from '../suite.js';
import { aesGcmSuite } from './aes-gcm.js';
import { chacha20poly1305Suite } from './chacha20poly1305.js';
import { ed25519Suite } from './ed25519.js';
import { mlkemSuite } from './mlkem.js';
import { p256Suite } from './p256.js';
import { p384Suite } from './p384.js';
import { rsaSuite } from './rsa.js';
import { sha2Suite } from './sha2.js';
import { x25519Suite } from './x25519.js';

export const suites: BenchSuite[] = [
  sha2Suite,
  aesGcmSuite,
  chacha20poly1305Suite,
  x25519Suite,
  ed25519Suite,
  p256Suite,
  p384Suite,
  rsaSuite,
  mlkemSuite,
];
