"""Content room: loading and validating content packs from disk, with no Qt."""
