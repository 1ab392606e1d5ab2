// Same inputs, same bytes (scenario.ts): the client's ClientHello, its
// whole transcript and every byte it sends are identical to what Node
// produced (provided by global-setup.ts), both with a server in the same
// runtime and replaying Node's server stream. Runs in Node and Chromium;
// Firefox runs the same script through its harness (firefox.node.test.ts).
import { describe, expect, inject, test } from 'vitest';
import { replayClient, runPair } from './scenario.js';

describe('same inputs, same bytes', () => {
  const node = inject('determinismInNode');

  test('Node computed a full exchange', () => {
    expect(node.clientHello).toMatch(/^0100[0-9a-f]{4}0303/);
    expect(node.response).toBe('HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n');
    expect(node.transcriptSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('client and server here produce Node’s bytes', () => {
    const here = runPair();
    expect(here.clientHello).toBe(node.clientHello);
    expect(here.transcriptSha256).toBe(node.transcriptSha256);
    expect(here.clientBytesSha256).toBe(node.clientBytesSha256);
    expect(here.traceSha256).toBe(node.traceSha256);
    expect(here.serverStream).toBe(node.serverStream);
  });

  test('the client here, fed Node’s server stream, sends Node’s bytes', () => {
    const { serverStream: _, ...want } = node;
    expect(replayClient(node.serverStream)).toEqual(want);
  });
});
