"""Storage room: the one place the renderer's and the compiled format's versions are set.

Both are part of every fingerprint, so a cache made by another renderer or format is never
reused, and a compiled pack of an unknown format is refused by name.
"""

from __future__ import annotations

# Bump when rendering output changes (HTML, ids, section text): old caches are not reused.
RENDER_VERSION = "8"
# Bump when the tables of a compiled pack (docs/content-packs.md) change.
FORMAT_VERSION = 3
