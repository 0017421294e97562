// The intake's command line: `npm run intake:cli -- <command> [options]`.
//   create-admin --username NAME [--name 显示名] [--data DIR]   make an admin (password on stdin)
//   credential create|revoke <BOOTHCODE> | list [--data DIR]   booth credentials (docs/DELIVERY.md)
import { credentialCommand } from './delivery/credentialCli.ts';
import { createAdminCommand } from './staff/createAdmin.ts';

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<number>> = {
  'create-admin': (args) => createAdminCommand(args),
  credential: (args) => credentialCommand(args),
};
const run = command ? commands[command] : undefined;
if (!run) {
  process.stderr.write(`commands: ${Object.keys(commands).join(', ')}\n`);
  process.exit(2);
}
process.exit(await run(rest));
