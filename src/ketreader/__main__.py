"""Entry room: ``python -m ketreader`` and the ``ketreader`` script."""

from __future__ import annotations

import sys


def main() -> int:
    from ketreader.cli import main as cli_main
    from ketreader.console import use_utf8

    use_utf8()
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
