"""Resources room: the one place that knows where bundled files live."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource, from source, wheel or frozen bundle alike.

    Wheels and the PyInstaller bundle carry ``resources/`` inside the package; a source
    checkout (editable install) keeps it at the repository root, two levels up.
    """
    for base in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parents[1] / "resources"):
        if base.is_dir():
            return base.joinpath(*parts)
    raise FileNotFoundError(f"ketreader resources folder not found near {_PACKAGE_DIR}")


GUIDE = "what-is-ketamine"


def default_pack_dir() -> Path:
    """The bundled guide, shown when no other pack is chosen.

    An installed copy carries it compiled (``what-is-ketamine.ketpack``, made at packaging
    time, so nothing renders Markdown at run time); a source checkout has the folder.
    """
    compiled = resource_path("content", f"{GUIDE}.ketpack")
    folder = resource_path("content", GUIDE)
    # Neither there: an installed copy lost its guide, and its error names the file.
    return folder if folder.is_dir() and not compiled.exists() else compiled
