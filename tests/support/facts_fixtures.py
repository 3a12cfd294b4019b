"""The facts and relevance fixture articles (tests/fixtures/facts/) and what each must yield."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parents[1] / "fixtures" / "facts"


@dataclass(frozen=True)
class FixtureArticle:
    file: str
    title: str
    published_at: datetime | None
    body: str
    expected: dict[str, Any]


def fixture_articles() -> list[FixtureArticle]:
    cases = tomllib.loads((FIXTURES / "expected.toml").read_text("utf-8"))["case"]
    articles = []
    for case in cases:
        head, _, body = (FIXTURES / case["file"]).read_text("utf-8").partition("\n\n")
        title_line, published_line = head.splitlines()
        published = published_line.removeprefix("Published:").strip()
        articles.append(
            FixtureArticle(
                file=case["file"],
                title=title_line.removeprefix("Title: "),
                published_at=datetime.fromisoformat(published) if published else None,
                body=body.strip(),
                expected={k: (None if v == "none" else v) for k, v in case.items()},
            )
        )
    return articles
