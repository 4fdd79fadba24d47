#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml): names the exporters' module (crates/exporter) after its content, as trunk
# names the app's own files, and writes the new name into index.html's `vpn-designer-exporter` meta tag, which
# src/exporter.rs reads. Trunk leaves "worker" modules unhashed, and a cached exporter of an older build would
# otherwise meet a newer app.
set -euo pipefail
dir=${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}
base=vpn-designer-exporter
[ -f "$dir/$base.js" ] || { echo "hash-exporter: $dir/$base.js is missing" >&2; exit 1; }
hash=$(cat "$dir/$base.js" "$dir/${base}_bg.wasm" | sha256sum | cut -c1-16)
mv "$dir/$base.js" "$dir/$base-$hash.js"
mv "$dir/${base}_bg.wasm" "$dir/$base-${hash}_bg.wasm"
# The glue's default path for the wasm is its own name; the app always passes the hashed one, but keep them equal.
sed -i "s/${base}_bg\.wasm/$base-${hash}_bg.wasm/g" "$dir/$base-$hash.js"
grep -q "content=\"$base\"" "$dir/index.html" || { echo "hash-exporter: no $base meta tag in index.html" >&2; exit 1; }
# With trunk's public URL in front (`/` by default, `--public-url /vpn/` for a subpath), as the app's own files.
public=${TRUNK_PUBLIC_URL:-/}
case "$public" in */) ;; *) public="$public/" ;; esac
sed -i "s|content=\"$base\"|content=\"$public$base-$hash\"|" "$dir/index.html"
