"""The offline demo: the bundled sample pages, packed as a WARC, imported, and shown."""

from __future__ import annotations

import tomllib
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from tempfile import TemporaryDirectory

from iot_ingest.archive import Capture, RawArchive
from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from iot_ingest.summary import print_counts

__all__ = ["DEMO_QUERIES", "run_demo", "sample_captures", "sample_pages", "write_sample_warc"]

DEMO_QUERIES = ("announcements", "relevant_articles")


def sample_pages() -> Traversable:
    return resources.files("iot_ingest.demo").joinpath("pages")


def sample_captures() -> list[Capture]:
    """Every sample page as a capture, at its URL and at each of its extra URLs (mirrors, variants)."""
    pages = sample_pages()
    manifest = tomllib.loads(pages.joinpath("manifest.toml").read_text("utf-8"))
    captures = []
    for page in manifest["page"]:
        body = pages.joinpath(page["file"]).read_bytes()
        fetched_at = datetime.fromisoformat(page["fetched_at"].replace("Z", "+00:00"))
        headers = (("Content-Type", page["content_type"]),)
        for url in [page["url"], *page.get("extra_urls", [])]:
            captures.append(Capture(url=url, fetched_at=fetched_at, status=200, headers=headers, body=body))
    return captures


def write_sample_warc(directory: Path) -> Path:
    """Pack the sample pages into one WARC.gz in `directory` and return its path."""
    with RawArchive(directory, max_file_bytes=1 << 40) as archive:
        files = {archive.append(capture).file for capture in sample_captures()}
    (name,) = files
    return directory / name


def run_demo(db_path: Path, config: Config | None = None) -> None:
    from iot_ingest.config import load_config
    from iot_ingest.query import run_query
    from iot_ingest.warehouse.sql_files import query_file

    config = config or load_config(None)
    with TemporaryDirectory(prefix="iot-ingest-demo-") as tmp:
        warc = write_sample_warc(Path(tmp))
        print(f"Importing the bundled sample archive ({len(sample_captures())} captures) into {db_path}")
        counts = import_warcs([warc], db_path, config)
    print_counts("import-warc", counts)
    import sys

    for name in DEMO_QUERIES:
        path = query_file(name)
        print(f"\n-- {path.name}: {path.read_text('utf-8').splitlines()[0].removeprefix('-- ')}")
        run_query(db_path, config, path.read_text("utf-8"), output_format="table", out=sys.stdout)
    print(f"\nExplore it yourself: .venv/bin/iot-ingest query --db {db_path} 'SELECT * FROM v_articles'")
