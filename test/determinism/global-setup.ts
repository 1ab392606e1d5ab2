// vitest globalSetup: runs the determinism script once in Node (the main
// process) and provides its result to every test project, so that the
// Chromium run compares its bytes with Node's rather than with a constant
// written into the test.
import type { TestProject } from 'vitest/node';
import { type DeterminismResult, runPair } from './scenario.js';

declare module 'vitest' {
  export interface ProvidedContext {
    determinismInNode: DeterminismResult & { serverStream: string };
  }
}

export default function setup(project: TestProject): void {
  project.provide('determinismInNode', runPair());
}
