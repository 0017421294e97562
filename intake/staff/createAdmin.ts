// `create-admin`: the only way to make the first admin. There is no default password: the password
// is typed twice at a terminal (not echoed) or piped on stdin (one line, for provisioning scripts).
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { isPostgresUrl, openPostgresStore, openSqliteStore } from '../store/db.ts';
import { AccountError, countAdmins, createUser } from './accounts.ts';

async function readSecret(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  let muted = false;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) output.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input, output: sink, terminal: input.isTTY === true });
  output.write(prompt);
  muted = true;
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  muted = false;
  rl.close();
  if (input.isTTY) output.write('\n');
  return line;
}

async function readAllStdin(input: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export async function createAdminCommand(
  args: string[],
  io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dataDir = path.resolve(opt('data') ?? process.env.INTAKE_DATA ?? 'data/intake');
  const username = opt('username');
  const displayName = opt('name') ?? username;
  if (!username || !displayName) {
    io.stderr.write('usage: create-admin --username NAME [--name 显示名] [--data DIR]   (password on stdin)\n');
    return 2;
  }
  let password: string;
  if (io.stdin.isTTY) {
    password = await readSecret('password: ', io.stdin, io.stdout);
    const again = await readSecret('again:    ', io.stdin, io.stdout);
    if (again !== password) {
      io.stderr.write('the passwords differ\n');
      return 1;
    }
  } else {
    password = await readAllStdin(io.stdin);
  }
  // The same store switch as `npm run intake`: INTAKE_DATABASE_URL=postgres://… or SQLite in dataDir.
  const databaseUrl = process.env.INTAKE_DATABASE_URL;
  const db = isPostgresUrl(databaseUrl) ? await openPostgresStore(databaseUrl) : await openSqliteStore(path.join(dataDir, 'intake.db'));
  try {
    const before = await countAdmins(db);
    const u = await createUser(db, { username, displayName, role: 'admin', password }, Date.now());
    io.stdout.write(`admin ${u.username} created${before > 0 ? ` (there are now ${before + 1} admins)` : ''}\n`);
    return 0;
  } catch (e) {
    if (e instanceof AccountError) {
      io.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await db.destroy();
  }
}
