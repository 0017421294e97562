// How the packaged app installs an update and puts the previous version back, per kind of package.
// Pure (table-tested); main/electron/updater.ts reads the directory, writes the files and runs the
// command.
//
// AppImage: the booth user owns the file; the running AppImage is kept as previous.AppImage and
// electron-updater replaces it. deb: `dpkg -i` as root, as electron-updater's DebUpdater does, but
// not through its `sudo /bin/bash -c …` (no narrow sudoers rule can allow that) and not with a
// package the kiosk user merely wrote: packaging/sudoers/shuoba-booth-update lets user booth run
// exactly `install-update VERSION`, a root-owned helper (packaging/bin/install-update) that copies
// the kept release of that version (the .deb, the latest-linux.yml it came with and its Ed25519
// signature) out of the booth's reach, checks the signature against the release key the package
// installed and the .deb's sha512 against the manifest, and only then runs dpkg. Every installed
// release is kept in the updates directory under its version, so the version before an update can
// be reinstalled, through the same check, if the new one fails its self-test (rollback.ts decides
// when).

export type PackageKind = 'appimage' | 'deb' | 'unknown';

/** The one directory install-update takes releases from (BOOTH_DATA of the units + /updates). */
export const SUDOERS_UPDATES_DIR = '/var/lib/shuoba-booth/updates';
/** The root-owned helper, the only command the sudoers rule allows (installed by setup-kiosk-user.sh). */
export const INSTALL_HELPER = '/usr/lib/shuoba-booth/install-update';
/** The transient systemd unit dpkg runs in (install-update starts it). */
export const INSTALL_UNIT = 'shuoba-booth-install';
/** The same pattern as the sudoers rule's and install-update's: a plain x.y.z[-pre]. */
const FILE_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const KEPT_RELEASE_FILE = /^shuoba-booth-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.(deb|yml|yml\.sig)$/;

/** electron-updater's own test: an AppImage run has APPIMAGE set; a deb build ships resources/package-type. */
export function packageKind(p: { appImage: string | undefined; packageType: string | null }): PackageKind {
  if (p.appImage) return 'appimage';
  if (p.packageType?.trim() === 'deb') return 'deb';
  return 'unknown';
}

function fileVersion(version: string): string {
  if (!FILE_VERSION.test(version))
    throw new Error(`not a version a package can be kept under: ${JSON.stringify(version)} (expected x.y.z or x.y.z-pre)`);
  return version;
}

export function keptDebName(version: string): string {
  return `shuoba-booth-${fileVersion(version)}.deb`;
}

/** A kept release: the package, the latest-linux.yml it was offered with, and that file's signature (what install-update checks). */
export interface KeptRelease {
  deb: string;
  manifest: string;
  signature: string;
}

export function keptReleaseNames(version: string): KeptRelease {
  const deb = keptDebName(version);
  const base = deb.slice(0, -'.deb'.length);
  return { deb, manifest: `${base}.yml`, signature: `${base}.yml.sig` };
}

/** The command that installs a kept release as root; refuses what the sudoers rule and install-update would refuse anyway, with a clearer message. */
export function debInstallCommand(updatesDir: string, version: string): string[] {
  if (updatesDir.replace(/\/+$/, '') !== SUDOERS_UPDATES_DIR) {
    throw new Error(
      `deb updates install only from ${SUDOERS_UPDATES_DIR} (where install-update takes them); this booth keeps them in ${updatesDir} (BOOTH_DATA)`,
    );
  }
  return ['sudo', '-n', INSTALL_HELPER, fileVersion(version)];
}

/** The kept files of `version` that are not in keptFiles (empty: the release can be installed again). */
function missingRelease(version: string, keptFiles: readonly string[]): string[] {
  return Object.values(keptReleaseNames(version)).filter((f) => !keptFiles.includes(f));
}

export interface InstallInputs {
  kind: PackageKind;
  updatesDir: string;
  currentVersion: string;
  newVersion: string;
  /** electron-updater's downloaded file (checked against the signed manifest's sha512). */
  downloadedFile: string | null;
  /** The signed latest-linux.yml the booth verified when it offered newVersion (kept beside the package). */
  signedManifest: { manifest: Buffer; signature: string } | null;
  /** File names now in updatesDir. */
  keptFiles: readonly string[];
}

export type InstallPlan =
  /** Write the download and the signed manifest to keepAs, delete prune, run command. previousKept false: no rollback possible. */
  | { kind: 'deb'; keepAs: KeptRelease; prune: string[]; previousKept: boolean; command: string[] }
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
      if (!i.signedManifest)
        throw new Error(`no signed manifest kept for version ${i.newVersion}; install-update would refuse the package`);
      const keep = new Set([...Object.values(keptReleaseNames(i.currentVersion)), ...Object.values(keptReleaseNames(i.newVersion))]);
      // Only the running version and the new one: older releases are never rolled back to, and a
      // booth's disk is small.
      const prune = i.keptFiles.filter((f) => KEPT_RELEASE_FILE.test(f) && !keep.has(f)).map((f) => `${i.updatesDir}/${f}`);
      const names = keptReleaseNames(i.newVersion);
      return {
        kind: 'deb',
        keepAs: {
          deb: `${i.updatesDir}/${names.deb}`,
          manifest: `${i.updatesDir}/${names.manifest}`,
          signature: `${i.updatesDir}/${names.signature}`,
        },
        prune,
        previousKept: missingRelease(i.currentVersion, i.keptFiles).length === 0,
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

export function rollbackPlan(i: {
  kind: PackageKind;
  updatesDir: string;
  version: string;
  appImage: string | undefined;
  keptFiles: readonly string[];
}): RollbackPlan {
  switch (i.kind) {
    case 'appimage':
      if (!i.appImage) return { kind: 'impossible', reason: 'APPIMAGE is not set: not running from an AppImage' };
      if (!i.keptFiles.includes('previous.AppImage')) return { kind: 'impossible', reason: `no previous.AppImage kept in ${i.updatesDir}` };
      return { kind: 'appimage', from: `${i.updatesDir}/previous.AppImage`, to: i.appImage };
    case 'deb': {
      if (!FILE_VERSION.test(i.version))
        return { kind: 'impossible', reason: `cannot reinstall version ${JSON.stringify(i.version)}: not x.y.z` };
      const missing = missingRelease(i.version, i.keptFiles);
      if (missing.length) {
        return {
          kind: 'impossible',
          reason: `${missing.join(', ')} not kept in ${i.updatesDir} (installed before the booth kept releases?); reinstall version ${i.version} by hand`,
        };
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
