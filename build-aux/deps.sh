#!/bin/sh
# Install the Debian packages scram-check needs to build and test, if any is
# missing. Runs apt-get only when something is missing (as root, or via sudo).
set -e
missing=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
for p in gcc make pkg-config libcsv-dev libcjson-dev libinih-dev libsqlite3-dev check python3-yaml; do
	have_pkg "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends $missing
