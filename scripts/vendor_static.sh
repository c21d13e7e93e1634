#!/usr/bin/env bash
# Refresh the front-end libraries vendored under static/vendor/ from their npm
# packages at the pinned versions below. Run by `make vendor`; the files are
# committed so that TeamHub needs no CDN and no npm at run time.
set -euo pipefail

HTMX_VERSION=2.0.11      # htmx 2 line: htmx 4 changed request semantics; move deliberately.
CHARTJS_VERSION=4.6.1
INTER_VERSION=5.3.0      # @fontsource/inter: the meeting brief's PDF embeds it.

cd "$(dirname "$0")/.."
dest=static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch <package> <version> <file inside package> <destination>
    (cd "$work" && npm pack --silent "$1@$2" >/dev/null)
    tar -xzf "$work/$(echo "$1" | tr -d '@' | tr '/' '-')-$2.tgz" -C "$work" "package/$3"
    mkdir -p "$(dirname "$4")"
    cp "$work/package/$3" "$4"
    echo "$1@$2 $3 -> $4"
}

fetch htmx.org "$HTMX_VERSION" dist/htmx.min.js "$dest/htmx/htmx.min.js"
fetch chart.js "$CHARTJS_VERSION" dist/chart.umd.min.js "$dest/chartjs/chart.umd.min.js"
# The source map is referenced by the script: the hashed static storage needs it.
fetch chart.js "$CHARTJS_VERSION" dist/chart.umd.min.js.map "$dest/chartjs/chart.umd.min.js.map"
for script in latin latin-ext; do
    for weight in 400 700; do
        file="inter-$script-$weight-normal.woff2"
        fetch @fontsource/inter "$INTER_VERSION" "files/$file" "$dest/fonts/inter/$file"
    done
done
fetch @fontsource/inter "$INTER_VERSION" LICENSE "$dest/fonts/inter/LICENSE.txt"

cat > "$dest/VERSIONS.txt" <<TXT
Vendored from the npm registry by scripts/vendor_static.sh (make vendor). Do not edit.
htmx.org $HTMX_VERSION  (BSD-2-Clause)  htmx/htmx.min.js
chart.js $CHARTJS_VERSION  (MIT)  chartjs/chart.umd.min.js (+ .map)
@fontsource/inter $INTER_VERSION  (OFL-1.1)  fonts/inter/inter-latin{,-ext}-{400,700}-normal.woff2 (+ LICENSE.txt)
TXT
