"""Packaging room: ``uv run python packaging/build.py`` builds the installers for this OS."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"  # --dist changes it
# Per platform, so a Windows build under Wine and the Linux build can share a checkout.
WORK = ROOT / "build" / f"pyinstaller-{sys.platform}"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))
from policy_properties import POLICY_KEY, POLICY_PROPERTIES  # noqa: E402

from ketreader import __version__ as VERSION  # noqa: E402, N812

APP_ID = "org.ketreader.Reader"
# Qt's xcb and wayland plugins load these from the system; the bundle does not carry them.
DEB_DEPENDS = (
    "libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxkbcommon-x11-0, libxcb-xinerama0, "
    "libxcb-randr0, libxcb-render-util0, libxcb-image0, libxcb-shape0, libxkbcommon0, "
    "libegl1, libgl1, libfontconfig1, libdbus-1-3, libwayland-client0, libwayland-cursor0, "
    "libwayland-egl1"
)


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True, env=env)


def pyinstaller(spec: str, distpath: Path) -> None:
    run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        distpath,
        "--workpath",
        WORK / spec,
        HERE / spec,
    )


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build_bundle() -> Path:
    env_file = None
    if sys.platform == "win32":
        env_file = write_windows_version_file()
        os.environ["KETREADER_VERSION_FILE"] = str(env_file)
    pyinstaller("ketreader.spec", DIST)
    return DIST / "ketreader"


def write_windows_version_file() -> Path:
    numbers = (*tuple(int(p) for p in VERSION.split(".")[:3]), 0)
    text = (HERE / "windows" / "version_info.txt.in").read_text("utf-8")
    text = text.replace("@VERSION_TUPLE@", repr(numbers)).replace("@VERSION@", VERSION)
    target = WORK / "version_info.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    return target


def build_tarball(bundle: Path) -> Path:
    target = DIST / f"ketreader-{VERSION}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(bundle, arcname=f"ketreader-{VERSION}")
    return target


def build_deb(bundle: Path) -> Path:
    stage = ROOT / "build" / "deb" / f"ketreader_{VERSION}_amd64"
    shutil.rmtree(stage, ignore_errors=True)
    # Under /usr/lib, not /opt: no other package owns /opt, so a package with files there
    # owns /opt itself, and removing it tries to remove /opt too ("not empty" warnings).
    shutil.copytree(bundle, stage / "usr" / "lib" / "ketreader", symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / "ketreader").symlink_to("/usr/lib/ketreader/ketreader")
    applications = stage / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy(HERE / "linux" / f"{APP_ID}.desktop", applications)
    icons = ROOT / "resources" / "icons"
    for png in icons.glob("ketreader-*.png"):
        size = png.stem.split("-")[1]
        folder = stage / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy(png, folder / "ketreader.png")
    scalable = stage / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy(icons / "ketreader.svg", scalable / "ketreader.svg")
    metainfo = stage / "usr" / "share" / "metainfo"
    metainfo.mkdir(parents=True)
    text = (HERE / "linux" / f"{APP_ID}.metainfo.xml").read_text("utf-8")
    text = text.replace("@VERSION@", VERSION).replace("@DATE@", dt.date.today().isoformat())
    (metainfo / f"{APP_ID}.metainfo.xml").write_text(text, "utf-8")
    if shutil.which("appstreamcli"):
        run(
            "appstreamcli",
            "validate",
            "--no-net",
            "--pedantic",
            metainfo / f"{APP_ID}.metainfo.xml",
        )
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir(parents=True)
    size_kb = folder_size(stage) // 1024
    control.write_text(
        f"Package: ketreader\nVersion: {VERSION}\nArchitecture: amd64\n"
        "Maintainer: ketreader team <team@ketreader.org>\nSection: education\n"
        f"Priority: optional\nInstalled-Size: {size_kb}\nDepends: {DEB_DEPENDS}\n"
        # Read aloud speaks through the system's speech service, found at run time.
        "Recommends: speech-dispatcher, speech-dispatcher-espeak-ng, libspeechd2, "
        "libespeak-ng1\n"
        'Description: offline reader for the clinical-education guide "What is ketamine?"\n'
        " Shows the guide with a section sidebar, instant search and themes, never\n"
        " opening a network connection. Supports admin policy and kiosk mode.\n",
        "utf-8",
    )
    target = DIST / f"ketreader_{VERSION}_amd64.deb"
    run("dpkg-deb", "--root-owner-group", "-Zxz", "--build", stage, target)
    return target


def build_windows_installers(bundle: Path) -> list[Path]:
    msi = build_msi(bundle)
    return [] if msi is None else [msi]


# Stand-ins for DLLs Wine 8 lacks, for the Wine prefix only (windows/wine-stubs/): a bundle
# that carries one was built with a stub beside the interpreter and must not ship.
WINE_STUB_DLLS = frozenset(
    f"{source.stem.lower()}.dll" for source in (HERE / "windows" / "wine-stubs").glob("*.c")
)
# Component GUIDs must stay the same from one version to the next: derived from the key.
_POLICY_GUIDS = uuid.UUID("5f0c2a7e-3b61-4d1a-9c8e-2e7b4f6a9d13")


def policy_component(key: str) -> str:
    return "Policy_" + key


def policy_wxs() -> str:
    """A WiX fragment: one component per policy property, writing it under HKLM.

    wixl has no component conditions nor Secure properties; build_msi adds both to the
    built database (see ``policy_tables``).
    """
    components = []
    for entry in POLICY_PROPERTIES:
        kind = "integer" if entry.kind == "REG_DWORD" else "string"
        guid = str(uuid.uuid5(_POLICY_GUIDS, entry.key)).upper()
        components.append(
            f'      <Component Id="{policy_component(entry.key)}" Guid="{guid}" Win64="yes">\n'
            f'        <RegistryValue Root="HKLM" Key={quoteattr(POLICY_KEY)} '
            f'Name="{entry.key}" Type="{kind}" Value="[{entry.name}]" KeyPath="yes"/>\n'
            "      </Component>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\n  <Fragment>\n'
        '    <ComponentGroup Id="Policy" Directory="TARGETDIR">\n'
        + "".join(components)
        + "    </ComponentGroup>\n  </Fragment>\n</Wix>\n"
    )


def policy_tables(msi: Path) -> None:
    """Make the policy properties Secure and each value written only when given."""
    rows = subprocess.run(
        ["msiinfo", "export", str(msi), "Property"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[3:]
    secure = dict(row.split("\t", 1) for row in rows).get("SecureCustomProperties", "")
    names = [n for n in secure.split(";") if n] + [e.name for e in POLICY_PROPERTIES]
    queries = [
        "DELETE FROM Property WHERE Property = 'SecureCustomProperties'",
        # Secure: passed on to the elevated install, as Intune and GPO installs need.
        "INSERT INTO Property (Property, Value) "
        f"VALUES ('SecureCustomProperties', '{';'.join(names)}')",
    ]
    for entry in POLICY_PROPERTIES:
        # Given, or the product is being removed: a component whose condition is false at
        # uninstall is left behind, value and all.
        condition = f'{entry.name} OR REMOVE~="ALL"'
        queries.append(
            f"UPDATE Component SET Condition = '{condition}' "
            f"WHERE Component = '{policy_component(entry.key)}'"
        )
    for query in queries:
        subprocess.run(["msibuild", str(msi), "-q", query], check=True)


def build_msi(bundle: Path, out_dir: Path | None = None, work: Path = WORK) -> Path | None:
    """The MSI via msitools' wixl, on Linux or Windows; None when wixl is not installed.

    ``bundle`` is a Windows one-folder bundle: built here on Windows, or copied from a Windows
    build to a Linux machine (``build.py --msi-from DIR``).
    """
    if not all(shutil.which(t) for t in ("wixl", "wixl-heat", "msiinfo", "msibuild")):
        return None
    stubs = sorted(p.name for p in bundle.rglob("*") if p.name.lower() in WINE_STUB_DLLS)
    if stubs:
        raise SystemExit(f"build.py: {bundle} carries Wine stand-in DLLs {stubs}; not packaged")
    # wixl resolves every source path against its working directory, absolute ones too, so
    # it runs in a staging folder where the bundle and the icon sit under relative names.
    stage = work / "msi"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    (stage / "bundle").symlink_to(bundle.resolve(), target_is_directory=True)
    (stage / "resources" / "icons").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icons" / "ketreader.ico", stage / "resources" / "icons")
    files = sorted(
        "bundle/" + p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()
    )
    harvested = subprocess.run(
        [
            "wixl-heat",
            "--var",
            "var.BundleDir",
            "-p",
            "bundle/",
            "--component-group",
            "Bundle",
            "--directory-ref",
            "INSTALLDIR",
            "--win64",
        ],
        input="\n".join(files),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fragment = stage / "bundle.wxs"
    fragment.write_text(harvested, "utf-8")
    policy = stage / "policy.wxs"
    policy.write_text(policy_wxs(), "utf-8")
    out_dir = out_dir or DIST
    out_dir.mkdir(parents=True, exist_ok=True)
    msi = out_dir.resolve() / f"ketreader-{VERSION}.msi"
    subprocess.run(
        [
            "wixl",
            "-a",
            "x64",
            "-D",
            "Win64=yes",
            "-D",
            f"Version={VERSION}",
            "-D",
            "BundleDir=bundle",
            "-o",
            str(msi),
            str(HERE / "windows" / "ketreader.wxs"),
            str(fragment),
            str(policy),
        ],
        check=True,
        cwd=stage,
    )
    policy_tables(msi)
    return msi


def smoke(bundle: Path) -> None:
    """The three frozen commands CI runs: they must match the source install."""
    exe = bundle / ("ketreader-cli.exe" if sys.platform == "win32" else "ketreader")
    if sys.platform == "darwin":
        exe = DIST / "ketreader.app" / "Contents" / "MacOS" / "ketreader"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    frozen = subprocess.run(
        [exe, "sections", "--json"], check=True, capture_output=True, text=True, env=env
    ).stdout
    source = subprocess.run(
        [sys.executable, "-m", "ketreader", "sections", "--json"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    if json.loads(frozen) != json.loads(source):
        raise SystemExit("smoke: frozen `sections --json` differs from the source install")
    hits = json.loads(
        subprocess.run(
            [exe, "search", "bladder", "--json"],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    )["hits"]
    if not hits or hits[0]["id"] != "risks-of-misuse-and-long-term-concerns":
        raise SystemExit(f"smoke: frozen search found {hits!r}")
    gui = bundle / ("ketreader.exe" if sys.platform == "win32" else "ketreader")
    if sys.platform == "darwin":
        gui = exe
    subprocess.run([gui, "--quit-after-paint"], check=True, env=env, timeout=60)
    print("smoke: sections, search and first paint OK")


def baseline() -> None:
    """Freeze the bare window with defaults; report size and start-up ratios."""
    base_dist = ROOT / "build" / "baseline"
    pyinstaller("baseline.spec", base_dist)
    ours, bare = folder_size(DIST / "ketreader"), folder_size(base_dist / "bare_window")
    print(
        f"size: ketreader {ours / 2**20:.1f} MiB, bare window {bare / 2**20:.1f} MiB, "
        f"ratio {ours / bare:.3f}"
    )
    exe = "bare_window.exe" if sys.platform == "win32" else "bare_window"
    gui = "ketreader.exe" if sys.platform == "win32" else "ketreader"
    run(
        sys.executable,
        ROOT / "benchmarks" / "startup.py",
        "--runs",
        "11",
        "--bare",
        base_dist / "bare_window" / exe,
        "--reader",
        DIST / "ketreader" / gui,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="run the frozen smoke test")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also freeze the bare-window baseline and compare size and start-up",
    )
    parser.add_argument(
        "--msi-from",
        metavar="DIR",
        type=Path,
        help="only build the MSI, with wixl, from this Windows bundle folder",
    )
    parser.add_argument(
        "--dist",
        metavar="DIR",
        type=Path,
        help="put what is built here instead of dist/ (wine-build.sh: dist/windows)",
    )
    args = parser.parse_args()
    if args.dist:
        global DIST
        DIST = args.dist.resolve()
    if args.msi_from:
        msi = build_msi(args.msi_from)
        if msi is None:
            raise SystemExit("build.py: --msi-from needs wixl and msitools (Debian: wixl msitools)")
        print(f"built {msi}")
        return 0
    bundle = build_bundle()
    made = [bundle]
    if sys.platform.startswith("linux"):
        made.append(build_tarball(bundle))
        if shutil.which("dpkg-deb"):
            made.append(build_deb(bundle))
    elif sys.platform == "win32":
        made += build_windows_installers(bundle)
    elif sys.platform == "darwin":
        made.append(DIST / "ketreader.app")
    for item in made:
        size = folder_size(item) if item.is_dir() else item.stat().st_size
        print(f"built {item.relative_to(ROOT)}  ({size / 2**20:.1f} MiB)")
    if args.smoke:
        smoke(bundle)
    if args.baseline:
        baseline()
    return 0


if __name__ == "__main__":
    sys.exit(main())
