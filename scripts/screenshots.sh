#!/usr/bin/env bash
# Makes screenshots/*.png of the real console: kgate runs in tmux inside xterm under Xvfb,
# driven with tmux send-keys, and each screen is captured with ImageMagick's `import`.
#
# Needs: xvfb xterm imagemagick fonts-dejavu-core fonts-noto-cjk tmux (Debian packages).
# Usage: scripts/screenshots.sh [path/to/kgate]
set -euo pipefail
cd "$(dirname "$0")/.."
kgate=${1:-}
if [ -z "$kgate" ]; then
  swift build --product kgate >/dev/null
  kgate=.build/debug/kgate
fi
kgate=$(realpath "$kgate")
work=$(mktemp -d)
# A home of its own, and the default workspace in it: the header shows
# `~/.local/share/kgate/workspace`, never the temporary folder.
export HOME=$work/home
unset XDG_DATA_HOME XDG_STATE_HOME XDG_RUNTIME_DIR KGATE_WORKSPACE
mkdir -p "$HOME"
"$kgate" init --demo >/dev/null
socket=kgate-shots-$$
display=:$((90 + RANDOM % 100))

cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  [ -n "${xterm_pid:-}" ] && kill "$xterm_pid" 2>/dev/null || true
  [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done

tmux -L "$socket" -f /dev/null new-session -d -s shots -x 80 -y 24 \
  "HOME=$HOME TERM=xterm-256color $kgate --project demo"
tmux -L "$socket" set-option -g status off
xterm -T kgate-shots -geometry 80x24+0+0 -fa 'DejaVu Sans Mono' -fs 14 \
  -bg '#1d1f21' -fg '#d8dee9' -xrm 'XTerm*cursorBlink: false' \
  -e tmux -L "$socket" attach -t shots &
xterm_pid=$!

screen() { tmux -L "$socket" capture-pane -p -t shots; }
# Waits (up to 10 s) until the screen shows $1.
wait_for() {
  for _ in $(seq 200); do screen | grep -qF -- "$1" && return 0; sleep 0.05; done
  echo "screenshots: timed out waiting for '$1'; the screen was:" >&2
  screen >&2
  exit 1
}
keys() { tmux -L "$socket" send-keys -t shots "$@"; }
shot() {
  sleep 0.3  # let xterm paint what tmux already shows
  window=$(xwininfo -name kgate-shots | awk '/Window id:/ {print $4}')
  import -window "$window" "screenshots/$1.png"
  echo "screenshots/$1.png"
}

mkdir -p screenshots

# 1. Internet Access before the gateway is set.
wait_for "Gateway Not Set"
shot internet-access-not-set
# 2. The gateway picker: NodePort highlighted.
keys s
wait_for "Access Method"
shot gateway-picker
# 3. Enter saves: the card shows the node ports and URLs.
keys Enter
wait_for "Node Port"
wait_for "http://139.198.0.20:3"
shot internet-access-nodeport
# 4. The gateway detail.
keys g
wait_for "kubesphere-router-demo"
shot gateway-detail
# 5. The routes of project shop, filtered with /.
keys Escape
wait_for "Node Port"
keys : ; keys -l "projects"; keys Enter
wait_for "shop"
keys j j Enter
wait_for "Online shop"
keys r
wait_for "storefront"
shot routes
# 6. The route editor with a bad host and its error beside the field.
keys n
wait_for "New Route"
keys -l web
keys Tab Tab Tab Right Tab Tab
wait_for "Specify Domain"
for _ in $(seq 40); do keys BSpace; done
keys -l "1.2.3.4"
wait_for "not an IP address"
shot route-editor-error
# 7. The help overlay of the routes screen.
keys Escape
wait_for "Discard the changes"
keys y
wait_for "storefront"
keys ?
wait_for "Keys: Routes"
shot help
keys Escape
keys q
