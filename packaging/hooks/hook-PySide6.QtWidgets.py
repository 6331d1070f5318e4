"""Packaging room: PySide6 hook override that trims Qt before PyInstaller analyses it."""

import os
import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from qt_trim import trim

hiddenimports, binaries, datas = trim(*add_qt6_dependencies(__file__))
