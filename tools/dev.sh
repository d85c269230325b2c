#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Sets up a Debian 12 machine for Rehearse, builds it, and then either
# starts the app or runs every test.
#
#   tools/dev.sh run     install, build, start the app on the local collection
#   tools/dev.sh test    install, build, run the whole test suite (what CI runs)
#   tools/dev.sh bench   install, build, run the benchmarks, the app's startup included
set -eu
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES="
  build-essential meson ninja-build pkg-config gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libgtk-4-bin libadwaita-1-dev
  libsqlite3-dev sqlite3 libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  libarchive-dev libzstd-dev
  libcjose-dev libjansson-dev libssl-dev libsecret-tools
  desktop-file-utils appstream flatpak-builder groff-base man-db
  xvfb xauth imagemagick dbus dbus-x11 gnome-keyring valgrind weston
  chromium python3 python3-jsonschema
"

install_packages() {
  missing=""
  for p in $DEBIAN_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  # Node.js 20 comes with the machine; Debian's own is only a fallback
  command -v node >/dev/null 2>&1 || missing="$missing nodejs npm"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "Installing:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
}

node_deps() {
  # the contract server and OpenID provider the sync and sign-in tests run
  (cd tests/server && npm ci --no-audit --no-fund --loglevel=error)
}

build() { # dir [meson options...]
  dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@"
  elif [ $# -gt 0 ]; then
    # a folder set up by an earlier run gets this run's options
    meson configure "$dir" "$@"
  fi
  ninja -C "$dir"
}

case "${1:-}" in
  run)
    install_packages
    build build
    # the build's translations, for LANGUAGE=vi or es (see src/ui/main.c)
    REHEARSE_LOCALEDIR="$PWD/build/po"
    export REHEARSE_LOCALEDIR
    exec ./build/src/ui/rehearse
    ;;
  test)
    install_packages
    node_deps
    # 1. the normal build, warnings as errors, every suite
    build build -Dwerror=true
    xvfb-run -a -s '-screen 0 1280x800x24' meson test -C build --print-errorlogs --num-processes 2
    # 2. the same under AddressSanitizer and UndefinedBehaviorSanitizer;
    #    GTK's own caches look like leaks to LeakSanitizer, so leak checks
    #    run on the non-GUI suites only
    build build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite ui
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      xvfb-run -a -s '-screen 0 1280x800x24' meson test -C build-asan --print-errorlogs --num-processes 2 --suite ui
    # 3. valgrind over the core and use-case tests (real SQLite): no invalid
    #    access, no definite leak
    meson test -C build --print-errorlogs --suite core --suite usecases --no-suite ui \
      --wrapper 'valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --quiet' \
      --timeout-multiplier 10
    echo "All tests passed."
    ;;
  bench)
    install_packages
    build build
    # the startup on X11 (Xvfb) and, with weston, on Wayland
    xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
      ./build/src/bench/rehearse-bench --gui build/src/ui/rehearse
    ;;
  *)
    echo "usage: tools/dev.sh run|test|bench" >&2
    exit 2
    ;;
esac
