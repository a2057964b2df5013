#!/usr/bin/env bash
# Debian packages typeserve uses (models shipped as Debian packages, test tools).
# Installs them when run as root with apt-get; otherwise says what to run and goes on,
# since each model that needs a missing package reports itself unavailable.
set -uo pipefail

# pocketsphinx-testdata and sound-theme-freedesktop: speech and non-speech recordings the
# evaluations and tests of the speech models run on. apertium + apertium-eng-spa: the Apertium
# translation models (more apertium-xxx-yyy pairs are picked up by the catalog on their own).
# wordnet-base: WordNet 3.0, whose nouns and definitions the embedding and zero-shot evaluations use.
# chromium: the browser the console's tests drive. hey: the load generator of `make bench`.
PACKAGES=(libsndfile1 pocketsphinx-testdata sound-theme-freedesktop apertium apertium-eng-spa wordnet-base chromium hey)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "typeserve: not root (or no apt-get), so these Debian packages were not installed: ${missing[*]}"
  echo "typeserve: install them with: sudo apt-get install ${missing[*]}"
  echo "typeserve: models that need them will report themselves unavailable until then."
fi
exit 0
