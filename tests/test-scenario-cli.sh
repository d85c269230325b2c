#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# rehearse-cli scenario list|show|practice end to end: scripted answers,
# hints, skips, phrase cards made once, and refused input (exit 1 with a
# message, 2 for usage) that leaves the collection as it was.
set -u
CLI="${1:?usage: test-scenario-cli.sh PATH-TO-rehearse-cli}"
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
expect_out() { # text description
  if grep -q -- "$1" "$TMP/out"; then ok "$2"; else bad "$2 ('$1' missing)"; head -50 "$TMP/out"; fi
}
snapshot() { sqlite3 "$DB" .dump > "$1"; }
unchanged() { snapshot "$TMP/after"; if cmp -s "$TMP/before" "$TMP/after"; then ok "$1: database unchanged"; else bad "$1: database changed"; diff "$TMP/before" "$TMP/after" | head; fi; }

# the library
expect_status 0 "scenario list" run scenario list
[ "$(wc -l < "$TMP/out")" -ge 15 ] && ok "at least 15 scenarios" || bad "at least 15 scenarios"
expect_out "hotel-check-in" "the hotel is listed"
expect_out "Not practised yet" "mastery shown"
expect_status 0 "scenario list --json" run scenario list --json
expect_out '"key" : "hotel-check-in"' "json list"
expect_out '"mastery" : "new"' "json mastery"
expect_status 0 "list by level" run scenario list --level b2
if grep -v "  B2  " "$TMP/out" | grep -q .; then bad "only B2 listed"; else ok "only B2 listed"; fi
expect_status 0 "list by topic" run scenario list --topic food
[ "$(wc -l < "$TMP/out")" -ge 2 ] && ok "food scenarios" || bad "food scenarios"
expect_status 0 "list by search" run scenario list --search "café"
expect_out "ordering-at-a-cafe" "search finds the café"
expect_status 2 "unknown level is usage" run scenario list --level Q7

expect_status 0 "scenario show by key" run scenario show hotel-check-in
expect_out "Checking in at a hotel" "show has the title"
expect_out "Key phrases: a reservation" "show has the key phrases"
run --json scenario show hotel-check-in > "$TMP/hotel.json"
HOTEL_ID=$(sed -n 's/.*"id" : "\([0-9a-f-]*\)".*/\1/p' "$TMP/hotel.json")
expect_status 0 "scenario show by id" run --json scenario show "$HOTEL_ID"
expect_out '"key" : "hotel-check-in"' "the id is the hotel's"
expect_out '"speaker" : "learner"' "show json has the turns"
expect_out '"runs" : 0' "show json has the runs"

# a perfect run: the first accepted answer of every turn
cat > "$TMP/perfect.txt" <<'TXT'
Good evening, I have a reservation under the name Alex Morgan.
Sure, here you are.
What time is breakfast?
Is there Wi-Fi in the room? What's the password?
Thank you very much.
TXT
expect_status 0 "practice, perfect" run scenario practice hotel-check-in --answers "$TMP/perfect.txt"
expect_out '"score" : 100,' "perfect score"
expect_out '"cards_created" : 0' "no cards for a perfect run"
expect_out '"verdict" : "right"' "verdicts"
expect_out '"partner" : "Good evening, welcome to the Thistle House Hotel. How can I help you?"' "the partner's line"
expect_out '"task" : "Ask what time breakfast is."' "the task"

# hints, a skip, a near miss (CRLF line ends, no final newline)
printf '?\r\nHi, I have a reservation for Alex Morgan.\r\n\r\nwhat time is brekfast\r\n?\r\n?\r\nIs there wifi? What is the password?\r\nthanks' > "$TMP/mixed.txt"
expect_status 0 "practice with hints and a skip" run scenario practice "$HOTEL_ID" --answers "$TMP/mixed.txt"
expect_out '"hints_used" : 1' "one hint on the first turn"
expect_out '"score" : 85,' "a hint costs 15"
expect_out '"verdict" : "skipped"' "the skipped turn"
expect_out '"here you are"' "the skipped turn's phrase is missed"
expect_out '"answer" : "what time is brekfast"' "the typo answer is kept"
expect_out '"cards_created" : 1' "one card for the missed phrase"
# the fourth turn has one hint: the second "?" finds none and costs nothing
[ "$(grep -c '"hints_used" : 1' "$TMP/out")" -eq 2 ] && ok "hints beyond the last are free" || bad "hints beyond the last are free"

expect_status 0 "practice again" run scenario practice hotel-check-in --answers "$TMP/mixed.txt"
expect_out '"cards_created" : 0' "the same missed phrase makes no second card"
expect_out '"new_card" : false' "the existing card is named"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM scenario_phrase_cards")" -eq 1 ] && ok "one link" || bad "one link"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM sessions WHERE kind = 'scenario'")" -eq 3 ] && ok "three sessions" || bad "three sessions"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM scenario_turn_results")" -eq 15 ] && ok "a result per learner turn" || bad "a result per learner turn"
expect_status 0 "deck list" run deck list
expect_out "Scenario phrases" "the phrase deck"
expect_status 0 "mastery after runs" run --json scenario show hotel-check-in
expect_out '"runs" : 3' "three runs"
expect_out '"best_score" : 100' "best recent score"
expect_out '"mastery" : "mastered"' "mastered"

# answers from standard input
expect_status 0 "practice from stdin" sh -c "\"$CLI\" --db \"$DB\" scenario practice hotel-check-in --answers - < \"$TMP/perfect.txt\""

# refused: nothing changes
snapshot "$TMP/before"
printf 'Good evening, I have a reservation.\nSure, here you are.\n' > "$TMP/short.txt"
expect_status 1 "too few answers" run scenario practice hotel-check-in --answers "$TMP/short.txt"
expect_err "has 2 answers, but the scenario has 5 learner turns"
{ cat "$TMP/perfect.txt"; echo "one more"; } > "$TMP/long.txt"
expect_status 1 "too many answers" run scenario practice hotel-check-in --answers "$TMP/long.txt"
expect_err "has 6 answers"
{ cat "$TMP/perfect.txt"; echo "?"; } > "$TMP/dangling.txt"
expect_status 1 "a hint with no answer after it" run scenario practice hotel-check-in --answers "$TMP/dangling.txt"
expect_err "no answer follows"
printf 'caf\351\n\n\n\n\n' > "$TMP/latin1.txt"
expect_status 1 "not UTF-8" run scenario practice hotel-check-in --answers "$TMP/latin1.txt"
expect_err "not UTF-8"
expect_status 1 "missing answers file" run scenario practice hotel-check-in --answers "$TMP/nope.txt"
expect_status 1 "unknown scenario" run scenario practice no-such-scenario --answers "$TMP/perfect.txt"
expect_err "There is no scenario"
expect_status 1 "unknown id" run scenario show 01936f3e-1a2b-7c3d-8e4f-5a6b7c8d9e0f
expect_err "There is no scenario"
expect_status 2 "no --answers is usage" run scenario practice hotel-check-in
expect_status 2 "no scenario is usage" run scenario practice --answers "$TMP/perfect.txt"
unchanged "refused practice"

if [ $fails -ne 0 ]; then echo "$fails failed"; exit 1; fi
echo "all passed"
