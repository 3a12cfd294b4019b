"""The configuration file (CONTRACT.md): TOML, validated at the boundary into typed models."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from iot_ingest.errors import UsageError

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "ArchiveConfig",
    "Config",
    "HttpConfig",
    "NotifyConfig",
    "SourceConfig",
    "WarehouseConfig",
    "load_config",
]

DEFAULT_CONFIG_NAME = "iot-ingest.toml"

SourceKind = Literal["govuk_search", "feed", "sitemap", "listing", "wayback", "ccnews"]
_NEEDS_BASE_URL: frozenset[str] = frozenset({"govuk_search", "wayback"})
# Sources that need no address of their own: they default to a well-known host.
_DEFAULT_BASE_URL: dict[str, str] = {"ccnews": "https://data.commoncrawl.org"}


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


class SourceConfig(_Model):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    kind: SourceKind
    base_url: str | None = Field(default=None, pattern=r"^https?://")
    url: str | None = Field(default=None, pattern=r"^https?://")
    query: str | None = None
    filter_organisations: list[str] = Field(default_factory=list)
    rate_limit: float = Field(default=1.0, gt=0, le=50)
    max_concurrency: int = Field(default=2, ge=1, le=32)
    enabled: bool = True
    # Incremental runs with no state yet look back this far.
    lookback_days: int = Field(default=30, ge=1, le=3660)
    # govuk_search: a date window holding more results than this is split in two.
    window_max_results: int = Field(default=1000, ge=10, le=10000)
    # govuk_search: the content purpose supergroup searched, or only these subgroups when given
    # (news, speeches_and_statements, ...).
    supergroup: str = Field(default="news_and_communications", pattern=r"^[a-z_]+$")
    subgroups: list[str] = Field(default_factory=list)
    # govuk_search: "phrase" sends `query` in double quotes (GOV.UK matches any one word of a bare
    # query); "any_words" sends it bare and leaves the choosing to the pre-filter.
    query_mode: Literal["phrase", "any_words"] = "phrase"
    # sitemap: only URLs matching this regular expression.
    url_pattern: str | None = None
    # listing: CSS selectors for article links and the next page, and how many pages at most.
    link_selector: str | None = None
    next_selector: str | None = None
    max_pages: int = Field(default=20, ge=1, le=1000)
    # wayback: the URL (or prefix ending in *) whose captures to list.
    url_prefix: str | None = None

    # --- ccnews (Common Crawl News, backfilled by month) ---------------------------------------
    # base_url defaults to the Common Crawl data host; only records from hosts ending with one of
    # `host_suffixes` are read (all hosts when empty).
    host_suffixes: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _default_address(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("kind") in _DEFAULT_BASE_URL and not data.get("base_url"):
            return {**data, "base_url": _DEFAULT_BASE_URL[data["kind"]]}
        return data

    @model_validator(mode="after")
    def _has_an_address(self) -> SourceConfig:
        if self.kind in _DEFAULT_BASE_URL:
            return self
        if self.kind in _NEEDS_BASE_URL and not self.base_url:
            raise ValueError(f"a {self.kind} source needs base_url")
        if self.kind not in _NEEDS_BASE_URL and not self.url:
            raise ValueError(f"a {self.kind} source needs url")
        if self.kind == "wayback" and not self.url_prefix:
            raise ValueError("a wayback source needs url_prefix (the site's URLs to look up)")
        if self.url_pattern is not None:
            try:
                re.compile(self.url_pattern)
            except re.error as exc:
                raise ValueError(f"url_pattern is not a regular expression: {exc}") from None
        return self


class WarehouseConfig(_Model):
    # How long a writer (or a reader) waits for another process to release the database.
    lock_timeout_s: float = Field(default=30.0, ge=0, le=3600)


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


class Config(_Model):
    http: HttpConfig = Field(default_factory=HttpConfig)
    sources: list[SourceConfig] = Field(default_factory=list)
    warehouse: WarehouseConfig = Field(default_factory=WarehouseConfig)
    archive: ArchiveConfig = Field(default_factory=ArchiveConfig)
    orchestration: OrchestrationConfig = Field(default_factory=OrchestrationConfig)
    notify: list[NotifyConfig] = Field(default_factory=list)

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

    def source(self, name: str) -> SourceConfig:
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
    return parse_config(text, origin=str(path))


def parse_config(text: str, *, origin: str) -> Config:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"config {origin}: not valid TOML: {exc}") from None
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise UsageError(f"config {origin}: {_first_problem(exc)}") from None


def _first_problem(exc: ValidationError) -> str:
    """One line naming where the first problem is, e.g. `sources[0].name: Input should be ...`."""
    errors = exc.errors()
    first = errors[0]
    where = ""
    for part in first["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    message = first["msg"].removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"{where or 'top level'}: {message}{more}"
