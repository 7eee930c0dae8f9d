#!/bin/sh
# Whole-process timing of `dsg` against the NumPy reference on the benchmark scenario, run
# alternately (the machine is shared and noisy: compare figures from one run of this script).
#
#   benches/numpy/side_by_side.sh [PATHS] [ROUNDS] [DSG_BINARY...]
#
# Builds target/release/dsg unless binaries are given (give several to compare builds of dsg).
# Prints every run's wall time and peak memory, then the median of each command.
set -eu
cd "$(dirname "$0")/../.."
paths=${1:-1000000}
rounds=${2:-5}
shift $(( $# < 2 ? $# : 2 ))
if [ $# -eq 0 ]; then
    cargo build --release -p dsg-cli --quiet
    set -- target/release/dsg
fi
python3 -c "import numpy" 2>/dev/null || { echo "needs NumPy: pip install numpy" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { # label, command...
    label=$1; shift
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>"$out/err" || { cat "$out/err" >&2; exit 1; }
    read -r wall kb < "$out/time"
    echo "$label $wall $kb" | tee -a "$out/all"
}
echo "command wall_s peak_kb"
for r in $(seq "$rounds"); do
    run numpy python3 benches/numpy/benchmark_numpy.py --paths "$paths" --out "$out/numpy.json"
    for bin in "$@"; do
        run "$bin" "$bin" run scenarios/benchmark.toml --paths "$paths" --threads 2 \
            --out "$out/dsg" --no-charts --no-report --quiet
    done
done
echo "median:"
for label in numpy "$@"; do
    grep "^$label " "$out/all" | awk '{print $2, $3}' | sort -n |
        awk -v l="$label" '{w[NR]=$1; m[NR]=$2} END {i=int((NR+1)/2); printf "%s %s s %d MB\n", l, w[i], m[i]/1024}'
done
