#!/bin/sh
# On the BOOTH (a fresh Debian 12 PC, as root, no internet needed): installs the offline bundle made by
# make-bundle.sh: the runtime in /opt/shuoba-booth-src (with its own Node 24), the kiosk user "booth"
# and its folders, the units (shuoba-booth-chromium.service enabled), udev rules, Xorg lockdown,
# Chromium policy, and /usr/bin/booth (the technician CLI). docs/BOOTH-IMAGE.md, step by step.
#   sh install.sh shuoba-booth-bundle.tar.gz [--no-apt]
# --no-apt: do not install the Debian packages of the kiosk session (X, Chromium); for a test root.
# The Debian packages come from the installation media or the village's Debian mirror (apt sources
# as set up by the Debian installer); socat is NOT needed (only the development simulator uses it).
set -eu
bundle=${1:?usage: sh install.sh BUNDLE.tar.gz [--no-apt]}
apt=yes
[ "${2:-}" = --no-apt ] && apt=no
dest=${BOOTH_SRC:-/opt/shuoba-booth-src}
[ "$(id -u)" = 0 ] || { echo "install: run as root (sudo sh install.sh …)" >&2; exit 1; }
[ -r "$bundle" ] || { echo "install: cannot read $bundle" >&2; exit 1; }
. /etc/os-release 2>/dev/null || true
[ "${VERSION_ID:-}" = 12 ] || echo "install: warning: this is not Debian 12 (${PRETTY_NAME:-unknown}); continuing" >&2

if [ "$apt" = yes ]; then
  # The kiosk session: X on tty1 and Debian's Chromium; fonts for Chinese; the audio stack.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    xserver-xorg-core xserver-xorg-input-libinput xinit x11-xserver-utils chromium fonts-noto-cjk \
    pipewire pipewire-pulse wireplumber udev ca-certificates
fi

# 1. The runtime, swapped in whole (the previous one kept as .old for a rollback by hand).
tmp="$dest.new"
rm -rf "$tmp"
mkdir -p "$tmp"
tar -xzf "$bundle" -C "$tmp" --strip-components=1
"$tmp/bin/node" -e 'process.exit(+process.versions.node.split(".")[0] >= 24 ? 0 : 1)' || { echo "install: the bundle's Node does not run here" >&2; exit 1; }
if [ -d "$dest" ]; then rm -rf "$dest.old"; mv "$dest" "$dest.old"; fi
mv "$tmp" "$dest"
chown -R root:root "$dest"

# 2. The kiosk user, folders, units, udev, Xorg, Chromium policy (one unit enabled: the Chromium kiosk).
# (A root without udev or systemd yet, e.g. an image being built, gets their folders first.)
mkdir -p /etc/udev/rules.d /etc/systemd/system
BOOTH_SRC="$dest" sh "$dest/packaging/setup-kiosk-user.sh" chromium
# Without a running systemd (a chroot, an image being built) the unit is enabled by its link.
if ! [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/graphical.target.wants
  ln -sf /etc/systemd/system/shuoba-booth-chromium.service /etc/systemd/system/graphical.target.wants/shuoba-booth-chromium.service
  ln -sf /lib/systemd/system/graphical.target /etc/systemd/system/default.target 2>/dev/null || true
fi

# 3. The technician CLI: `sudo booth provision|doctor|status|logs export …`.
install -o root -g root -m 0755 "$dest/packaging/bin/booth-src" /usr/bin/booth
# 4. The technician PIN, so the booth can be enrolled on its service screen by scanning the staff app's
# QR (扫码登记, no keyboard needed there). Asked for only at a terminal and only when none is set yet.
if [ -t 0 ] && [ ! -e /var/lib/shuoba-booth/keys/technician.pin ]; then
  /usr/bin/booth pin || echo "the technician PIN is not set; set it later with: sudo booth pin"
fi
echo "installed $(cat "$dest/BUNDLE-COMMIT" 2>/dev/null || echo '') in $dest; next: reboot, then enrol on the service screen (扫码登记) or with sudo booth provision --code CODE --intake https://… [--ca FILE]"
