// Every suite `npm run bench` knows, in the order it runs them.
import type { BenchSuite } from '../suite.js';
import { rsaSuite } from './rsa.js';
import { sha2Suite } from './sha2.js';

export const suites: BenchSuite[] = [sha2Suite, rsaSuite];
