from __future__ import annotations

from datetime import UTC, datetime

import pytest

from iot_ingest.extract.dates import parse_date, plausible


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-04-10T00:01:00.000+01:00", datetime(2019, 4, 9, 23, 1, tzinfo=UTC)),
        ("2019-04-09T23:01:00Z", datetime(2019, 4, 9, 23, 1, tzinfo=UTC)),
        ("2019-04-10T09:12:00+0100", datetime(2019, 4, 10, 8, 12, tzinfo=UTC)),
        # A date alone is midnight in UK time (BST in April, GMT in December).
        ("2019-04-10", datetime(2019, 4, 9, 23, 0, tzinfo=UTC)),
        ("2021-12-17", datetime(2021, 12, 17, 0, 0, tzinfo=UTC)),
        ("10 April 2019", datetime(2019, 4, 9, 23, 0, tzinfo=UTC)),
        ("Published 17 December 2021", datetime(2021, 12, 17, tzinfo=UTC)),
        ("Posted on November 3, 2022", datetime(2022, 11, 3, tzinfo=UTC)),
        ("3rd Nov. 2022", datetime(2022, 11, 3, tzinfo=UTC)),
        ("10/04/2019", datetime(2019, 4, 9, 23, 0, tzinfo=UTC)),  # day first
        # A naive timestamp is UK time.
        ("2019-04-10T09:00:00", datetime(2019, 4, 10, 8, 0, tzinfo=UTC)),
    ],
)
def test_parse_date(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "yesterday", "31 February 2019", "2019-02-31", "00/00/0000", None])
def test_unparseable_dates_are_none(text: str | None) -> None:
    assert parse_date(text) is None


def test_plausible_rejects_the_future_and_the_distant_past() -> None:
    fetched = datetime(2019, 4, 10, 12, tzinfo=UTC)
    assert plausible(datetime(2019, 4, 10, tzinfo=UTC), not_after=fetched)
    assert not plausible(datetime(2020, 9, 1, tzinfo=UTC), not_after=fetched)
    assert not plausible(datetime(1970, 1, 1, tzinfo=UTC), not_after=fetched)
    assert not plausible(None)


@pytest.mark.parametrize(
    "value", [20190410, 2019.4, ["2019-04-10"], "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"]
)
def test_impossible_or_non_text_dates_are_none_not_errors(value: object) -> None:
    assert parse_date(value) is None
