#!/bin/sh
# Creates the kiosk user and the directories it owns, installs the units, udev rules, Xorg lockdown
# and the Chromium policy. Idempotent; run as root on the booth image (the deb's after-install runs it).
#   sh setup-kiosk-user.sh [electron|chromium]   (electron: the deb's packaged app; chromium: a source install)
set -eu
shell=${1:-electron}
here=$(dirname "$(readlink -f "$0")")
root=${PACKAGING_DIR:-$here}
app=${BOOTH_APP:-/opt/shuoba-booth}
case "$shell" in
  electron)
    # shuoba-booth.service runs the packaged app; a source install has none.
    if [ ! -x "$app/shuoba-booth" ]; then
      echo "setup-kiosk-user: $app/shuoba-booth is not installed: install the deb (it runs this script), or use 'chromium' for a source install" >&2
      exit 1
    fi
    ;;
  chromium) ;;
  *)
    echo "setup-kiosk-user: the kiosk shell is electron or chromium, not '$shell'" >&2
    exit 64
    ;;
esac

# 1. An unprivileged system user with no password and no login shell outside the kiosk session.
if ! id booth >/dev/null 2>&1; then
  useradd --system --create-home --home-dir /var/lib/shuoba-booth --shell /usr/sbin/nologin --user-group booth
fi
# Cameras (video), microphone/speaker (audio), serial readers (dialout), HID readers (plugdev),
# touchscreen (input), X on a VT (tty).
for g in video audio dialout plugdev input tty render; do
  getent group "$g" >/dev/null && usermod -aG "$g" booth
done
passwd -l booth >/dev/null 2>&1 || true

# 2. State: SQLite outbox, media, credential (0700: only the booth user reads its credential).
install -d -o booth -g booth -m 0700 /var/lib/shuoba-booth
install -d -o booth -g booth -m 0750 /var/log/shuoba-booth
# Packages kept for rollback (main/update/packageInstall.ts); the sudoers rule names this path.
install -d -o booth -g booth -m 0700 /var/lib/shuoba-booth/updates
install -d -m 0755 /etc/shuoba-booth
[ -f /etc/shuoba-booth/booth.env ] || cat > /etc/shuoba-booth/booth.env <<'ENV'
# Site settings for the kiosk session (read by the systemd unit).
BOOTH_TOUCH=1
BOOTH_PORT=47300
BOOTH_DATA=/var/lib/shuoba-booth
ENV

# 3. Let the kiosk user start X on tty1 from a system service.
if [ -d /etc/X11 ]; then
  printf 'allowed_users=anybody\nneeds_root_rights=auto\n' > /etc/X11/Xwrapper.config
  install -d /etc/X11/xorg.conf.d
  install -m 0644 "$root/xorg/10-shuoba-kiosk.conf" /etc/X11/xorg.conf.d/10-shuoba-kiosk.conf
fi

# 4. Device access, units, Chromium policy.
install -m 0644 "$root/udev/70-shuoba-booth.rules" /etc/udev/rules.d/70-shuoba-booth.rules
udevadm control --reload-rules 2>/dev/null || true
install -m 0644 "$root/systemd/shuoba-booth.service" /etc/systemd/system/shuoba-booth.service
install -m 0644 "$root/systemd/shuoba-booth-chromium.service" /etc/systemd/system/shuoba-booth-chromium.service
install -d /etc/chromium/policies/managed
install -m 0644 "$root/chromium/shuoba-booth-policy.json" /etc/chromium/policies/managed/shuoba-booth.json

# 5. The packaged app updates and rolls back through one narrow sudo rule (deb booths only; a
#    source install has no packages to install): the rule allows only the root-owned helper, which
#    checks a release against the release key installed here (root-owned, not the booth's copy)
#    before dpkg. /usr/bin/booth is the technician CLI of the packaged app. The rule is checked
#    with visudo first: a broken file in sudoers.d would break sudo for everyone.
if [ "$shell" = electron ]; then
  install -d -o root -g root -m 0755 /usr/lib/shuoba-booth /usr/share/shuoba-booth
  install -o root -g root -m 0755 "$root/bin/install-update" /usr/lib/shuoba-booth/install-update
  install -o root -g root -m 0644 "$root/release-key.pub" /usr/share/shuoba-booth/release-key.pub
  install -o root -g root -m 0755 "$root/bin/booth" /usr/bin/booth
  install -d -m 0750 /etc/sudoers.d
  tmp=$(mktemp)
  install -m 0440 "$root/sudoers/shuoba-booth-update" "$tmp"
  if command -v visudo >/dev/null && ! visudo -cf "$tmp" >/dev/null; then
    rm -f "$tmp"
    echo "setup-kiosk-user: $root/sudoers/shuoba-booth-update does not parse; updates cannot install" >&2
    exit 1
  fi
  mv "$tmp" /etc/sudoers.d/shuoba-booth-update
else
  rm -f /etc/sudoers.d/shuoba-booth-update
fi

# 6. Exactly one kiosk unit enabled; no login prompt on tty1 behind it.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl disable getty@tty1.service 2>/dev/null || true
  if [ "$shell" = chromium ]; then
    systemctl disable shuoba-booth.service 2>/dev/null || true
    systemctl enable shuoba-booth-chromium.service
  else
    systemctl disable shuoba-booth-chromium.service 2>/dev/null || true
    systemctl enable shuoba-booth.service
  fi
  systemctl set-default graphical.target
fi
echo "kiosk user 'booth' ready; shell: $shell"
