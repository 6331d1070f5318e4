"""Storage room: compiled packs (.ketpack), one SQLite file per pack; no Qt."""

from __future__ import annotations

from pathlib import Path

SUFFIX = ".ketpack"
# Images larger than this are never shown (nor stored in a compiled pack).
MAX_IMAGE_BYTES = 16 * 1024 * 1024


def is_ketpack(path: Path | str) -> bool:
    """Whether ``path`` names a compiled pack (by its suffix; its contents are checked on open)."""
    return str(path).lower().endswith(SUFFIX)
