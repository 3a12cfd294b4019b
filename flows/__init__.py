"""Prefect flows over the iot-ingest library: `ingest`, `backfill` and `reprocess`, and their deployments.

Thin wiring only: every step is a library function that also runs without Prefect.
"""

import os

# Prefect reads its settings at import. Offline, the temporary server's telemetry fails noisily and
# races its own SQLite database (measured.md); an operator's own setting still wins.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# A first start on a fresh PREFECT_HOME migrates its database: 15 s on an idle 2-core machine, more
# on a busy one, past Prefect's default 20 s wait (PrefectHQ/prefect#16397).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
