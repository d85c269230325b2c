#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command with a real Secret Service of its own: a private D-Bus
# session bus (dbus-run-session) with GNOME Keyring's secrets component,
# its login keyring unlocked with a throw-away password, in a throw-away
# HOME, XDG_DATA_HOME and XDG_RUNTIME_DIR, so tests never touch the user's
# keyring. Exits 77 (skipped) when dbus-run-session or gnome-keyring-daemon
# is missing.
#
#   tests/run-with-keyring.sh COMMAND [ARGS…]
set -eu

if [ "${RH_KEYRING_INNER:-}" != 1 ]; then
  for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "run-with-keyring: $tool is missing: skipped" >&2
      exit 77
    fi
  done
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/rehearse-keyring-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT INT TERM
  mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"
  chmod 700 "$tmp/runtime"
  status=0
  HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
    XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" RH_KEYRING_INNER=1 \
    RH_KEYRING_TMP="$tmp" \
    dbus-run-session -- "$0" "$@" || status=$?
  exit $status
fi

# Inside the private session: start the keyring, unlocked (the password on
# stdin creates the login keyring, which becomes the default collection).
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
eval "$(printf 'rehearse-test-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# wait until the Secret Service answers on the bus
i=0
while ! gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
          --method org.freedesktop.DBus.GetNameOwner org.freedesktop.secrets >/dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 50 ]; then
    echo "run-with-keyring: the Secret Service did not start" >&2
    exit 1
  fi
  sleep 0.1
done
exec "$@"
