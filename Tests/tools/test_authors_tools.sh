#!/usr/bin/env bash
# One author's mistake never blocks another: scripts/pre-commit refuses a commit only for the
# problems it brings, and shows problems already committed by others as warnings naming who
# last changed them; scripts/nightly's failure report names each broken file and its last
# author from git, in plain lines that cron mails.
#
# Usage: Tests/tools/test_authors_tools.sh [HUBSITE-BINARY]
# The binary defaults to the first of $HUBSITE, .build/debug, .build/release and PATH.

set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
hubsite=${1:-${HUBSITE:-}}
if [ -z "$hubsite" ]; then
    for candidate in "$repo_root/.build/debug/hubsite" "$repo_root/.build/release/hubsite" "$(command -v hubsite 2>/dev/null)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then hubsite=$candidate; break; fi
    done
fi
[ -n "$hubsite" ] && [ -x "$hubsite" ] || { echo "test_authors_tools.sh: no hubsite binary; build it or pass its path" >&2; exit 2; }
hubsite=$(cd "$(dirname "$hubsite")" && pwd)/$(basename "$hubsite")

work=$(mktemp -d "${TMPDIR:-/tmp}/hubsite-authors-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$work/home" HUBSITE="$hubsite"
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global user.name "Nobody" && git config --global user.email "nobody@example.org"

failures=0
passes=0
check() { # check DESCRIPTION COMMAND...
    local description=$1
    shift
    if "$@"; then passes=$((passes + 1)); echo "ok   $description"; else failures=$((failures + 1)); echo "FAIL $description"; fi
}
has_line() { grep -qxF -- "$2" "$1" || { echo "     expected in $1: $2"; sed 's/^/     | /' "$1"; return 1; }; }
lacks() { ! grep -qF -- "$2" "$1" || { echo "     not expected in $1: $2"; return 1; }; }

post() { # post TITLE DATE [EXTRA-LINE]
    printf -- '---\ntitle: %s\ndate: %s\n%s---\n\nNews about %s.\n' "$1" "$2" "${3:+$3$'\n'}" "$1"
}
commit_as() { # commit_as NAME EMAIL DATE MESSAGE [GIT-COMMIT-OPTIONS...]: commits what is staged
    local name=$1 email=$2 date=$3 message=$4
    shift 4
    GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE="${date}T10:00:00+01:00" \
    GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE="${date}T10:00:00+01:00" \
        git -C "$hub" commit -q -m "$message" "$@"
}

bob_commits() { # bob_commits DATE MESSAGE LOG: commits what is staged as Bob, through the hook;
    # the hook's output goes to LOG and the commit's exit status to $status
    commit_as "Bob Builder" "bob@example.org" "$1" "$2" 2>"$3"
    status=$?
}

# --- a hub with a hook -------------------------------------------------------------------

git init -q --bare "$work/origin.git"
git clone -q "$work/origin.git" "$work/hub" 2>/dev/null
hub="$work/hub"
mkdir -p "$hub/content/posts/2009" "$hub/content/areas/essex" "$hub/scripts"
cp -r "$repo_root/theme" "$hub/theme"
cp "$repo_root/scripts/pre-commit" "$repo_root/scripts/nightly" "$hub/scripts/"
printf 'title: Test Hub\nbase_url: https://hub.example.org/\n' >"$hub/content/site.yml"
printf -- '---\nname: Essex\n---\n\nEssex.\n' >"$hub/content/areas/essex/index.md"
post "First" "2009-05-01" >"$hub/content/posts/2009/2009-05-01-first.md"
post "Linked" "2009-05-02" >"$hub/content/posts/2009/2009-05-02-linked.md"
printf '\nSee [the linked post](2009-05-02-linked.md).\n' >>"$hub/content/posts/2009/2009-05-01-first.md"
printf 'site/\n.hubsite-cache/\n.*.hubsite-lock\n' >"$hub/.gitignore"
git -C "$hub" add -A && commit_as "Hub Editors" "editors@example.org" 2009-05-01 "The hub"
ln -s ../../scripts/pre-commit "$hub/.git/hooks/pre-commit"

# Ann commits a broken post without the hook (or before it existed).
post "Ann's post" "2009-05-20" "areas: [esex]" >"$hub/content/posts/2009/2009-05-20-ann.md"
git -C "$hub" add -A && commit_as "Ann Author" "ann@example.org" 2009-05-20 "Ann's post" --no-verify

echo "--- pre-commit"

# Bob's good post goes through, and he sees Ann's problem as a warning naming her.
post "Bob's post" "2009-05-21" "areas: [essex]" >"$hub/content/posts/2009/2009-05-21-bob.md"
git -C "$hub" add -A
bob_commits 2009-05-21 "Bob's post" "$work/hook1.log"
check "a good post is not refused because of another author's broken file" [ "$status" -eq 0 ]
check "the other author's problem is shown as a warning naming who last changed the file" has_line "$work/hook1.log" \
    "content/posts/2009/2009-05-20-ann.md:4:9: warning: unknown area 'esex' (did you mean 'essex'?) [not in your commit: last changed by Ann Author <ann@example.org> on 2009-05-20]"
check "and says the nightly build stops until it is fixed" grep -q "nightly build stops until they are fixed" "$work/hook1.log"
check "the commit was made" [ "$(git -C "$hub" log -1 --format=%s)" = "Bob's post" ]

# Bob's own broken post is refused; Ann's problem is still only a warning.
post "Bob's second" "11/05/2009" >"$hub/content/posts/2009/2009-05-22-bob.md"
git -C "$hub" add -A
bob_commits 2009-05-22 "Bob's second" "$work/hook2.log"
check "a broken staged post is refused" [ "$status" -ne 0 ]
check "with its own error line" has_line "$work/hook2.log" \
    "content/posts/2009/2009-05-22-bob.md:3:7: error: 'date' is not a date: \"11/05/2009\"; write 2009-05-11 (year-month-day)"
check "and the other author's problem as a warning" grep -q "2009-05-20-ann.md:4:9: warning: .*last changed by Ann Author" "$work/hook2.log"
check "and the commit was not made" [ "$(git -C "$hub" log -1 --format=%s)" = "Bob's post" ]
git -C "$hub" reset -q HEAD -- content && rm "$hub/content/posts/2009/2009-05-22-bob.md"

# A change that breaks someone else's file is this commit's problem.
git -C "$hub" rm -q content/posts/2009/2009-05-02-linked.md
bob_commits 2009-05-23 "Remove a post" "$work/hook3.log"
check "deleting a post that another links to is refused" [ "$status" -ne 0 ]
check "with the broken link in the other file as an error" grep -q "^content/posts/2009/2009-05-01-first.md:[0-9]*:[0-9]*: error: broken link '2009-05-02-linked.md'" "$work/hook3.log"
git -C "$hub" reset -q HEAD -- content && git -C "$hub" checkout -q -- content

echo "--- nightly"

# Carol breaks another file; both broken files are on main tonight.
post "Carol's post" "2009-05-24" "tittle: Oops" >"$hub/content/posts/2009/2009-05-24-carol.md"
git -C "$hub" add -A && commit_as "Carol Writer" "carol@example.org" 2009-05-24 "Carol's post" --no-verify
git -C "$hub" push -q origin main 2>/dev/null
git clone -q "$work/origin.git" "$work/server" 2>/dev/null
mkdir -p "$work/www"

"$hub/scripts/nightly" --repo "$work/server" --hubsite "$hubsite" "$work/www/hub" >"$work/night.log" 2>&1
status=$?
check "a night with broken content exits 1" [ "$status" -eq 1 ]
check "and publishes nothing" [ ! -e "$work/www/hub" ]
check "the report names Ann's file" has_line "$work/night.log" "  content/posts/2009/2009-05-20-ann.md"
check "with who last changed it, from git" has_line "$work/night.log" \
    "    last changed by Ann Author <ann@example.org>, 2009-05-20, commit $(git -C "$hub" log -1 --format=%h -- content/posts/2009/2009-05-20-ann.md) \"Ann's post\""
check "and its error, by line" has_line "$work/night.log" "    line 4:9: unknown area 'esex' (did you mean 'essex'?)"
check "the report names Carol's file and her" has_line "$work/night.log" \
    "    last changed by Carol Writer <carol@example.org>, 2009-05-24, commit $(git -C "$hub" log -1 --format=%h -- content/posts/2009/2009-05-24-carol.md) \"Carol's post\""
check "Bob, whose files are fine, is not named" lacks "$work/night.log" "Bob Builder"
check "the addresses to tell, for the mail" has_line "$work/night.log" "To tell: ann@example.org carol@example.org"

"$hub/scripts/nightly" --quiet --repo "$work/server" --hubsite "$hubsite" "$work/www/hub" >"$work/night-quiet.log" 2>&1
check "--quiet (as cron runs it) prints the report on failure" has_line "$work/night-quiet.log" "To tell: ann@example.org carol@example.org"

echo "--- the GitHub Actions example"

workflow="$repo_root/docs/examples/check-content.yml"
on_events() { grep -A2 '^on:$' "$workflow" | tr '\n' ' '; }
check "the example workflow runs on every push and every pull request" [ "$(on_events)" = "on:   push:   pull_request: " ]
check "and checks the content with --format github" grep -qE '^ +run: .*hubsite check --format github$' "$workflow"
(cd "$work/server" && "$hubsite" check --format github) >"$work/annotations.txt" 2>/dev/null
check "which writes one annotation per problem, at its line" has_line "$work/annotations.txt" \
    "::error file=content/posts/2009/2009-05-20-ann.md,line=4,col=9::unknown area 'esex' (did you mean 'essex'?)"

echo
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
