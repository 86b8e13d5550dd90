#!/bin/sh
# Refresh the vendored KERN UX CSS and fonts (@kern-ux/native, EUPL-1.2) from the npm
# registry: `make vendor-kern [KERN_VERSION=2.7.2]`. Not part of `make run`: the files
# are committed, so running Zuwendo needs no Node.
set -eu
version="${1:-latest}"
target="portal/static/portal/kern"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@kern-ux/native@$version" >/dev/null && tar xzf ./*.tgz)
package="$work/package"
rm -rf "$target"
mkdir -p "$target/fonts/fira-sans"
cp "$package/dist/kern.min.css" "$target/"
cp "$package/dist/fonts/fira-sans.css" "$target/fonts/"
for font in $(grep -o 'FiraSans-[A-Za-z]*\.woff2' "$package/dist/fonts/fira-sans.css" | sort -u); do
    cp "$package/dist/fonts/fira-sans/$font" "$target/fonts/fira-sans/"
done
cp "$package/LICENSE.md" "$target/LICENSE.md"
node -e 'const p=require(process.argv[1]);console.log(`${p.name} ${p.version} (${p.license})`)' \
    "$package/package.json" > "$target/VERSION"
echo "vendored $(cat "$target/VERSION") into $target"
