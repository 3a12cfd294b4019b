"""A unit of work as the run loop and every mapper see it: a name and one picklable argument.

A leaf module: the kinds of source make units and the orchestration maps them, so neither imports
the other for it (a Dask worker unpickling a unit imports only what its argument needs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Unit"]

A = TypeVar("A")


@dataclass(frozen=True)
class Unit(Generic[A]):
    """One unit of work: its name as an operator reads it, and the argument its work takes."""

    name: str  # "govuk", "govuk 2019-04-01..2019-04-30"
    args: A  # picklable: it may be sent to a worker
    # May run beside the units around it on the flow's task runner (a crawl's WARC files); units
    # that are not (a site's pages, politely paced by one client) run one after another.
    parallel: bool = False
