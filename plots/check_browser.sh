#!/usr/bin/env bash
# ctest plots.browser: the claims report opens cleanly in a real browser. Headless Chromium
# renders the report written by plots.report (index.html, figures inline) to a PNG; the PNG
# must be a real PNG and carry far more than a blank page: its size must exceed 3x that of
# the same browser's screenshot of an empty page (the control, taken in the same run).
# Without chromium the test is Skipped (exit 77) with the reason; never passed silently.
#   check_browser.sh <index.html> <out-dir>
set -u
html="$1"; out="$2"
chrome="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$chrome" ]; then
  echo "plots.browser: SKIPPED: no chromium on this machine (Debian: apt-get install chromium)"
  exit 77
fi
[ -f "$html" ] || { echo "plots.browser: no report at $html"; exit 1; }
mkdir -p "$out"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
shot() {  # shot URL PNG
  rm -f "$2"
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --window-size=1280,1600 --screenshot="$2" "$1" >/dev/null 2>&1
  [ -s "$2" ] || { echo "plots.browser: $chrome wrote no screenshot of $1"; exit 1; }
  [ "$(head -c 4 "$2" | od -An -tx1 | tr -d ' \n')" = "89504e47" ] || { echo "plots.browser: $2 is not a PNG"; exit 1; }
}
printf '<!doctype html><html><body></body></html>\n' > "$out/blank.html"
shot "file://$out/blank.html" "$out/blank.png"
shot "file://$html" "$out/report.png"
b=$(stat -c %s "$out/blank.png"); r=$(stat -c %s "$out/report.png")
echo "plots.browser: report.png $r bytes, empty page $b bytes ($out)"
[ "$r" -gt $((3 * b)) ] || { echo "plots.browser: the report renders (almost) blank: $r <= 3 x $b bytes"; exit 1; }
echo "plots.browser: passed"
