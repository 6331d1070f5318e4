"""Benchmark room: scrolling an 8 MB document right after it opens, against a bare QTextBrowser.

Both views get the same HTML and the same document stylesheet; the reader also runs its
scroll-spy and place keeping on every scroll event. A scroll event is timed from the wheel
event to the end of the repaint it causes. Qt goes on laying the document out in the
background between events, in slices, in both views; those slices are timed apart, as
"longest event-loop turn".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QTextBrowser

from ketreader.render.model import Mark, RenderedDocument
from ketreader.render.stylesheet import document_css

WORDS = [
    "ketamine",
    "clinicians",
    "patients",
    "anaesthesia",
    "dose",
    "research",
    "safety",
    "brain",
    "receptor",
    "therapy",
    "monitoring",
    "emergency",
    "sedation",
    "depression",
    "evidence",
    "guideline",
    "supervision",
    "risk",
]


def big_document(size: int, seed: int = 1) -> RenderedDocument:
    """Sections of paragraphs and lists, with heading ids, until ``size`` bytes of HTML."""
    rng = random.Random(seed)

    def sentence(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."

    parts: list[str] = []
    marks: list[Mark] = []
    total = 0
    while total < size:
        sid = f"section-{len(marks)}"
        chunk = (
            f'<h2 id="{sid}">Section {len(marks)}</h2>\n'
            + "".join(f"<p>{sentence(60)}</p>\n" for _ in range(8))
            + "<ul>"
            + "".join(f"<li>{sentence(10)}</li>" for _ in range(4))
            + "</ul>\n"
        )
        parts.append(chunk)
        marks.append(Mark(sid, sid))
        total += len(chunk)
    html = "".join(parts)
    return RenderedDocument("big.md", "section-0", html, "", tuple(marks), ())


def wheel_down() -> QWheelEvent:
    return QWheelEvent(
        QPointF(200, 200),
        QPointF(200, 200),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )


def scroll(view: QTextBrowser, events: int) -> dict[str, float]:
    """Wheel events right after opening: each event's time, and the longest loop turn."""
    app = QApplication.instance()
    assert app is not None
    event_ms: list[float] = []
    loop_ms: list[float] = []
    for _ in range(events):
        start = time.perf_counter()
        QApplication.sendEvent(view.viewport(), wheel_down())
        view.viewport().repaint()
        event_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        app.processEvents()
        loop_ms.append((time.perf_counter() - start) * 1000)
    # Then the scroll bar dragged down in a few big steps, as a reader skims.
    bar = view.verticalScrollBar()
    for _ in range(10):
        start = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep() * 5)
        view.viewport().repaint()
        event_ms.append((time.perf_counter() - start) * 1000)
        app.processEvents()
    return {
        "max_event_ms": round(max(event_ms), 1),
        "p95_event_ms": round(statistics.quantiles(event_ms, n=20)[-1], 1),
        "max_loop_turn_ms": round(max(loop_ms), 1),
    }


def open_view(which: str, document: RenderedDocument) -> tuple[QTextBrowser, float]:
    css = document_css("light")
    start = time.perf_counter()
    if which == "bare":
        view = QTextBrowser()
        view.resize(1000, 760)
        view.show()
        view.document().setDefaultStyleSheet(css)
        view.setHtml(document.html)
    else:
        from ketreader.ui.reader_view import ReaderView

        view = ReaderView()
        view.resize(1000, 760)
        view.show()
        view.show_document(document, document.html, lambda _path: None, css)
    return view, (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=8.0)
    parser.add_argument("--events", type=int, default=60)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("which", nargs="?", choices=("bare", "reader"))
    args = parser.parse_args()
    if args.which is None:  # each view in its own process, so neither warms the other
        import subprocess

        results = {}
        for which in ("bare", "reader"):
            done = subprocess.run(
                [sys.executable, __file__, which, "--json", "--events", str(args.events),
                 "--megabytes", str(args.megabytes)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            results[which] = json.loads(done.stdout.splitlines()[-1])
        if args.json:
            print(json.dumps(results))
        else:
            print(f"{args.megabytes:g} MB document   open   max event  p95 event  longest turn")
            for which, r in results.items():
                print(
                    f"{which:18}{r['open_ms']:8.0f}{r['max_event_ms']:11.1f}"
                    f"{r['p95_event_ms']:11.1f}{r['max_loop_turn_ms']:14.1f}   ms"
                )
        return 0
    app = QApplication(sys.argv[:1])
    document = big_document(int(args.megabytes * 1_000_000))
    view, open_ms = open_view(args.which, document)
    app.processEvents()  # the first paint
    result = {"open_ms": round(open_ms), **scroll(view, args.events)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
