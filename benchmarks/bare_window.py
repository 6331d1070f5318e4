"""Benchmark room: the baseline, a bare PySide6 window with a QTextBrowser that quits on paint."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTextBrowser


class _QuitOnPaint(QObject):
    painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            print(f"first paint at {time.time_ns()}", flush=True)  # as ketreader reports it
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    view = QTextBrowser()
    view.setHtml("<h1>What is ketamine?</h1><p>Baseline.</p>")
    quitter = _QuitOnPaint()
    view.viewport().installEventFilter(quitter)
    view.resize(1100, 760)
    view.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
