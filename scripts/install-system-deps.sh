#!/usr/bin/env bash
# Debian packages typeserve uses (models shipped as Debian packages, test tools).
# Installs them when run as root with apt-get; otherwise says what to run and goes on,
# since each model that needs a missing package reports itself unavailable.
set -uo pipefail

# pocketsphinx-testdata and sound-theme-freedesktop: speech and non-speech recordings the
# evaluations and tests of the speech models run on. apertium + apertium-eng-spa: the Apertium
# translation models (more apertium-xxx-yyy pairs are picked up by the catalog on their own).
# chromium: the browser the console's tests drive. hey: the load generator of `make bench`.
# tesseract-ocr + tesseract-ocr-eng: the Tesseract OCR model; espeak-ng and flite: two speech
# synthesizers (espeak-ng also phonemizes text for the Piper voice).
# git: Cog predictors are added from git repositories (runtimes/cog).
PACKAGES=(libsndfile1 pocketsphinx-testdata sound-theme-freedesktop apertium apertium-eng-spa chromium hey
  tesseract-ocr tesseract-ocr-eng espeak-ng flite git)

# OCR evaluation data: the screenshot and transcript that the Rust crate tesseract-sys tests
# with, unpacked from its Debian package (installing it would pull in the Rust toolchain).
OCR_TESTDATA=/usr/local/share/typeserve/ocr-testdata
unpack_ocr_testdata() {
  [ -f "$OCR_TESTDATA/img.png" ] && return 0
  command -v apt-get >/dev/null && [ -w /usr/local/share ] || return 0
  local work
  work=$(mktemp -d)
  if (cd "$work" && { apt-get download -qq librust-tesseract-sys-dev >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get download -qq librust-tesseract-sys-dev >/dev/null 2>&1; }; }); then
    dpkg-deb -x "$work"/librust-tesseract-sys-dev_*.deb "$work/x"
    mkdir -p "$OCR_TESTDATA"
    cp "$work"/x/usr/share/cargo/registry/tesseract-sys-*/img.png "$work"/x/usr/share/cargo/registry/tesseract-sys-*/img.txt "$OCR_TESTDATA/"
  else
    echo "typeserve: could not download librust-tesseract-sys-dev; the OCR evaluation will skip its image"
  fi
  rm -rf "$work"
}

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  unpack_ocr_testdata
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
unpack_ocr_testdata
exit 0
