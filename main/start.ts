// `npm start`: the booth core with the intake service embedded, on simulated hardware where no
// real hardware is found (in production: no simulator, a missing reader means anonymous only). Prints the kiosk and staff URLs, then opens the kiosk window and keeps it
// alive (main/kiosk/supervisor.ts). The Chromium-fallback unit runs this file too, with
// BOOTH_EMBED_INTAKE=0 and BOOTH_PRODUCTION=1 (packaging/bin/kiosk-session; main/startEnv.ts).
import path from 'node:path';
import { createIntake } from '../intake/server.ts';
import { hasStaffAccounts } from '../intake/staff/accounts.ts';
import { issueCredential } from '../intake/boothCredentials.ts';
import { systemClock } from '../lib/clock.ts';
import { listenOrExit } from '../lib/listenError.ts';
import { createLogger, keepLogCopyIn } from '../lib/log.ts';
import { loadConfig } from './config.ts';
import { BoothCore } from './core.ts';
import { chooseKiosk, chromiumBinary, electronBinary, openKiosk } from './kiosk/open.ts';
import { KioskSupervisor } from './kiosk/supervisor.ts';
import { nightlyRestartPolicy } from './kiosk/nightlyRestart.ts';
import { startNightlyRestart } from './kiosk/nightlyTimer.ts';
import { embedsIntake, readStartEnv } from './startEnv.ts';

const log = createLogger('start');
// systemd (KillMode=control-group) and wrappers such as tsx may deliver the signal more than once:
// the first one starts an orderly shutdown (shutdown() below), later ones must not cut it short.
let stopping = false;

let startEnv: ReturnType<typeof readStartEnv>;
try {
  startEnv = readStartEnv(process.env);
} catch (e) {
  console.error(`booth: ${(e as Error).message}`);
  process.exit(2);
}

const dataDir = path.resolve(process.env.BOOTH_DATA ?? 'data/booth');
const config = loadConfig(dataDir);
// A copy of the (redacted) log in the data folder: `booth logs export` finds it with or without a journal.
keepLogCopyIn(path.join(dataDir, 'logs'));

const intakeDataDir = path.resolve(process.env.INTAKE_DATA ?? 'data/intake');
let intakeUrl = config.intakeUrl;
let intake: Awaited<ReturnType<typeof createIntake>> | null = null;
let intakeToken: string | undefined;
if (embedsIntake(startEnv, intakeUrl)) {
  intake = await createIntake({ dataDir: intakeDataDir });
  const embedded = intake;
  intakeUrl = await listenOrExit(() => embedded.app.listen({ host: '127.0.0.1', port: startEnv.intakePort }), {
    what: 'booth: the embedded back office',
    host: '127.0.0.1',
    port: startEnv.intakePort,
    envVar: 'INTAKE_PORT',
  });
  // Embedded intake (development, demo): this booth enrols itself with a fresh credential each start.
  intakeToken = await issueCredential(intake.delivery, config.boothCode, Date.now());
}

// Without an intake address (a production booth before `booth provision`) the core starts anyway
// and the kiosk shows its out-of-service screen; provisioning brings it into service without a restart.
// The simulated reader stands in for a missing one in development only; its entry (and socat) is
// never loaded by a production booth (BOOTH_PRODUCTION=1, the Chromium-fallback unit).
const readerSimulator = startEnv.production ? undefined : (await import('../drivers/idcard/simulator/index.ts')).startBoothSimulator;
const core = await BoothCore.create({
  dataDir,
  config,
  intakeUrl,
  ...(intakeToken ? { intakeToken } : {}),
  ...(readerSimulator ? { readerSimulator } : {}),
});
const boothPort = startEnv.boothPort ?? config.port;
await listenOrExit(() => core.listen(boothPort), {
  what: 'booth: the booth core',
  host: '127.0.0.1',
  port: boothPort,
  envVar: 'BOOTH_PORT',
});

console.log(`kiosk: ${core.kioskUrl}`);
if (intake) {
  console.log(`staff: ${intakeUrl}/staff/`);
  // There is no default password: a newcomer is told how to make the first account.
  if (!(await hasStaffAccounts(intake.db))) {
    const data = process.env.INTAKE_DATA ? ` --data ${intakeDataDir}` : '';
    console.log(`staff: no account yet; make the first admin with: npm run intake:cli -- create-admin --username admin${data}`);
  }
} else if (!intakeUrl) console.log('intake: none (not provisioned: the kiosk is out of service until `booth provision`)');

const choice = chooseKiosk({
  display: process.env.DISPLAY,
  electron: electronBinary(),
  chromium: chromiumBinary(),
  prefer: startEnv.kiosk,
});
if (choice.kind === 'headless') console.log(`kiosk window: none (${choice.reason}); running headless, open the kiosk URL in a browser`);
else console.log(`kiosk window: ${choice.kind}`);

const presence = core.presence;
const windowEnv = { BOOTH_DATA_DIR: dataDir, ...(intakeUrl ? { BOOTH_INTAKE_URL: intakeUrl } : {}) };
const supervisor =
  choice.kind === 'headless'
    ? null
    : new KioskSupervisor({
        // openKiosk returns null only for a headless choice.
        launch: () => openKiosk(choice, core.kioskUrl, windowEnv)!,
        presence,
        clock: systemClock,
        hangWatch: startEnv.hangWatch,
        onGiveUp: () => void shutdown(1),
      });
supervisor?.start();

// Nightly restart in quiet hours, when a service manager starts us again (the units; Electron
// restarts itself, main/electron/recovery.ts). Exiting restarts the X session and browser too.
if (startEnv.production && supervisor) {
  startNightlyRestart(
    () => nightlyRestartPolicy(core.settings.value, process.env),
    () => !presence.atStart,
    systemClock,
    () => {
      log.info('nightly restart');
      void shutdown(0);
    },
  );
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await supervisor?.stop();
  await core.close();
  await intake?.close();
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void shutdown(0));
