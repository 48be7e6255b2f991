#!/usr/bin/env bash
# What the browser suite needs from Debian: headless Chromium and a CJK font (without one every
# Chinese character renders as a box), and Chromium's headless shell, which Playwright drives at
# half the CPU of `chromium --headless` (without it the suite runs on `chromium`, slower).
# `make test` runs this first; it installs only what is missing, and only where it can (root
# with apt-get). Elsewhere it says what to install and the browser suite skips with that reason.
set -uo pipefail

need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -qi . || need+=(fonts-noto-cjk)
want=()
command -v chromium-headless-shell >/dev/null 2>&1 || want+=(chromium-headless-shell)
((${#need[@]} + ${#want[@]})) || exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages for the browser suite: ${need[*]} ${want[*]}"
  apt-get update -qq || true
  if ((${#need[@]})) && ! DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    echo "could not install ${need[*]} with apt-get (no network or package source?)" >&2
    exit 1
  fi
  if ((${#want[@]})) && ! DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null; then
    echo "could not install ${want[*]}: the browser suite runs on chromium, slower" >&2
  fi
  exit 0
fi
if ((${#need[@]})); then
  echo "the browser suite needs Debian packages ${need[*]}: install them (as root:" \
    "apt-get install ${need[*]}); until then it is skipped" >&2
else
  echo "the browser suite runs faster with Debian's ${want[*]} (as root:" \
    "apt-get install ${want[*]})" >&2
fi
exit 0
