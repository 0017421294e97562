#!/usr/bin/env bash
# The booth image, tested the way a technician follows docs/BOOTH-IMAGE.md: a fresh Debian 12 root
# (debootstrap, minbase, from Debian's mirror), the offline bundle installed in it by install.sh in a
# chroot (as root, no network used by the install), then the kiosk session's own start script run as
# user booth (production, no display: the core runs headless) and a health check over HTTP, then
# /usr/bin/booth (doctor, status) in the chroot.
#   sudo bash scripts/booth-image/test-in-chroot.sh BUNDLE.tar.gz ROOT_DIR [PORT]
# ROOT_DIR is made by debootstrap when it holds no system yet (needs debootstrap and Debian's mirror).
# --no-apt: the kiosk session's X and Chromium packages are not installed in the test root (no display here).
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
bundle=$(realpath "${1:?usage: test-in-chroot.sh BUNDLE ROOT_DIR [PORT]}")
root=$(realpath -m "${2:?usage: test-in-chroot.sh BUNDLE ROOT_DIR [PORT]}")
port=${3:-47391}
[[ $(id -u) == 0 ]] || { echo "test-in-chroot: run as root (chroot, mount)" >&2; exit 1; }
if [[ ! -x $root/bin/sh ]]; then
  command -v debootstrap > /dev/null || { echo "test-in-chroot: apt-get install debootstrap" >&2; exit 1; }
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
fi
grep -q '^VERSION_ID="12"' "$root/etc/os-release" || { echo "test-in-chroot: $root is not Debian 12" >&2; exit 1; }
cp "$bundle" "$root/tmp/shuoba-booth-bundle.tar.gz"
cp "$here/install.sh" "$root/tmp/install.sh"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
core=
cleanup() {
  [[ -n $core ]] && kill "$core" 2> /dev/null && wait "$core" 2> /dev/null || true
  umount "$root/dev" "$root/proc" 2> /dev/null || true
}
trap cleanup EXIT

echo "== install.sh in the Debian 12 root"
chroot "$root" sh /tmp/install.sh /tmp/shuoba-booth-bundle.tar.gz --no-apt
for f in /usr/bin/booth /opt/shuoba-booth-src/bin/node /etc/systemd/system/shuoba-booth-chromium.service \
  /etc/systemd/system/graphical.target.wants/shuoba-booth-chromium.service /etc/shuoba-booth/booth.env; do
  [[ -e $root$f || -L $root$f ]] || { echo "test-in-chroot: $f was not installed" >&2; exit 1; }
done
chroot "$root" id booth
echo "== the kiosk session's start script, as user booth, headless"
chroot "$root" setpriv --reuid=booth --regid=booth --init-groups \
  env -i PATH=/usr/bin:/bin HOME=/var/lib/shuoba-booth BOOTH_SHELL=chromium BOOTH_PORT="$port" \
  sh /opt/shuoba-booth-src/packaging/bin/kiosk-session > "$root/tmp/core.log" 2>&1 &
core=$!
for _ in $(seq 1 120); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/"; then break; fi
  kill -0 "$core" 2> /dev/null || { cat "$root/tmp/core.log"; echo "test-in-chroot: the core exited" >&2; exit 1; }
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/" | grep -q '<div id="root"' || { cat "$root/tmp/core.log"; echo "test-in-chroot: no kiosk page on :$port" >&2; exit 1; }
echo "health: the booth core answers on 127.0.0.1:$port (kiosk page served)"
head -5 "$root/tmp/core.log"
echo "== /usr/bin/booth in the root"
chroot "$root" env BOOTH_PORT="$port" booth status || true
chroot "$root" booth doctor || true
echo "test-in-chroot: ok"
