#!/usr/bin/env bash
# Makes screenshots/gateway-{pods,logs,monitoring}.png: the gateway detail's Pods, Logs and
# Monitoring sections showing the local gateway at work. `kgate serve` serves project shop
# of the demo workspace, curl sends it real traffic (served, refused and unmatched), and the
# console runs in tmux inside xterm under Xvfb; each section is captured with ImageMagick.
#
# Needs: xvfb xterm imagemagick fonts-dejavu-core fonts-noto-cjk tmux curl nginx (Debian).
# Usage: scripts/screenshots-activity.sh [path/to/kgate]
#
# The sections show figures only when the console is given the gateway's activity source
# (`kgate console` passes it once issue 12's sources are in); without one each section says
# so, and this script captures that and warns.
set -euo pipefail
cd "$(dirname "$0")/.."
kgate=${1:-}
if [ -z "$kgate" ]; then
  swift build --product kgate >/dev/null
  kgate=.build/debug/kgate
fi
kgate=$(realpath "$kgate")
work=$(mktemp -d)
export HOME=$work/home
unset XDG_DATA_HOME XDG_STATE_HOME XDG_RUNTIME_DIR KGATE_WORKSPACE
mkdir -p "$HOME"
"$kgate" init --demo >/dev/null
socket=kgate-activity-$$
display=:$((90 + RANDOM % 100))
# shop's gateway: its node ports in the demo workspace.
http=31080

cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  [ -n "${traffic_pid:-}" ] && kill "$traffic_pid" 2>/dev/null || true
  [ -n "${serve_pid:-}" ] && { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  [ -n "${xterm_pid:-}" ] && kill "$xterm_pid" 2>/dev/null || true
  [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$kgate" serve --project shop >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 200); do
  curl -s -o /dev/null -H 'Host: shop.example.com' "http://127.0.0.1:$http/" && break
  kill -0 "$serve_pid" 2>/dev/null || { echo "screenshots: kgate serve stopped:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.05
done

# A steady mix, a few requests a second, to every route of shop (its TLS hosts over
# HTTPS, as the routes redirect plain HTTP there) and to what no route claims.
https=31443
get() {  # $1: scheme, $2: host, $3: path
  local port=$http; [ "$1" = https ] && port=$https
  curl -sk -o /dev/null --resolve "$2:$port:127.0.0.1" "$1://$2:$port$3" || true
}
send_traffic() {
  while true; do
    get https shop.example.com /
    get https shop.example.com /cart
    get https api.shop.example.com /v1/items
    get https api.shop.example.com /v1/missing
    get https api.shop.example.com /admin
    get http frontend.shop.139.198.0.20.nip.io /status
    get http unknown.example.com /
    sleep 0.2
  done
}
send_traffic &
traffic_pid=$!

Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done

tmux -L "$socket" -f /dev/null new-session -d -s shots -x 100 -y 30 \
  "HOME=$HOME TERM=xterm-256color $kgate --project shop"
tmux -L "$socket" set-option -g status off
xterm -T kgate-activity -geometry 100x30+0+0 -fa 'DejaVu Sans Mono' -fs 14 \
  -bg '#1d1f21' -fg '#d8dee9' -xrm 'XTerm*cursorBlink: false' \
  -e tmux -L "$socket" attach -t shots &
xterm_pid=$!

screen() { tmux -L "$socket" capture-pane -p -t shots; }
# Waits (up to 15 s) until the screen shows one of the arguments; prints the one it shows.
wait_for() {
  for _ in $(seq 300); do
    for needle in "$@"; do
      if screen | grep -qF -- "$needle"; then echo "$needle"; return 0; fi
    done
    sleep 0.05
  done
  echo "screenshots: timed out waiting for '$*'; the screen was:" >&2
  screen >&2
  exit 1
}
keys() { tmux -L "$socket" send-keys -t shots "$@"; }
shot() {
  sleep 0.3  # let xterm paint what tmux already shows
  window=$(xwininfo -name kgate-activity | awk '/Window id:/ {print $4}')
  import -window "$window" "screenshots/$1.png"
  echo "screenshots/$1.png"
}
no_source=0
section() {  # $1: number key, $2: what the section shows once its figures are in, $3: file
  keys "$1"
  if [ "$(wait_for "$2" "No activity source")" = "No activity source" ]; then no_source=1; fi
  shot "$3"
}

mkdir -p screenshots
wait_for "Internet Access" >/dev/null
keys g
wait_for "1 Overview" >/dev/null
section 2 "Serving" gateway-pods
section 3 "following" gateway-logs
section 4 "Trends, last 5 polls" gateway-monitoring
keys q
if [ "$no_source" = 1 ]; then
  echo "screenshots: this kgate gives its console no activity source; the pictures show the sections without figures" >&2
fi
