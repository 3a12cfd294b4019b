"""What a run did, as typed counts: one dataclass per stage, summed by one function.

Each stage owns its numbers (discovery, fetching, loading, and how units of work ended), so a
count is written in one place and read by name. The flat `as_dict` form (non-zero counts, unique
names across stages) is what the `runs.counts` column, the flows' return values and the printed
summaries show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

__all__ = ["CrawlStats", "DiscoveryStats", "FetchStats", "LoadStats", "RunStats", "UnitStats", "total"]


@dataclass
class DiscoveryStats:
    """What sources listed, and what was left unfetched before any request."""

    discovered: int = 0
    prefiltered: int = 0  # off-topic by its title or summary
    unchanged: int = 0  # not updated since it was last fetched
    from_feed_text: int = 0  # the page failed; the feed's own full text was loaded instead


@dataclass
class FetchStats:
    """The HTTP side: one outcome per URL asked for, and every attempt recorded."""

    urls: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    refused: int = 0  # robots.txt or the address guard stopped the request
    attempts: int = 0


@dataclass
class LoadStats:
    """The warehouse side: captures archived, extracted and loaded."""

    files: int = 0
    records: int = 0
    already_archived: int = 0
    responses_archived: int = 0
    reprocessed: int = 0
    unreadable: int = 0
    articles_seen: int = 0
    articles_new: int = 0
    relevant_sightings: int = 0
    copy_relations: int = 0
    not_loaded: int = 0  # extracted but outside a backfill's range: archived only
    errors: int = 0
    # The size of the announcements table after the last load: a level, so summing keeps the later.
    announcements: int | None = None


@dataclass
class UnitStats:
    """How the units of work (sources, windows) ended, and the announcements they created."""

    sources_done: int = 0
    sources_failed: int = 0
    windows_done: int = 0
    windows_failed: int = 0
    windows_skipped: int = 0
    announcements_new: int = 0


@dataclass
class CrawlStats:
    """A crawl archive's files (CC-NEWS WARC files) and the records read from them, before any
    record reaches the load stage: most are dropped by host or by their raw bytes first."""

    files_done: int = 0
    files_failed: int = 0
    files_skipped: int = 0  # done by an earlier run
    records_read: int = 0
    records_prefiltered: int = 0  # off-host, or raw bytes that cannot match the topic
    records_extracted: int = 0
    records_relevant: int = 0
    records_broken: int = 0

    def __add__(self, other: CrawlStats) -> CrawlStats:
        return _added(self, other)


@dataclass
class RunStats:
    discovery: DiscoveryStats = field(default_factory=DiscoveryStats)
    fetch: FetchStats = field(default_factory=FetchStats)
    load: LoadStats = field(default_factory=LoadStats)
    units: UnitStats = field(default_factory=UnitStats)
    crawl: CrawlStats = field(default_factory=CrawlStats)

    def __add__(self, other: RunStats) -> RunStats:
        return _added(self, other)

    def as_dict(self) -> dict[str, int]:
        """The non-zero counts by name, sorted: the form stored, returned and printed."""
        flat: dict[str, int] = {}
        for stage in self._stages():
            for item in dataclasses.fields(stage):
                value = getattr(stage, item.name)
                if value:
                    flat[item.name] = value
        return dict(sorted(flat.items()))

    def _stages(self) -> tuple[Any, ...]:
        return (self.discovery, self.fetch, self.load, self.units, self.crawl)

    @classmethod
    def from_dict(cls, counts: dict[str, int]) -> Self:
        """The inverse of `as_dict` (a flow's returned counts back into their stages)."""
        stats = cls()
        stages = stats._stages()
        for name, value in counts.items():
            owner = next((s for s in stages if name in {f.name for f in dataclasses.fields(s)}), None)
            if owner is None:
                raise KeyError(f"no run count named {name!r}")
            setattr(owner, name, value)
        return stats


_Stage = TypeVar("_Stage")


def _added(left: _Stage, right: _Stage) -> _Stage:
    values: dict[str, Any] = {}
    for item in dataclasses.fields(left):  # type: ignore[arg-type]
        a, b = getattr(left, item.name), getattr(right, item.name)
        if dataclasses.is_dataclass(a):
            values[item.name] = _added(a, b)
        elif a is None or b is None or item.default is None:
            # An optional count is a level (a table's size), not a flow: the later one stands.
            values[item.name] = b if b is not None else a
        else:
            values[item.name] = a + b
    return type(left)(**values)


def total(stats: Iterable[RunStats]) -> RunStats:
    """The sum of several runs' or units' counts, in order (a level such as `announcements` keeps the last)."""
    result = RunStats()
    for item in stats:
        result = _added(result, item)
    return result
