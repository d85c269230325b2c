#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every command that `rehearse-cli --help` lists has a working --help of
# its own, and the manual page documents the command and each of its
# options; the exit statuses of the manual page hold for the global
# options.
#
#   check-cli-help.sh REHEARSE-CLI MANPAGE
set -eu
cli=${1:?usage: check-cli-help.sh REHEARSE-CLI MANPAGE}
man=${2:?}
export LC_ALL=C.UTF-8 LANGUAGE=
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# help must not need a collection: one that would be created here shows up
export REHEARSE_DATA_DIR="$tmp/data"
status=0
fail() { echo "$*" >&2; status=1; }

"$cli" --help >"$tmp/help" || fail "rehearse-cli --help exits with $?"
"$cli" --version | grep -q '^rehearse-cli [0-9]' || fail "rehearse-cli --version prints no version"
st=0; "$cli" no-such-command >/dev/null 2>&1 || st=$?
[ $st = 2 ] || fail "an unknown command exits with $st, not 2"
st=0; "$cli" --no-such-option >/dev/null 2>&1 || st=$?
[ $st = 2 ] || fail "an unknown global option exits with $st, not 2"

# "  deck list          List decks…": the command is the leading words in
# lower case, the summary starts with a capital
sed -n '/^Commands:/,/^$/p' "$tmp/help" | sed '1d; /^$/d' |
  awk '{ path = $1; if ($2 ~ /^[a-z][a-z-]*$/) path = path " " $2; print path }' >"$tmp/commands"
[ -s "$tmp/commands" ] || fail "rehearse-cli --help lists no command"

while read -r path; do
  # shellcheck disable=SC2086 # the path is one or two words
  if ! "$cli" $path --help >"$tmp/out" 2>&1; then
    fail "rehearse-cli $path --help fails:"; cat "$tmp/out" >&2; continue
  fi
  grep -q "^  rehearse-cli $path " "$tmp/out" || fail "rehearse-cli $path --help does not show its usage"
  ! grep -q '(null)' "$tmp/out" || fail "rehearse-cli $path --help prints (null)"
  # shellcheck disable=SC2086
  st=0; "$cli" $path --no-such-option >/dev/null 2>&1 || st=$?
  [ $st = 2 ] || fail "rehearse-cli $path --no-such-option exits with $st, not 2"

  # the command as the page writes it: \fBdeck rm\fR, \fBaccount bring\-local\fR
  roff=$(printf '%s' "$path" | sed 's/-/\\-/g')
  grep -qF -- "\\fB$roff\\fR" "$man" || fail "$man does not document “$path”"
  for option in $(sed -n '/^Application Options:/,/^$/p' "$tmp/out" |
                  sed -n 's/^ *\(--[a-z-]*\).*/\1/p'); do
    roff=$(printf '%s' "$option" | sed 's/-/\\-/g')
    grep -qF -- "$roff" "$man" || fail "$man does not document $path $option"
  done
  echo "ok: $path"
done <"$tmp/commands"

[ ! -e "$tmp/data" ] || fail "asking for help created a collection"
exit $status
