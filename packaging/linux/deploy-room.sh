#!/bin/sh
# Installs ketreader on a Debian/Ubuntu training-room PC and puts the room policy in place.
# Usage: sudo sh deploy-room.sh ketreader_1.0.0_amd64.deb policy.ini
set -eu
deb=$1
policy=$2
apt-get install -y "./${deb#./}"
install -D -m 0644 -o root -g root "$policy" /etc/xdg/ketreader/policy.ini
# What this PC will do, and the content fingerprint to compare across the room.
ketreader policy --show
ketreader check
