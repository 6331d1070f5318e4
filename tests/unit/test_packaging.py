"""Packaging room tests: the Qt trim rules, the desktop entry and the MSI from a bundle."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

PACKAGING = REPO / "packaging"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("platform", "names"),
    [
        ("linux", {"qxcb": "libqxcb.so", "eglfs": "libqeglfs.so", "suffix": ".so"}),
        ("win32", {"qxcb": "qwindows.dll", "eglfs": "qdirect2d.dll", "suffix": ".dll"}),
        ("darwin", {"qxcb": "libqcocoa.dylib", "eglfs": "libqeglfs.dylib", "suffix": ".dylib"}),
    ],
)
def test_trim_drops_the_network_stack_and_unused_plugins(
    platform: str, names: dict[str, str]
) -> None:
    # Every platform's rules are checked on every platform: the trim is plain data.
    trim = load("qt_trim").trim
    plugins = "PySide6/Qt/plugins"
    lib = "" if platform == "win32" else "lib"
    suffix = names["suffix"]
    imports, binaries, datas = trim(
        ["PySide6.QtNetwork", "PySide6.QtGui", "PySide6.QtQml"],
        [
            (f"/q/{names['qxcb']}", f"{plugins}/platforms"),
            (f"/q/{names['eglfs']}", f"{plugins}/platforms"),
            (f"/q/{lib}qopensslbackend{suffix}", f"{plugins}/tls"),
            (f"/q/{lib}qnetworkmanager{suffix}", f"{plugins}/networkinformation"),
            (f"/q/{lib}qtiff{suffix}", f"{plugins}/imageformats"),
            (f"/q/{lib}qjpeg{suffix}", f"{plugins}/imageformats"),
            (f"/q/{lib}Qt6Core{suffix}", "PySide6/Qt/lib"),
        ],
        [("/q/qtbase_de.qm", "PySide6/Qt/translations"), ("/q/x.dat", "PySide6/Qt/resources")],
        platform=platform,
    )
    assert imports == ["PySide6.QtGui"]
    kept = {Path(src).name for src, _ in binaries}
    assert kept == {names["qxcb"], f"{lib}qjpeg{suffix}", f"{lib}Qt6Core{suffix}"}
    assert datas == [("/q/x.dat", "PySide6/Qt/resources")]


def test_desktop_entry_launches_ketreader() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "org.ketreader.Reader.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert (section["Type"], section["Exec"], section["Icon"]) == (
        "Application",
        "ketreader %u",
        "ketreader",
    )
    assert "Education" in section["Categories"].split(";")


MSI_TOOLS = [t for t in ("wixl", "wixl-heat", "msiinfo", "msibuild") if shutil.which(t) is None]
if MSI_TOOLS and os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
    raise RuntimeError(f"packaging tests need {', '.join(MSI_TOOLS)}")


@pytest.mark.skipif(bool(MSI_TOOLS), reason="needs wixl (apt-get install wixl)")
def test_msi_is_built_from_a_windows_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "ketreader"
    (bundle / "_internal" / "PySide6").mkdir(parents=True)
    for name in ("ketreader.exe", "ketreader-cli.exe", "_internal/PySide6/Qt6Core.dll"):
        (bundle / name).write_bytes(b"MZ fake")
    msi = load("build").build_msi(bundle, out_dir=tmp_path / "out", work=tmp_path / "work")
    assert msi is not None and msi.is_file()
    files = subprocess.run(
        ["msiinfo", "export", str(msi), "File"], capture_output=True, text=True, check=True
    ).stdout
    assert {"ketreader.exe", "ketreader-cli.exe", "Qt6Core.dll"} <= {
        line.split("\t")[2] for line in files.splitlines()[3:]
    }
    shortcut = subprocess.run(
        ["msiinfo", "export", str(msi), "Shortcut"], capture_output=True, text=True, check=True
    ).stdout
    assert "[INSTALLDIR]ketreader.exe" in shortcut
    # ketreader:// links open the installed reader (HKCR is root 0 in the Registry table).
    registry = {
        (row[2], row[3]): row[4]
        for row in msi_table(msi, "Registry")
        if row[1] == "0" and row[2].startswith("ketreader")
    }
    assert registry[("ketreader", "URL Protocol")] == ""
    assert registry[("ketreader\\shell\\open\\command", "")] == ('"[INSTALLDIR]ketreader.exe" "%1"')


def msi_table(msi: Path, table: str) -> list[list[str]]:
    exported = subprocess.run(
        ["msiinfo", "export", str(msi), table], capture_output=True, text=True, check=True
    ).stdout
    return [line.split("\t") for line in exported.splitlines()[3:]]


@pytest.mark.skipif(bool(MSI_TOOLS), reason="needs wixl (apt-get install wixl)")
def test_msi_policy_properties_come_from_the_one_list(tmp_path: Path) -> None:
    bundle = tmp_path / "ketreader"
    bundle.mkdir()
    (bundle / "ketreader.exe").write_bytes(b"MZ fake")
    msi = load("build").build_msi(bundle, out_dir=tmp_path / "out", work=tmp_path / "work")
    table = load("policy_properties").POLICY_PROPERTIES
    assert msi is not None
    registry = {row[3]: row for row in msi_table(msi, "Registry")}
    components = {row[0]: row for row in msi_table(msi, "Component")}
    properties = dict((row[0], row[1]) for row in msi_table(msi, "Property"))
    secure = properties["SecureCustomProperties"].split(";")
    for entry in table:
        _, root, key, _, value, component = registry[entry.key]
        assert (root, key) == ("2", r"Software\Policies\ketreader")  # 2: HKLM
        assert value == ("#" if entry.kind == "REG_DWORD" else "") + f"[{entry.name}]"
        # Written only when given; removed with the product.
        assert components[component][4] == f'{entry.name} OR REMOVE~="ALL"'
        assert entry.name in secure
    # What wixl made Secure itself (the upgrade detection) stays so.
    assert "WIX_UPGRADE_DETECTED" in secure


@pytest.mark.skipif(bool(MSI_TOOLS), reason="needs wixl (apt-get install wixl)")
def test_msi_refuses_a_bundle_with_a_wine_stand_in(tmp_path: Path) -> None:
    bundle = tmp_path / "ketreader"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "ketreader.exe").write_bytes(b"MZ fake")
    (bundle / "_internal" / "ICUUC.dll").write_bytes(b"MZ stand-in")
    with pytest.raises(SystemExit, match=r"ICUUC\.dll"):
        load("build").build_msi(bundle, out_dir=tmp_path / "out", work=tmp_path / "work")
    assert not (tmp_path / "out").exists()


def test_docs_list_every_msi_policy_property() -> None:
    docs = (REPO / "docs" / "packaging.md").read_text("utf-8")
    for entry in load("policy_properties").POLICY_PROPERTIES:
        assert f"| `{entry.name}` | `{entry.key}` | {entry.kind}" in docs


def test_docs_name_no_windows_policy_file() -> None:
    # Windows reads its machine policy from the registry only (paths.SYSTEM_POLICY_FILES):
    # a table telling admins to write %ProgramData%\ketreader\policy.ini sends them to a file
    # the reader never opens, and the room runs unlocked.
    from ketreader import paths

    assert paths.SYSTEM_POLICY_FILES["win32"] == ()
    for doc in ("packaging.md", "deployment.md"):
        text = (REPO / "docs" / doc).read_text("utf-8")
        assert "ProgramData%\\ketreader\\policy.ini" not in text, doc


def test_deployment_doc_ranks_recommended_below_the_users_own_settings() -> None:
    # What resolve() does: a Recommended value is only a starting point, the user's own
    # setting replaces it (as Chrome's and Edge's recommended policies).
    from ketreader import paths
    from ketreader.policy import PolicyEnvironment, resolve
    from ketreader.policy_registry import RECOMMENDED_KEY, REG_DWORD
    from ketreader.settings import UserSettings

    settings_dir = Path(os.environ["XDG_CONFIG_HOME"]) / "ketreader"
    settings_dir.mkdir(parents=True, exist_ok=True)
    user = UserSettings(settings_dir / paths.SETTINGS_FILE)
    user.set_value("zoom", 3)
    assert user.save()
    values = {("HKLM", RECOMMENDED_KEY): {"zoom": (2, REG_DWORD)}}
    env = PolicyEnvironment((), paths.program_dir(), lambda hive, key: values.get((hive, key)))
    assert resolve(env=env).entries["zoom"][:2] == (3, "user")
    text = " ".join((REPO / "docs" / "deployment.md").read_text("utf-8").split())
    order = text.split("Where Windows reads policy, highest first: ", 1)[1].split(". ", 1)[0]
    assert order.index("the user's own settings") < order.index("Recommended"), order


DEPLOY_ROOM = PACKAGING / "windows" / "deploy-room.ps1"


def _powershell_lines() -> list[str]:
    """deploy-room.ps1's statements, without its comments (no PowerShell here to run it)."""
    text = DEPLOY_ROOM.read_text("utf-8").split("#>", 1)[1]
    return [line.split(" #", 1)[0].strip() for line in text.splitlines() if line.strip()]


def test_deploy_room_finds_the_64_bit_program_folder_from_32_bit_powershell() -> None:
    # Intune's management extension runs scripts and Win32 app commands in 32-bit
    # PowerShell unless told otherwise, where $env:ProgramFiles is "Program Files (x86)";
    # the MSI installs into the 64-bit folder, which $env:ProgramW6432 names in both.
    code = "\n".join(_powershell_lines())
    assert "$env:ProgramW6432" in code
    assert 'Join-Path $env:ProgramFiles "ketreader' not in code


def test_deploy_room_decodes_the_cli_output_as_utf8() -> None:
    # ketreader-cli writes UTF-8 whatever the code page; PowerShell decodes a native
    # program's output with [Console]::OutputEncoding (the OEM code page by default), so a
    # pack path with "Ü" or a title with "—" came out garbled in the deployment log.
    lines = _powershell_lines()
    encoding = next(i for i, line in enumerate(lines) if "[Console]::OutputEncoding" in line)
    assert "UTF8" in lines[encoding]
    first_cli_call = next(i for i, line in enumerate(lines) if line.startswith("& $cli"))
    assert encoding < first_cli_call


def test_deploy_room_fails_when_the_check_fails() -> None:
    # A script run by Intune or a task sequence reports its exit code: a PC whose pack does
    # not check clean must not be reported as deployed.
    lines = _powershell_lines()
    check = lines.index("& $cli check")
    assert any("exit" in line and "$LASTEXITCODE" in line for line in lines[check + 1 :])
