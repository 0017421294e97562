#!/bin/sh
# deb postrm. An upgrade, or a rollback to the kept package (dpkg -i of another version), calls
# this with "upgrade": leave everything alone, the other version's postinst reinstalls the units
# and restarts the kiosk (stopping it here left the booth dark until the next boot). Only on
# remove/purge: stop and remove the unit, the update rule, its helper and key, and /usr/bin/booth.
# Data in /var/lib/shuoba-booth (unsent recordings!) is kept; a technician deletes it by hand only
# after booth queue shows nothing waiting.
set -e
case "$1" in
  remove | purge) ;;
  *) exit 0 ;;
esac
rm -f /etc/sudoers.d/shuoba-booth-update /usr/bin/booth
rm -rf /usr/lib/shuoba-booth /usr/share/shuoba-booth /var/lib/shuoba-booth-install
if [ -d /run/systemd/system ]; then
  systemctl disable --now shuoba-booth.service 2>/dev/null || true
  rm -f /etc/systemd/system/shuoba-booth.service
  systemctl daemon-reload || true
fi
