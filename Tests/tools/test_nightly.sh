#!/usr/bin/env bash
# Tests of scripts/nightly and scripts/pre-commit against temporary git repositories.
#
# Usage: Tests/tools/test_nightly.sh [HUBSITE-BINARY]
# The binary defaults to the first of $HUBSITE, .build-serve/debug, .build/debug,
# .build/release (under the repository) and PATH.
#
# nightly: a first night publishes; a night with nothing new keeps every published file and
# its time; a new post changes only the files it touches; a post that does not build fails the
# night and leaves the published site byte for byte and time for time as it was; a pull that is
# not a fast-forward fails the same way; --quiet prints nothing on success and the log on failure.
# pre-commit: checks the staged files, not the working folder; refuses broken content and
# content scheduled for later that will not build; lets a good commit through.

set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
nightly="$repo_root/scripts/nightly"
pre_commit="$repo_root/scripts/pre-commit"

hubsite=${1:-${HUBSITE:-}}
if [ -z "$hubsite" ]; then
    for candidate in "$repo_root/.build-serve/debug/hubsite" "$repo_root/.build/debug/hubsite" \
                     "$repo_root/.build/release/hubsite" "$(command -v hubsite 2>/dev/null)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then hubsite=$candidate; break; fi
    done
fi
[ -n "$hubsite" ] && [ -x "$hubsite" ] || { echo "test_nightly.sh: no hubsite binary; build it or pass its path" >&2; exit 2; }
hubsite=$(cd "$(dirname "$hubsite")" && pwd)/$(basename "$hubsite")
echo "testing with $hubsite"

work=$(mktemp -d "${TMPDIR:-/tmp}/hubsite-nightly-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.org"
export GIT_COMMITTER_NAME="Test Author" GIT_COMMITTER_EMAIL="author@example.org"
export GIT_CONFIG_NOSYSTEM=1 HOME="$work/home"
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global pull.ff only

failures=0
passes=0
pass() { passes=$((passes + 1)); echo "ok   $*"; }
fail() { failures=$((failures + 1)); echo "FAIL $*"; }
check() { # check DESCRIPTION COMMAND...
    local description=$1
    shift
    if "$@"; then pass "$description"; else fail "$description"; fi
}

# path size mtime checksum, for every file below a folder: equal manifests mean the folder
# is byte for byte and time for time the same.
manifest() {
    (cd "$1" && find . -type f -printf '%P %s %T@\n' | sort && find . -type f -exec md5sum {} + | sort -k2)
}

post() { # post TITLE DATE [EXTRA-LINE]
    printf -- '---\ntitle: %s\ndate: %s\n%s---\n\nNews about %s.\n' "$1" "$2" "${3:+$3$'\n'}" "$1"
}

# --- the site's repository: origin, an author's clone, the server's clone --------------------

git init -q --bare "$work/origin.git"
git clone -q "$work/origin.git" "$work/author" 2>/dev/null
author="$work/author"
mkdir -p "$author/content/posts/2009" "$author/content/areas/essex"
cp -r "$repo_root/theme" "$author/theme"
printf 'title: Nightly Hub\nbase_url: https://hub.example.org/\n' >"$author/content/site.yml"
printf -- '---\nname: Essex\n---\n\nEssex.\n' >"$author/content/areas/essex/index.md"
post "First post" "2009-05-01" >"$author/content/posts/2009/2009-05-01-first.md"
printf 'site/\n.*.hubsite-lock\n.hubsite-cache/\n' >"$author/.gitignore"
git -C "$author" add -A && git -C "$author" commit -q -m "The hub" && git -C "$author" push -q origin main 2>/dev/null
git clone -q "$work/origin.git" "$work/server" 2>/dev/null
server="$work/server"
target="$work/www/hub"

run_nightly() { # run_nightly LOGFILE [OPTIONS...]; sets $status
    local logfile=$1
    shift
    "$nightly" --repo "$server" --hubsite "$hubsite" "$@" "$target" >"$logfile" 2>&1
    status=$?
}

push_post() { # push_post FILE CONTENT MESSAGE
    mkdir -p "$(dirname "$author/$1")"
    printf '%s' "$2" >"$author/$1"
    git -C "$author" add -A && git -C "$author" commit -q -m "$3" && git -C "$author" push -q origin main 2>/dev/null
}

echo "--- nightly"

run_nightly "$work/night1.log"
check "first night exits 0" [ "$status" -eq 0 ]
check "first night publishes the site" [ -f "$target/index.html" ] && [ -f "$target/2009/05/first/index.html" ]
check "the output folder is kept in the repository" [ -f "$server/site/index.html" ]
check "log lines are plain, dated lines" grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} nightly: published to ' "$work/night1.log"
check "nothing is left beside the target" [ "$(ls -A "$work/www")" = "hub" ]
[ "$status" -eq 0 ] || cat "$work/night1.log"

before=$(manifest "$target")
sleep 1.1 # a rewritten file would get a visibly newer time
run_nightly "$work/night2.log"
check "a night with nothing new exits 0" [ "$status" -eq 0 ]
check "a night with nothing new leaves every file and its time" [ "$before" = "$(manifest "$target")" ]
check "and says so" grep -q "nothing changed" "$work/night2.log"

push_post content/posts/2009/2009-05-11-second.md "$(post "Second post" "2009-05-11")" "Second post"
css_time=$(stat -c %Y "$target/assets/style.css")
robots_time=$(stat -c %Y "$target/robots.txt")
index_before=$(md5sum <"$target/index.html")
sleep 1.1
run_nightly "$work/night3.log"
check "a night with a new post exits 0" [ "$status" -eq 0 ]
check "the new post is published" [ -f "$target/2009/05/second/index.html" ]
check "pages it changes are new" [ "$index_before" != "$(md5sum <"$target/index.html")" ]
check "files it does not change keep their times (asset)" [ "$css_time" = "$(stat -c %Y "$target/assets/style.css")" ]
check "files it does not change keep their times (robots.txt)" [ "$robots_time" = "$(stat -c %Y "$target/robots.txt")" ]
check "the log says how far it pulled" grep -q "1 new commit" "$work/night3.log"

published=$(manifest "$target")
push_post content/posts/2009/2009-05-20-broken.md "$(post "Broken post" "2009-05-20" "areas: [esex]")" "A broken post"
sleep 1.1
run_nightly "$work/night4.log"
check "a night whose content does not build exits 1" [ "$status" -eq 1 ]
check "the failure log carries hubsite's error line" \
    grep -q "content/posts/2009/2009-05-20-broken.md:4:[0-9]*: error: unknown area 'esex' (did you mean 'essex'?)" "$work/night4.log"
check "the failure log says the site was left alone" grep -q "FAILED: .*left as it was" "$work/night4.log"
check "after a failed build the published site is untouched, bytes and times" [ "$published" = "$(manifest "$target")" ]
check "nothing is left beside the target after a failure" [ "$(ls -A "$work/www")" = "hub" ]

run_nightly "$work/night4q.log" --quiet
check "--quiet still prints the log on failure" grep -q "error: unknown area 'esex'" "$work/night4q.log"
check "--quiet failure exits 1" [ "$status" -eq 1 ]

push_post content/posts/2009/2009-05-20-broken.md "$(post "Mended post" "2009-05-20" "areas: [essex]")" "Mend it"
run_nightly "$work/night5.log" --quiet
check "--quiet prints nothing when all went well" [ ! -s "$work/night5.log" ]
check "the mended post is published" [ -f "$target/2009/05/broken/index.html" ]

# A pull that is not a fast-forward: the server's clone has a commit of its own.
published=$(manifest "$target")
printf 'local change\n' >"$server/LOCAL" && git -C "$server" add LOCAL && git -C "$server" commit -q -m "local"
push_post content/posts/2009/2009-05-25-third.md "$(post "Third post" "2009-05-25")" "Third post"
run_nightly "$work/night6.log"
check "a pull that fails exits 3" [ "$status" -eq 3 ]
check "and says the pull failed" grep -q "FAILED: git pull --ff-only failed" "$work/night6.log"
check "and leaves the published site untouched" [ "$published" = "$(manifest "$target")" ]
check "and publishes nothing new" [ ! -e "$target/2009/05/third/index.html" ]
git -C "$server" reset -q --hard HEAD~1

"$nightly" --repo "$server" --hubsite "$hubsite" >/dev/null 2>&1
check "no target is a usage error (2)" [ $? -eq 2 ]
"$nightly" --repo "$server" --hubsite "$hubsite" --no-pull "$server/site/inner" >/dev/null 2>&1
check "a target inside the output folder is refused (2)" [ $? -eq 2 ]
"$nightly" --repo "$server" --hubsite "$work/no-such-hubsite" "$target" >"$work/night7.log" 2>&1
check "a missing program fails with 3 and leaves the site" [ $? -eq 3 ] && [ "$published" = "$(manifest "$target")" ]

echo "--- pre-commit"

ln -s ../../scripts/pre-commit "$author/.git/hooks/pre-commit" 2>/dev/null
mkdir -p "$author/scripts" && cp "$pre_commit" "$author/scripts/pre-commit"
export HUBSITE="$hubsite"

commit() { # commit LOGFILE MESSAGE; sets $status
    git -C "$author" commit -q -m "$2" >"$1" 2>&1
    status=$?
}

post "Hook post" "2009-06-01" "areas: [esex]" >"$author/content/posts/2009/2009-06-01-hook.md"
git -C "$author" add content/posts/2009/2009-06-01-hook.md
commit "$work/hook1.log" "broken"
check "a commit with a broken post is refused" [ "$status" -ne 0 ]
check "with hubsite's error line, path as in the repository" \
    grep -q "^content/posts/2009/2009-06-01-hook.md:4:[0-9]*: error: unknown area 'esex'" "$work/hook1.log"

# Fixed in the working folder only: the index is what counts.
post "Hook post" "2009-06-01" "areas: [essex]" >"$author/content/posts/2009/2009-06-01-hook.md"
commit "$work/hook2.log" "fixed in the folder, not staged"
check "a fix that is not staged does not let the commit through" [ "$status" -ne 0 ]

git -C "$author" add content/posts/2009/2009-06-01-hook.md
commit "$work/hook3.log" "fixed and staged"
check "a good commit goes through" [ "$status" -eq 0 ]
check "quietly (no notes)" [ ! -s "$work/hook3.log" ]

# Broken in the working folder only: the staged version is good, so the commit goes through.
post "Another" "2009-06-02" >"$author/content/posts/2009/2009-06-02-another.md"
git -C "$author" add content/posts/2009/2009-06-02-another.md
post "Another" "next tuesday" >"$author/content/posts/2009/2009-06-02-another.md"
commit "$work/hook4.log" "staged good, folder broken"
check "a broken file that is not staged does not stop a good commit" [ "$status" -eq 0 ]
git -C "$author" checkout -q -- content

post "Later" "2031-01-01" >"$author/content/posts/2031-01-01-later.md"
printf '\nSee [nowhere](/no/such/page/).\n' >>"$author/content/posts/2031-01-01-later.md"
git -C "$author" add content/posts/2031-01-01-later.md
commit "$work/hook5.log" "scheduled and broken"
check "a scheduled post that will not build on its night is refused" [ "$status" -ne 0 ]
check "and the reason is given" grep -q "scheduled for later will not build" "$work/hook5.log"
git -C "$author" reset -q HEAD content/posts/2031-01-01-later.md
rm "$author/content/posts/2031-01-01-later.md"

printf 'notes\n' >"$author/NOTES.txt"
git -C "$author" add NOTES.txt
HUBSITE="$work/no-such-hubsite" commit "$work/hook6.log" "no content change"
check "a commit that stages nothing under content/ or theme/ is not checked" [ "$status" -eq 0 ]

post "Hook post 2" "2009-06-03" >"$author/content/posts/2009/2009-06-03-hook2.md"
git -C "$author" add -A
PATH="/usr/bin:/bin" HUBSITE="" commit "$work/hook7.log" "no binary"
check "without a hubsite program the commit is refused with advice" \
    [ "$status" -ne 0 ] && grep -q "cannot find the hubsite program" "$work/hook7.log"

echo
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
