#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every language in po/LINGUAS translates every message the sources have
# now, not only those of the last `ninja rehearse-update-po`: the template
# is extracted afresh (the arguments of i18n.gettext's glib preset), each
# .po is merged with it in a temporary folder, and msgfmt --check
# --statistics must count no fuzzy and no untranslated message. A string
# added without its translations fails here, on purpose: see po/README.md.
# Skips (77) without the gettext tools.
#
#   check-translations.sh SOURCE-ROOT
set -eu
top=${1:?usage: check-translations.sh SOURCE-ROOT}
for tool in xgettext msgmerge msgfmt msgattrib; do
  command -v $tool >/dev/null 2>&1 || { echo "no $tool: skipped"; exit 77; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

xgettext --package-name=rehearse -f "$top/po/POTFILES.in" -D "$top" -o "$tmp/rehearse.pot" \
  --from-code=UTF-8 --add-comments \
  -k_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format

status=0
languages=$(sed -e 's/#.*//' "$top/po/LINGUAS")
[ -n "$(echo $languages)" ] || { echo "po/LINGUAS lists no language" >&2; exit 1; }
for lang in $languages; do
  po="$top/po/$lang.po"
  [ -f "$po" ] || { echo "po/LINGUAS lists $lang but there is no po/$lang.po" >&2; status=1; continue; }
  # the file as it is: syntax, header, plural forms, c-format placeholders
  if ! msgfmt --check -o /dev/null "$po"; then
    echo "po/$lang.po: msgfmt --check fails" >&2
    status=1
  fi
  # and against today's sources
  msgmerge --quiet --previous -o "$tmp/$lang.po" "$po" "$tmp/rehearse.pot"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1) || status=1
  echo "$lang: $stats"
  case $stats in
    *fuzzy*|*untranslated*)
      echo "po/$lang.po is not complete; the messages to translate:" >&2
      msgattrib --only-fuzzy --no-wrap "$tmp/$lang.po" | grep '^msgid ' | sed 's/^/  fuzzy: /' >&2 || true
      msgattrib --untranslated --no-wrap "$tmp/$lang.po" | grep '^msgid ' | sed '1d; s/^/  untranslated: /' >&2 || true
      status=1
      ;;
  esac
done
exit $status
