"""The configuration file (`iot-ingest.toml`, README "Configuration"): TOML, validated at the boundary
into typed models. Each kind of source is its own model, told apart by `kind`."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from iot_ingest.errors import UsageError

if TYPE_CHECKING:
    from iot_ingest.topics import TopicSet

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "DEFAULT_TOPIC",
    "AnySource",
    "ArchiveConfig",
    "CCNewsSource",
    "Config",
    "FeedSource",
    "GovukSearchSource",
    "HttpConfig",
    "ListingSource",
    "NotifyConfig",
    "SitemapSource",
    "SourceConfig",
    "TopicConfig",
    "WarehouseConfig",
    "WaybackSource",
    "load_config",
]

DEFAULT_CONFIG_NAME = "iot-ingest.toml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HttpConfig(_Model):
    user_agent: str = Field(default="iot-ingest/0.1 (+https://github.com/iot-ingest/iot-ingest)", min_length=8)
    allow_private_hosts: list[str] = Field(default_factory=list)
    connect_timeout_s: float = Field(default=10.0, gt=0, le=300)
    read_timeout_s: float = Field(default=30.0, gt=0, le=600)
    total_timeout_s: float = Field(default=90.0, gt=0, le=3600)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=1024**3)
    max_redirects: int = Field(default=5, ge=0, le=20)
    max_attempts: int = Field(default=4, ge=1, le=10)
    retry_after_cap_s: float = Field(default=120.0, ge=0, le=3600)
    global_concurrency: int = Field(default=16, ge=1, le=256)


# How often a source is expected to have something new: GOV.UK publishes through the day, the trade
# press a few times a day. The schedules (`iot-ingest serve`, `iot-ingest deploy`) poll at this rhythm and
# `v_pipeline_health` calls a source stale past twice it.
GOVUK_EVERY_HOURS = 1
PRESS_EVERY_HOURS = 6
CRAWL_EVERY_HOURS = 24 * 31


class _Source(_Model):
    """What every kind of source has: a unique name, politeness, and whether it runs."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    rate_limit: float = Field(default=1.0, gt=0, le=50)
    max_concurrency: int = Field(default=2, ge=1, le=32)
    enabled: bool = True
    # Incremental runs with no state yet look back this far.
    lookback_days: int = Field(default=30, ge=1, le=3660)

    @property
    def address(self) -> str:
        """The URL whose host the source's requests go to (for rate limits and schedules)."""
        raise NotImplementedError

    @property
    def is_govuk(self) -> bool:
        host = urlsplit(self.address).hostname or ""
        return host == "gov.uk" or host.endswith(".gov.uk")

    @property
    def expected_every_hours(self) -> int:
        return GOVUK_EVERY_HOURS if self.is_govuk else PRESS_EVERY_HOURS


class GovukSearchSource(_Source):
    kind: Literal["govuk_search"]
    base_url: str = Field(pattern=r"^https?://")
    query: str = ""
    filter_organisations: list[str] = Field(default_factory=list)
    # A date window holding more results than this is split in two.
    window_max_results: int = Field(default=1000, ge=10, le=10000)
    # The content purpose supergroup searched, or only these subgroups when given (news,
    # speeches_and_statements, ...).
    supergroup: str = Field(default="news_and_communications", pattern=r"^[a-z_]+$")
    subgroups: list[str] = Field(default_factory=list)
    # "phrase" sends `query` in double quotes (GOV.UK matches any one word of a bare query);
    # "any_words" sends it bare and leaves the choosing to the pre-filter.
    query_mode: Literal["phrase", "any_words"] = "phrase"

    @property
    def address(self) -> str:
        return self.base_url

    @property
    def is_govuk(self) -> bool:
        return True  # whatever its host: a loopback fake of GOV.UK keeps GOV.UK's rhythm


class FeedSource(_Source):
    kind: Literal["feed"]
    url: str = Field(pattern=r"^https?://")

    @property
    def address(self) -> str:
        return self.url


class SitemapSource(_Source):
    kind: Literal["sitemap"]
    url: str = Field(pattern=r"^https?://")
    # Only URLs matching this regular expression.
    url_pattern: str | None = None

    @property
    def address(self) -> str:
        return self.url

    @model_validator(mode="after")
    def _pattern_compiles(self) -> SitemapSource:
        if self.url_pattern is not None:
            try:
                re.compile(self.url_pattern)
            except re.error as exc:
                raise ValueError(f"url_pattern is not a regular expression: {exc}") from None
        return self


class ListingSource(_Source):
    kind: Literal["listing"]
    url: str = Field(pattern=r"^https?://")
    # CSS selectors for article links and the next page, and how many pages at most.
    link_selector: str | None = None
    next_selector: str | None = None
    max_pages: int = Field(default=20, ge=1, le=1000)

    @property
    def address(self) -> str:
        return self.url


class WaybackSource(_Source):
    kind: Literal["wayback"]
    base_url: str = Field(pattern=r"^https?://")
    # The URL (or prefix ending in *) whose captures to list.
    url_prefix: str

    @property
    def address(self) -> str:
        return self.url_prefix.rstrip("*")


class CCNewsSource(_Source):
    """Common Crawl News, backfilled by month: one unit of work per WARC file of the month."""

    kind: Literal["ccnews"]
    base_url: str = Field(default="https://data.commoncrawl.org", pattern=r"^https?://")
    # Only records from hosts ending with one of these are read (all hosts when empty).
    host_suffixes: list[str] = Field(default_factory=list)

    @property
    def address(self) -> str:
        return self.base_url

    @property
    def expected_every_hours(self) -> int:
        # A new month of CC-NEWS is backfilled once a month; no incremental run reads it.
        return CRAWL_EVERY_HOURS


AnySource = GovukSearchSource | FeedSource | SitemapSource | ListingSource | WaybackSource | CCNewsSource
SourceConfig = Annotated[AnySource, Field(discriminator="kind")]
SOURCE_KINDS: frozenset[str] = frozenset({"govuk_search", "feed", "sitemap", "listing", "wayback", "ccnews"})
# What a missing field means, said as the configuration's reader would.
_REQUIRED = {"url": "url", "base_url": "base_url", "url_prefix": "url_prefix (the site's URLs to look up)"}


class WarehouseConfig(_Model):
    # How long a writer (or a reader) waits for another process to release the database.
    lock_timeout_s: float = Field(default=30.0, ge=0, le=3600)
    # A long unit commits (and publishes what readers see) at least this often; each commit holds
    # the database for about a tenth of a second plus the copy of the file.
    commit_every_s: float = Field(default=2.0, gt=0, le=3600)


class ArchiveConfig(_Model):
    # Raw WARC files go here; relative paths are relative to the database's directory.
    dir: str = "raw"
    max_file_bytes: int = Field(default=256 * 1024 * 1024, ge=64 * 1024)


class OrchestrationConfig(_Model):
    # A Dask scheduler (tcp://host:8786) that reprocess extraction runs on; $IOT_INGEST_DASK_ADDRESS wins.
    dask_address: str | None = Field(default=None, pattern=r"^(tcp|tls|inproc|ucx)://")
    # With no address: a temporary local Dask cluster of this many workers for a CC-NEWS backfill's
    # WARC files (0: none); $IOT_INGEST_DASK_WORKERS wins.
    dask_local_workers: int = Field(default=0, ge=0, le=256)


NotifyEvent = Literal["announcement.created", "announcement.updated", "source.failing"]
NOTIFY_EVENTS: tuple[NotifyEvent, ...] = ("announcement.created", "announcement.updated", "source.failing")


class NotifyConfig(_Model):
    """A `[[notify]]` target: an Apprise URL, the events it wants, one message each or a daily digest.

    `${NAME}` in the URL is read from the environment when a message is sent, so secrets stay out
    of the file, the warehouse and the logs."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)
    url: str = Field(min_length=3, pattern=r"^[A-Za-z][A-Za-z0-9+.-]*://")
    events: list[NotifyEvent] = Field(default_factory=lambda: list(NOTIFY_EVENTS), min_length=1)
    digest: Literal["immediate", "daily"] = "immediate"
    # The topics whose announcements it is told of (all configured topics when empty).
    topics: list[str] = Field(default_factory=list)


# Followed when the configuration names no topic.
DEFAULT_TOPIC = "institutes_of_technology"


class TopicConfig(_Model):
    """A `[[topics]]` entry: a topic the pipeline follows. Without `file`, a built-in topic."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$")
    # A topic file (docs/topic-files.md); relative paths are relative to the configuration file.
    file: str | None = Field(default=None, min_length=1)


class Config(_Model):
    http: HttpConfig = Field(default_factory=HttpConfig)
    sources: list[SourceConfig] = Field(default_factory=list)
    warehouse: WarehouseConfig = Field(default_factory=WarehouseConfig)
    archive: ArchiveConfig = Field(default_factory=ArchiveConfig)
    orchestration: OrchestrationConfig = Field(default_factory=OrchestrationConfig)
    notify: list[NotifyConfig] = Field(default_factory=list)
    topics: list[TopicConfig] = Field(default_factory=lambda: [TopicConfig(name=DEFAULT_TOPIC)], min_length=1)

    @model_validator(mode="after")
    def _unique_topics(self) -> Config:
        names = [topic.name for topic in self.topics]
        if twice := sorted({name for name in names if names.count(name) > 1}):
            raise ValueError(f"topic name {twice[0]!r} is used twice")
        for target in self.notify:
            if unknown := sorted(set(target.topics) - set(names)):
                raise ValueError(f"notify {target.name!r} subscribes to {unknown[0]!r}, not a configured topic")
        return self

    def topic_set(self) -> TopicSet:
        """The configured topics, read and compiled (cached while their files are unchanged)."""
        from iot_ingest.topics import load_topics

        return load_topics([(t.name, t.file) for t in self.topics])

    @model_validator(mode="after")
    def _unique_source_names(self) -> Config:
        seen: set[str] = set()
        for source in self.sources:
            if source.name in seen:
                raise ValueError(f"source name {source.name!r} is used twice")
            seen.add(source.name)
        return self

    @model_validator(mode="after")
    def _unique_notify_names(self) -> Config:
        names = [target.name for target in self.notify]
        if twice := sorted({name for name in names if names.count(name) > 1}):
            raise ValueError(f"notify name {twice[0]!r} is used twice")
        return self

    def source(self, name: str) -> AnySource:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise UsageError(f"no source named {name!r} in the configuration (known: {known})")


def load_config(path: Path | None = None, *, cwd: Path | None = None) -> Config:
    """The config at `path`, else `iot-ingest.toml` in `cwd` if present, else the built-in sources."""
    if path is None:
        candidate = (cwd or Path.cwd()) / DEFAULT_CONFIG_NAME
        if candidate.is_file():
            path = candidate
    if path is None:
        text = resources.files("iot_ingest").joinpath("default_sources.toml").read_text("utf-8")
        return parse_config(text, origin="built-in sources")
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise UsageError(f"config {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"config {path}: cannot read it ({exc})") from None
    return parse_config(text, origin=str(path), base_dir=path.parent)


def parse_config(text: str, *, origin: str, base_dir: Path | None = None) -> Config:
    """The configuration in `text`; topic files named relative to `base_dir` (else the working
    directory) are found there, and every topic is read, so a bad topic file is a usage error now."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"config {origin}: not valid TOML: {exc}") from None
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise UsageError(f"config {origin}: {_first_problem(exc)}") from None
    base = base_dir or Path.cwd()
    topics = [t.model_copy(update={"file": str((base / t.file).resolve())}) if t.file else t for t in config.topics]
    config = config.model_copy(update={"topics": topics})
    try:
        config.topic_set()
    except UsageError as exc:
        raise UsageError(f"config {origin}: {exc}") from None
    return config


def _first_problem(exc: ValidationError) -> str:
    """One line naming where the first problem is, e.g. `sources[0].name: Input should be ...`."""
    errors = exc.errors()
    first = errors[0]
    where = ""
    kind = None
    parts = list(first["loc"])
    for index, part in enumerate(parts):
        if isinstance(part, str) and part in SOURCE_KINDS and index > 0 and isinstance(parts[index - 1], int):
            kind = part  # the union's branch, not a field the file has
            continue
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "union_tag_invalid":
        where += ".kind"
        message = f"unknown kind {first['input'].get('kind')!r} (known: {', '.join(sorted(SOURCE_KINDS))})"
    elif first["type"] == "missing" and kind is not None and parts and parts[-1] in _REQUIRED:
        message = f"a {kind} source needs {_REQUIRED[str(parts[-1])]}"
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"{where or 'top level'}: {message}{more}"
