// Signs an electron-builder update manifest (latest-linux.yml) with the district's Ed25519 release
// key, writing <manifest>.sig next to it. Run on the (offline) release machine, never on a booth:
//   npx tsx scripts/sign-release.ts release/latest-linux.yml /secure/release-key.pem
import { readFileSync, writeFileSync } from 'node:fs';
import { manifestVersion, signManifest } from '../main/update/signature.ts';

const [manifestPath, keyPath] = process.argv.slice(2);
if (!manifestPath || !keyPath) {
  console.error('usage: tsx scripts/sign-release.ts <latest-linux.yml> <release-key.pem>');
  process.exit(2);
}
const manifest = readFileSync(manifestPath);
const version = manifestVersion(manifest.toString('utf8'));
if (!version) {
  console.error(`${manifestPath}: no version: line; is this an electron-builder manifest?`);
  process.exit(1);
}
writeFileSync(`${manifestPath}.sig`, `${signManifest(manifest, readFileSync(keyPath, 'utf8'))}\n`);
console.log(`signed ${manifestPath} (version ${version}) → ${manifestPath}.sig`);
