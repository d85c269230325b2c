#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The manual page renders without a single warning, with groff's warnings
# all on and through man(1) at the usual 80 columns. Skips (77) without
# groff.
#
#   check-man-page.sh PAGE
set -eu
page=${1:?usage: check-man-page.sh PAGE}
command -v groff >/dev/null 2>&1 || { echo "no groff: skipped"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

groff -man -Tutf8 -ww -z "$page" 2>"$tmp/groff" || true
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man --warnings -l "$page" >"$tmp/text" 2>"$tmp/man" || true
else
  : >"$tmp/man"
fi
if [ -s "$tmp/groff" ] || [ -s "$tmp/man" ]; then
  cat "$tmp/groff" "$tmp/man" >&2
  exit 1
fi
echo "$page renders cleanly"
