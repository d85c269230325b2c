#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Captures each main page of the app, in light and dark style, under Xvfb.
#
#   tools/screenshots.sh OUTDIR [BUILDDIR]
#
# Each shot runs the app on a fresh sample collection (REHEARSE_DATA_DIR in
# a temporary folder) with its settings in a temporary keyfile, and asks it
# for a page with REHEARSE_SCREENSHOT_PAGE (see rh-window.c). Needs xvfb-run,
# ImageMagick's import and convert, and xwininfo (x11-utils) to cut out
# dialogs; BUILDDIR (default: build) must hold a built tree. LANGUAGE picks
# the language (LANGUAGE=vi tools/screenshots.sh shots-vi): the build's own
# catalogs are used, in C.UTF-8 unless LANG says otherwise. ONLY names the
# shots to take, when not all (ONLY="summary summary-narrow").
set -eu

# The part that runs inside Xvfb: start the app, wait, capture one window.
if [ "${1:-}" = "--capture" ]; then
  app=$2 out=$3 title=$4
  "$app" >"$out.log" 2>&1 &
  pid=$!
  sleep "${SHOT_DELAY:-4}"
  id=""
  if command -v xwininfo >/dev/null 2>&1; then
    # the window with that title that is more than GTK's 1×1 leader
    id=$(xwininfo -root -children |
         sed -n "s/^ *\(0x[0-9a-f]*\) \"$title\": ([^)]*)  \([0-9]*\)x\([0-9]*\)+.*/\1 \2 \3/p" |
         awk '$2 > 1 && $3 > 1 { print $1; exit }')
  fi
  if [ -z "$id" ] || ! import -window "$id" "$out"; then
    import -window root "$out"
  fi
  # Without a compositor the client-side shadow is black: trim it away.
  convert "$out" -bordercolor black -border 1 -trim +repage "$out"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -s "$out.log" ] || rm -f "$out.log"
  exit 0
fi

out=${1:?usage: tools/screenshots.sh OUTDIR [BUILDDIR]}
build=${2:-build}
app=$(cd "$build" && pwd)/src/ui/rehearse
schemas=$(cd "$build" && pwd)/data
locales=$(cd "$build" && pwd)/po
script=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
[ -x "$app" ] || { echo "no $app: build first" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

# page  window-title  [width height]
shots="
decks Rehearse
deck Rehearse
browser Rehearse
editor Edit.Card
study-front Rehearse
study-back Rehearse
summary Rehearse
empty Rehearse
statistics Rehearse 900 860
preferences Preferences
shortcuts Shortcuts
about About
import Import.Cards
restore Restore.a.Backup
restored Rehearse
import-failed Import.Cards
decks-narrow Rehearse 360 640
deck-narrow Rehearse 360 640
browser-narrow Rehearse 360 640
statistics-narrow Rehearse 360 640
study-back-narrow Rehearse 360 640
summary-narrow Rehearse 360 640
scenario-library Rehearse
scenario-practice Rehearse
scenario-results Rehearse
scenario-library-narrow Rehearse 360 640
scenario-practice-narrow Rehearse 360 640
"

run_dbus=""
command -v dbus-run-session >/dev/null 2>&1 && run_dbus="dbus-run-session --"

for style in light dark; do
  echo "$shots" | while read -r name title width height; do
    [ -n "$name" ] || continue
    # ONLY="summary summary-narrow" takes just those
    case " ${ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
    page=${name%-narrow}
    tmp=$(mktemp -d)
    mkdir -p "$tmp/config/glib-2.0/settings" "$tmp/config/gtk-4.0"
    # GNOME's default title buttons, not GTK's fallback of three
    printf '[Settings]\ngtk-decoration-layout=appmenu:close\n' >"$tmp/config/gtk-4.0/settings.ini"
    cat >"$tmp/config/glib-2.0/settings/keyfile" <<KEYFILE
[io/github/rehearse/Rehearse]
style='$style'
window-width=${width:-900}
window-height=${height:-680}
KEYFILE
    # something to import: a few rows, one of them already in the deck
    cat >"$tmp/Everyday English.csv" <<'CSV'
front,back,tags
a receipt,a paper that shows you have paid,shopping
to pick up (something),to collect something or someone,verbs
a refund,money given back to you,shopping
on time,at the planned time,time
CSV
    # and for the failed import, a row that ends inside its quotes
    [ "$name" = import-failed ] && printf 'front,back\na bill,"the paper with the price\n' \
      >"$tmp/Everyday English.csv"
    # backups to choose from, made as the app makes them
    if [ "$name" = restore ] || [ "$name" = restored ]; then
      cli=$(dirname "$app")/../cli/rehearse-cli
      REHEARSE_DATA_DIR="$tmp/data" "$cli" backup create >/dev/null
      sleep 1
      REHEARSE_DATA_DIR="$tmp/data" "$cli" backup create >/dev/null
    fi
    file="$out/$name-$style.png"
    echo "$file"
    env REHEARSE_DATA_DIR="$tmp/data" \
        REHEARSE_SCREENSHOT_PAGE="$page" \
        REHEARSE_SCREENSHOT_FILE="$tmp/Everyday English.csv" \
        XDG_CONFIG_HOME="$tmp/config" \
        GSETTINGS_BACKEND=keyfile \
        GSETTINGS_SCHEMA_DIR="$schemas" \
        REHEARSE_LOCALEDIR="$locales" \
        LANG="${LANG:-C.UTF-8}" \
        GSK_RENDERER=cairo \
        GTK_A11Y=none \
        NO_AT_BRIDGE=1 \
      $run_dbus xvfb-run -a -s "-screen 0 1280x900x24" \
        "$script" --capture "$app" "$file" "$(echo "$title" | tr . ' ')" </dev/null
    rm -rf "$tmp"
  done
done
