#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# rehearse-cli speaks the language LANGUAGE asks for, with the catalogs
# of this build (REHEARSE_LOCALEDIR, set by the test to build/po): for each
# language in po/LINGUAS, the help shows the catalog's translation of a
# heading and of a command's summary, and not the English ones.
#
#   check-cli-language.sh REHEARSE-CLI SOURCE-ROOT
set -eu
cli=${1:?usage: check-cli-language.sh REHEARSE-CLI SOURCE-ROOT}
top=${2:?}
: "${REHEARSE_LOCALEDIR:?REHEARSE_LOCALEDIR must point at the build's po folder}"
command -v gettext >/dev/null 2>&1 || { echo "no gettext(1): skipped"; exit 77; }

# LANGUAGE is ignored in the C locale, not in C.UTF-8
export LC_ALL=C.UTF-8
status=0
for lang in $(sed -e 's/#.*//' "$top/po/LINGUAS"); do
  for check in "--help|Commands:" "deck list --help|List decks with their card counts"; do
    args=${check%%|*}
    english=${check#*|}
    expected=$(LANGUAGE=$lang TEXTDOMAINDIR=$REHEARSE_LOCALEDIR gettext rehearse "$english")
    # shellcheck disable=SC2086 # the arguments are words
    out=$(LANGUAGE=$lang "$cli" $args)
    if [ "$expected" = "$english" ]; then
      echo "$lang: “$english” has no translation in $REHEARSE_LOCALEDIR/$lang" >&2
      status=1
    elif ! printf '%s\n' "$out" | grep -qF -- "$expected"; then
      echo "$lang: rehearse-cli $args does not show “$expected”:" >&2
      printf '%s\n' "$out" >&2
      status=1
    else
      echo "$lang: rehearse-cli $args shows “$expected”"
    fi
  done
done
exit $status
