"""Run counts: typed per stage, summed by one function, stored and printed flat."""

from __future__ import annotations

import pytest

from iot_ingest.stats import RunStats, total


def test_summing_adds_counts_stage_by_stage_and_keeps_the_later_level() -> None:
    first = RunStats.from_dict({"discovered": 4, "prefiltered": 1, "refused": 2, "fetched": 3, "announcements": 7})
    second = RunStats.from_dict({"discovered": 1, "unchanged": 1, "fetched": 1, "sources_done": 1})
    summed = total([first, second])
    assert summed.discovery.discovered == 5 and summed.fetch.fetched == 4
    # Pre-filtered items and robots refusals are different things, counted apart.
    assert (summed.discovery.prefiltered, summed.discovery.unchanged, summed.fetch.refused) == (1, 1, 2)
    assert summed.load.announcements == 7  # a table's size, not summed
    assert total([summed, RunStats.from_dict({"announcements": 9})]).load.announcements == 9
    assert summed == first + second


def test_flat_form_is_non_zero_sorted_and_round_trips() -> None:
    stats = RunStats.from_dict({"windows_skipped": 1, "attempts": 0, "articles_new": 2})
    assert stats.as_dict() == {"articles_new": 2, "windows_skipped": 1}
    assert RunStats.from_dict(stats.as_dict()) == stats
    assert total([]).as_dict() == {}


def test_an_unknown_count_name_is_an_error() -> None:
    with pytest.raises(KeyError, match="skipped"):
        RunStats.from_dict({"skipped": 1})
