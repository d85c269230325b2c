#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Sign-in end to end, every part real and on loopback: the OpenID provider
# shaped like the Cognito hosted UI (tests/server: oidc-provider and
# dynalite), headless Chromium as the learner's browser
# (signin-browser.mjs), GNOME Keyring as the Secret Service, and
# rehearse-cli (the loopback redirect) and, when given, the desktop app
# (the URI-scheme redirect handed over by a second `rehearse URI`, as the
# desktop does it). Run it under run-with-keyring.sh:
#
#   tests/run-with-keyring.sh tests/test-signin-e2e.sh REHEARSE-CLI [REHEARSE APP-ID SCHEMA-DIR]
#
# Exits 77 (skipped) without node, chromium or the server's node_modules.
set -eu

cli=${1:?usage: test-signin-e2e.sh REHEARSE-CLI [REHEARSE APP-ID SCHEMA-DIR]}
gui=${2:-}
app_id=${3:-io.github.rehearse.Rehearse}
schema_dir=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
server_dir="$here/server"

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*" >&2; }

command -v node >/dev/null 2>&1 || skip "node is missing"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || skip "chromium is missing"
[ -d "$server_dir/node_modules/oidc-provider" ] || skip "run npm ci in tests/server first"
command -v secret-tool >/dev/null 2>&1 || skip "secret-tool (libsecret-tools) is missing"
[ "${RH_KEYRING_INNER:-}" = 1 ] || skip "run under tests/run-with-keyring.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rehearse-e2e-XXXXXX")
server_pid=
gui_pid=
xvfb_pid=
cleanup() {
  [ -n "$gui_pid" ] && kill "$gui_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# A free port for the loopback redirect; the provider registers it exactly.
# Below Linux's ephemeral range (32768 and up), so that no port the kernel
# hands out meanwhile (the provider's own, Chromium's) can take it.
port=$(node -e '
const net = require("net");
const attempt = (left) => {
  const p = 20000 + Math.floor(Math.random() * 12000);
  const s = net.createServer();
  s.once("error", () => { if (left > 0) attempt(left - 1); else process.exit(1); });
  s.listen(p, "127.0.0.1", () => { console.log(p); s.close(); });
};
attempt(50);
') || fail "no free port for the loopback redirect"

step "starting the provider (callback port $port)"
REHEARSE_TEST_CALLBACK_PORT=$port REHEARSE_ACCESS_TOKEN_TTL=30 \
  node "$server_dir/bin/serve.mjs" >"$tmp/server.json" 2>"$tmp/server.err" &
server_pid=$!
i=0
until [ -s "$tmp/server.json" ]; do
  i=$((i + 1))
  [ $i -le 300 ] || { cat "$tmp/server.err" >&2; fail "the provider did not start"; }
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.err" >&2; fail "the provider died"; }
  sleep 0.1
done
json() { node -e "const j=JSON.parse(require('fs').readFileSync('$tmp/server.json','utf8'));console.log($1)"; }
issuer=$(json j.issuer)
client_id=$(json j.client_id)
user=$(json j.user)
password=$(json j.password)
sub=$(json j.sub)

export REHEARSE_AUTH_ISSUER="$issuer" REHEARSE_AUTH_CLIENT_ID="$client_id"
export REHEARSE_AUTH_CALLBACK_PORT="$port" REHEARSE_AUTH_REDIRECT=loopback
export REHEARSE_DATA_DIR="$tmp/data" G_MESSAGES_DEBUG=all
export GSETTINGS_BACKEND=memory

other=$(json "j.users[1].email")
other_sub=$(json "j.users[1].sub")

# lookup KIND [ACCOUNT]: a token in the Secret Service
lookup() {
  G_MESSAGES_DEBUG= secret-tool lookup xdg:schema io.github.rehearse.Rehearse.Token \
    account "${2:-$sub}" kind "$1" 2>/dev/null || true
}

# refresh_works TOKEN: what the provider says to a refresh with it
refresh_works() {
  node -e "
const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: process.argv[1], client_id: '$client_id' });
fetch('$issuer/oauth2/token', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  .then(async (r) => console.log(r.status, (await r.json()).error));
" -- "$1"
}

# cli_login EMAIL NAME: rehearse-cli signs in through the loopback
# redirect, Chromium playing the browser
cli_login() {
  step "account login --loopback --no-browser, as $1"
  "$cli" account login --loopback --no-browser >"$tmp/$2.out" 2>"$tmp/$2.err" &
  login_pid=$!
  i=0
  until grep -q '^http' "$tmp/$2.out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -le 100 ] || { cat "$tmp/$2.err" >&2; fail "rehearse-cli printed no address"; }
    sleep 0.1
  done
  url=$(grep '^http' "$tmp/$2.out" | head -n 1)
  case "$url" in
    "$issuer/oauth2/authorize?"*code_challenge_method=S256*) ;;
    *) fail "unexpected authorize URL: $url" ;;
  esac
  node "$here/signin-browser.mjs" --url "$url" --email "$1" --password "$password" \
    --redirect "http://localhost:$port/callback" >"$tmp/$2-browser.json" 2>"$tmp/$2-browser.err" \
    || { cat "$tmp/$2-browser.err" >&2; fail "the browser did not get through"; }
  grep -q 'close this tab' "$tmp/$2-browser.json" \
    || fail "the listener's page: $(cat "$tmp/$2-browser.json")"
  status=0
  wait "$login_pid" || status=$?
  [ "$status" -eq 0 ] || { cat "$tmp/$2.err" >&2; fail "account login exited $status"; }
  grep -q "Signed in as $1" "$tmp/$2.out" || fail "login said: $(cat "$tmp/$2.out")"
}

# 1. rehearse-cli signs in
cli_login "$user" login

# 2. the tokens are in the Secret Service, and status shows the learner
step "tokens in the keyring"
refresh1=$(lookup refresh)
access1=$(lookup access)
idtoken=$(lookup id)
[ -n "$refresh1" ] || fail "no refresh token in the keyring"
[ -n "$access1" ] || fail "no access token in the keyring"
[ -n "$idtoken" ] || fail "no ID token in the keyring"
# and nowhere in the data folder
if grep -rqF "$refresh1" "$tmp/data" 2>/dev/null; then fail "the refresh token is in a file"; fi

step "account status"
"$cli" account status --json >"$tmp/status.json" 2>>"$tmp/cli.err"
node -e "
const s = JSON.parse(require('fs').readFileSync('$tmp/status.json', 'utf8'));
if (!s.signed_in || s.email !== '$user' || s.account !== '$sub') { console.error(s); process.exit(1); }
if (!s.collection.includes('/accounts/$sub/')) { console.error(s); process.exit(1); }
" || fail "status does not show the learner"

# 3. a refresh: the access token lives 30 s, inside the refresh margin
step "refresh"
"$cli" account status --refresh >"$tmp/refresh.out" 2>>"$tmp/cli.err" \
  || { cat "$tmp/refresh.out" >&2; fail "no access token after a refresh"; }
access2=$(lookup access)
[ -n "$access2" ] && [ "$access2" != "$access1" ] || fail "the access token was not refreshed"
[ "$(lookup refresh)" = "$refresh1" ] || fail "the refresh token changed"

# 4. someone else signs in on this computer: nothing of the first
# account's stays in view or in the keyring
step "another account"
"$cli" deck add "Learner's deck" >/dev/null 2>>"$tmp/cli.err" || fail "deck add failed"
"$cli" card add --deck "Learner's deck" --front "only-the-learner" --back "x" >/dev/null \
  2>>"$tmp/cli.err" || fail "card add failed"
cli_login "$other" login-other
"$cli" account status --json >"$tmp/status-other.json" 2>>"$tmp/cli.err"
node -e "
const s = JSON.parse(require('fs').readFileSync('$tmp/status-other.json', 'utf8'));
if (!s.signed_in || s.email !== '$other' || !s.collection.includes('/accounts/$other_sub/')) { console.error(s); process.exit(1); }
" || fail "status does not show the other account"
if "$cli" card list 2>>"$tmp/cli.err" | grep -q "only-the-learner"; then
  fail "the other account sees the first account's card"
fi
[ -z "$(lookup refresh)" ] || fail "the first account's refresh token stayed in the keyring"
[ "$(refresh_works "$refresh1")" = "400 invalid_grant" ] || fail "the first account's session was not revoked"
refresh_other=$(lookup refresh "$other_sub")
[ -n "$refresh_other" ] || fail "no refresh token for the other account"

# 5. sign-out revokes the refresh token at the provider
step "account logout"
"$cli" account logout --no-browser >"$tmp/logout.out" 2>>"$tmp/cli.err" \
  || { cat "$tmp/logout.out" >&2; fail "logout failed"; }
[ -z "$(lookup refresh "$other_sub")" ] || fail "the refresh token is still in the keyring"
[ -z "$(lookup access "$other_sub")" ] || fail "the access token is still in the keyring"
refresh_status=$(refresh_works "$refresh_other")
[ "$refresh_status" = "400 invalid_grant" ] || fail "the revoked refresh token still works: $refresh_status"
"$cli" account status >"$tmp/status.out" 2>>"$tmp/cli.err"
grep -q "Not signed in" "$tmp/status.out" || fail "still signed in: $(cat "$tmp/status.out")"

# 6. the URI-scheme redirect through the desktop app
if [ -n "$gui" ]; then
  if ! command -v Xvfb >/dev/null 2>&1; then
    echo "no Xvfb: the desktop app's redirect is not tested" >&2
  else
    # a display of its own, stopped with the test
    Xvfb -displayfd 5 -screen 0 1024x768x24 -nolisten tcp 5>"$tmp/display" 2>"$tmp/xvfb.log" &
    xvfb_pid=$!
    i=0
    until [ -s "$tmp/display" ]; do
      i=$((i + 1))
      [ $i -le 100 ] || fail "Xvfb did not start"
      sleep 0.1
    done
    DISPLAY=":$(cat "$tmp/display")"
    export DISPLAY
    step "the app signs in through its URI scheme"
    [ -n "$schema_dir" ] && export GSETTINGS_SCHEMA_DIR="$schema_dir"
    # GTK's caches look like leaks to LeakSanitizer (as in tools/dev.sh)
    gui_asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    ASAN_OPTIONS=$gui_asan REHEARSE_AUTH_REDIRECT=scheme REHEARSE_AUTH_PRINT_URL=1 \
      GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none \
      "$gui" >"$tmp/gui.out" 2>"$tmp/gui.err" &
    gui_pid=$!
    i=0
    until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.NameHasOwner "$app_id" 2>/dev/null | grep -q true; do
      i=$((i + 1))
      [ $i -le 200 ] || { cat "$tmp/gui.err" >&2; fail "the app did not start"; }
      kill -0 "$gui_pid" 2>/dev/null || { cat "$tmp/gui.err" >&2; fail "the app died"; }
      sleep 0.1
    done
    gapplication action "$app_id" sign-in
    i=0
    until grep -q "^$issuer/oauth2/authorize" "$tmp/gui.out" 2>/dev/null; do
      i=$((i + 1))
      [ $i -le 100 ] || { cat "$tmp/gui.err" >&2; fail "the app printed no address"; }
      sleep 0.1
    done
    url=$(grep "^$issuer/oauth2/authorize" "$tmp/gui.out" | tail -n 1)
    case "$url" in
      *redirect_uri=io.github.rehearse%3A%2Foauth2%2Fcallback*) ;;
      *) fail "the app's authorize URL has another redirect: $url" ;;
    esac
    node "$here/signin-browser.mjs" --url "$url" --email "$user" --password "$password" \
      --redirect "io.github.rehearse:/oauth2/callback" >"$tmp/browser2.json" 2>"$tmp/browser2.err" \
      || { cat "$tmp/browser2.err" >&2; fail "the browser did not get through"; }
    callback=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$tmp/browser2.json','utf8')).callback)")
    case "$callback" in
      io.github.rehearse:/oauth2/callback\?*code=*) ;;
      *) fail "no callback captured: $callback" ;;
    esac
    # the desktop starts `rehearse URI`; GApplication hands it to the
    # instance that began the sign-in
    step "handing the callback to a second rehearse"
    ASAN_OPTIONS=$gui_asan REHEARSE_AUTH_REDIRECT=scheme GDK_BACKEND=x11 NO_AT_BRIDGE=1 \
      GTK_A11Y=none timeout 20 "$gui" "$callback" >"$tmp/gui2.out" 2>"$tmp/gui2.err" \
      || { cat "$tmp/gui2.err" >&2; fail "the second rehearse failed"; }
    # the first instance stores the tokens, then makes the account the
    # current one: done when the command line sees the learner signed in
    i=0
    until "$cli" account status --json >"$tmp/status2.json" 2>>"$tmp/cli.err" &&
          node -e "
const s = JSON.parse(require('fs').readFileSync('$tmp/status2.json', 'utf8'));
process.exit(s.signed_in && s.email === '$user' ? 0 : 1);
"; do
      i=$((i + 1))
      if [ $i -gt 60 ]; then
        cat "$tmp/status2.json" "$tmp/gui.err" >&2
        fail "after the app's sign-in, status does not show the learner"
      fi
      sleep 0.25
    done
    refresh_gui=$(lookup refresh)
    [ -n "$refresh_gui" ] || fail "the app's sign-in left no refresh token in the keyring"

    # the Sign Out dialog's answer, with "Also sign out in the browser"
    step "the app signs out, in the browser too"
    gapplication action "$app_id" sign-out-now true
    i=0
    until [ -z "$(lookup refresh)" ] && grep -q "^$issuer/logout?" "$tmp/gui.out"; do
      i=$((i + 1))
      [ $i -le 100 ] || { cat "$tmp/gui.err" >&2; fail "the app did not sign out"; }
      sleep 0.1
    done
    [ -z "$(lookup access)" ] || fail "the app left the access token in the keyring"
    [ "$(refresh_works "$refresh_gui")" = "400 invalid_grant" ] \
      || fail "the app's sign-out did not revoke the refresh token"
    logout_url=$(grep "^$issuer/logout?" "$tmp/gui.out" | tail -n 1)
    # the provider takes the address: it ends the session and sends the
    # browser on to the app's sign-out page
    logout_answer=$(node -e "
fetch(process.argv[1], { redirect: 'manual' }).then((r) => console.log(r.status, r.headers.get('location')));
" -- "$logout_url")
    case "$logout_answer" in
      "302 io.github.rehearse:/"*) ;;
      *) fail "the provider refused the app's sign-out address: $logout_answer ($logout_url)" ;;
    esac
    "$cli" account status >"$tmp/status3.out" 2>>"$tmp/cli.err"
    grep -q "Not signed in" "$tmp/status3.out" || fail "still signed in after the app's sign-out"
    kill "$gui_pid" 2>/dev/null || true
    wait "$gui_pid" 2>/dev/null || true
    gui_pid=
  fi
fi

# 7. no token reached a log (every program ran with G_MESSAGES_DEBUG=all)
step "logs"
for secret in "$refresh1" "$access1" "$access2" "$idtoken" "$refresh_other" ${refresh_gui:+"$refresh_gui"}; do
  if grep -rqF -- "$secret" "$tmp"/*.err "$tmp"/*.out 2>/dev/null; then
    fail "a token reached the logs"
  fi
done

echo "sign-in end to end: 1 passed, 0 failed"
