// One handshake message through the current state: the `expects` check
// before the body is decoded (any message not valid in a state is
// unexpected_message by construction, RFC 8446 §6.2), the decode, the
// state's handle(), and the trace around it.

import { TlsError } from '../errors.js';
import { decodeHandshake, type HandshakeFrame, handshakeName } from '../wire/handshake.js';
import type { Tracer } from '../trace/tracer.js';
import type { HandshakeContext, HandshakeState } from './common.js';

/**
 * Runs `frame` through `state` and returns the next state. The frame's
 * bytes stay the caller's (it wipes them after).
 * @param encrypted whether the message came under a read key (for the trace)
 */
export function step(state: HandshakeState, ctx: HandshakeContext, frame: HandshakeFrame, tracer: Tracer | undefined, encrypted: boolean): HandshakeState {
  if (!state.expects.includes(frame.msgType)) {
    throw new TlsError(
      'unexpected_message',
      `${handshakeName(frame.msgType)} is not expected in state ${state.name} (expecting ${state.expects.map(handshakeName).join(' or ')})`,
    );
  }
  const message = decodeHandshake(frame, { ...(state.hashLength === undefined ? {} : { hashLength: state.hashLength }), ...(state.tls12 === true ? { tls12: true } : {}) });
  if (tracer === undefined) return state.handle(ctx, message, frame.raw);
  const raw = frame.raw.slice();
  tracer.hold(message);
  let next: HandshakeState;
  try {
    next = state.handle(ctx, message, frame.raw);
  } catch (e) {
    tracer.received(raw, message, encrypted, e);
    throw e;
  }
  tracer.received(raw, message, encrypted, undefined);
  return next;
}
