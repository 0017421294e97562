// `npm run intake:cli -- credential …`: booth credentials from a shell (docs/DELIVERY.md).
//   credential create <BOOTHCODE>   issue (or re-issue) a booth's credential; prints the token once
//   credential revoke <BOOTHCODE>   refuse the booth from now on (its data stays queued on the booth)
//   credential list                 booth codes with created/revoked times (never secrets)
// The store is the intake's: INTAKE_DATABASE_URL (Postgres) when set, else SQLite in --data /
// INTAKE_DATA (default data/intake).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueCredential, isValidBoothId, revokeCredential } from '../boothCredentials.ts';
import { EnrolmentService } from '../enrol/service.ts';
import { BoothStore } from '../store/booths.ts';
import { DeliveryStore } from '../store/delivery.ts';
import { isPostgresUrl, openPostgresStore, openSqliteStore } from '../store/db.ts';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function credentialCommand(
  argv: string[],
  io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
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
        io.out(
          `${r.booth_code.padEnd(10)} issued ${new Date(r.created_at).toISOString()}${r.revoked_at ? `  REVOKED ${new Date(r.revoked_at).toISOString()}` : ''}`,
        );
      }
      return 0;
    }
    if (!code || !isValidBoothId(code)) {
      io.err('a booth code is 2–8 capital letters or digits, e.g. FT01');
      return 2;
    }
    // One revocation, seen everywhere (issue 20): the registry the fleet page reads and the credential
    // the booth API checks change together, here as in the fleet page's 停用 (EnrolmentService.revoke).
    const booths = new BoothStore(db);
    if (verb === 'create') {
      const now = Date.now();
      const token = await issueCredential(store, code, now);
      const booth = await booths.getBooth(code);
      // A booth the fleet lists as revoked is in service again with its new credential.
      if (booth && (booth.revokedAt !== null || booth.enrolledAt === null))
        await booths.putBooth({ ...booth, revokedAt: null, enrolledAt: now });
      io.out(token);
      io.err(`credential for ${code} issued; it is shown once: put it in the booth's data/booth/keys/intake.token`);
      return 0;
    }
    if (verb === 'revoke') {
      const now = Date.now();
      const booth = await booths.getBooth(code);
      const wasActive = (await store.get(code))?.revokedAt === null;
      if (booth && booth.revokedAt === null) {
        await new EnrolmentService(booths, {
          issue: (id, at) => issueCredential(store, id, at),
          revoke: async (id, at) => void (await revokeCredential(store, id, at)),
        }).revoke(code, now);
      } else if (wasActive) await revokeCredential(store, code, now);
      const done = wasActive || (booth !== undefined && booth.revokedAt === null);
      io.out(
        done
          ? `${code} revoked: its uploads and heartbeats are refused (what it holds stays on the booth); the fleet page shows it as 已停用 (revoked). To enrol it again, add it in 设备 → 添加设备 (Fleet → Add booth).`
          : `${code} has no active credential (already revoked, or never issued)`,
      );
      return done ? 0 : 1;
    }
    io.err(`unknown action ${verb}`);
    return 2;
  } finally {
    await db.destroy();
  }
}
