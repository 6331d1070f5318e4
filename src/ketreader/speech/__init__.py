"""Speech room: the computer's own offline speech services behind one small interface; no Qt."""
