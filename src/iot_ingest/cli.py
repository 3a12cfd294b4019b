"""The `iot-ingest` command line. Heavy modules load inside the commands that need
them, so `query` and `extract` start fast and never import Prefect."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from iot_ingest import __version__
from iot_ingest.errors import IotIngestError, UsageError

if TYPE_CHECKING:
    from iot_ingest.config import Config

__all__ = ["main"]


# Commands that can run for minutes: they show progress bars on a terminal.
_LONG_COMMANDS = frozenset({"run", "backfill", "reprocess", "fetch", "demo"})


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming what is wrong, and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _common() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        default=None,
        help="DuckDB warehouse file (default: $IOT_INGEST_DB, else warehouse/iot.duckdb)",
    )
    common.add_argument(
        "--config",
        type=Path,
        default=None,
        help="configuration file (default: ./iot-ingest.toml if present, else the built-in sources)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="iot-ingest",
        description="Announcements about programmes of institutes (UK Institutes of Technology unless the "
        "configuration's [[topics]] say otherwise), from the web into a DuckDB warehouse.",
    )
    parser.add_argument("--version", action="version", version=f"iot-ingest {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    common = _common()
    by_source = _Parser(add_help=False)
    by_source.add_argument(
        "--source", action="append", default=[], metavar="NAME", help="only this source (repeatable)"
    )

    cmd = commands.add_parser(
        "import-warc",
        parents=[common],
        help="ingest the response records of WARC / WARC.gz files (no network)",
        description="Archive, extract, deduplicate and load the response records of WARC files. "
        "Unreadable records are recorded in ingest_errors and skipped; importing a file twice changes nothing.",
    )
    cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    cmd.set_defaults(handler=_import_warc)

    cmd = commands.add_parser(
        "run",
        parents=[common, by_source],
        help="incremental ingest of the configured sources",
        description="Fetch what each source has that is new or changed since its last run, and retry "
        "what failed last time. A source that fails is recorded and the others go on.",
    )
    cmd.set_defaults(handler=_run)

    cmd = commands.add_parser(
        "backfill",
        parents=[common, by_source],
        help="ad-hoc backfill of a date range, resumable",
        description="Backfill every (or the named) source over a date range in monthly windows. Each window is "
        "recorded in backfill_windows; a re-run skips done windows unless --force.",
    )
    cmd.add_argument("--since", required=True, type=_day, metavar="YYYY-MM-DD")
    cmd.add_argument("--until", required=True, type=_day, metavar="YYYY-MM-DD")
    cmd.add_argument("--force", action="store_true", help="refetch windows already done")
    cmd.set_defaults(handler=_backfill)

    cmd = commands.add_parser(
        "reprocess",
        parents=[common],
        help="re-extract and re-deduplicate everything from the raw archive (no network)",
        description="Rebuild articles, their URLs and sightings from the raw archive with the current "
        "extractors, in one transaction.",
    )
    cmd.add_argument(
        "--allow-missing",
        action="store_true",
        help="rebuild even if some archived records cannot be read (they are left out and recorded)",
    )
    cmd.set_defaults(handler=_reprocess)

    cmd = commands.add_parser(
        "fetch",
        parents=[common],
        help="fetch URLs politely into the raw archive and the warehouse",
        description="Fetch pages through the polite client (robots.txt, per-host rate limits, retries, "
        "conditional GETs), archive every response and load the articles found. Failed URLs are recorded "
        "in `fetches`; --retry-failed fetches them again.",
    )
    cmd.add_argument("urls", nargs="*", metavar="URL")
    cmd.add_argument("--retry-failed", action="store_true", help="also retry every URL whose last attempt failed")
    cmd.set_defaults(handler=_fetch)

    cmd = commands.add_parser(
        "extract",
        parents=[common],
        help="print one JSON line of extracted article and facts per .html / .html.gz file",
        description="Extract articles from saved pages; touches no database.",
    )
    cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    cmd.add_argument("--url", help="the URL the page was fetched from (default: its canonical link)")
    cmd.add_argument(
        "--by-topic", action="store_true", help="add `topics`: each configured topic's verdict, reasons and facts"
    )
    cmd.set_defaults(handler=_extract)

    cmd = commands.add_parser(
        "query",
        parents=[common],
        help="run SQL on a read-only connection",
        description="Run SQL against the warehouse, read-only. Give the SQL, or --file PATH.sql.",
    )
    cmd.add_argument("sql", nargs="?", metavar="SQL")
    cmd.add_argument("--file", type=Path, help="run the saved query in this .sql file instead")
    cmd.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default=None,
        help="output format (default: a table on a terminal, CSV when piped)",
    )
    cmd.add_argument("--out", type=Path, metavar="FILE", help="write the rows to FILE.parquet, .csv or .json instead")
    _topic_option(cmd, "the views (and saved queries) show this topic only: SET VARIABLE topic")
    cmd.set_defaults(handler=_query)

    cmd = commands.add_parser(
        "serve",
        parents=[common],
        help="run the scheduled deployments (Prefect) until stopped",
        description="Serve the deployments the configuration implies from this process: GOV.UK hourly, the trade "
        "press every six hours, a nightly sweep of failed fetches, and ad-hoc backfill and reprocess. No Prefect "
        "server is needed; with PREFECT_API_URL set, runs are recorded on that server.",
    )
    cmd.set_defaults(handler=_serve)

    cmd = commands.add_parser(
        "deploy",
        parents=[common],
        help="register on the Prefect server the deployments the configuration implies",
        description="Create or update, on the Prefect server PREFECT_API_URL names, the deployments the "
        "configuration implies (those `serve` serves), with parameters naming this --config and --db as absolute "
        "paths, in a process work pool. Workers run them from their own installed iot-ingest.",
    )
    cmd.add_argument("--pool", default=None, metavar="NAME", help="process work pool (default: iot-ingest)")
    cmd.add_argument(
        "--prune", action="store_true", help="remove this project's deployments the configuration no longer implies"
    )
    cmd.set_defaults(handler=_deploy)

    cmd = commands.add_parser(
        "report",
        parents=[common],
        help="write a self-contained HTML report with charts",
        description="Write one HTML page (charts inline, works offline) of the announcements, institutes, "
        "outlet coverage and pipeline health, read from the warehouse without changing it.",
    )
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE.html")
    cmd.add_argument(
        "--feed", action="store_true", help="also write the Atom feed of announcements beside it (FILE.atom)"
    )
    _topic_option(cmd, "report on this topic only")
    cmd.set_defaults(handler=_report)

    cmd = commands.add_parser(
        "feed",
        parents=[common],
        help="write an Atom feed of announcements, newest first",
        description="Write an Atom feed with one entry per announcement, newest first: its UK date, count, sum, "
        "institutes and outlets, links to the original and the copies. Entry ids are stable across runs.",
    )
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE.atom")
    cmd.add_argument("--limit", type=_positive, default=None, metavar="N", help="only the N newest announcements")
    _topic_option(cmd, "only this topic's announcements")
    cmd.set_defaults(handler=_feed)

    cmd = commands.add_parser(
        "demo",
        parents=[common],
        help="what `make demo` runs: serve the sample sites on 127.0.0.1, ingest them, show what was found",
    )
    cmd.set_defaults(handler=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        if args.command in _LONG_COMMANDS:
            from iot_ingest import progress

            with progress.enabled():
                return handler(args)
        return handler(args)
    except IotIngestError as exc:
        print(f"iot-ingest {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"iot-ingest {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `iot-ingest query ... | head`: the reader left; not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("IOT_INGEST_DEBUG"):
            raise
        print(
            f"iot-ingest {args.command}: failed: {type(exc).__name__}: {exc} "
            "(set IOT_INGEST_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 1


def _db(args: argparse.Namespace) -> Path:
    from iot_ingest.warehouse import default_db_path

    return Path(args.db) if args.db else default_db_path()


def _config(args: argparse.Namespace) -> Config:
    from iot_ingest.config import load_config

    return load_config(args.config)


def _import_warc(args: argparse.Namespace) -> int:
    from iot_ingest.ingest import import_warcs
    from iot_ingest.run_summary import print_counts

    print_counts("import-warc", import_warcs(args.paths, _db(args), _config(args)))
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2019-04-10") from None


def _orchestrated() -> bool:
    """run, backfill, reprocess and demo are Prefect flows; IOT_INGEST_NO_PREFECT=1 runs the same run
    loop without Prefect (no temporary server to start: for scripts, cron and crash tests). Either
    way the warehouse, the `runs` row and the printed summary are the same."""
    return os.environ.get("IOT_INGEST_NO_PREFECT", "").lower() not in ("1", "true", "yes")


def _config_arg(args: argparse.Namespace) -> str | None:
    return str(args.config) if args.config else None


def _run(args: argparse.Namespace) -> int:
    from iot_ingest.run_summary import print_summary
    from iot_ingest.stats import RunStats

    db, config = _db(args), _config(args)
    if _orchestrated():
        from iot_ingest.orchestrate.prefect_flows import ingest as ingest_flow

        per_source = ingest_flow(sources=args.source or None, db=str(db), config=_config_arg(args))
        print_summary("run", {name: RunStats.from_dict(counts) for name, counts in per_source.items()}, unit="source")
        return 0
    from iot_ingest.orchestrate import ingest

    print_summary("run", ingest(db, config, args.source).per_unit, unit="source")
    return 0


def _backfill(args: argparse.Namespace) -> int:
    from iot_ingest.run_summary import print_summary
    from iot_ingest.stats import RunStats

    db, config = _db(args), _config(args)
    if args.until < args.since:
        raise UsageError(f"--until {args.until} is before --since {args.since}")
    if _orchestrated():
        from iot_ingest.orchestrate.prefect_flows import backfill_for

        per_window = backfill_for(config)(
            since=args.since,
            until=args.until,
            sources=args.source or None,
            force=args.force,
            db=str(db),
            config=_config_arg(args),
        )
        print_summary("backfill", {name: RunStats.from_dict(c) for name, c in per_window.items()}, unit="window")
        return 0
    from iot_ingest.orchestrate import backfill

    report = backfill(db, config, args.since, args.until, args.source, force=args.force)
    print_summary("backfill", report.per_unit, unit="window")
    return 0


def _reprocess(args: argparse.Namespace) -> int:
    from iot_ingest.run_summary import print_counts
    from iot_ingest.stats import RunStats

    db, config = _db(args), _config(args)
    if _orchestrated():
        from iot_ingest.orchestrate.prefect_flows import reprocess_for

        flow = reprocess_for(config)
        counts = flow(db=str(db), config=_config_arg(args), allow_missing=args.allow_missing)
        print_counts("reprocess", RunStats.from_dict(counts))
        return 0
    from iot_ingest.ingest.reprocess import reprocess

    print_counts("reprocess", reprocess(db, config, allow_missing=args.allow_missing))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from iot_ingest.orchestrate.deployments import serve

    serve(_config(args), db=str(_db(args)), config_path=_config_arg(args))
    return 0


def _deploy(args: argparse.Namespace) -> int:
    from iot_ingest.config import DEFAULT_CONFIG_NAME
    from iot_ingest.orchestrate.deployments import DEFAULT_POOL, deploy

    # The file load_config would read, named in the parameters so a worker reads that one too.
    config_path = args.config or (Path(DEFAULT_CONFIG_NAME) if Path(DEFAULT_CONFIG_NAME).is_file() else None)
    pool = args.pool or DEFAULT_POOL
    changes = deploy(_config(args), db=_db(args), config_path=config_path, pool=pool, prune=args.prune)
    for change in changes:
        print(f"{change.action}\t{change.name}\t{change.schedule}")
    left = [change.name for change in changes if change.action == "left"]
    if left:
        print(f"not implied by the configuration, kept: {', '.join(left)} (--prune removes them)", file=sys.stderr)
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from iot_ingest.ingest.fetch_urls import fetch_urls
    from iot_ingest.run_summary import print_counts

    if not args.urls and not args.retry_failed:
        raise UsageError("give URLs to fetch, or --retry-failed")
    bad = [url for url in args.urls if not url.startswith(("http://", "https://"))]
    if bad:
        raise UsageError(f"not an http(s) URL: {bad[0]}")
    print_counts("fetch", fetch_urls(args.urls, _db(args), _config(args), retry_failed=args.retry_failed))
    return 0


def _extract(args: argparse.Namespace) -> int:
    from iot_ingest.extract_files import extract_files

    _config(args)  # a bad config is an error here too, even if extraction needs none of it
    missing = [str(p) for p in args.paths if not p.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    extract_files(args.paths, _config(args).topic_set(), url=args.url, out=sys.stdout, by_topic=args.by_topic)
    return 0


def _query(args: argparse.Namespace) -> int:
    from iot_ingest.query import default_format, run_query, write_query

    if (args.sql is None) == (args.file is None):
        raise UsageError("give either SQL or --file PATH.sql")
    if args.file is not None:
        try:
            text = args.file.read_text("utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    else:
        text = args.sql
    if args.out is not None:
        if args.format is not None:
            raise UsageError("give --format or --out, not both: --out takes its format from the file name")
        count = write_query(_db(args), _config(args), text, args.out, topic=args.topic)
        print(f"wrote {count} row{'s' if count != 1 else ''} to {args.out}")
        return 0
    output_format = args.format or default_format(sys.stdout)
    run_query(_db(args), _config(args), text, output_format=output_format, out=sys.stdout, topic=args.topic)
    return 0


def _report(args: argparse.Namespace) -> int:
    from iot_ingest.report import write_report

    summary = write_report(_db(args), _config(args), args.out, topic=args.topic)
    print(f"wrote {args.out}: {summary}")
    if args.feed:
        from iot_ingest.notify import write_feed

        feed = args.out.with_suffix(".atom")
        entries = write_feed(_db(args), _config(args), feed, topic=args.topic)
        print(f"wrote {feed}: {entries} announcement{'s' if entries != 1 else ''}")
    return 0


def _topic_option(cmd: argparse.ArgumentParser, what: str) -> None:
    cmd.add_argument("--topic", default=None, metavar="NAME", help=f"a configured topic: {what} (default: all)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give at least 1")
    return value


def _feed(args: argparse.Namespace) -> int:
    from iot_ingest.notify import write_feed

    entries = write_feed(_db(args), _config(args), args.out, limit=args.limit, topic=args.topic)
    print(f"wrote {args.out}: {entries} announcement{'s' if entries != 1 else ''}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from iot_ingest.demo import run_demo
    from iot_ingest.demo.run import DEMO_FIRST_PORT

    # The sample sites' first port; another demo or service on this machine may hold the default.
    port = os.environ.get("IOT_INGEST_DEMO_PORT", str(DEMO_FIRST_PORT))
    if not port.isdigit() or not 1024 <= int(port) <= 65000:
        raise UsageError(f"IOT_INGEST_DEMO_PORT must be a port number (1024-65000), not {port!r}")
    run_demo(_db(args), orchestrated=_orchestrated(), first_port=int(port))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
