#!/usr/bin/env bash
# Idempotent set-up, run first by `npm start`, `npm test` and `npm run bench`.
# Fast when there is nothing to do: it only checks what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. Debian packages (only as root; otherwise say what is missing and go on).
# sudo: visudo and sudo -l check the booth's update rule (tests/packaging/sudoers.int.test.ts).
DEBS=(chromium ffmpeg socat xvfb xauth imagemagick udev libusb-1.0-0 fonts-dejavu-core fonts-wqy-microhei espeak-ng sox postgresql sudo)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (run as root to install): ${missing[*]}" >&2
  fi
fi

# 2. node_modules: npm ci when missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

# 3. Build the two browser apps when their sources changed since the last build.
build_if_stale() { # name, source dir, config, stamp
  local stamp="$4"
  if [[ ! -f $stamp ]] || [[ -n $(find "$2" lib/i18n main/contract.ts intake/contract.ts -newer "$stamp" -type f 2>/dev/null | head -1) ]]; then
    echo "setup: building $1"
    npx vite build --config "$3" --logLevel warn
    touch "$stamp"
  fi
}
build_if_stale renderer renderer renderer/vite.config.ts dist/renderer/.stamp
build_if_stale "staff web app" intake/web intake/web/vite.config.ts dist/staff/.stamp
# The Electron shell's bundle (dist-electron/, used only where an Electron binary exists or by
# electron-builder): rebuilt when any booth-side source changed since the last bundle.
if [[ ! -f dist-electron/main.mjs ]] || [[ -n $(find main drivers uploader lib -newer dist-electron/main.mjs -type f 2>/dev/null | head -1) ]]; then
  echo "setup: bundling the Electron shell"
  npx tsx scripts/build-electron.ts >/dev/null
fi

# 4. Generated assets (spoken prompts etc.), each script idempotent.
for s in scripts/setup.d/*.sh; do
  [[ -f $s ]] && bash "$s"
done
exit 0
