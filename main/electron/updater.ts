// electron-updater behind UpdateAgent's ports. The feed is the booth's enrolled intake
// (generic provider: <intake>/api/v1/updates/linux/latest-linux.yml, plus .sig for our signature).
// How a package is installed and rolled back (AppImage, or deb through the root-side helper the
// sudoers rule allows) is decided in main/update/packageInstall.ts; this file writes the files and
// runs the command.
// Cannot run on the development machines (no Electron binary, no packaged app): the agent's logic
// and the install/rollback plans are tested in tests/main/update/ with these ports replaced, the
// helper and the sudoers rule with the command in tests/packaging/ (installUpdate, sudoers).
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import { execFile } from 'node:child_process';
import { createReadStream, promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeFileDurably } from '../../lib/durableFile.ts';
import { createLogger } from '../../lib/log.ts';
import { UpdateAgent, loadUpdateState, type SignedManifest, type UpdateConfig } from '../update/agent.ts';
import type { IntakeLink } from '../../uploader/intakeLink.ts';
import { installPlan, packageKind, rollbackPlan } from '../update/packageInstall.ts';

const { autoUpdater } = electronUpdater;
const log = createLogger('updater');
const run = promisify(execFile);

export interface UpdaterDeps {
  /** The booth's link to its intake (address, credential, village CA). */
  link: IntakeLink;
  dataDir: string;
  publicKeyPem: string;
  config: Omit<UpdateConfig, 'currentVersion' | 'publicKeyPem' | 'stateFile'>;
  selfTest: () => Promise<boolean>;
  sessionActive: () => boolean;
}

function readPackageType(): string | null {
  try {
    return readFileSync(path.join(process.resourcesPath, 'package-type'), 'utf8');
  } catch {
    return null;
  }
}

export async function startUpdater(d: UpdaterDeps): Promise<UpdateAgent> {
  const feed = d.link.updateFeedUrl();
  const auth = d.link.authorization;
  autoUpdater.setFeedURL({ provider: 'generic', url: feed, channel: 'latest' });
  if (auth) autoUpdater.requestHeaders = { authorization: auth };
  autoUpdater.autoDownload = false;
  // Install only when the agent says so (quiet hours), never on an ordinary quit.
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;

  const updatesDir = path.join(d.dataDir, 'updates');
  const stateFile = path.join(d.dataDir, 'update-state.json');
  const currentVersion = app.getVersion();
  const kind = packageKind({ appImage: process.env.APPIMAGE, packageType: readPackageType() });
  const keptFiles = async () => {
    await fsp.mkdir(updatesDir, { recursive: true });
    return fsp.readdir(updatesDir);
  };
  let downloaded: { file: string; signed: SignedManifest } | null = null;

  const agent = new UpdateAgent(
    { ...d.config, currentVersion, publicKeyPem: d.publicKeyPem, stateFile },
    {
      fetchManifest: () => d.link.updateManifest(),
      async download(_version, signed) {
        const r = await autoUpdater.checkForUpdates();
        const file = r?.isUpdateAvailable ? (await autoUpdater.downloadUpdate())[0] : undefined;
        downloaded = file ? { file, signed } : null;
      },
      async install(version) {
        const plan = installPlan({
          kind,
          updatesDir,
          currentVersion,
          newVersion: version,
          downloadedFile: downloaded?.file ?? null,
          signedManifest: downloaded?.signed ?? null,
          keptFiles: await keptFiles(),
        });
        switch (plan.kind) {
          case 'deb': {
            const d = downloaded!; // installPlan refuses a deb install without the file and its manifest
            // Kept under its version before installing, with the signed manifest that offered it:
            // what install-update checks now, and again for a later rollback to this version.
            await writeFileDurably(plan.keepAs.deb, createReadStream(d.file));
            await writeFileDurably(plan.keepAs.manifest, d.signed.manifest);
            await writeFileDurably(plan.keepAs.signature, Buffer.from(`${d.signed.signature}\n`));
            for (const old of plan.prune) await fsp.rm(old, { force: true });
            if (!plan.previousKept)
              log.warn(
                { version: currentVersion },
                "the running version's release (package, manifest, signature) is not kept: this update cannot be rolled back",
              );
            // Returns once install-update has checked the release and dpkg runs in its own unit;
            // the postinst restarts this kiosk. A refused release fails here with the helper's reason.
            await run(plan.command[0]!, plan.command.slice(1));
            return;
          }
          case 'appimage':
            // Keep the running AppImage so a failed self-test can put it back.
            await fsp.copyFile(process.env.APPIMAGE!, plan.keepCurrentAs);
            autoUpdater.quitAndInstall(true, true);
            return;
          case 'electron-updater':
            autoUpdater.quitAndInstall(true, true);
            return;
          default: {
            const never: never = plan;
            throw new Error(`unhandled ${JSON.stringify(never)}`);
          }
        }
      },
      async reinstallPrevious(version) {
        const plan = rollbackPlan({ kind, updatesDir, version, appImage: process.env.APPIMAGE, keptFiles: await keptFiles() });
        switch (plan.kind) {
          case 'deb':
            log.warn({ version }, 'reinstalling the previous package');
            await run(plan.command[0]!, plan.command.slice(1));
            return;
          case 'appimage':
            await fsp.copyFile(plan.from, `${plan.to}.rollback`);
            await fsp.rename(`${plan.to}.rollback`, plan.to);
            app.relaunch();
            app.exit(0);
            return;
          case 'impossible':
            throw new Error(`rollback to ${version} is not possible: ${plan.reason}`);
          default: {
            const never: never = plan;
            throw new Error(`unhandled ${JSON.stringify(never)}`);
          }
        }
      },
      selfTest: d.selfTest,
      sessionActive: d.sessionActive,
      now: () => Date.now(),
    },
    await loadUpdateState(stateFile, currentVersion),
  );
  await agent.onStart();
  return agent;
}
