// electron-updater behind UpdateAgent's ports. The feed is the booth's enrolled intake
// (generic provider: <intake>/api/v1/updates/linux/latest-linux.yml, plus .sig for our signature).
// Cannot run on the development machines (no Electron binary, no packaged app): the agent's logic
// is tested in tests/main/update/ with these ports replaced.
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { UpdateAgent, loadUpdateState, type UpdateConfig } from '../update/agent.ts';
import { fetchSignedManifest, updateFeedUrl } from '../update/feed.ts';

const { autoUpdater } = electronUpdater;

export interface UpdaterDeps {
  intakeUrl: string;
  dataDir: string;
  publicKeyPem: string;
  config: Omit<UpdateConfig, 'currentVersion' | 'publicKeyPem' | 'stateFile'>;
  authorization: () => string | null;
  selfTest: () => Promise<boolean>;
  sessionActive: () => boolean;
}

export async function startUpdater(d: UpdaterDeps): Promise<UpdateAgent> {
  const feed = updateFeedUrl(d.intakeUrl);
  const auth = d.authorization();
  autoUpdater.setFeedURL({ provider: 'generic', url: feed, channel: 'latest' });
  if (auth) autoUpdater.requestHeaders = { authorization: auth };
  autoUpdater.autoDownload = false;
  // Install only when the agent says so (quiet hours), never on an ordinary quit.
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;

  const prevDir = path.join(d.dataDir, 'updates');
  const stateFile = path.join(d.dataDir, 'update-state.json');
  const currentVersion = app.getVersion();
  const agent = new UpdateAgent(
    { ...d.config, currentVersion, publicKeyPem: d.publicKeyPem, stateFile },
    {
      fetchManifest: () => fetchSignedManifest(feed, auth ? { authorization: auth } : {}),
      async download() {
        const r = await autoUpdater.checkForUpdates();
        if (r?.isUpdateAvailable) await autoUpdater.downloadUpdate();
      },
      async install() {
        // Keep the running AppImage so a failed self-test can put it back.
        const appImage = process.env.APPIMAGE;
        if (appImage) {
          await fsp.mkdir(prevDir, { recursive: true });
          await fsp.copyFile(appImage, path.join(prevDir, 'previous.AppImage'));
        }
        autoUpdater.quitAndInstall(true, true);
      },
      async reinstallPrevious() {
        const appImage = process.env.APPIMAGE;
        const kept = path.join(prevDir, 'previous.AppImage');
        if (!appImage) throw new Error('rollback is implemented for the AppImage build; for the deb, reinstall the previous package by hand');
        await fsp.copyFile(kept, `${appImage}.rollback`);
        await fsp.rename(`${appImage}.rollback`, appImage);
        app.relaunch();
        app.exit(0);
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
