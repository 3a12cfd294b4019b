"""The Prefect deployments' entry points, imported by workers by module path (`flows.ingest.ingest`,
...). The flows themselves live in `iot_ingest.orchestrate.prefect_flows`, so the library never
imports this package."""
