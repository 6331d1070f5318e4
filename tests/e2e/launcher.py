"""Test launcher: ketreader with its system policy and program folder in a test's own folder.

    python launcher.py SYSTEM_POLICY PROGRAM_DIR -- [ketreader arguments]

The reader reads its machine policy from fixed paths (/etc/xdg/ketreader/policy.ini) that no
environment variable can move. Tests of a policy must not touch the host's /etc, so this
launcher, which only tests run, points ``ketreader.paths`` at the test's files before the
reader starts.

It also reports what only the inside of the process can see, as ``ketreader.probe`` debug
events: where the reading area is in the window (so a real click can aim at it), and which
dialogs open, with the parts of a print dialog a trainee could write a file through.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketreader.policy import Effective


def _redirect(policy: Path, program: Path) -> None:
    from ketreader import paths

    paths.system_policy_files = lambda: (policy,)
    paths.program_dir = lambda: program


def _install_probe() -> None:
    """Create the application first, with the probe on it; the reader then reuses it."""
    import ketreader.app as app_module

    start = app_module.run_app

    def run_app(args: argparse.Namespace, effective: Effective) -> int:
        from PySide6.QtWidgets import QApplication

        from tests.e2e.probe import Probe

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        probe = Probe(app)
        try:
            return start(args, effective)
        finally:
            probe.detach()

    app_module.run_app = run_app


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[3] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    policy, program = Path(sys.argv[1]), Path(sys.argv[2])
    # The probe lives in the tests package, beside this file.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    _redirect(policy, program)
    _install_probe()
    sys.argv = [sys.argv[0], *sys.argv[4:]]
    from ketreader.__main__ import main as ketreader_main

    return ketreader_main()


if __name__ == "__main__":
    sys.exit(main())
