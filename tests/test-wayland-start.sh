#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The app starts on Wayland, the session GNOME starts by default: on a
# headless weston, with a new data folder, it draws the decks page of its
# sample collection, quits by itself (the startup probe), and GTK has
# nothing to complain about on the way.
#
#   test-wayland-start.sh REHEARSE
set -eu
app=${1:?usage: test-wayland-start.sh REHEARSE}
command -v weston >/dev/null 2>&1 || { echo "no weston: skipped"; exit 77; }

tmp=$(mktemp -d)
weston_pid=""
cleanup() {
  [ -n "$weston_pid" ] && kill "$weston_pid" 2>/dev/null && wait "$weston_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

mkdir -m 700 "$tmp/runtime"
XDG_RUNTIME_DIR=$tmp/runtime
export XDG_RUNTIME_DIR
env -u DISPLAY -u WAYLAND_DISPLAY weston --backend=headless-backend.so --socket=rehearse-test \
  --width=1280 --height=800 --idle-time=0 >"$tmp/weston.log" 2>&1 &
weston_pid=$!
i=0
while [ ! -S "$tmp/runtime/rehearse-test" ]; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$weston_pid" 2>/dev/null; then
    echo "weston did not start:" >&2
    cat "$tmp/weston.log" >&2
    exit 1
  fi
  sleep 0.1
done

run=""
command -v dbus-run-session >/dev/null 2>&1 && run="dbus-run-session --"
status=0
# shellcheck disable=SC2086 # $run is a command and its argument, or nothing
env -u DISPLAY WAYLAND_DISPLAY=rehearse-test GDK_BACKEND=wayland \
  REHEARSE_DATA_DIR="$tmp/data" REHEARSE_STARTUP_PROBE=1 \
  timeout 60 $run "$app" >"$tmp/out" 2>"$tmp/err" || status=$?

cat "$tmp/out"
if [ $status -ne 0 ]; then
  echo "the app exited with $status:" >&2
  cat "$tmp/err" >&2
  exit 1
fi
for stage in "stage-ms decks-read" "stage-ms mapped" "first-frame-ms"; do
  grep -q "^$stage " "$tmp/out" || { echo "no “$stage” in the probe's output" >&2; exit 1; }
done
# the sample collection was made, in the data folder asked for
ls "$tmp/data"/*.rehearse >/dev/null 2>&1 || { echo "no collection in $tmp/data" >&2; exit 1; }
if grep -E "(CRITICAL|WARNING|Gtk-|Gdk-|Adwaita-)" "$tmp/err" | grep -v "^dbus-daemon" >&2; then
  echo "GTK complained on Wayland (above)" >&2
  exit 1
fi
echo "first frame on Wayland: $(sed -n 's/^first-frame-ms //p' "$tmp/out") ms"
