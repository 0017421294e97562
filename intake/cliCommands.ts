// Every `intake` operator command (intake/cli.ts runs them). Adding one: write its module and list it here.
import type { CliCommand } from '../lib/cli.ts';
import { credentialCommand } from './delivery/credentialCli.ts';
import { createAdminCommand } from './staff/createAdmin.ts';
import { backupCommand } from './backupCli.ts';

const DATA_OPTION = {
  flag: '--data DIR',
  help: "the intake's data folder when it runs on SQLite (default $INTAKE_DATA or data/intake); with INTAKE_DATABASE_URL=postgres://… the command uses that database",
};

function credential(verb: string, summary: string, usage: string, details: string, withCode: boolean): CliCommand {
  return {
    name: `credential ${verb}`,
    summary,
    usage,
    details,
    options: [
      ...(withCode ? [{ flag: 'BOOTHCODE', help: "the booth's code: 2–8 capital letters or digits, e.g. FT01" }] : []),
      DATA_OPTION,
    ],
    run: (args, io) => credentialCommand([verb, ...args], io),
  };
}

export const commands: CliCommand[] = [
  {
    name: 'create-admin',
    summary: 'make a staff admin account (the first one, or another); there is no default password',
    usage: 'intake create-admin --username NAME [--name 显示名] [--data DIR]',
    details:
      'At a terminal the password is typed twice and not shown; in a script pipe it on standard input (one line).\nA password that is too short or too easy to guess is refused (exit 1).',
    options: [
      { flag: '--username NAME', help: 'the login name' },
      { flag: '--name 显示名', help: 'the name shown in the staff app and the audit log (default: the login name)' },
      DATA_OPTION,
    ],
    run: (args) => createAdminCommand(args),
  },
  credential(
    'create',
    "issue (or re-issue) a booth's delivery credential; prints it once",
    'intake credential create BOOTHCODE [--data DIR]',
    "The token goes into the booth's data/booth/keys/intake.token. Enrolment codes from the staff app (设备 → 添加设备) do this for you.",
    true,
  ),
  credential(
    'revoke',
    'refuse a booth from now on (its submissions stay queued on the booth)',
    'intake credential revoke BOOTHCODE [--data DIR]',
    'Exit 1 when the booth has no active credential.',
    true,
  ),
  {
    name: 'backup',
    summary: 'write a backup folder: the database (online), the keys, and the media (or their manifest on an object store)',
    usage: 'intake backup --out DIR [--data DIR]',
    details:
      "Safe while the intake runs: SQLite through its online backup API, PostgreSQL through pg_dump.\nWith INTAKE_STORAGE=s3 the media stay in the bucket (protect it with the store's versioning) and the backup lists them.\nThe folder holds the keys: keep it like the keys themselves (docs/DEPLOY.md, key escrow).",
    options: [{ flag: '--out DIR', help: 'a new or empty folder' }, DATA_OPTION],
    run: (args, io) => backupCommand('backup', args, io),
  },
  {
    name: 'restore',
    summary: 'bring an intake back from a backup folder into an empty data folder (and an empty database)',
    usage: 'intake restore --from DIR [--data DIR]',
    details:
      "Every file is checked against the backup's manifest first. With INTAKE_DATABASE_URL the dump goes into that (empty) database.\nExit 1 when object-store media listed in the backup are missing from the bucket.",
    options: [{ flag: '--from DIR', help: 'a folder written by intake backup' }, DATA_OPTION],
    run: (args, io) => backupCommand('restore', args, io),
  },
  credential(
    'list',
    'booth codes with the times their credentials were issued and revoked (never the secrets)',
    'intake credential list [--data DIR]',
    '',
    false,
  ),
];
