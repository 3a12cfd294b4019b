"""Extraction: responses into articles (a registry of adapters), articles into facts and relevance."""

from __future__ import annotations

from iot_ingest.extract.article import Article
from iot_ingest.extract.facts import Facts, extract_facts
from iot_ingest.extract.registry import ADAPTERS, UnsupportedContent, extract_article
from iot_ingest.extract.relevance import Relevance, score_relevance

__all__ = [
    "ADAPTERS",
    "Article",
    "Facts",
    "Relevance",
    "UnsupportedContent",
    "extract_article",
    "extract_facts",
    "score_relevance",
]
