#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every file with translatable text is listed in po/POTFILES.in, the list
# is sorted, and every listed file exists.
set -eu
top="${1:?usage: check-potfiles.sh SOURCE-ROOT}"
cd "$top"
status=0
list=po/POTFILES.in

grep -v '^#' "$list" | sed '/^$/d' > /tmp/potfiles.$$.listed
if ! LC_ALL=C sort -c /tmp/potfiles.$$.listed 2>/dev/null; then
  echo "po/POTFILES.in is not sorted" >&2
  status=1
fi
while read -r f; do
  [ -e "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist" >&2; status=1; }
done < /tmp/potfiles.$$.listed

{
  grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|ngettext|g_dngettext) ?\(' --include='*.c' --include='*.h' src | grep -v '^src/bench/'
  grep -rl 'translatable="yes"' --include='*.ui' src || true
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
} | LC_ALL=C sort -u > /tmp/potfiles.$$.needed

while read -r f; do
  if ! grep -qx "$f" /tmp/potfiles.$$.listed; then
    echo "$f has translatable text but is missing from po/POTFILES.in" >&2
    status=1
  fi
done < /tmp/potfiles.$$.needed
rm -f /tmp/potfiles.$$.listed /tmp/potfiles.$$.needed
exit $status
