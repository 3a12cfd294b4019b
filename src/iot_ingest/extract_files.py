"""`extract`: saved pages to JSON lines, through the same extraction as the pipeline."""

from __future__ import annotations

import gzip
import json
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from iot_ingest.extract import extract_article, extract_facts, score_relevance
from iot_ingest.extract.registry import UnsupportedContent

__all__ = ["MAX_PAGE_BYTES", "extract_file", "extract_files"]

MAX_PAGE_BYTES = 20 * 1024 * 1024


def extract_files(paths: list[Path], *, url: str | None, out: TextIO) -> None:
    for path in paths:
        out.write(json.dumps(extract_file(path, url=url), ensure_ascii=False) + "\n")


def extract_file(path: Path, *, url: str | None = None) -> dict[str, Any]:
    """One output line; a file that cannot be read or parsed gives a line with an `error`."""
    record: dict[str, Any] = {
        "path": str(path),
        "url": url,
        "title": None,
        "published_at": None,
        "text": None,
        "relevant": False,
        "facts": None,
    }
    try:
        body = _read(path)
        is_json = path.suffix == ".json" or path.name.endswith(".json.gz")
        content_type = "application/json" if is_json else "text/html"
        where = url or (_content_api_url(body) if is_json else None) or path.resolve().as_uri()
        article = extract_article(where, body, content_type, fetched_at=datetime.now(UTC))
    except (OSError, ValueError, UnsupportedContent, EOFError, zlib.error) as exc:
        record["error"] = f"{type(exc).__name__}: {exc}"
        return record
    relevance = score_relevance(article.title, article.body_text)
    record.update(
        url=url or article.canonical_url,
        title=article.title,
        published_at=article.published_at.isoformat() if article.published_at else None,
        text=article.body_text,
        relevant=relevance.relevant,
        facts=extract_facts(article.title, article.body_text, article.published_at).as_json()
        if relevance.relevant
        else None,
    )
    return record


def _content_api_url(body: bytes) -> str | None:
    """A saved GOV.UK Content API item is known by its `base_path`: it came from the API on www.gov.uk."""
    try:
        item = json.loads(body)
    except ValueError:
        return None
    base_path = item.get("base_path") if isinstance(item, dict) else None
    if isinstance(base_path, str) and base_path.startswith("/") and "document_type" in item:
        return f"https://www.gov.uk/api/content{base_path}"
    return None


def _read(path: Path) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(2)
        handle.seek(0)
        stream = gzip.GzipFile(fileobj=handle) if head == b"\x1f\x8b" else handle
        data = stream.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise ValueError(f"larger than {MAX_PAGE_BYTES} bytes")
    return data
