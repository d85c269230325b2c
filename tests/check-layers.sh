#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The core (domain, repositories, use cases) may include GLib and GIO only.
# Fails, naming the file, when a core file reaches for anything else.
set -eu
src="${1:?usage: check-layers.sh SRCDIR}"
status=0
for dir in domain repositories usecases; do
  for f in "$src/src/$dir"/*.c "$src/src/$dir"/*.h; do
    [ -e "$f" ] || continue
    if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk/|adwaita|sqlite3|libsoup|json-glib|libsecret|archive|zstd)' "$f"; then
      echo "layer violation: $f includes a library the core must not use" >&2
      status=1
    fi
  done
done
# the UI talks to use cases only
for f in "$src/src/ui"/*.c "$src/src/ui"/*.h; do
  [ -e "$f" ] || continue
  if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](sqlite3|libsoup|rh-sqlite)' "$f"; then
    echo "layer violation: $f (UI) includes storage or HTTP" >&2
    status=1
  fi
done
exit $status
