"""GOV.UK as alphagov's code has it: redirect and gone items, 410, and any-word search.

A redirect is followed to its destination; an unpublishing is recorded against the article already
held and never replaces it; the query is sent as a phrase, which costs fewer requests than an
any-word search for the same relevant articles.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from iot_ingest.config import Config, parse_config
from iot_ingest.orchestrate import ingest as run_sources
from tests.support.digest import rows as _q
from tests.support.fakes import DFE, FakeGovUk, GovItem, sample_dataset

pytestmark = pytest.mark.integration


def _config(fake: FakeGovUk, *, mode: str = "phrase", query: str = "institutes of technology") -> Config:
    return parse_config(
        '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
        'allow_private_hosts = ["127.0.0.1"]\nmax_attempts = 2\n[warehouse]\nlock_timeout_s = 5\n'
        f'[[sources]]\nname = "govuk"\nkind = "govuk_search"\nbase_url = "{fake.base}"\nquery = "{query}"\n'
        f'query_mode = "{mode}"\nfilter_organisations = ["{DFE}"]\nrate_limit = 50.0\nmax_concurrency = 4\n'
        "lookback_days = 3660\n",
        origin="test",
    )


def _item(slug: str, title: str, text: str, **changes: object) -> GovItem:
    when = datetime(2021, 12, 17, 9, 30, tzinfo=UTC)
    base = GovItem(f"/government/news/{slug}", title, text, when, when, [DFE], f"<p>{text}</p><p>{title}.</p>")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_redirects_are_followed_and_unpublishings_never_replace_the_article(tmp_path: Path) -> None:
    target = _item(
        "nine-new-institutes-of-technology-confirmed",
        "Nine new Institutes of Technology confirmed",
        "Nine more Institutes of Technology will open, taking the total to 21 across England.",
    )
    moved = _item(
        "wave-two-institutes-of-technology",
        "Wave two Institutes of Technology",
        "The second wave of Institutes of Technology.",
        unpublished="redirect",
        destination=target.base_path,
    )
    kept = _item(
        "institutes-of-technology-employer-boards",
        "Institutes of Technology employer boards",
        "Employers sit on the board of every Institute of Technology.",
    )
    vanished = _item(
        "institutes-of-technology-capital-bids",
        "Institutes of Technology capital bids",
        "Colleges bid for capital funding to open Institutes of Technology.",
    )
    db = tmp_path / "iot.duckdb"
    with FakeGovUk([target, moved, kept, vanished], public_base=None) as fake:
        config = _config(fake)
        run_sources(db, config)
        assert fake.count(f"/api/content{target.base_path}") >= 1, "the redirect's destination is fetched"
        titles = dict(_q(db, "SELECT url, title FROM articles"))
        assert titles[fake.url(target.base_path)] == target.title
        assert fake.url(moved.base_path) not in titles, "a redirect is not an article"
        assert titles[fake.url(kept.base_path)] == kept.title

        # Unpublished since: one with an explanation (200, schema gone), one without (410).
        # Changed after the first run fetched them, within the same second: the Search API gives
        # whole seconds, so the listing cannot tell this update from one just before the fetch.
        (fetched,) = _q(db, "SELECT max(requested_at) FROM fetches")[0]
        later = fetched.astimezone(UTC).replace(microsecond=0)
        kept.unpublished, kept.explanation, kept.public_timestamp = "gone", "Published in error", later
        vanished.unpublished, vanished.public_timestamp = "gone_410", later
        run_sources(db, config)

    after = {url: (title, bool(body)) for url, title, body in _q(db, "SELECT url, title, body_text FROM articles")}
    assert after[fake.url(kept.base_path)] == (kept.title, True), "the good capture stays"
    assert after[fake.url(vanished.base_path)] == (vanished.title, True)
    assert not any(title is None for title, _ in after.values()), "never an empty article"
    changes = {
        url: (status, destination, detail, bool(article))
        for url, status, destination, detail, article in _q(
            db, "SELECT url, status, destination, detail, article_id FROM article_status_changes"
        )
    }
    assert changes[fake.url(moved.base_path)] == ("redirected", fake.url(target.base_path), None, False)
    assert changes[fake.url(kept.base_path)] == ("gone", None, "Published in error", True)
    assert changes[fake.url(vanished.base_path)][0::3] == ("gone", True)


def _requests(mode: str, tmp_path: Path) -> tuple[Counter[str], set[str]]:
    items, _ = sample_dataset()
    db = tmp_path / mode / "iot.duckdb"
    with FakeGovUk(items, public_base=None) as fake:
        run_sources(db, _config(fake, mode=mode))
        counts = Counter(
            "search" if r.path.startswith("/api/search.json") else "content" if "/api/content/" in r.path else "page"
            for r in fake.requests
            if r.path != "/robots.txt"
        )
    relevant = {urlsplit(url).path for (url,) in _q(db, "SELECT url FROM articles WHERE is_relevant")}
    return counts, relevant


def test_a_phrase_query_costs_fewer_requests_than_scoring_any_word_results(tmp_path: Path) -> None:
    phrase, found_by_phrase = _requests("phrase", tmp_path)
    any_words, found_by_any = _requests("any_words", tmp_path)
    print(f"\nrequests (phrase): {dict(phrase)}\nrequests (any words, pre-filtered): {dict(any_words)}")
    assert found_by_phrase == found_by_any and len(found_by_phrase) >= 8, "the same relevant articles either way"
    assert sum(phrase.values()) < sum(any_words.values())
