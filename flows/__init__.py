"""Prefect flows over the iot-ingest library: `ingest`, `backfill` and `reprocess`, and their deployments.

Thin wiring only: every step is a library function that also runs without Prefect.
"""

import os

# Prefect reads its settings at import. Offline, the temporary server's telemetry fails noisily and
# races its own SQLite database (measured.md); an operator's own setting still wins.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
