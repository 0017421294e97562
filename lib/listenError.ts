// A server that cannot take its port says so in one plain line that names the port and the setting
// to change (a second `npm start`, another program on 4300), instead of dying with a raw stack.
export interface ListenTarget {
  /** What was starting, as the operator knows it: "the booth core", "the intake". */
  what: string;
  host: string;
  port: number;
  /** The environment variable that moves it, e.g. "INTAKE_PORT". */
  envVar: string;
}

/** The plain sentence for a listen failure the operator can fix, or null for any other error. */
export function explainListenError(e: unknown, t: ListenTarget): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  const where = `${t.host}:${t.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${t.what} cannot listen on ${where}: another program already uses that port (is it already running?). Stop it, or choose another port with ${t.envVar}=…`;
    case 'EACCES':
      return `${t.what} may not listen on ${where}: ports below 1024 need privileges. Choose another port with ${t.envVar}=…`;
    case 'EADDRNOTAVAIL':
      return `${t.what} cannot listen on ${where}: this machine has no such address.`;
    default:
      return null;
  }
}

/** Runs a listen; a failure the operator can fix becomes one line on stderr and exit code 2. */
export async function listenOrExit<T>(
  listen: () => Promise<T>,
  t: ListenTarget,
  onFail: (line: string) => void = (l) => console.error(l),
): Promise<T> {
  try {
    return await listen();
  } catch (e) {
    const plain = explainListenError(e, t);
    if (!plain) throw e;
    onFail(plain);
    process.exit(2);
  }
}
