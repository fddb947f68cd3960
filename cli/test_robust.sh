#!/bin/sh
# ctest cli.robust: issue 14's command-line items, each a regression test that failed on the
# code before the fix.   sh test_robust.sh <gdlimits> <scratch dir>
# Never names /dev/null as an output (the old code, run as root, would have replaced it): a
# FIFO stands for a device node.
G="$1"
D="$2"
[ -x "$G" ] && [ -n "$D" ] || { echo "usage: test_robust.sh <gdlimits> <scratch dir>"; exit 2; }
rm -rf "$D" && mkdir -p "$D" || exit 2
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }

# expect <exit> <name> <text that stderr must contain, or ''> -- args...
# stderr must be exactly one line for a non-zero exit
expect() {
  want="$1"; name="$2"; needle="$3"; shift 4
  "$G" "$@" >"$D/out" 2>"$D/err"
  rc=$?
  if [ "$rc" != "$want" ]; then fail "$name: exit $rc, expected $want ($(cat "$D/err"))"; return; fi
  if [ "$want" != 0 ]; then
    n=$(wc -l <"$D/err")
    [ "$n" = 1 ] || { fail "$name: stderr has $n lines: $(cat "$D/err")"; return; }
    if [ -n "$needle" ] && ! grep -qF -- "$needle" "$D/err"; then fail "$name: stderr does not name '$needle': $(cat "$D/err")"; return; fi
  fi
  ok "$name (exit $rc)"
}

# ---- strict numbers: " 4", "+4", "4," (item 8) ----
expect 2 variance-n-space --n -- variance --class parity:2 --n " 4"
expect 2 variance-n-plus --n -- variance --class parity:2 --n +4
expect 2 variance-hidden-comma --hidden -- variance --class parity:2 --n 4 --hidden 4,
expect 2 variance-A-space --A -- variance --class wave:sin --A " 4"
expect 2 variance-A-plus --A -- variance --class wave:sin --A +4
expect 2 align-n-plus --n -- align --poly x1 --n +4
expect 2 train-hidden-comma --hidden -- train --hidden 4, --steps 1
expect 2 train-lr-space --lr -- train --lr " 0.1" --steps 1
expect 2 train-lr-underflow --lr -- train --lr 1e-400 --steps 1
# ---- repeated and inapplicable flags ----
expect 2 variance-repeated --n -- variance --class parity:2 --n 4 --n 5
expect 2 variance-p-on-parity --p -- variance --class parity:2 --p 7
expect 2 variance-A-on-modmul --A -- variance --class modmul:cos --A 3
expect 2 align-repeated --poly -- align --poly x1 --poly x2
expect 2 align-check-value --check -- align --poly x1 --check=1
expect 2 leap-repeated-brute --brute -- leap --brute --brute x1
expect 2 train-batch-on-population --batch -- train --n 4 --batch 8 --steps 1
# ---- values named in the message, before any computing ----
expect 2 train-hidden-params --hidden -- train --hidden 65536,65536 --steps 1
expect 2 variance-out-empty --out -- variance --class parity:2 --n 4 --out ""
mkfifo "$D/fifo"
expect 2 variance-out-fifo "not a regular file" -- variance --class parity:2 --n 4 --out "$D/fifo"
[ -p "$D/fifo" ] || fail "variance --out FIFO: the FIFO was replaced"
# ---- memory estimates (item 4): exit 2 naming the flag and the estimate, instantly ----
expect 2 train-memory --hidden -- train --hidden 40000,40000 --steps 1 --mem-limit 16G
grep -q "GiB" "$D/err" || fail "train-memory: no estimate in: $(cat "$D/err")"
expect 2 variance-memory --p -- variance --class modmul:cos --p 2147483647 --mem-limit 16G
export GDL_MEM_LIMIT=1M
expect 2 train-memory-env GDL_MEM_LIMIT -- train --n 6 --hidden 4096 --steps 1
expect 0 mem-limit-flag-overrides-env "" -- train --n 6 --hidden 4096 --steps 1 --mem-limit 1G
unset GDL_MEM_LIMIT
expect 2 mem-limit-bad --mem-limit -- train --steps 1 --mem-limit 12Q
# ---- parser results (item 8) ----
expect 2 leap-underflow "out of range" -- leap "1e-400*x1*x2*x3"
expect 1 align-overflow "overflow" -- align --poly "1e100*x1"
nl='
'
expect 2 leap-newline-sanitised "x1\\n+" -- leap "x1${nl}+ ?"
# ---- failed stdout (item 8) ----
if [ -w /dev/full ]; then
  "$G" leap x1 >/dev/full 2>"$D/err"; rc=$?
  [ "$rc" = 1 ] && ok "leap >/dev/full (exit 1)" || fail "leap >/dev/full: exit $rc"
  "$G" align --poly x1 >/dev/full 2>"$D/err"; rc=$?
  [ "$rc" = 1 ] && ok "align >/dev/full (exit 1)" || fail "align >/dev/full: exit $rc"
else
  echo "SKIP: /dev/full is missing: the failed-stdout check did not run"
fi
# ---- exploding but finite loss (item 8): divergence, exit 1, no result file ----
expect 1 adam-explodes diverged -- train --domain cube --n 6 --target parity:2 --hidden 16 --opt adam --lr 1e6 --steps 200 --out "$D/adam"
[ -e "$D/adam.csv" ] || [ -e "$D/adam.json" ] && fail "exploded run wrote a result file"
# control: the same run with a sane rate succeeds
expect 0 adam-sane "" -- train --domain cube --n 6 --target parity:2 --hidden 16 --opt adam --lr 0.01 --steps 50
# ---- full disk while writing the JSON (item 8): never run.csv without run.json ----
run="train --domain cube --n 6 --target parity:2 --hidden 16 --act tanh --steps 60 --lr 0.5 --eval-every 20 --seed 7"
sh -c "trap '' XFSZ; ulimit -f 1; exec $G $run --out $D/full" >/dev/null 2>"$D/err"; rc=$?
[ "$rc" != 0 ] || fail "full disk: exit 0"
if [ -e "$D/full.csv" ] && [ ! -e "$D/full.json" ]; then fail "full disk left full.csv without full.json"; else ok "full disk: no CSV without JSON (exit $rc)"; fi
ls "$D"/full.*tmp* >/dev/null 2>&1 && fail "full disk left temp files"
# ---- stale temp files of dead processes are removed (item 8) ----
: >"$D/st.csv.tmp.999999999"
: >"$D/st.json.tmp.999999999"
if ! "$G" $run --out "$D/st" >/dev/null 2>&1; then fail "stale: run failed"
elif [ -e "$D/st.csv.tmp.999999999" ] || [ -e "$D/st.json.tmp.999999999" ]; then fail "stale temp files kept"
else ok "stale temp files removed"; fi

echo "$fails failure(s)"
[ "$fails" = 0 ]
