"""Topic files read from disk: validated (errors name the file and the field), compiled into a
`Topic`. The built-in topics are files in this package, read the same way as a user's."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from iot_ingest.errors import UsageError
from iot_ingest.extract.facts import KnownInstitute, Registry, Subject, Vocabulary, check_patterns
from iot_ingest.extract.relevance import RelevanceRules, Rule
from iot_ingest.topics.schema import InstituteEntry, RegistryFile, TopicFile
from iot_ingest.topics.topic import Prefilter, Topic

__all__ = ["BUILTIN_DIR", "builtin_topics", "load_topic_file"]

BUILTIN_DIR = Path(__file__).parent  # its registries are in registries/, beside
M = TypeVar("M", bound=BaseModel)


def builtin_topics() -> dict[str, Path]:
    """The topics shipped with the package, by name."""
    return {p.stem: p for p in sorted(BUILTIN_DIR.glob("*.toml"))}


def load_topic_file(path: Path, name: str | None = None) -> Topic:
    """The topic in `path`, known as `name` (else the file's own name, else the file's stem); read
    again when the file or its registry changed (a long-lived `serve` picks up edits)."""
    path = path.resolve()
    stamp = _stamp(path, "topic file")
    registry = _registry_of(path, stamp)
    return _load(path, name, stamp, registry, _stamp(registry, f"topic file {path}: registry") if registry else 0)


def _stamp(path: Path, what: str) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        raise UsageError(f"{what} {path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot read it ({exc.strerror or exc})") from None


@cache
def _registry_of(path: Path, stamp: int) -> Path | None:
    """The registry file a topic file names (read for the cache key; `_load` validates it)."""
    registry = _toml(path, _read(path, "topic file")).get("registry")
    return (path.parent / registry).resolve() if isinstance(registry, str) and registry else None


@cache
def _load(path: Path, name: str | None, stamp: int, registry_path: Path | None, registry_stamp: int) -> Topic:
    text = _read(path, "topic file")
    parsed = _validate(TopicFile, _toml(path, text), path, "topic file")
    institutes = list(parsed.institute)
    if registry_path is not None:
        registry_text = _read(registry_path, f"topic file {path}: registry")
        institutes += _validate(RegistryFile, _toml(registry_path, registry_text), registry_path, "registry").institute
        keys = [i.key for i in institutes]
        if twice := sorted({k for k in keys if keys.count(k) > 1}):
            raise UsageError(f"topic file {path}: institute key {twice[0]!r} is in the file and in its registry")
    topic_name = name or parsed.name or path.stem
    title = parsed.title or topic_name.replace("_", " ").capitalize()
    subject = Subject(Registry(tuple(_known(i) for i in institutes)), _vocabulary(parsed, title))
    try:
        check_patterns(subject.vocabulary)
    except re.error as exc:
        raise UsageError(
            f"topic file {path}: vocabulary: its words do not make valid patterns together: {exc}"
        ) from None
    return Topic(
        name=topic_name,
        title=title,
        relevance=_relevance(parsed),
        prefilter=Prefilter(
            keep=re.compile(parsed.prefilter.keep, re.IGNORECASE) if parsed.prefilter.keep else None,
            raw_hints=tuple(h.encode() for h in parsed.prefilter.raw_hints),
            raw=re.compile(parsed.prefilter.raw.encode()) if parsed.prefilter.raw else None,
        ),
        subject=subject,
        source=str(path),
    )


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise UsageError(f"{what} {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{what} {path}: cannot read it ({exc})") from None


def _toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"topic file {path}: not valid TOML: {exc}") from None


def _validate(model: type[M], data: dict[str, Any], path: Path, what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
        message = first["msg"].removeprefix("Value error, ")
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise UsageError(f"{what} {path}: {where or 'top level'}: {message}{suffix}") from None


def _relevance(parsed: TopicFile) -> RelevanceRules:
    rules = []
    for kind, entries in (
        ("required", parsed.required),
        ("supporting", parsed.supporting),
        ("negative", parsed.negative),
    ):
        for entry in entries:
            rules.append(
                Rule(
                    label=entry.label,
                    pattern=re.compile(entry.pattern, re.IGNORECASE),
                    weight=entry.weight,
                    max_hits=entry.max_hits,
                    kind=kind,
                    context=re.compile(entry.context, re.IGNORECASE) if entry.context else None,
                    min_hits=entry.min_hits,
                )
            )
    return RelevanceRules(threshold=parsed.threshold, rules=tuple(rules))


def _vocabulary(parsed: TopicFile, title: str) -> Vocabulary:
    """The file's vocabulary; every report on a topic uses the words of its title, so they are common words too."""
    words = parsed.vocabulary
    common = dict.fromkeys(
        [*words.common_words, *(w for w in re.findall(r"[a-z][a-z'’-]+", title.lower()) if len(w) > 2)]
    )
    kinds = tuple((kind, tuple(patterns)) for kind, patterns in words.kinds.model_dump().items() if patterns)
    return Vocabulary(
        nouns=tuple(words.nouns),
        name_suffixes=tuple(words.name_suffixes),
        elsewhere=tuple(words.elsewhere),
        organisations=tuple(words.organisations),
        places=tuple(words.places),
        common_words=tuple(common),
        roles=tuple(words.roles),
        kinds=kinds,
    )


def _known(entry: InstituteEntry) -> KnownInstitute:
    return KnownInstitute(
        key=entry.key,
        lead=entry.lead_or_name,
        name=entry.name,
        aliases=tuple(entry.aliases),
        wave=entry.wave,
        partners=tuple(entry.partners),
        places=tuple(entry.places),
        status=entry.status_or_default,
        announced_on=entry.announced_on,
        opened_on=entry.opened_on,
    )
