"""The deployments `iot-ingest serve` serves are the ones prefect.yaml declares for a server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import flows.deployments as deployments
from iot_ingest.config import load_config, parse_config

ROOT = Path(__file__).parents[2]


def _declared() -> dict[tuple[str, str], dict[str, Any]]:
    data = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    found = {}
    for item in data["deployments"]:
        flow = item["entrypoint"].rsplit(":", 1)[1]
        found[(flow, item["name"])] = item
    return found


def test_prefect_yaml_declares_what_serve_serves_for_the_built_in_sources(tmp_path: Path) -> None:
    declared = _declared()
    served = {(s.flow, s.name): s for s in deployments.schedules(load_config(None, cwd=tmp_path))}
    assert declared.keys() == served.keys()
    for key, schedule in served.items():
        item = declared[key]
        crons = [entry["cron"] for entry in item.get("schedules", [])]
        assert crons == ([schedule.cron] if schedule.cron else []), key
        assert all(entry["timezone"] == deployments.TIMEZONE for entry in item.get("schedules", []))
        assert (item.get("parameters") or {}) == schedule.parameters, key
        assert item["concurrency_limit"] == 1


def test_govuk_is_hourly_and_the_trade_press_six_hourly() -> None:
    config = parse_config(
        '[[sources]]\nname = "dfe"\nkind = "govuk_search"\nbase_url = "https://www.gov.uk"\n'
        '[[sources]]\nname = "finder"\nkind = "feed"\nurl = "https://www.gov.uk/search/news-and-communications.atom"\n'
        '[[sources]]\nname = "feweek"\nkind = "feed"\nurl = "https://feweek.co.uk/feed/"\n'
        '[[sources]]\nname = "off"\nkind = "feed"\nurl = "https://example.org/feed/"\nenabled = false\n',
        origin="test",
    )
    by_name = {s.name: s for s in deployments.schedules(config, db="/data/iot.duckdb")}
    assert by_name["govuk-hourly"].parameters == {"db": "/data/iot.duckdb", "sources": ["dfe", "finder"]}
    assert by_name["govuk-hourly"].cron == deployments.HOURLY
    assert by_name["trade-press"].parameters["sources"] == ["feweek"]
    assert by_name["nightly-sweep"].parameters == {"db": "/data/iot.duckdb", "sweep_failed": True}


def test_serve_hands_prefect_one_deployment_per_schedule(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import prefect

    handed: list[Any] = []
    monkeypatch.setattr(prefect, "serve", lambda *items, **_: handed.extend(items))
    config = load_config(None, cwd=tmp_path)
    deployments.serve(config, db=str(tmp_path / "iot.duckdb"))
    assert [d.name for d in handed] == [s.name for s in deployments.schedules(config)]
    hourly = next(d for d in handed if d.name == "govuk-hourly")
    assert hourly.schedules[0].schedule.cron == deployments.HOURLY
    assert hourly.parameters["db"] == str(tmp_path / "iot.duckdb")


def test_every_entry_point_loads_the_way_prefect_deploy_reads_it() -> None:
    """`prefect deploy` reads a flow's parameters from its definition in the entry point's file."""
    from prefect.flows import load_flow_from_entrypoint, safe_load_flow_from_entrypoint

    for (flow, _), item in _declared().items():
        entrypoint = str(ROOT / item["entrypoint"])
        parsed = safe_load_flow_from_entrypoint(entrypoint)
        assert parsed is not None and parsed.name == flow, entrypoint
        assert load_flow_from_entrypoint(entrypoint).name == flow
