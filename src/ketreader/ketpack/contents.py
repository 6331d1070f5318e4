"""Storage room: what a compiled pack holds besides the rendering, and its fingerprint."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ketreader.content.pack import MANIFEST, Pack, resolve_inside
from ketreader.ketpack import MAX_IMAGE_BYTES
from ketreader.ketpack.versions import FORMAT_VERSION, RENDER_VERSION
from ketreader.render.model import RenderedPack

# The walker writes every kept image as <img ... src="pack/relative/path">, nh3-normalized.
_IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')


class Contents(NamedTuple):
    """The source files a compiled pack carries, and the fingerprint over all of them."""

    manifest: str
    synonyms: str | None
    images: dict[str, bytes]  # only the images the documents show, by path in the pack
    fingerprint: str


def fingerprint(
    source: str, synonyms: str | None, image_hashes: Iterable[tuple[str, bytes]]
) -> str:
    """The pack's fingerprint: the manifest and documents (``source``, from load_pack), the
    synonyms, every image shown, and the renderer and format versions."""
    d = hashlib.sha256(
        f"ketreader pack\x00render {RENDER_VERSION}\x00format {FORMAT_VERSION}\x00".encode()
    )
    d.update(source.encode() + b"\x00")
    if synonyms is not None:
        d.update(b"synonyms.toml\x00" + synonyms.encode("utf-8", "surrogatepass") + b"\x00")
    for path, hashed in sorted(image_hashes):
        d.update(b"image\x00" + path.encode("utf-8", "surrogatepass") + b"\x00" + hashed)
    return d.hexdigest()


def image_hash(data: bytes) -> bytes:
    """An image's hash as the fingerprint takes it."""
    return hashlib.sha256(data).digest()


def image_paths(rendered: RenderedPack) -> list[str]:
    """Every image path the documents show, each once, in order of first use."""
    seen: dict[str, None] = {}
    for document in rendered.documents:
        for raw in _IMG_SRC.findall(document.html):
            seen.setdefault(html.unescape(raw), None)
    return list(seen)


def read_image(pack_root: Path, relative: str) -> bytes | None:
    """An image's bytes read with the pack's containment and size cap; None if unusable."""
    path = resolve_inside(pack_root, relative)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_IMAGE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_IMAGE_BYTES else None


def gather(pack: Pack, rendered: RenderedPack) -> Contents:
    """Read the manifest, synonyms and shown images of a folder pack that was just rendered."""
    from ketreader.search.synonyms import read_synonyms

    manifest_path = resolve_inside(pack.root, MANIFEST)
    manifest = ""
    if manifest_path is not None:
        try:
            manifest = manifest_path.read_bytes().decode("utf-8", "replace")
        except OSError:
            manifest = ""
    synonyms, _ = read_synonyms(pack.root)
    images: dict[str, bytes] = {}
    for relative in image_paths(rendered):
        data = read_image(pack.root, relative)
        if data is not None:
            images[relative] = data
    hashes = [(p, image_hash(d)) for p, d in images.items()]
    return Contents(manifest, synonyms, images, fingerprint(pack.fingerprint, synonyms, hashes))
