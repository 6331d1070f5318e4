"""UI room: the ``Qt`` enum namespace, fetched on first use instead of at import."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import Qt


# WORKAROUND for https://github.com/python/cpython/issues/82840 : Python enums are slow to
# create, and PySide6 creates all of Qt's at once on the first touch of ``Qt`` (15 ms).
def qt() -> type[Qt]:
    """The ``Qt`` namespace.

    ``from PySide6.QtCore import Qt`` builds all of its ~100 Python enums at once (about 15 ms
    here, measured with -X importtime); nothing before the first paint needs them, so modules
    on the start-up path call this inside the methods that do.
    """
    from PySide6.QtCore import Qt

    return Qt
