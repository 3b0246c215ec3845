#!/usr/bin/env bash
# Benchmark: generates N synthetic returns (default 1,000) and times each stage of hrcities
# on them, with wall time and peak memory from /usr/bin/time -v.
#
#   scripts/bench.sh [N]          # e.g. scripts/bench.sh 1000; scripts/bench.sh 5000
#   BENCH_NO_BREAKDOWNS=1 scripts/bench.sh 1000   # the same returns without breakdowns
#
# The returns are written by `examples/sample_data/` (`--synthetic N`) (fictional
# governments, three reporting years each, every region and language, breakdowns by sex,
# age, disability, migration status and district in four returns of five, with numbers typed as
# text, "N/A" markers, blank required answers and values out of range). Work goes to
# target/bench-N/ (or $BENCH_DIR). Needs /usr/bin/time (Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-1000}
work=${BENCH_DIR:-target/bench-$n}
bin=target/release/hrcities

echo "building (release)…"
cargo build --release --quiet --bin hrcities --example sample_data --example bare_reader

rm -rf "$work"
mkdir -p "$work"
echo "generating $n synthetic returns in $work/returns…"
if [ -n "${BENCH_NO_BREAKDOWNS:-}" ]; then
    target/release/examples/sample_data --synthetic "$n" "$work/returns" --no-breakdowns
else
    target/release/examples/sample_data --synthetic "$n" "$work/returns"
fi

# Runs a stage under /usr/bin/time -v; prints its wall time and peak memory. Exit status 3
# (finished, some returns had errors) is expected: the synthetic returns have flaws.
# Leaves the wall time in seconds in $work/<id>.secs.
stage() {
    local id=$1 name=$2
    shift 2
    local log="$work/$id.time"
    set +e
    /usr/bin/time -v -o "$log" "$@" >"$work/$id.out" 2>"$work/$id.err"
    local rc=$?
    set -e
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
        echo "$name failed (exit $rc):" >&2
        cat "$work/$id.err" >&2
        exit 1
    fi
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<<"$wall" >"$work/$id.secs"
    printf '%-34s %10s  %8s MiB\n' "$name" "$wall" "$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')"
}

echo
printf '%-34s %10s  %12s\n' "stage (N = $n)" "wall" "peak memory"
store="$work/store"
# The files are read once before timing, so both stages find them in the page cache.
cat "$work/returns"/* >/dev/null
stage bare "bare reader (calamine, every cell)" target/release/examples/bare_reader "$work/returns"
stage ingest "validate + ingest" "$bin" -q ingest --store "$store" "$work/returns"
awk -v b="$(cat "$work/bare.secs")" -v i="$(cat "$work/ingest.secs")" \
    'BEGIN { printf "%-34s %10.2f  (target: at most 2)\n", "validate + ingest / bare reader", i / b }'
stage compute "compute + exports" "$bin" -q compute --store "$store" --out "$work/out"
stage charts "charts (SVG; PNG for the campaign)" "$bin" -q charts --store "$store" --out "$work/out"
stage reports "city reports (all) + campaign" sh -c \
    "'$bin' -q report city --all --store '$store' --out '$work/out' && '$bin' -q report campaign --store '$store' --out '$work/out'"
# The site reads the tables the compute stage wrote (the store has not changed since).
stage site "web site (en, es, fr; PDFs linked)" "$bin" -q site --store "$store" --out "$work/out"
printf '%-34s %10s  (target: at most 150 MB)\n' "web site size, PDFs excluded" \
    "$(find "$work/out/site" -type f ! -name '*.pdf' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f MB", s / 1e6 }')"
printf '%-34s %10s\n' "  of which pages (HTML)" \
    "$(find "$work/out/site" -type f -name '*.html' -printf '%s\n' | awk '{ s += $1; n++ } END { printf "%.1f MB", s / 1e6 }')"
printf '%-34s %10s\n' "  pages" "$(find "$work/out/site" -type f -name '*.html' | wc -l)"
stage run "run (the whole job, one process)" "$bin" run --out "$work/run" "$work/returns"
echo
echo "the run's own time per stage:"
grep -E '^(Time|Done)' "$work/run.out" || true
echo
echo "reports written: $(find "$work/run/reports" -name '*.pdf' | wc -l) PDFs"
