#!/bin/sh
# deb postinst (electron-builder afterInstall). It replaces electron-builder's own template, so that
# template's Chromium-sandbox step is repeated here. Sets up the kiosk user, units and update rule
# from the files shipped in resources/, then restarts a running kiosk so an update (or a rollback)
# takes effect. The updater runs dpkg in a transient unit of its own (packaging/sudoers/), so this
# restart does not kill the dpkg that runs this script.
# electron-builder expands dollar-brace macros in this file: write shell variables as $name.
set -e
app=/opt/shuoba-booth
# The packaged app runs as user booth with Chromium's sandbox on: user namespaces where the kernel
# lets unprivileged users have them, else the setuid helper.
if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 1 ] && [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$app/chrome-sandbox" || true
else
  chmod 4755 "$app/chrome-sandbox" || true
fi
PACKAGING_DIR=$app/resources/packaging BOOTH_APP=$app sh "$app/resources/packaging/setup-kiosk-user.sh" electron
if [ -d /run/systemd/system ]; then
  # A fresh install starts at the next boot (or systemctl start shuoba-booth).
  systemctl try-restart shuoba-booth.service || true
fi
