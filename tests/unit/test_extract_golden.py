"""Golden tests: for each adapter, fixture pages written for this project and the exact article
expected from each (`tests/golden/<adapter>/<name>.<html|json>` and `<name>.expected.json`).

A deliberate extractor change regenerates the expectations, which are then reviewed in the diff:
    IOT_INGEST_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_extract_golden.py
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from iot_ingest.extract import ADAPTERS, Article, extract_article, govuk_content_api

GOLDEN = Path(__file__).parents[1] / "golden"
FIXTURES = sorted(p for p in GOLDEN.glob("*/*") if p.suffix in {".html", ".json"} and ".expected" not in p.suffixes)


def _expected_path(fixture: Path) -> Path:
    return fixture.with_name(fixture.name.split(".", 1)[0] + ".expected.json")


def _as_json(article: Article) -> dict[str, Any]:
    record = dataclasses.asdict(article)
    for key, value in record.items():
        if isinstance(value, datetime):
            record[key] = value.isoformat()
        elif isinstance(value, tuple):
            record[key] = list(value)
    return record


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_adapter_output_matches_the_golden_json(fixture: Path) -> None:
    expected_file = _expected_path(fixture)
    case = json.loads(expected_file.read_text("utf-8"))
    article = extract_article(
        case["url"],
        fixture.read_bytes(),
        case["content_type"],
        fetched_at=datetime.fromisoformat(case["fetched_at"]),
    )
    assert article.extractor_version.split("/")[0] == fixture.parent.name
    if os.environ.get("IOT_INGEST_UPDATE_GOLDEN") == "1":
        case["article"] = _as_json(article)
        expected_file.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert _as_json(article) == case["article"]


def test_every_adapter_has_a_golden_page() -> None:
    names = {adapter.name for adapter in ADAPTERS} | {govuk_content_api.NAME}
    assert names == {fixture.parent.name for fixture in FIXTURES}
