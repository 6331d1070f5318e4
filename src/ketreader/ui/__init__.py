"""UI room: Qt widgets only, one per module; no parsing and no SQL here."""
