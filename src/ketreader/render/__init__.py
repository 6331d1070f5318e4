"""Render room: Markdown to sanitized HTML and a section tree, with no Qt."""
