"""The README's Operations runbook, run against a real Prefect server."""
