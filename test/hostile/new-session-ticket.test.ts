// NewSessionTicket (RFC 8446 §4.6.1) as a hostile server sends it after the
// handshake (issue 11, item 7): the client drops a well-formed ticket (no
// resumption yet) but must still refuse a malformed one with the alert the
// codec gives everywhere else.
import { describe, expect, test } from 'vitest';
import { frameHandshake } from '../../src/wire/index.js';
import { fromHex } from '../helpers/hex.js';
import { expectFailed, PROVIDERS, run } from '../helpers/hostile.js';

/** A NewSessionTicket: lifetime 7200, age_add, empty nonce, a 1-byte ticket, then `extensions` (hex, with its length). */
const nst = (extensions: string): Uint8Array => frameHandshake(4, fromHex(`00001c20 01020304 00 0001aa ${extensions}`.replace(/ /g, '')));

for (const provider of PROVIDERS) {
  describe(`NewSessionTicket to the client (${provider.name} provider)`, () => {
    test('a well-formed ticket with one early_data extension: dropped, the connection carries on', () => {
      const { p } = run(provider, { serverHooks: { afterHandshake: () => [nst('0008 002a0004ffffffff')] } });
      expect(p.c.errors).toEqual([]);
      expect(p.client.connected).toBe(true);
    });
    test('two early_data extensions: illegal_parameter (§4.2)', () => {
      const { p } = run(provider, { serverHooks: { afterHandshake: () => [nst('0010 002a000400000400 002a000400000400')] } });
      expectFailed(p.client, p.c, 'illegal_parameter', p.s);
      expect(p.c.errors[0]?.message).toMatch(/duplicated extension early_data/);
    });
    test('two unknown extensions of one type: illegal_parameter (§4.2)', () => {
      const { p } = run(provider, { serverHooks: { afterHandshake: () => [nst('0008 fa010000 fa010000')] } });
      expectFailed(p.client, p.c, 'illegal_parameter', p.s);
    });
    test('an early_data extension of 3 bytes: decode_error', () => {
      const { p } = run(provider, { serverHooks: { afterHandshake: () => [nst('0007 002a0003000004')] } });
      expectFailed(p.client, p.c, 'decode_error', p.s);
    });
  });
}
