"""End-to-end room: a large folder pack opened with --content never keeps the window blank."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from tests.e2e.fixtures import StartReader, needs_x
from tests.e2e.generated_pack import generated_pack

pytestmark = needs_x

DOCUMENTS = 300
# Only a bound for a loaded machine; the order of the events below is the real check.
PAINT_BOUND_S = 30.0


def test_a_large_pack_is_prepared_behind_a_painted_window(
    start_reader: StartReader, tmp_path: Path
) -> None:
    # A title of its own: no cache of an earlier run holds this pack's rendering.
    title = f"Generated guide {uuid.uuid4().hex[:8]}"
    pack = generated_pack(tmp_path / "pack", DOCUMENTS, size=6000, title=title)
    began = time.monotonic()
    reader = start_reader("--content", str(pack))  # returns once the window is "ready"
    painted_in = time.monotonic() - began
    assert painted_in < PAINT_BOUND_S, reader.output()
    # The window painted (the guide) before the pack was ready, and then showed progress.
    progress = reader.wait_for(rf"preparing (\d+) of {DOCUMENTS}")
    messages = reader.events.messages()
    assert "pack prepared" not in messages[: messages.index("ready")], reader.output()
    assert int(progress.group(1)) <= DOCUMENTS
    # Its first documents are readable before the whole pack is prepared.
    reader.wait_for(f"showing {title} while it is prepared")
    reader.wait_for("pack prepared")
    reader.wait_for(f"switched to {title}")
    assert f'= "{title} ' in reader.x_property("_NET_WM_NAME")  # xprop escapes the dash
    reader.keys("ctrl+q")
    assert reader.wait_exit() == 0, reader.output()
    assert "Traceback" not in reader.output()

    again = start_reader("--content", str(pack))  # now cached: open at once, as before
    assert f'= "{title} ' in again.x_property("_NET_WM_NAME")
    assert not any(m.startswith("preparing ") for m in again.events.messages())
    again.keys("ctrl+q")
    assert again.wait_exit() == 0, again.output()
