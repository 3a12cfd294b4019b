"""How a run's units of work are carried out: one after another here, or as orchestrator tasks.

A unit's work is a plain function of one picklable argument, returning compact results, so a
mapper may run it in another thread, process or machine (Prefect tasks on a Dask cluster). What
the results are loaded into stays with the caller: the warehouse has one writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

from iot_ingest.units import Unit

__all__ = ["InProcess", "Mapper", "Unit"]

A = TypeVar("A")
R = TypeVar("R")


class Mapper(Protocol):
    def map(self, work: Callable[[A], R], units: Sequence[Unit[A]]) -> Iterator[tuple[Unit[A], R]]:
        """Each unit with its work's result, in the units' order, as each is ready."""
        ...


class InProcess:
    """Every unit in this process, one after another: the default, and what tests and cron use."""

    def map(self, work: Callable[[A], R], units: Sequence[Unit[A]]) -> Iterator[tuple[Unit[A], R]]:
        for unit in units:
            yield unit, work(unit.args)
