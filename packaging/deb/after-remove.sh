#!/bin/sh
# deb postrm: stop and remove the units. Data in /var/lib/shuoba-booth (unsent recordings!) is
# kept; a technician deletes it by hand only after booth queue shows nothing waiting.
set -e
if [ -d /run/systemd/system ]; then
  systemctl disable --now shuoba-booth.service 2>/dev/null || true
  rm -f /etc/systemd/system/shuoba-booth.service
  systemctl daemon-reload || true
fi
