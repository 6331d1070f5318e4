"""UI room: what assistive technology gets beyond Qt's own accessibility (built on demand)."""
