#!/usr/bin/env bash
# The package for hosts without Swift: builds it with scripts/package, unpacks
# it, and runs its hubsite where no Swift toolchain can be reached (a mount
# namespace with an empty tmpfs over the toolchain's folder): --version names
# the version and the commit, it builds the hub's site exactly as HUBSITE
# (the test suite's own build) does, and `hubsite serve` runs the packaged
# hubsite-server in its place and serves the site. Only hubsite-server loads
# libcurl (the HTTP server's).
#
#   Tests/tools/test_package.sh HUBSITE
#
# Needs root, or unprivileged user namespaces, for unshare -m.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
HUBSITE=${1:?usage: test_package.sh HUBSITE}
NOW="2009-06-01T00:00:00+01:00"
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
# The toolchain's folder: /opt/swift for /opt/swift/usr/bin/swift.
toolchain=$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/../.." && pwd)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hubsite-package-test.XXXXXX")
serve_pid=""
trap '[ -z "$serve_pid" ] || kill -KILL "$serve_pid" 2>/dev/null; rm -rf "$WORK"' EXIT
passed=0
failed=0
check() {   # check DESCRIPTION COMMAND...
    local description=$1
    shift
    if "$@"; then
        echo "ok   $description"
        passed=$((passed + 1))
    else
        echo "FAIL $description"
        failed=$((failed + 1))
    fi
}

commit=$(git rev-parse --short=12 HEAD)   # before packaging, which builds this commit in
scripts/package --dist "$WORK/dist" | tee "$WORK/package.log"
tarball=$(tail -n 1 "$WORK/package.log")
version=$(sed -n 's/^#define HUBSITE_VERSION "\(.*\)"$/\1/p' Sources/CHubSiteVersion/include/CHubSiteVersion.h)
name="hubsite-$version-linux-$(uname -m)"
check "the tarball is named $name.tar.gz" test "$(basename "$tarball")" = "$name.tar.gz"

tar -C "$WORK" -xzf "$tarball"
package="$WORK/$name"
check "it holds bin/hubsite, bin/hubsite-server, the theme and a README" \
    test -x "$package/bin/hubsite" -a -x "$package/bin/hubsite-server" -a -f "$package/theme/templates/layout.mustache" -a -f "$package/README"
check "the theme is the repository's" diff -r theme "$package/theme"
for program in hubsite hubsite-server; do
    check "$program loads no Swift library" sh -c "! ldd '$package/bin/$program' | grep -q libswift"
    check "nor libcmark (linked in statically)" sh -c "! ldd '$package/bin/$program' | grep -q libcmark"
done
check "hubsite does not load libcurl (only hubsite-server's HTTP server needs it)" \
    sh -c "! ldd '$package/bin/hubsite' | grep -q libcurl"
check "hubsite-server does (so the check above can tell)" sh -c "ldd '$package/bin/hubsite-server' | grep -q libcurl"
needs=$(sed -n 's/^Needs (Debian packages): //p' "$package/README")
for needed in $(readelf -d "$package/bin/hubsite" "$package/bin/hubsite-server" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u); do
    owner=$(dpkg -S "*/$needed" 2>/dev/null | grep ":$(dpkg --print-architecture):" | sed -n '1s/:.*//p')
    [ "$owner" = libc6 ] || check "the README names $owner, for $needed" sh -c "echo ' $needs ' | grep -q ' $owner '"
done
check "the README names the version and the commit" grep -q "hubsite $version (commit $commit" "$package/README"

# Without the toolchain: an empty tmpfs over it, a PATH and environment without it.
# The site's search index is made by Pagefind, which the host has installed with pip.
pagefind=$(python3 -c "import os, pagefind_bin; print(os.path.join(os.path.dirname(pagefind_bin.__file__), 'pagefind'))")
unshare_flags=(-m)
[ "$(id -u)" = 0 ] || unshare_flags=(-r -m)
# The command that runs what follows it without the toolchain; it ends in exec, so that
# `exec "${without_swift[@]}" PROGRAM` keeps the process id from here to PROGRAM.
without_swift=(unshare "${unshare_flags[@]}" env -i PATH=/usr/bin:/bin HOME="$WORK" HUBSITE_PAGEFIND="$pagefind" sh -c '
        mount -t tmpfs none "$1" || exit 99
        shift
        if [ -e "$0/usr/bin/swift" ] || command -v swift >/dev/null 2>&1; then echo "the toolchain is still there" >&2; exit 98; fi
        exec "$@"' "$toolchain" "$toolchain")
without_swift() {
    "${without_swift[@]}" "$@"
}
if without_swift "$HUBSITE" --version >/dev/null 2>&1; then
    check "the test build, linked to the toolchain's runtime, cannot start there" false
else
    check "the test build, linked to the toolchain's runtime, cannot start there" true
fi

version_line=$(without_swift "$package/bin/hubsite" --version)
echo "     hubsite --version: $version_line"
check "--version prints the version and the commit" test "$version_line" = "hubsite $version (commit $commit)" -o \
    "$version_line" = "hubsite $version (commit $commit-modified)"

without_swift "$package/bin/hubsite" build --content "$ROOT/content" --theme "$package/theme" \
    --output "$WORK/packaged-site" --now "$NOW" --no-cache
"$HUBSITE" build --content content --theme theme --output "$WORK/site" --now "$NOW" --no-cache >/dev/null
check "it builds the hub's site without Swift, the same as the test build" \
    diff -r "$WORK/site" "$WORK/packaged-site"

# hubsite serve from the package, without Swift: the process becomes the packaged
# hubsite-server (same process id), serves the site, and stops on TERM with status 0.
: >"$WORK/serve.log"
(exec "${without_swift[@]}" "$package/bin/hubsite" serve --content "$ROOT/content" --theme "$package/theme" \
    --port 0 --now "$NOW" 2>"$WORK/serve.log") &
serve_pid=$!
address=""
for _ in $(seq 1 300); do
    address=$(sed -n 's|^Serving \(http://127.0.0.1:[0-9]*/\).*|\1|p' "$WORK/serve.log")
    [ -n "$address" ] || ! kill -0 "$serve_pid" 2>/dev/null || { sleep 0.1; continue; }
    break
done
check "hubsite serve says where it serves" test -n "$address"
check "the serving process is the packaged hubsite-server" \
    test "$(readlink "/proc/$serve_pid/exe" 2>/dev/null)" = "$package/bin/hubsite-server"
home=$(python3 -c 'import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never a proxy
print(opener.open(sys.argv[1], timeout=10).read().decode())' "$address" 2>/dev/null || true)
check "it serves the hub's home page" sh -c 'echo "$1" | grep -q "<title>" && echo "$1" | grep -q "Hertfordshire"' _ "$home"
kill -TERM "$serve_pid" 2>/dev/null || true
serve_status=0
wait "$serve_pid" || serve_status=$?
serve_pid=""
check "it stops on TERM with status 0 (it exited with $serve_status)" test "$serve_status" = 0

echo
echo "test_package: $passed passed, $failed failed"
[ "$failed" = 0 ]
