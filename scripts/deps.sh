#!/usr/bin/env bash
# Installs every Debian package that building, the demo and the tests need, then the web front
# end's npm packages. Idempotent: apt runs only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ccache pkg-config git
  clang-14 libclang-rt-14-dev clang-format clang-tidy
  libsqlite3-dev sqlite3 libpq-dev postgresql
  libssl-dev libsodium-dev liboath-dev libicu-dev
  nlohmann-json3-dev libcpp-httplib-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm chromium fonts-noto-cjk
  wrk openssl curl
  libpugixml-dev libminizip-dev zlib1g-dev libxlsxwriter-dev
  libcairo2-dev libpango1.0-dev nmap dcmtk poppler-utils
  libyaml-cpp-dev libsimdjson-dev
  libarchive-dev zstd minisign libcurl4-openssl-dev
  rsyslog rsyslog-gnutls bsdutils libevtx-dev libbfio-dev libevtx-utils python3-holidays
  libjemalloc-dev
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if [ "$p" = nodejs ] || [ "$p" = npm ]; then
    # A newer Node.js may come with the machine image; Debian's is the fallback.
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web front end and the browser-test driver (playwright-core: no browser download; the tests
# use Debian's /usr/bin/chromium).
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund)
fi
