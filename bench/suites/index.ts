// Every suite `npm run bench` knows, in the order it runs them.
import type { BenchSuite } from '../suite.js';
import { ed25519Suite } from './ed25519.js';
import { sha2Suite } from './sha2.js';
import { x25519Suite } from './x25519.js';

export const suites: BenchSuite[] = [sha2Suite, x25519Suite, ed25519Suite];
