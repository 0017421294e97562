// A technician CLI command. Each lives in its own module and is listed in ./registry.ts.
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CliCommand {
  /** One or two words, e.g. "queue" or "idcard read". */
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}
