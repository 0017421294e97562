// `npm start`: the booth core with the intake service embedded, on simulated hardware where no
// real hardware is found. Prints the kiosk and staff URLs, then opens the kiosk window.
import path from 'node:path';
import { createIntake } from '../intake/server.ts';
import { issueCredential } from '../intake/boothCredentials.ts';
import { loadConfig } from './config.ts';
import { BoothCore } from './core.ts';
import { chooseKiosk, chromiumBinary, electronBinary, openKiosk } from './kiosk.ts';

const dataDir = path.resolve(process.env.BOOTH_DATA ?? 'data/booth');
const config = loadConfig(dataDir);

let intakeUrl = config.intakeUrl;
let intake: Awaited<ReturnType<typeof createIntake>> | null = null;
let intakeToken: string | undefined;
if (!intakeUrl) {
  intake = await createIntake({ dataDir: process.env.INTAKE_DATA ?? path.resolve('data/intake') });
  intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: Number(process.env.INTAKE_PORT ?? 4300) });
  // Embedded intake (development, demo): this booth enrols itself with a fresh credential each start.
  intakeToken = await issueCredential(intake.delivery, config.boothCode, Date.now());
}

const core = await BoothCore.create({ dataDir, config, intakeUrl, ...(intakeToken ? { intakeToken } : {}) });
await core.listen(Number(process.env.BOOTH_PORT ?? config.port));

console.log(`kiosk: ${core.kioskUrl}`);
if (intake) console.log(`staff: ${intakeUrl}/staff/`);

const choice = chooseKiosk({
  display: process.env.DISPLAY,
  electron: electronBinary(),
  chromium: chromiumBinary(),
  forceHeadless: process.env.KIOSK === 'headless',
});
if (choice.kind === 'headless') console.log(`kiosk window: none (${choice.reason}); running headless, open the kiosk URL in a browser`);
else console.log(`kiosk window: ${choice.kind}`);
const window = openKiosk(choice, core.kioskUrl, { BOOTH_DATA_DIR: dataDir, BOOTH_INTAKE_URL: intakeUrl });

async function shutdown(): Promise<void> {
  if (window && window.exitCode === null && window.signalCode === null) {
    // Wait (briefly) for the window to go, so its exit handler can remove the throw-away profile.
    const gone = new Promise((resolve) => window.once('exit', resolve));
    window.kill();
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
  await core.close();
  await intake?.close();
  process.exit(0);
}
// systemd (KillMode=control-group) and wrappers such as tsx may deliver the signal more than once:
// the first one starts an orderly shutdown, later ones must not cut it short.
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void shutdown();
  });
}
