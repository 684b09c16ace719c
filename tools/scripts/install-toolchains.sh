#!/bin/sh
# Installs what the example projects and the end-to-end suite need, from Debian/Ubuntu apt:
#   Go (go, gofmt), Python's pytest, coverage and pyflakes for /usr/bin/python3, and LLVM's
#   llvm-profdata/llvm-cov for Rust coverage (the newest packaged LLVM, so that it reads the
#   profiles of a current rustc), chromium (the surfaces' pages are checked in a real browser,
#   driven by playwright-core) and keyutils (its `keyctl session` gives the GitHub end-to-end
#   test a real OS keyring in a container). Rust itself (cargo, clippy, rustfmt) comes from rustup.
# Idempotent and quiet: it installs only what is missing and prints one line per package it
# installs. Needs root (or sudo) when something is missing. Usage: tools/scripts/install-toolchains.sh
set -eu

have_py() { /usr/bin/python3 -c "import $1" >/dev/null 2>&1; }
missing=""
command -v go >/dev/null 2>&1 && command -v gofmt >/dev/null 2>&1 || missing="$missing golang-go"
[ -x /usr/bin/python3 ] || missing="$missing python3"
have_py pytest || missing="$missing python3-pytest"
have_py coverage || missing="$missing python3-coverage"
have_py pyflakes || missing="$missing python3-pyflakes"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v keyctl >/dev/null 2>&1 || missing="$missing keyutils"

# The newest llvm-N the archive has (llvm-19 on Debian 12); plain "llvm" when none is versioned.
llvm_pkg() { apt-cache pkgnames llvm- 2>/dev/null | grep -E '^llvm-[0-9]+$' | sort -t- -k2 -n | tail -1; }
newest_llvm_tools() { ls /usr/bin/llvm-profdata-[0-9]* 2>/dev/null | sed 's/.*-//' | sort -n | tail -1; }

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_install() {
  echo "install-toolchains: installing $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v apt-get >/dev/null 2>&1; then
  [ -z "$missing" ] || { echo "install-toolchains: no apt-get here; install these yourself:$missing, and llvm" >&2; exit 1; }
  exit 0
fi

updated=""
update_once() { [ -n "$updated" ] || { $SUDO apt-get update -qq >/dev/null; updated=1; }; }

pkg=$(llvm_pkg)
[ -n "$pkg" ] || { update_once; pkg=$(llvm_pkg); }
want=${pkg#llvm-}
have=$(newest_llvm_tools)
if [ -n "$pkg" ] && [ "${have:-0}" -lt "$want" ] 2>/dev/null; then missing="$missing $pkg"; fi
if [ -z "$pkg" ] && ! command -v llvm-profdata >/dev/null 2>&1; then missing="$missing llvm"; fi

[ -n "$missing" ] || exit 0
update_once
# shellcheck disable=SC2086
apt_install $missing
