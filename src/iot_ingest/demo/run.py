"""`iot-ingest demo` (what `make demo` runs): the sample sites, the `ingest` flow over HTTP, the results."""

from __future__ import annotations

import sys
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from iot_ingest.config import load_config
from iot_ingest.demo.sites import DemoSites
from iot_ingest.demo.webhook import WebhookReceiver

__all__ = ["DEMO_QUERIES", "run_demo"]

DEMO_QUERIES = ("announcements", "relevant_articles")
DEMO_FIRST_PORT = 18_730


def run_demo(db_path: Path, *, orchestrated: bool = True, first_port: int = DEMO_FIRST_PORT) -> None:
    """Serve the sample sites, ingest them (through Prefect unless `orchestrated` is False), show
    what was found. Running it again changes nothing: the sites answer 304 and loads are idempotent.

    The sites listen on ports from `first_port` (the same ones every run, so a second run meets the
    same URLs); demos running side by side need ranges of their own."""
    from iot_ingest.notify import write_feed
    from iot_ingest.query import run_query
    from iot_ingest.run_summary import print_summary
    from iot_ingest.stats import RunStats
    from iot_ingest.warehouse import open_reader
    from iot_ingest.warehouse.sql_files import query_file

    with (
        DemoSites(first_port=first_port) as sites,
        WebhookReceiver() as hook,
        TemporaryDirectory(prefix="iot-ingest-demo-") as tmp,
    ):
        config_path = Path(tmp) / "iot-ingest.toml"
        config_path.write_text(sites.config_toml() + _notify_toml(hook.url), "utf-8")
        config = load_config(config_path)
        print(f"Serving {len(sites.sites)} sample sites on 127.0.0.1; ingesting them into {db_path}\n")
        if orchestrated:
            from iot_ingest.orchestrate.prefect_flows import ingest as ingest_flow

            counts = ingest_flow(db=str(db_path), config=str(config_path))
            per_source = {name: RunStats.from_dict(c) for name, c in counts.items()}
        else:
            from iot_ingest.orchestrate import ingest

            per_source = ingest(db_path, config).per_unit
        print_summary("demo", per_source, unit="source")
        _print_notifications(hook.messages())
    for name in DEMO_QUERIES:
        path = query_file(name)
        print(f"\n-- {path.name}: {path.read_text('utf-8').splitlines()[0].removeprefix('-- ')}")
        run_query(db_path, config, path.read_text("utf-8"), output_format="table", out=sys.stdout)
    feed = db_path.parent / "announcements.atom"
    entries = write_feed(db_path, config, feed)
    print(f"\nAtom feed of {entries} announcements: {feed} (any feed reader; `iot-ingest feed` writes it too)")
    with open_reader(db_path, config) as con:
        row = con.execute("SELECT run_id FROM runs WHERE flow = 'ingest' ORDER BY started_at DESC LIMIT 1").fetchone()
    print(f"\nExplore it yourself: .venv/bin/iot-ingest query --db {db_path} 'SELECT * FROM v_articles'")
    if orchestrated and row:
        print(
            "See the Prefect run: .venv/bin/prefect server start, then open "
            f"http://127.0.0.1:4200/runs/flow-run/{row[0]} (runs are kept in $PREFECT_HOME, ~/.prefect by default)"
        )


def _notify_toml(url: str) -> str:
    # The demo's own webhook receiver stands in for a Slack channel: immediate, every event.
    return f'\n[[notify]]\nname = "demo-webhook"\nurl = "{url}"\ndigest = "immediate"\n'


def _print_notifications(messages: list[dict[str, Any]]) -> None:
    """What the demo's webhook target received: what a Slack or Teams channel would have shown."""
    if not messages:
        print("\nNotifications: none new (every event was already sent to the demo's webhook)")
        return
    print(f"\nNotifications sent to the demo's webhook ({len(messages)}):")
    for message in messages:
        print(f"\n  {message.get('title', '')}")
        for line in str(message.get("message", "")).splitlines():
            print(f"    {line}")
