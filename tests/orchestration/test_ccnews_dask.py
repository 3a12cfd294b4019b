"""A CC-NEWS month backfilled by the Prefect flow with its WARC files spread over a 2-worker Dask
cluster gives the warehouse of the same backfill in one process. Run alone with `-m dask`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from iot_ingest.config import parse_config
from iot_ingest.orchestrate.prefect_flows import backfill as backfill_flow
from iot_ingest.orchestrate.prefect_flows import backfill_for
from tests.integration.test_ccnews_backfill import EXCLUDED
from tests.support.ccnews_fake import CCNewsHost, build_month
from tests.support.crash import table_digests
from tests.support.runs import backfill_counts as backfill

pytestmark = [pytest.mark.integration, pytest.mark.dask]


def test_a_month_on_two_dask_workers_gives_the_warehouse_of_one_process(tmp_path: Path) -> None:
    from prefect_dask import DaskTaskRunner  # type: ignore[attr-defined]

    month = build_month(2019, 4, files=4, records_per_file=200)
    with CCNewsHost(month) as host:
        text = (
            '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
            'allow_private_hosts = ["127.0.0.1"]\n'
            f'[[sources]]\nname = "ccnews"\nkind = "ccnews"\nbase_url = "{host.base}"\n'
            'host_suffixes = [".uk"]\nrate_limit = 50.0\n'
        )
        config_path = tmp_path / "iot-ingest.toml"
        config_path.write_text(text, "utf-8")
        here = tmp_path / "here.duckdb"
        backfill(here, parse_config(text, origin="test"), date(2019, 4, 1), date(2019, 4, 30))
        # Threads, not processes: worker processes would each start a Prefect server of their own
        # (a real cluster points its workers at a Prefect server instead).
        runner = DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": False, "dashboard_address": None},
        )
        spread = tmp_path / "spread.duckdb"
        per_window = backfill_flow.with_options(task_runner=runner)(  # type: ignore[arg-type]
            date(2019, 4, 1), date(2019, 4, 30), sources=["ccnews"], db=str(spread), config=str(config_path)
        )
        threads = tmp_path / "threads.duckdb"  # the flow's default runner: threads in its process
        backfill_flow(date(2019, 4, 1), date(2019, 4, 30), sources=["ccnews"], db=str(threads), config=str(config_path))
    # Each WARC file is a unit of its own, then one closes the window.
    assert per_window["ccnews 2019-04-01..2019-04-30"]["windows_done"] == 1
    files = [counts for name, counts in per_window.items() if name.endswith(".warc.gz")]
    assert len(files) == 4 and all(counts["files_done"] == 1 for counts in files)
    assert sum(counts.get("records_relevant", 0) for counts in files) == len(month.on_topic_urls)
    same = {"distinct": frozenset({"fetches"}), "where": {"responses": "role = 'page'"}}
    expected = table_digests(here, EXCLUDED, **same)  # type: ignore[arg-type]
    assert table_digests(spread, EXCLUDED, **same) == expected  # type: ignore[arg-type]
    assert table_digests(threads, EXCLUDED, **same) == expected  # type: ignore[arg-type]
    # The flow picks its runner from the configuration: a temporary local cluster when asked.
    config = parse_config(text + "[orchestration]\ndask_local_workers = 2\n", origin="test")
    assert type(backfill_for(config).task_runner).__name__ == "DaskTaskRunner"
    assert backfill_for(parse_config(text, origin="test")) is backfill_flow
