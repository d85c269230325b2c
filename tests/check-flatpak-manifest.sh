#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks a Flatpak manifest as far as it can be without the runtimes:
# flatpak-builder must read it without a warning (--show-manifest exits 0
# even on unknown properties, so any stderr output fails), the app id is
# the one expected, no home or host filesystem access is asked for, the
# app module builds with the expected profile and runs its tests, and
# every downloaded source is pinned by sha256. Skips (77) without
# flatpak-builder.
#
#   check-flatpak-manifest.sh MANIFEST APP-ID PROFILE
set -eu
manifest=${1:?usage: check-flatpak-manifest.sh MANIFEST APP-ID PROFILE}
app_id=${2:?}
profile=${3:?}

command -v flatpak-builder >/dev/null 2>&1 || { echo "no flatpak-builder: skipped"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "$manifest: $*" >&2; status=1; }

# run from the temporary folder: flatpak-builder leaves a .flatpak-builder
# state folder wherever it runs
manifest=$(cd "$(dirname "$manifest")" && pwd)/$(basename "$manifest")
if ! (cd "$tmp" && flatpak-builder --show-manifest "$manifest") >"$tmp/out" 2>"$tmp/err"; then
  cat "$tmp/err" >&2
  fail "flatpak-builder cannot read it"
  exit 1
fi
if [ -s "$tmp/err" ]; then
  cat "$tmp/err" >&2
  fail "flatpak-builder warns about it"
fi

# --show-manifest prints the manifest back normalised: one "key" : value
# per line, which is what the greps below rely on.
grep -q "^  \"id\" : \"$app_id\",\$" "$tmp/out" || fail "the app id is not $app_id"
grep -q '"command" : "rehearse"' "$tmp/out" || fail "the command is not rehearse"
grep -q '"runtime" : "org.gnome.Platform"' "$tmp/out" || fail "the runtime is not org.gnome.Platform"
grep -q '"sdk" : "org.gnome.Sdk"' "$tmp/out" || fail "the SDK is not org.gnome.Sdk"
for arg in --share=ipc --socket=wayland --socket=fallback-x11 --device=dri --share=network \
           --talk-name=org.freedesktop.secrets; do
  grep -q "\"$arg\"" "$tmp/out" || fail "finish-args lack $arg"
done
if grep -qE '"--filesystem=(home|host)' "$tmp/out"; then
  fail "asks for home or host file access: files come through the portal"
fi
grep -q "\"-Dprofile=$profile\"" "$tmp/out" || fail "the app is not built with -Dprofile=$profile"
grep -q '"run-tests" : true' "$tmp/out" || fail "the app module does not run its tests"

# every archive or file fetched from a URL carries a sha256
urls=$(grep -c '"url" :' "$tmp/out" || true)
sums=$(grep -c '"sha256" : "[0-9a-f]\{64\}"' "$tmp/out" || true)
[ "$urls" = "$sums" ] || fail "$urls sources with a URL but $sums sha256 checksums"

exit $status
