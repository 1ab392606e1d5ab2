// Firefox page module: the determinism script (test/determinism/scenario.ts)
// with both ends in the page, then the client alone fed Node's server
// stream (fetched from the harness); both results POSTed back.
import { replayClient, runPair } from '../../determinism/scenario.js';

const { serverStream } = (await (await fetch('/expected')).json()) as { serverStream: string };
await fetch('/result', { method: 'POST', body: JSON.stringify({ userAgent: navigator.userAgent, pair: runPair(), replay: replayClient(serverStream) }) });
