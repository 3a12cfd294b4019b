"""The Prefect deployments' entry points that `prefect.yaml` names. The flows themselves live in
`iot_ingest.orchestrate.prefect_flows`, so the library never imports this package."""
