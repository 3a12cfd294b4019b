"""The bundled sample pages: read from the manifest, and packed as a WARC for `import-warc` tests."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from iot_ingest.archive import Capture, RawArchive

__all__ = ["sample_addresses", "sample_captures", "sample_pages", "write_sample_warc"]


def sample_pages() -> Traversable:
    return resources.files("iot_ingest.demo").joinpath("pages")


def sample_addresses() -> Iterator[tuple[dict[str, Any], bytes, str]]:
    """(manifest entry, file bytes, URL) for every sample page at its URL and at each extra URL."""
    pages = sample_pages()
    manifest = tomllib.loads(pages.joinpath("manifest.toml").read_text("utf-8"))
    for entry in manifest["page"]:
        body = pages.joinpath(entry["file"]).read_bytes()
        for url in [entry["url"], *entry.get("extra_urls", [])]:
            yield entry, body, url


def sample_captures() -> list[Capture]:
    """Every sample page as a capture, at its URL and at each of its extra URLs (mirrors, variants)."""
    return [
        Capture(
            url=url,
            fetched_at=datetime.fromisoformat(entry["fetched_at"].replace("Z", "+00:00")),
            status=200,
            headers=(("Content-Type", entry["content_type"]),),
            body=body,
        )
        for entry, body, url in sample_addresses()
    ]


def write_sample_warc(directory: Path) -> Path:
    """Pack the sample pages into one WARC.gz in `directory` and return its path."""
    with RawArchive(directory, max_file_bytes=1 << 40) as archive:
        files = {archive.append(capture).file for capture in sample_captures()}
    (name,) = files
    return directory / name
