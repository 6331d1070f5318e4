"""UI room: the Voice and Speed dialog for reading aloud."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from ketreader.speech.engine import Voice

STEPS = 4  # speeds on each side of normal: rates -1.0 .. 1.0 by 0.25, half to twice as fast


def voices_for(voices: list[Voice], language: str) -> list[Voice]:
    """The voices for the guide's language ("en" matches "en-GB" and "en_US"), by name."""
    prefix = language.lower().replace("_", "-").split("-")[0]
    matching = [
        v for v in voices if prefix and v.language.lower().replace("_", "-").split("-")[0] == prefix
    ]
    return sorted(matching or voices, key=lambda v: v.name.lower())


class VoiceDialog(QDialog):
    """A voice (for the guide's language, or any) and a speed, half to twice normal."""

    def __init__(self, voices: list[Voice], language: str, rate: float,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Read Aloud: Voice and Speed")
        self._all = voices
        self._language = language
        form = QFormLayout(self)
        self.voice = QComboBox(self)
        self.voice.setAccessibleName("Voice")
        self.every_language = QCheckBox("Show voices for &every language", self)
        self.every_language.toggled.connect(self._fill)
        # A list of speeds, not a slider: a slider tells screen readers its step number
        # ("2"), a list tells them the speed ("141% of normal speed").
        self.speed = QComboBox(self)
        for step in range(-STEPS, STEPS + 1):
            self.speed.addItem(speed_text(step / STEPS), step)
        self.speed.setCurrentIndex(max(-STEPS, min(STEPS, round(rate * STEPS))) + STEPS)
        self.speed.setAccessibleName("Speed")
        voice_label = QLabel("&Voice:", self)
        voice_label.setBuddy(self.voice)
        speed_title = QLabel("&Speed:", self)
        speed_title.setBuddy(self.speed)
        form.addRow(voice_label, self.voice)
        form.addRow("", self.every_language)
        form.addRow(speed_title, self.speed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._fill(False)

    def _fill(self, every: bool) -> None:
        self.voice.clear()
        self.voice.addItem("The computer's default voice", "")
        shown = sorted(self._all, key=lambda v: v.name.lower()) if every else voices_for(
            self._all, self._language)  # fmt: skip
        for voice in shown:
            label = f"{voice.name} ({voice.language})" if voice.language else voice.name
            self.voice.addItem(label, voice.id)

    def voice_id(self) -> str:
        return str(self.voice.currentData() or "")

    def rate(self) -> float:
        return int(self.speed.currentData()) / STEPS


def speed_text(rate: float) -> str:
    """How fast a rate reads, as a person says it: "141% of normal speed"."""
    return f"{round(100 * 2.0**rate)}% of normal speed"
