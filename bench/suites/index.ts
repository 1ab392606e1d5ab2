// Every suite `npm run bench` knows, in the order it runs them.
import type { BenchSuite } from '../suite.js';
import { sha2Suite } from './sha2.js';
import { x25519Suite } from './x25519.js';

export const suites: BenchSuite[] = [sha2Suite, x25519Suite];
