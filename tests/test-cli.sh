#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# rehearse-cli end to end: round trips, errors with exit status 1 (2 for
# usage), and no change to the collection after a refused command.
set -u
CLI="${1:?usage: test-cli.sh PATH-TO-rehearse-cli}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB="$TMP/c.rehearse"
fails=0

run() { "$CLI" --db "$DB" "$@"; }
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }
expect_status() { # expected-status description command...
  want=$1; what=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"; got=$?
  if [ "$got" -eq "$want" ]; then ok "$what"; else bad "$what (status $got, wanted $want)"; cat "$TMP/err"; fi
}
expect_err() { # text
  if grep -qi -- "$1" "$TMP/err"; then ok "message: $1"; else bad "message '$1' missing"; cat "$TMP/err"; fi
}
snapshot() { sqlite3 "$DB" .dump | grep -v -e '^INSERT INTO meta' > "$1"; }
unchanged() { snapshot "$TMP/after"; if cmp -s "$TMP/before" "$TMP/after"; then ok "$1: database unchanged"; else bad "$1: database changed"; fi; }

# decks
expect_status 0 "deck add" run deck add Spanish
SPANISH=$(cat "$TMP/out")
expect_status 0 "deck add second" run deck add French
run --json deck list > "$TMP/decks.json"
grep -q '"name" : "Spanish"' "$TMP/decks.json" && ok "deck list json" || bad "deck list json"
expect_status 0 "deck rename" run deck rename French Français
run deck list | grep -q "Français" && ok "renamed" || bad "renamed"

snapshot "$TMP/before"
expect_status 1 "duplicate deck refused" run deck add "  spanish "
expect_err "already exists"
expect_status 1 "empty deck name refused" run deck add "   "
expect_err "cannot be empty"
expect_status 2 "deck add without name is usage" run deck add
expect_status 1 "rename to existing" run deck rename Français SPANISH
expect_status 1 "rename missing deck" run deck rename Nope Other
expect_err "no deck named"
unchanged "bad deck commands"

# cards
expect_status 0 "card add" run card add --deck Spanish --front "el perro" --back "the dog" --tags "Animals, nouns"
DOG=$(cat "$TMP/out")
expect_status 0 "card add 2" run card add --deck "$SPANISH" --front "el gato" --back "the cat"
CAT=$(cat "$TMP/out")
expect_status 0 "card edit" run card edit "$DOG" --back "the dog (m.)" --notes "masculine"
run --json card list --deck Spanish > "$TMP/cards.json"
grep -q '"back" : "the dog (m.)"' "$TMP/cards.json" && ok "edit stored" || bad "edit stored"
grep -q '"animals"' "$TMP/cards.json" && ok "tags normalised" || bad "tags normalised"
run card search perr | grep -q "$DOG" && ok "search finds prefix" || bad "search finds prefix"
[ "$(run card search gato perro | wc -l)" -eq 0 ] && ok "search ANDs words" || bad "search ANDs words"
run card list --sort front --desc --limit 1 | grep -q "el perro" && ok "sort desc" || bad "sort desc"

snapshot "$TMP/before"
expect_status 1 "empty front refused" run card add --deck Spanish --front "  " --back x
expect_err "front cannot be empty"
expect_status 1 "unknown deck refused" run card add --deck Nowhere --front a --back b
expect_status 2 "missing --back is usage" run card add --deck Spanish --front a
expect_status 1 "edit to empty back refused" run card edit "$DOG" --back ""
expect_status 1 "bad id refused" run card rm not-an-id
expect_status 1 "rm of a missing card deletes nothing" run card rm "$CAT" 01936f3e-1a2b-7c3d-8e4f-5a6b7c8d9e0f
expect_status 1 "deck with cards needs a choice" run deck rm Spanish
expect_err "2 cards"
expect_status 2 "bad --cards value" run deck rm Spanish --cards shred
expect_status 2 "unknown command" run frobnicate
expect_status 2 "unknown option" run card list --bogus
unchanged "bad card commands"

expect_status 0 "deck rm moving cards" run deck rm Spanish --cards move --to Français
[ "$(run card list --deck Français | wc -l)" -eq 2 ] && ok "cards moved" || bad "cards moved"
expect_status 0 "card rm" run card rm "$CAT"
[ "$(run card list | wc -l)" -eq 1 ] && ok "card removed" || bad "card removed"

# study
expect_status 0 "study next" run --json study next
grep -q "$DOG" "$TMP/out" && ok "next is the new card" || bad "next is the new card"
grep -q '"good" : "10 min"' "$TMP/out" && ok "interval labels" || bad "interval labels"
expect_status 0 "study answer" run study answer "$DOG" good
expect_status 2 "bad rating is usage" run study answer "$DOG" 7
expect_status 0 "study undo" run --json study undo
grep -q '"state" : "new"' "$TMP/out" && ok "undo restored new state" || bad "undo restored new state"
expect_status 1 "nothing left to undo" run study undo
expect_err "no answer to undo"
expect_status 0 "stats" run --json stats

# fsrs replay
cat > "$TMP/h.json" <<'JSON'
[{"rating": 3, "time": "2024-01-01T10:00:00Z"},
 {"rating": 3, "time": "2024-01-01T10:10:00Z"},
 {"rating": 3, "time": "2024-01-04T10:10:00Z"}]
JSON
expect_status 0 "fsrs replay file" run fsrs replay "$TMP/h.json"
grep -q '"stability" : 2.3065' "$TMP/out" && ok "first stability is w2" || bad "first stability is w2"
grep -q '"retrievability" : null' "$TMP/out" && ok "first retrievability null" || bad "first retrievability null"
expect_status 0 "fsrs replay stdin" sh -c "\"$CLI\" fsrs replay - < \"$TMP/h.json\""
printf '[{"rating": 5, "time": "2024-01-01T10:00:00Z"}]' > "$TMP/bad.json"
expect_status 1 "rating 5 refused" run fsrs replay "$TMP/bad.json"
expect_err "Review 1"
printf '[{"rating": 3, "time": "soon"}]' > "$TMP/bad.json"
expect_status 1 "bad time refused" run fsrs replay "$TMP/bad.json"
printf '{"rating": 3' > "$TMP/bad.json"
expect_status 1 "truncated json refused" run fsrs replay "$TMP/bad.json"
# nesting deep enough to exhaust a parser's stack: refused before parsing
head -c 200000 /dev/zero | tr '\0' '[' > "$TMP/bad.json"
expect_status 1 "deep nesting refused" run fsrs replay "$TMP/bad.json"
expect_err "nest more than"
expect_status 2 "bad retention is usage" run fsrs replay --retention abc "$TMP/h.json"
expect_status 1 "retention out of range" run fsrs replay --retention 1.5 "$TMP/h.json"

# import / export
printf 'front,back,deck\nuno,one,Numbers\ndos,two,Numbers\nuno,dup,Numbers\n' > "$TMP/in.csv"
expect_status 0 "import csv" run --json import "$TMP/in.csv"
grep -q '"added" : 2' "$TMP/out" && grep -q '"duplicates" : 1' "$TMP/out" && ok "import counts" || bad "import counts"
snapshot "$TMP/before"
printf 'front,back\n"unterminated,x\n' > "$TMP/broken.csv"
expect_status 1 "broken csv refused" run import "$TMP/broken.csv"
expect_err "line 2"
printf 'front,back\n\377\376,x\n' > "$TMP/latin.csv"
expect_status 1 "invalid utf-8 refused" run import "$TMP/latin.csv"
head -c 300 /dev/urandom > "$TMP/junk.apkg"
expect_status 1 "junk apkg refused" run import "$TMP/junk.apkg"
expect_status 1 "unknown extension refused" run import "$TMP/h.json.xyz"
unchanged "failed imports"
expect_status 0 "export csv" run export "$TMP/out.csv"
grep -q '^uno,one,,,,Numbers' "$TMP/out.csv" && ok "export content" || bad "export content"
# the full JSON backup: into a second collection, and back out unchanged
expect_status 0 "export json backup" run export "$TMP/full.json"
grep -q '"format" : "rehearse-backup"' "$TMP/full.json" && ok "backup format" || bad "backup format"
expect_status 0 "import json backup" "$CLI" --db "$TMP/second.rehearse" --json import "$TMP/full.json"
grep -q '"cards_skipped" : 0' "$TMP/out" && ok "backup import counts" || bad "backup import counts"
expect_status 0 "export second backup" "$CLI" --db "$TMP/second.rehearse" export "$TMP/full2.json"
cmp -s "$TMP/full.json" "$TMP/full2.json" && ok "backup round trip" || bad "backup round trip"
snapshot "$TMP/before"
expect_status 1 "truncated backup refused" sh -c "head -c 200 '$TMP/full.json' > '$TMP/cut.json' && '$CLI' --db '$DB' import '$TMP/cut.json'"
expect_err "not valid JSON"
unchanged "refused backup"

# backups: made on demand, listed, restored; not while the collection is open
expect_status 0 "deck before the backup" run deck add Kept
expect_status 0 "card before the backup" run card add --deck Kept --front "la casa" --back "the house"
expect_status 0 "backup create" run backup create
BACKUP=$(cat "$TMP/out")
case "$BACKUP" in *.backup.rehearse.zst) ok "backup is compressed" ;; *) bad "backup name: $BACKUP" ;; esac
run backup list | grep -qxF "$BACKUP" && ok "backup listed" || bad "backup listed"
expect_status 0 "card after the backup" run card add --deck Kept --front "el pez" --back "the fish"
# another program holds the collection open, as the app would
mkfifo "$TMP/hold"
sqlite3 "$DB" <"$TMP/hold" >/dev/null 2>&1 &
HOLDER=$!
exec 9>"$TMP/hold"
echo "SELECT count(*) FROM cards;" >&9
sleep 0.5
snapshot "$TMP/before"
expect_status 1 "restore refused while open" run backup restore "$(basename "$BACKUP")"
expect_err "open in another program"
unchanged "restore while open"
exec 9>&-
wait $HOLDER
expect_status 1 "restore of a missing backup" run backup restore no-such.backup.rehearse.zst
expect_err "no backup"
head -c 100 "$BACKUP" >"$TMP/cut.backup.rehearse.zst"
expect_status 1 "restore of a cut backup" run backup restore "$TMP/cut.backup.rehearse.zst"
expect_err "cut short"
unchanged "refused restores"
expect_status 0 "backup restore" run backup restore "$(basename "$BACKUP")"
run card list --deck Kept | grep -q "el pez" && bad "restored: card after the backup gone" \
  || ok "restored: card after the backup gone"
run card list --deck Kept | grep -q "la casa" && ok "restored: earlier cards kept" \
  || bad "restored: earlier cards kept"

if [ $fails -ne 0 ]; then echo "$fails failed"; exit 1; fi
echo "all passed"
