"""Content room: the diagnostic record every pack problem is reported as."""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Diagnostic(NamedTuple):
    """One problem found in a pack, tied to the file at fault."""

    path: str
    message: str
    severity: Severity = "error"
    line: int | None = None

    @property
    def where(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


class PackError(Exception):
    """A pack cannot be opened; carries every error found, the first one leading."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        super().__init__(f"{first.where}: {first.message}" if first else "pack cannot be opened")
