"""Running the pipeline: the one run loop, the runs users start, and how units of work are mapped.

Nothing here imports Prefect except `iot_ingest.orchestrate.prefect_flows` (the flows and the
Prefect mapper) and `iot_ingest.orchestrate.deployments` (serving them), loaded only by the
commands that use them.
"""

from iot_ingest.orchestrate.jobs import backfill, ingest
from iot_ingest.orchestrate.loop import RunReport, after_loading, run_loop
from iot_ingest.orchestrate.mapper import InProcess, Mapper, Unit

__all__ = ["InProcess", "Mapper", "RunReport", "Unit", "after_loading", "backfill", "ingest", "run_loop"]
