"""How a run's units of work are carried out: one after another here, or as orchestrator tasks.

A unit's work is a plain function of one picklable argument, returning compact results, so a
mapper may run it in another thread, process or machine (Prefect tasks on a Dask cluster). What
the results are loaded into stays with the caller: the warehouse has one writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

__all__ = ["InProcess", "Mapper", "Unit"]

A = TypeVar("A")
R = TypeVar("R")


@dataclass(frozen=True)
class Unit(Generic[A]):
    """One unit of work: its name as an operator reads it, and the argument its work takes."""

    name: str  # "govuk", "govuk 2019-04-01..2019-04-30"
    args: A  # picklable: it may be sent to a worker
    # May run beside the units around it on the flow's task runner (a crawl's WARC files); units
    # that are not (a site's pages, politely paced by one client) run one after another.
    parallel: bool = False


class Mapper(Protocol):
    def map(self, work: Callable[[A], R], units: Sequence[Unit[A]]) -> Iterator[tuple[Unit[A], R]]:
        """Each unit with its work's result, in the units' order, as each is ready."""
        ...


class InProcess:
    """Every unit in this process, one after another: the default, and what tests and cron use."""

    def map(self, work: Callable[[A], R], units: Sequence[Unit[A]]) -> Iterator[tuple[Unit[A], R]]:
        for unit in units:
            yield unit, work(unit.args)
