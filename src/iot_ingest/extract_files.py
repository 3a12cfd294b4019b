"""`extract`: saved pages to JSON lines, through the same extraction as the pipeline."""

from __future__ import annotations

import gzip
import json
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from iot_ingest.extract import extract_article
from iot_ingest.extract.registry import UnsupportedContent
from iot_ingest.ingest.process import first_relevant, score_topics
from iot_ingest.topics import TopicSet

__all__ = ["MAX_PAGE_BYTES", "extract_file", "extract_files"]

MAX_PAGE_BYTES = 20 * 1024 * 1024


def extract_files(paths: list[Path], topics: TopicSet, *, url: str | None, out: TextIO, by_topic: bool = False) -> None:
    for path in paths:
        out.write(json.dumps(extract_file(path, topics, url=url, by_topic=by_topic), ensure_ascii=False) + "\n")


def extract_file(path: Path, topics: TopicSet, *, url: str | None = None, by_topic: bool = False) -> dict[str, Any]:
    """One output line; a file that cannot be read or parsed gives a line with an `error`.

    `relevant` is whether the page is about any of the topics, `facts` its facts for the first it
    is about; with `by_topic`, `topics` has every topic's verdict, reasons and facts."""
    record: dict[str, Any] = {
        "path": str(path),
        "url": url,
        "title": None,
        "published_at": None,
        "text": None,
        "relevant": False,
        "facts": None,
    }
    if by_topic:
        record["topics"] = {}
    try:
        body = _read(path)
        is_json = path.suffix == ".json" or path.name.endswith(".json.gz")
        content_type = "application/json" if is_json else "text/html"
        where = url or (_content_api_url(body) if is_json else None) or path.resolve().as_uri()
        article = extract_article(where, body, content_type, fetched_at=datetime.now(UTC))
    except (OSError, ValueError, UnsupportedContent, EOFError, zlib.error) as exc:
        record["error"] = f"{type(exc).__name__}: {exc}"
        return record
    scores = score_topics(article, topics)
    first = first_relevant(scores)
    record.update(
        url=url or article.canonical_url,
        title=article.title,
        published_at=article.published_at.isoformat() if article.published_at else None,
        text=article.body_text,
        relevant=first.relevant,
        facts=first.facts,
    )
    if by_topic:
        record["topics"] = {
            t.topic: {"relevant": t.relevant, "score": t.score, "reasons": t.reasons, "facts": t.facts} for t in scores
        }
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
