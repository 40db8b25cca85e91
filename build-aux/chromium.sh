#!/bin/sh
# Install Debian's chromium for make check-html when it is missing (CI only:
# make check never installs a browser, it skips the HTML test and says so).
set -e
command -v chromium >/dev/null 2>&1 && exit 0
dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'ok installed' && exit 0
echo "chromium.sh: installing chromium"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium
