#!/bin/sh
# Builds commit REV of this repository at DIR, for tools/bench/library-ab.js to time against
# this tree: a git worktree whose node_modules are links to this tree's, except
# @failsim/*, which point into the worktree's own packages, each compiled with its
# tsconfig.lib.json (no network, no npm install). Remove it with
# `git worktree remove --force DIR`.
# Run: sh tools/bench/worktree-at.sh REV DIR
set -eu
if [ $# -ne 2 ]; then
  echo 'usage: sh tools/bench/worktree-at.sh REV DIR' >&2
  exit 2
fi
rev=$1
dir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -e "$dir" ]; then
  echo "error: $dir exists" >&2
  exit 2
fi
git -C "$root" worktree add --detach "$dir" "$rev" >/dev/null
dir=$(cd "$dir" && pwd)
mkdir "$dir/node_modules" "$dir/node_modules/@failsim"
for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  name=$(basename "$entry")
  [ "$name" = @failsim ] || ln -s "$entry" "$dir/node_modules/$name"
done
for package in "$dir"/packages/*; do
  name=$(basename "$package")
  ln -s "$package" "$dir/node_modules/@failsim/$name"
  # A package's own dependencies, where npm put them beside it.
  if [ -d "$root/packages/$name/node_modules" ]; then ln -s "$root/packages/$name/node_modules" "$package/node_modules"; fi
done
# In dependency order: each package compiles against the ones before it.
for name in core controllers vsphere bosh scenarios; do
  (cd "$dir/packages/$name" && "$root/node_modules/.bin/tsc" -p tsconfig.lib.json)
done
echo "$dir: $(git -C "$dir" log --oneline -1)"
