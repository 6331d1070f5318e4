"""History room: the back/forward list of places visited, plain Python like a browser's."""

from __future__ import annotations


class History:
    """Places in visiting order, with a cursor; going somewhere new drops the forward part."""

    def __init__(self) -> None:
        self._places: list[str] = []
        self._index = -1

    @property
    def current(self) -> str | None:
        return self._places[self._index] if self._places else None

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return self._index < len(self._places) - 1

    def visit(self, place: str) -> None:
        if place == self.current:
            return
        del self._places[self._index + 1 :]
        self._places.append(place)
        self._index = len(self._places) - 1

    def back(self) -> str | None:
        """Step back; the place to show, or None at the start."""
        if self._index <= 0:
            return None
        self._index -= 1
        return self._places[self._index]

    def forward(self) -> str | None:
        """Step forward; the place to show, or None at the end."""
        if self._index >= len(self._places) - 1:
            return None
        self._index += 1
        return self._places[self._index]

    def clear(self) -> None:
        self._places.clear()
        self._index = -1
