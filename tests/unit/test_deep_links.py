"""Links room tests: a ketreader:// link given as the only argument opens its section."""

from __future__ import annotations

import configparser

import pytest

from ketreader.deeplink import links_as_options, section_from_link, section_link
from tests.conftest import REPO, run_python


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ketreader://section/key-takeaways"], ["--section", "ketreader://section/key-takeaways"]),
        (
            ["--theme", "dark", "KETREADER://section/a"],
            ["--theme", "dark", "--section", "KETREADER://section/a"],
        ),
        (["--section", "ketreader://section/a"], ["--section", "ketreader://section/a"]),
        (["search", "ketamine"], ["search", "ketamine"]),
    ],
)
def test_a_link_argument_becomes_a_section_option(argv: list[str], expected: list[str]) -> None:
    assert links_as_options(argv) == expected


def test_links_round_trip_whatever_the_desktop_adds() -> None:
    for link in (
        section_link("pain-management"),
        "KETREADER://section/pain-management",
        "ketreader://section/pain-management/",
    ):
        assert section_from_link(link) == "pain-management"
    assert section_from_link("pain-management") == "pain-management"


def test_the_reader_opens_the_section_of_a_link_argument() -> None:
    result = run_python(
        "-m", "ketreader", "--debug-log", "--quit-after-paint", "ketreader://section/key-takeaways"
    )
    assert result.returncode == 0, result.stderr
    opened = [
        line.rsplit(" ", 1)[-1] for line in result.stderr.splitlines() if ": section " in line
    ]
    assert opened[-1] == "key-takeaways", result.stderr


def test_desktop_entry_hands_links_to_the_reader() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(REPO / "packaging" / "linux" / "org.ketreader.Reader.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"] == "ketreader %u"  # %u: the link the desktop opens
    assert "x-scheme-handler/ketreader" in section["MimeType"].split(";")
