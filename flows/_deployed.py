"""What a deployment's run does around the package's flow of the same name.

- Parameters are checked in the flow's terms before any work: a bad one ends the run Failed with
  a one-line message naming the parameter (`until ... is before since ...`), logged without a
  traceback, since it is the operator's to fix, not a crash. Wrong types never get this far: the
  deployments enforce their parameter schema when a run is created.
- The task runner is chosen here, on the worker, from the configuration the run names: a flow's
  runner is fixed when its run starts, so a deployment's run (which started with the default
  one) runs the package's flow as a subflow on the Dask runner the configuration asks for, and
  records on its own run how many tasks it sent to the cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from prefect import Flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.states import Failed
from prefect_dask import DaskTaskRunner  # type: ignore[attr-defined]

from iot_ingest.config import Config, load_config
from iot_ingest.errors import IotIngestError, UsageError

__all__ = ["CountingDaskTaskRunner", "checked", "config_of", "known_sources", "on_configured_runner", "refused"]

R = TypeVar("R")


def refused(exc: IotIngestError) -> Any:
    """The Failed state a run ends in for an error the operator can fix: its message, no traceback."""
    get_run_logger().error("%s", exc)
    return Failed(message=str(exc))


def config_of(config: str | None) -> Config:
    """The configuration a run names, read on the worker (a file missing there is a UsageError)."""
    return load_config(Path(config) if config else None)


def known_sources(cfg: Config, sources: Sequence[str] | None) -> None:
    """Every named source is in the configuration (raises a UsageError naming the first that is not)."""
    for name in sources or ():
        try:
            cfg.source(name)
        except UsageError as exc:
            raise UsageError(f"sources: {exc}") from None


class CountingDaskTaskRunner(DaskTaskRunner):
    """prefect-dask's runner, counting by task name what it sends to the cluster."""

    def __init__(self, *args: Any, sent: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent: dict[str, int] = {} if sent is None else sent

    @classmethod
    def like(cls, runner: DaskTaskRunner) -> CountingDaskTaskRunner:
        return cls(
            address=runner.address,
            cluster_class=runner.cluster_class,
            cluster_kwargs=runner.cluster_kwargs,
            adapt_kwargs=runner.adapt_kwargs,
            client_kwargs=runner.client_kwargs,
            performance_report_path=runner.performance_report_path,
        )

    def duplicate(self) -> CountingDaskTaskRunner:
        # The flow engine runs a duplicate: it must count into the same tally.
        twin = CountingDaskTaskRunner.like(self)
        twin.sent = self.sent
        return twin

    def submit(self, task: Any, parameters: dict[str, Any], wait_for: Any = None, dependencies: Any = None) -> Any:
        future = super().submit(task, parameters, wait_for, dependencies)
        self.sent[task.name] = self.sent.get(task.name, 0) + 1
        return future


def on_configured_runner(flow_name: str, chosen: Flow[..., R], plain: Flow[..., R], *args: Any) -> R:
    """Run the package's flow `plain` in this run, or, when the configuration chose a Dask runner
    for it (`chosen`, from `backfill_for` / `reprocess_for`), as a subflow on that runner."""
    if chosen is plain or not isinstance(chosen.task_runner, DaskTaskRunner):
        return plain.fn(*args)
    runner = CountingDaskTaskRunner.like(chosen.task_runner)
    where = runner.address or f"a local cluster ({_workers(runner)} workers)"
    try:
        on_dask = chosen.with_options(task_runner=runner, flow_run_name=f"{flow_name} on dask")  # type: ignore[arg-type]
        return on_dask(*args)
    finally:
        _record(flow_name, where, runner.sent.items())


def _workers(runner: DaskTaskRunner) -> Any:
    return (runner.cluster_kwargs or {}).get("n_workers", "?")


def _record(flow_name: str, where: str, sent: Iterable[tuple[str, int]]) -> None:
    counted = sorted(sent)
    total = sum(count for _, count in counted)
    get_run_logger().info("%d task(s) ran on the Dask cluster at %s", total, where)
    rows = "\n".join(f"| {name} | {count} |" for name, count in counted)
    create_markdown_artifact(
        f"# {total} task(s) on the Dask cluster\n\nCluster: `{where}`\n\n| task | runs |\n|---|---|\n{rows}\n",
        key=f"{flow_name}-dask",
        description=f"How many of the {flow_name} run's tasks ran on the Dask cluster",
    )


def checked(run: Callable[[], R]) -> R | Any:
    """`run()`, or the Failed state of an error the operator can fix."""
    try:
        return run()
    except IotIngestError as exc:
        return refused(exc)
