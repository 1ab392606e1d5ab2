// `--trace`: one line per handshake message on stderr. Kept to one small
// function so a richer trace printer can replace it.
import type { TraceEvent } from '../engine.js';

/** `>> ClientHello (517 bytes)` for a message sent, `<<` for one received. */
export function formatTraceEvent(event: TraceEvent): string {
  const arrow = event.direction === 'sent' ? '>>' : '<<';
  return `${arrow} ${event.name} (${event.bytes.length} bytes)`;
}
