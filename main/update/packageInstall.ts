// How the packaged app installs an update and puts the previous version back, per kind of package.
// Pure (table-tested); main/electron/updater.ts reads the directory, copies files and runs the
// command.
//
// AppImage: the booth user owns the file; the running AppImage is kept as previous.AppImage and
// electron-updater replaces it. deb: the way electron-updater's DebUpdater installs (`dpkg -i` as
// root through sudo), but through our own narrow command instead of its `sudo /bin/bash -c …`,
// which no narrow sudoers rule can allow: packaging/sudoers/shuoba-booth-update permits exactly
// debInstallCommand's command line for files named shuoba-booth-<version>.deb in the updates
// directory. Every installed deb is kept there under its version, so the version before an update
// can be reinstalled if the new one fails its self-test (rollback.ts decides when).

export type PackageKind = 'appimage' | 'deb' | 'unknown';

/** The one directory the sudoers rule allows packages from (BOOTH_DATA of the units + /updates). */
export const SUDOERS_UPDATES_DIR = '/var/lib/shuoba-booth/updates';
/** The transient systemd unit dpkg runs in (also named in the sudoers rule). */
export const INSTALL_UNIT = 'shuoba-booth-install';
/** Stricter than the sudoers pattern (shuoba-booth-[0-9][0-9A-Za-z.-]*[.]deb): a plain x.y.z[-pre]. */
const FILE_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const KEPT_DEB = /^shuoba-booth-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.deb$/;

/** electron-updater's own test: an AppImage run has APPIMAGE set; a deb build ships resources/package-type. */
export function packageKind(p: { appImage: string | undefined; packageType: string | null }): PackageKind {
  if (p.appImage) return 'appimage';
  if (p.packageType?.trim() === 'deb') return 'deb';
  return 'unknown';
}

export function keptDebName(version: string): string {
  if (!FILE_VERSION.test(version)) throw new Error(`not a version a package can be kept under: ${JSON.stringify(version)} (expected x.y.z or x.y.z-pre)`);
  return `shuoba-booth-${version}.deb`;
}

/** The command that installs a kept deb as root; refuses what the sudoers rule would refuse anyway, with a clearer message. */
export function debInstallCommand(updatesDir: string, version: string): string[] {
  if (updatesDir.replace(/\/+$/, '') !== SUDOERS_UPDATES_DIR) {
    throw new Error(`deb updates install only from ${SUDOERS_UPDATES_DIR} (the sudoers rule); this booth keeps them in ${updatesDir} (BOOTH_DATA)`);
  }
  return ['sudo', '-n', '/usr/bin/systemd-run', '--unit', INSTALL_UNIT, '--collect', '--quiet', '/usr/bin/dpkg', '-i', `${SUDOERS_UPDATES_DIR}/${keptDebName(version)}`];
}

export interface InstallInputs {
  kind: PackageKind;
  updatesDir: string;
  currentVersion: string;
  newVersion: string;
  /** electron-updater's downloaded file (checked against the signed manifest's sha512). */
  downloadedFile: string | null;
  /** File names now in updatesDir. */
  keptFiles: readonly string[];
}

export type InstallPlan =
  /** Copy the download to keepAs, delete prune, run command. previousKept false: no rollback possible. */
  | { kind: 'deb'; keepAs: string; prune: string[]; previousKept: boolean; command: string[] }
  /** Copy the running AppImage to keepCurrentAs, then electron-updater's quitAndInstall. */
  | { kind: 'appimage'; keepCurrentAs: string }
  /** Neither: electron-updater's quitAndInstall; nothing kept, no rollback. */
  | { kind: 'electron-updater' };

export function installPlan(i: InstallInputs): InstallPlan {
  switch (i.kind) {
    case 'appimage':
      return { kind: 'appimage', keepCurrentAs: `${i.updatesDir}/previous.AppImage` };
    case 'unknown':
      return { kind: 'electron-updater' };
    case 'deb': {
      if (!i.downloadedFile) throw new Error(`version ${i.newVersion} is not downloaded; nothing to install`);
      const keep = new Set([keptDebName(i.currentVersion), keptDebName(i.newVersion)]);
      // Only the running version and the new one: older packages are never rolled back to, and a
      // booth's disk is small.
      const prune = i.keptFiles.filter((f) => KEPT_DEB.test(f) && !keep.has(f)).map((f) => `${i.updatesDir}/${f}`);
      return {
        kind: 'deb',
        keepAs: `${i.updatesDir}/${keptDebName(i.newVersion)}`,
        prune,
        previousKept: i.keptFiles.includes(keptDebName(i.currentVersion)),
        command: debInstallCommand(i.updatesDir, i.newVersion),
      };
    }
    default: {
      const never: never = i.kind;
      throw new Error(`unknown package kind ${String(never)}`);
    }
  }
}

export type RollbackPlan =
  | { kind: 'deb'; command: string[] }
  /** Copy `from` over the running AppImage `to`, then relaunch. */
  | { kind: 'appimage'; from: string; to: string }
  | { kind: 'impossible'; reason: string };

export function rollbackPlan(i: { kind: PackageKind; updatesDir: string; version: string; appImage: string | undefined; keptFiles: readonly string[] }): RollbackPlan {
  switch (i.kind) {
    case 'appimage':
      if (!i.appImage) return { kind: 'impossible', reason: 'APPIMAGE is not set: not running from an AppImage' };
      if (!i.keptFiles.includes('previous.AppImage')) return { kind: 'impossible', reason: `no previous.AppImage kept in ${i.updatesDir}` };
      return { kind: 'appimage', from: `${i.updatesDir}/previous.AppImage`, to: i.appImage };
    case 'deb': {
      if (!FILE_VERSION.test(i.version)) return { kind: 'impossible', reason: `cannot reinstall version ${JSON.stringify(i.version)}: not x.y.z` };
      const name = keptDebName(i.version);
      if (!i.keptFiles.includes(name)) {
        return { kind: 'impossible', reason: `${name} was not kept in ${i.updatesDir} (installed before the booth kept packages?); reinstall version ${i.version} by hand` };
      }
      try {
        return { kind: 'deb', command: debInstallCommand(i.updatesDir, i.version) };
      } catch (e) {
        return { kind: 'impossible', reason: (e as Error).message };
      }
    }
    case 'unknown':
      return { kind: 'impossible', reason: 'neither an AppImage nor a deb install: nothing to roll back to' };
    default: {
      const never: never = i.kind;
      throw new Error(`unknown package kind ${String(never)}`);
    }
  }
}
