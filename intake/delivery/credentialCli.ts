// `npm run intake:cli -- credential …`: booth credentials from a shell (docs/DELIVERY.md).
//   credential create <BOOTHCODE>   issue (or re-issue) a booth's credential; prints the token once
//   credential revoke <BOOTHCODE>   refuse the booth from now on (its data stays queued on the booth)
//   credential list                 booth codes with created/revoked times (never secrets)
// The store is the intake's: INTAKE_DATABASE_URL (Postgres) when set, else SQLite in --data /
// INTAKE_DATA (default data/intake).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueCredential, isValidBoothId, revokeCredential } from '../boothCredentials.ts';
import { DeliveryStore } from '../store/delivery.ts';
import { isPostgresUrl, openPostgresStore, openSqliteStore } from '../store/db.ts';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function credentialCommand(argv: string[], io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { data: { type: 'string' } } });
  const [verb, code] = positionals;
  if (!verb || verb === 'help') {
    io.out('usage: intake credential create|revoke <BOOTHCODE> [--data DIR]\n       intake credential list [--data DIR]');
    return verb ? 0 : 2;
  }
  // The same store switch as `npm run intake`: a credential written anywhere else is never seen.
  const databaseUrl = env.INTAKE_DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl)) {
    io.err('INTAKE_DATABASE_URL must be a postgres:// or postgresql:// URL');
    return 2;
  }
  const dataDir = path.resolve(values.data ?? env.INTAKE_DATA ?? 'data/intake');
  const db = databaseUrl ? await openPostgresStore(databaseUrl) : await openSqliteStore(path.join(dataDir, 'intake.db'));
  const store = new DeliveryStore(db);
  try {
    if (verb === 'list') {
      for (const r of await store.listCredentials()) {
        io.out(`${r.booth_code.padEnd(10)} issued ${new Date(r.created_at).toISOString()}${r.revoked_at ? `  REVOKED ${new Date(r.revoked_at).toISOString()}` : ''}`);
      }
      return 0;
    }
    if (!code || !isValidBoothId(code)) {
      io.err('a booth code is 2–8 capital letters or digits, e.g. FT01');
      return 2;
    }
    if (verb === 'create') {
      const token = await issueCredential(store, code, Date.now());
      io.out(token);
      io.err(`credential for ${code} issued; it is shown once: put it in the booth's data/booth/keys/intake.token`);
      return 0;
    }
    if (verb === 'revoke') {
      const done = await revokeCredential(store, code, Date.now());
      io.out(done ? `${code} revoked` : `${code} has no active credential`);
      return done ? 0 : 1;
    }
    io.err(`unknown action ${verb}`);
    return 2;
  } finally {
    await db.destroy();
  }
}

