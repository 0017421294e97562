#!/bin/sh
# deb postinst (electron-builder afterInstall): set up the kiosk user and units from the files
# shipped in resources/, then (re)start the kiosk so an update takes effect.
set -e
PACKAGING_DIR=/opt/shuoba-booth/resources/packaging sh /opt/shuoba-booth/resources/packaging/setup-kiosk-user.sh electron
if [ -d /run/systemd/system ]; then
  systemctl try-restart shuoba-booth.service || true
fi
