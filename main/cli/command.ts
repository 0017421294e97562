// A technician CLI command: the shape every project CLI shares (lib/cli.ts). Each command lives in
// its own module and is listed in ./registry.ts.
export type { CliCommand, CliIo, CliOption } from '../../lib/cli.ts';
