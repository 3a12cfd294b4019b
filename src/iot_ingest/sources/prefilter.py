"""Before fetching: leave out items whose discovery metadata is clearly off-topic."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from iot_ingest.extract.relevance import DEFAULT_TOPIC
from iot_ingest.sources.base import Discovered

__all__ = ["off_topic_reason"]


@cache
def _keep_pattern(topic: str) -> re.Pattern[str] | None:
    data = tomllib.loads(resources.files("iot_ingest").joinpath("topics", f"{topic}.toml").read_text("utf-8"))
    keep = data.get("prefilter", {}).get("keep")
    return re.compile(keep, re.IGNORECASE) if keep else None


def off_topic_reason(item: Discovered, topic: str = DEFAULT_TOPIC) -> str | None:
    """Why the item is not worth fetching, or None. Items with no title or summary are kept."""
    text = " ".join(part for part in (item.title, item.summary) if part)
    pattern = _keep_pattern(topic)
    if not text.strip() or pattern is None or pattern.search(text):
        return None
    return "off-topic: no topic term in the title or summary"
