#!/usr/bin/env bash
# On a BUILD machine (internet, this repository after `npm ci` and `bash scripts/setup.sh`): makes the
# offline bundle a technician installs on a fresh Debian 12 booth PC with install.sh (docs/BOOTH-IMAGE.md).
# The bundle holds the source tree, the built kiosk and staff apps, the prebuilt spoken prompts, the
# production node_modules as `npm ci` + setup.sh built them (native modules compiled for the bundled
# Node) and that Node itself (the npm `node` package, Node 24 LTS; Debian 12 ships 18).
#   bash scripts/booth-image/make-bundle.sh [OUT.tar.gz]      (default dist/shuoba-booth-bundle.tar.gz)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-dist/shuoba-booth-bundle.tar.gz}")
for need in dist/renderer/index.html dist/staff/index.html node_modules/node/bin/node node_modules/tsx/dist/cli.mjs; do
  [[ -e $need ]] || { echo "make-bundle: $need is missing: run npm ci and bash scripts/setup.sh first" >&2; exit 1; }
done
[[ -d dist/prompts/zh-CN ]] || echo "make-bundle: warning: dist/prompts is missing (espeak-ng on the build machine makes it): the booth will run silent" >&2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
src=$stage/shuoba-booth-src
mkdir -p "$src/dist" "$src/bin"
# The tracked source tree as it is in this checkout.
git ls-files -z | xargs -0 cp --parents -t "$src"
cp -a dist/renderer dist/staff "$src/dist/"
[[ -d dist/prompts ]] && cp -a dist/prompts "$src/dist/"
# npm ci's output, less the development tools (Electron, test and build tools): offline, no download.
cp -a node_modules "$src/"
(cd "$src" && PATH="$PWD/node_modules/node/bin:$PATH" npm prune --omit=dev --offline --no-audit --no-fund --loglevel=error)
# The runtime: Node from the npm `node` package, first on the booth's PATH (packaging/bin/kiosk-session).
ln -s ../node_modules/node/bin/node "$src/bin/node"
"$src/bin/node" -e 'if (+process.versions.node.split(".")[0] < 24) process.exit(1)' || { echo "make-bundle: the bundled Node is older than 24" >&2; exit 1; }
git rev-parse --short HEAD > "$src/BUNDLE-COMMIT" 2>/dev/null || true
mkdir -p "$(dirname "$out")"
tar -C "$stage" -cf - shuoba-booth-src | gzip -1 > "$out"
echo "bundle: $out ($(du -h "$out" | cut -f1)); on the booth: sudo sh install.sh $(basename "$out")"
