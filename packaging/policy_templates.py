"""Packaging room: Group Policy templates (ADMX and en-US ADML) generated from the schema.

``python packaging/policy_templates.py`` writes packaging/windows/policy/; ``--check`` fails
when they differ from what the schema gives, so they cannot drift. As in Chrome's and Edge's
templates, every policy is in the "ketreader" category (locked) and the settings a user can
change are also offered under "ketreader - Default settings (users can override)", which
writes the registry's Recommended key.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ketreader import __version__  # noqa: E402
from ketreader.config_schema import SETTINGS, Setting  # noqa: E402
from ketreader.policy_registry import POLICY_KEY, RECOMMENDED_KEY  # noqa: E402

OUT = ROOT / "packaging" / "windows" / "policy"
ADMX = OUT / "ketreader.admx"
ADML = OUT / "en-US" / "ketreader.adml"
NAMESPACE = "Ketreader.Policies.Ketreader"
SUPPORTED = "SUPPORTED_ketreader"
_POLICY_NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"


def _dword(value: int) -> int:
    """A registry DWORD holds negative numbers as their two's complement."""
    return value % 2**32


def _policy(setting: Setting, recommended: bool) -> list[str]:
    name = setting.key + ("_recommended" if recommended else "")
    key = RECOMMENDED_KEY if recommended else POLICY_KEY
    category = "ketreader_recommended" if recommended else "ketreader"
    presentation = "" if setting.kind == "bool" else f' presentation="$(presentation.{name})"'
    lines = [
        f'    <policy name="{name}" class="Both" displayName="$(string.{setting.key})"'
        f' explainText="$(string.{setting.key}_Explain)" key="{key}"'
        + (f' valueName="{setting.key}"' if setting.kind == "bool" else "")
        + f"{presentation}>",
        f'      <parentCategory ref="{category}" />',
        f'      <supportedOn ref="{SUPPORTED}" />',
    ]
    if setting.kind == "bool":
        lines += [
            '      <enabledValue><decimal value="1" /></enabledValue>',
            '      <disabledValue><decimal value="0" /></disabledValue>',
        ]
    elif setting.kind == "choice":
        lines.append(f'      <elements><enum id="{setting.key}" valueName="{setting.key}">')
        lines += [
            f'        <item displayName="$(string.{setting.key}_{_id(c)})">'
            f"<value><string>{escape(c)}</string></value></item>"
            for c in setting.choices
        ]
        lines.append("      </enum></elements>")
    elif setting.kind == "int":
        lines.append(f'      <elements><enum id="{setting.key}" valueName="{setting.key}">')
        lines += [
            f'        <item displayName="$(string.{setting.key}_{_id(str(n))})">'
            f'<value><decimal value="{_dword(n)}" /></value></item>'
            for n in range(setting.low, setting.high + 1)
        ]
        lines.append("      </enum></elements>")
    else:
        lines.append(
            f'      <elements><text id="{setting.key}" valueName="{setting.key}"'
            ' maxLength="1024" /></elements>'
        )
    lines.append("    </policy>")
    return lines


def _id(text: str) -> str:
    """A value as part of a string id: "high-contrast" -> "high_contrast", "-6" -> "minus6"."""
    return "minus" + text[1:] if text.startswith("-") else text.replace("-", "_")


def _recommendable(setting: Setting) -> bool:
    return setting.lockable and setting.user_section is not None


def admx() -> str:
    policies: list[str] = []
    for setting in SETTINGS:
        if setting.lockable:
            policies += _policy(setting, recommended=False)
    for setting in SETTINGS:
        if _recommendable(setting):
            policies += _policy(setting, recommended=True)
    return "\n".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            "<!-- Generated from src/ketreader/config_schema.py by"
            " packaging/policy_templates.py. -->",
            '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0"'
            f' schemaVersion="1.0" xmlns="{_POLICY_NS}">',
            "  <policyNamespaces>",
            f'    <target prefix="ketreader" namespace="{NAMESPACE}" />',
            '    <using prefix="windows" namespace="Microsoft.Policies.Windows" />',
            "  </policyNamespaces>",
            '  <resources minRequiredRevision="1.0" />',
            "  <supportedOn><definitions>",
            f'    <definition name="{SUPPORTED}" displayName="$(string.{SUPPORTED})" />',
            "  </definitions></supportedOn>",
            "  <categories>",
            '    <category name="ketreader" displayName="$(string.ketreader)" />',
            '    <category name="ketreader_recommended"'
            ' displayName="$(string.ketreader_recommended)" />',
            "  </categories>",
            "  <policies>",
            *policies,
            "  </policies>",
            "</policyDefinitions>",
            "",
        ]
    )


def _string(identifier: str, text: str) -> str:
    return f"      <string id={quoteattr(identifier)}>{escape(text)}</string>"


def adml() -> str:
    strings = [
        _string("ketreader", "ketreader"),
        _string("ketreader_recommended", "ketreader - Default settings (users can override)"),
        _string(SUPPORTED, f"ketreader {__version__} or later"),
    ]
    presentations: list[str] = []
    for setting in SETTINGS:
        if not setting.lockable:
            continue
        strings.append(_string(setting.key, setting.label))
        explain = setting.description
        if setting.kind == "bool":
            explain += " Enabled: true. Disabled: false. Not configured: the user's or default."
        strings.append(_string(f"{setting.key}_Explain", explain))
        values = setting.choices if setting.kind == "choice" else ()
        if setting.kind == "int":
            values = tuple(str(n) for n in range(setting.low, setting.high + 1))
        strings += [_string(f"{setting.key}_{_id(v)}", v) for v in values]
        names = [setting.key] + ([f"{setting.key}_recommended"] if _recommendable(setting) else [])
        for name in names if setting.kind != "bool" else []:
            if setting.kind == "path":
                control = (
                    f'<textBox refId="{setting.key}"><label>{escape(setting.label)}</label>'
                    "</textBox>"
                )
            else:
                default = values.index(str(setting.default))
                control = (
                    f'<dropdownList refId="{setting.key}" defaultItem="{default}">'
                    f"{escape(setting.label)}</dropdownList>"
                )
            presentations.append(f'      <presentation id="{name}">{control}</presentation>')
    return "\n".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            "<!-- Generated from src/ketreader/config_schema.py by"
            " packaging/policy_templates.py. -->",
            '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0"'
            f' schemaVersion="1.0" xmlns="{_POLICY_NS}">',
            "  <displayName>ketreader</displayName>",
            "  <description>Policies for the ketreader offline guide reader.</description>",
            "  <resources>",
            "    <stringTable>",
            *strings,
            "    </stringTable>",
            "    <presentationTable>",
            *presentations,
            "    </presentationTable>",
            "  </resources>",
            "</policyDefinitionResources>",
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the files are out of date")
    args = parser.parse_args()
    stale = []
    for path, text in ((ADMX, admx()), (ADML, adml())):
        if args.check:
            if not path.exists() or path.read_text("utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    if stale:
        print(f"out of date: {', '.join(map(str, stale))}; run {__file__}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
