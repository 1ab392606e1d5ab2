// SSLKEYLOGFILE for the command line: when the environment variable names a
// file, every NSS key log line the engine emits is appended to it (the
// format Wireshark and curl use). The file is created with mode 0600: it
// holds the session's secrets.
import { appendFileSync } from 'node:fs';

/**
 * `{ keylog }` appending to `$SSLKEYLOGFILE`, or `{}` when it is unset or empty.
 * @example const options = { serverName, ca, ...keylogFromEnv() };
 */
export function keylogFromEnv(env: NodeJS.ProcessEnv = process.env): { keylog?: (line: string) => void } {
  const file = env.SSLKEYLOGFILE;
  if (file === undefined || file === '') return {};
  return { keylog: (line) => appendFileSync(file, `${line}\n`, { mode: 0o600 }) };
}
