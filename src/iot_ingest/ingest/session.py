"""The `SourceContext` a page source's unit runs with: polite fetching, recording, and its state.

The state a unit needs (its source's saved state, validators, last run's failures) is read in one
short session when the unit starts; after that it fetches holding nothing, and what it fetched is
committed batch by batch (`flush`), each batch one short writer session.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from iot_ingest.archive import Capture
from iot_ingest.config import AnySource
from iot_ingest.fetch import Accept, Fetcher, FetchOutcome, HostPolicy, Validators
from iot_ingest.ingest.batch import Ingestor
from iot_ingest.ingest.fetch_urls import failed_urls, record_outcomes
from iot_ingest.ingest.ledger import WindowLedger
from iot_ingest.stats import RunStats
from iot_ingest.warehouse.load import lookup, one
from iot_ingest.warehouse.sql_files import sql
from iot_ingest.warehouse.target import WarehouseTarget
from iot_ingest.warehouse.validators import WarehouseValidators

__all__ = ["SourceSession", "UnitStart", "read_start"]


@dataclass(frozen=True)
class UnitStart:
    """What the warehouse said about a source when its unit started."""

    state: dict[str, Any]
    validators: WarehouseValidators
    retry: list[str]  # URLs whose last fetch failed, to fetch again
    window_done: bool = False  # the backfill window asked about is done already
    # When each URL under the source's host last yielded a loaded article (see crawl's unchanged
    # check); `prefix` is what it covers.
    last_fetched: dict[str, datetime] = field(default_factory=dict)
    prefix: str | None = None


def read_start(target: WarehouseTarget, source: AnySource, window: WindowLedger | None = None) -> UnitStart:
    """The source's saved state, the validators under its host and last run's failures (and
    whether `window` is done), in one short read: fetching then never waits for the database."""
    with target.reading() as warehouse:
        con = warehouse.con
        if window is not None and window.done_in(warehouse):
            return UnitStart({}, WarehouseValidators({}), [], window_done=True)
        state = {
            key: json.loads(value) for key, value in con.execute(sql("sources.all_state"), [source.name]).fetchall()
        }
        prefix = _host_prefix(source.address)
        validators = WarehouseValidators.preloaded(
            con, prefixes=[prefix] if prefix else [], fallback=lambda url: _validators_of(target, url)
        )
        retry = failed_urls(warehouse, source.name)
        last = dict(lookup(con, "sources.latest_fetches_under", [prefix])) if prefix else {}
    return UnitStart(state, validators, retry, last_fetched=last, prefix=prefix)


@dataclass
class SourceSession:
    """The SourceContext one source runs with: fetching, recording and its state."""

    source: AnySource
    fetcher: Fetcher
    ingestor: Ingestor
    run_id: str
    stats: RunStats
    start: UnitStart
    # Discovery requests are conditional only in incremental runs: a backfill reads every window's
    # feed or sitemap in full, though an earlier window fetched the same URL.
    conditional: bool = True
    commit_every_s: float = 2.0
    _outcomes: list[FetchOutcome] = field(default_factory=list)
    _kept: list[tuple[Capture, bool]] = field(default_factory=list)
    _changed_state: dict[str, Any] = field(default_factory=dict)
    _last_commit: float = field(default_factory=time.monotonic)

    @property
    def policy(self) -> HostPolicy:
        return HostPolicy(self.source.rate_limit, self.source.max_concurrency)

    @property
    def validators(self) -> WarehouseValidators:
        return self.start.validators

    async def get(self, url: str, *, accept: Accept = "page") -> FetchOutcome:
        """A discovery request: archived, never extracted as an article."""
        outcome = await self.fetcher.fetch(
            url, self.policy, self.source.name, conditional=self.conditional, accept=accept
        )
        self.record(outcome, extract=False)
        return outcome

    async def fetch_page(self, url: str) -> FetchOutcome:
        # Never conditional: a page is fetched only when it is wanted, and then its body is.
        return await self.fetcher.fetch(url, self.policy, self.source.name, conditional=False)

    def abandon(self) -> None:
        """After a failure: what was fetched is recorded, what was learnt for next time is not."""
        self.validators.discard()
        self._changed_state.clear()
        self.flush(save_state=False)

    def record(self, outcome: FetchOutcome, *, extract: bool, capture: Capture | None = None) -> None:
        self._outcomes.append(outcome)
        kept = capture or outcome.capture
        if kept is not None:
            self._kept.append((kept, extract))
            if extract and capture is None:
                # Remembered by every URL of its redirect chain, the one the feed links to included.
                self.ingestor.also_seen_at(kept, outcome.url)

    def keep(self, capture: Capture) -> None:
        """A capture that came from discovery itself (a feed's full text), to load as an article."""
        self._kept.append((capture, True))

    def state(self, key: str) -> Any:
        return self._changed_state.get(key, self.start.state.get(key))

    def set_state(self, key: str, value: Any) -> None:
        self._changed_state[key] = value

    def commit_due(self) -> bool:
        """Whether what was fetched so far has waited long enough: a long unit commits as it goes."""
        return bool(self._outcomes or self._kept) and time.monotonic() - self._last_commit >= self.commit_every_s

    def flush(self, *, save_state: bool, also: list[tuple[str, list[Any]]] | None = None) -> None:
        """Commit what was fetched since the last flush, in one short transaction; with `save_state`,
        also the validators and state learnt (only once the whole source or window is done: saved
        earlier, a 304 next time would hide items this run never got to) and the statements `also`."""
        attempts, robots = self.fetcher.drain_robots()
        outcomes, kept = self._outcomes, self._kept
        self._outcomes, self._kept = [], []
        if save_state and self.conditional:
            # Only a run that asks conditionally keeps validators: a backfill reads its feed in full
            # for one window, and a 304 next time would hide the items it left to other windows.
            self.validators.stage(self.ingestor)
        if save_state:
            for key, value in sorted(self._changed_state.items()):
                self.ingestor.execute("sources.set_state", [self.source.name, key, json.dumps(value)])
            self.start.state.update(self._changed_state)
            self._changed_state.clear()
        for statement, params in also or []:
            self.ingestor.execute(statement, params)
        record_outcomes(self.ingestor, outcomes, attempts, robots, self.run_id, self.stats.fetch, kept)
        self._last_commit = time.monotonic()


def _validators_of(target: WarehouseTarget, url: str) -> Validators | None:
    with target.reading() as warehouse:
        row = one(warehouse.con, "fetch.validators", [url])
    return Validators(row[0], row[1]) if row else None


def _host_prefix(address: str) -> str | None:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None
