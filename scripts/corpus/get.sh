#!/usr/bin/env bash
# Fetches the real Python 2 projects the end-to-end tests and benchmarks run on, checks each
# archive against the SHA-256 pinned below, and unpacks it. Nothing fetched here is committed.
#
#   scripts/corpus/get.sh [DEST]      (DEST: $PY2_CORPUS, else ~/.cache/py2-corpus)
#
# Re-running keeps what is already unpacked. The last line printed is DEST.
set -euo pipefail

dest=${1:-${PY2_CORPUS:-$HOME/.cache/py2-corpus}}
downloads="$dest/dl"
mkdir -p "$downloads"

# requirement        folder it unpacks to          archive sha256 (from PyPI's sdist)
corpus=(
  # The big one: ~179k lines in 1,647 files.
  "Django==1.3.7 Django-1.3.7 ee50f44744e7238cb45429e4121d643c9e9201f9a63aaf646619bad18547fb8a"
  # Small, with its own test.py (476 tests) to run under both interpreters.
  "python-dateutil==1.4.1 python-dateutil-1.4.1 74b615c6a55b4421187feba1633fc233e7c5ebdd7abe9b092447a32946823357"
  "django-debug-toolbar==0.8.5 django-debug-toolbar-0.8.5 b1a18349944e0f3b3fd5c9d66bbe4ee49e8ccb6b7f22685b7883a481dad2a70f"
  "django-tagging==0.3 django-tagging-0.3 2064138aebd505987dff0c9388d5f9c8aa77a4cb9d775539612e5b7f2b0138ed"
  # A local io.py beside modules importing StringIO.
  "Fabric==1.14.0 Fabric-1.14.0 81572002a562b26df657ca10d06b5bcfc6fd56b53374037392c83d4a2158208f"
  # `True = 1`, `import *` inside functions.
  "mechanize==0.2.5 mechanize-0.2.5 84b9d9dfe34a039dab75adf33e226631f29a5267a0fdfa99a8ff035a021507f4"
  # Defines its own iteritems().
  "web.py==0.37 web.py-0.37 748c7e99ad9e36f62ea19f7965eb7dd7860b530e8f563ed60ce3e53e7409a550"
)

python2() {
  local prefix
  prefix=$(pyenv prefix 2.7.18 2>/dev/null) && [[ -x $prefix/bin/python ]] && echo "$prefix/bin/python"
}

# Downloads the source archive of one requirement into $downloads.
download() {
  local requirement=$1
  # Python 3's pip cannot run some Python-2-only setup.py files to read their metadata; with
  # --no-deps it usually needs not, and CPython 2.7's pip can when it must.
  if python3 -m pip download -q --no-deps --no-binary :all: "$requirement" -d "$downloads" >&2 2>/dev/null; then
    return
  fi
  local py2
  py2=$(python2) || { echo "cannot download $requirement with python3's pip, and no Python 2.7 to try" >&2; return 1; }
  "$py2" -m pip download -q --no-deps --no-binary :all: "$requirement" -d "$downloads" >&2
}

for row in "${corpus[@]}"; do
  read -r requirement folder sha256 <<<"$row"
  [[ -d $dest/$folder ]] && continue
  name=${requirement%%==*}
  version=${requirement##*==}
  archive=$(find "$downloads" -maxdepth 1 -iname "$name-$version.tar.gz" -o -maxdepth 1 -iname "$name-$version.zip" | head -n1)
  if [[ -z $archive ]]; then
    download "$requirement"
    archive=$(find "$downloads" -maxdepth 1 -iname "$name-$version.tar.gz" -o -maxdepth 1 -iname "$name-$version.zip" | head -n1)
  fi
  [[ -n $archive ]] || { echo "no archive for $requirement in $downloads" >&2; exit 1; }
  actual=$(sha256sum "$archive" | cut -d' ' -f1)
  if [[ $actual != "$sha256" ]]; then
    echo "checksum mismatch for $archive: expected $sha256, got $actual" >&2
    exit 1
  fi
  case $archive in
    *.zip) (cd "$dest" && python3 -m zipfile -e "$archive" .) ;;
    *) tar -xzf "$archive" -C "$dest" ;;
  esac
done
echo "$dest"
