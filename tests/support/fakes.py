"""Loopback fakes of the services iot-ingest reads: GOV.UK, a WordPress trade-press site and the Wayback Machine.

Each fake is a real HTTP/1.1 server on 127.0.0.1 (keep-alive included) with its own event loop in a
background thread, built like `FaultServer`: `start()`, `stop()`, `url(path)`, a `requests` log of
`Seen` records (path with query, host, headers, start time) and `count(prefix)`. They behave like the
real services where it matters to a crawler: strict parameter validation and 422s on the Search API,
finder Atom feeds whose entry ids change on update, conditional GET on WordPress feeds, gzipped
sitemaps served as files (not Content-Encoding), CDX rows with a header row, and raw `id_` replays.

Every absolute URL in a response uses the fake's own base URL (`http://127.0.0.1:PORT`), except
GOV.UK's canonical links and `web_url`s, which use `public_base` (by default `https://www.gov.uk`),
as the real pages do.

Run the self-check from the project root: `.venv/bin/python -m tests.support.fakes`.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import gzip
import hashlib
import html
import json
import re
import time
import traceback
import uuid
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from iot_ingest.demo.govuk_query import search_score
from tests.support.loopback import LoopbackServer, Seen

__all__ = [
    "CDX_FIELDS",
    "DFE",
    "FINDER_FEED_SIZE",
    "MAX_COUNT",
    "FakeGovUk",
    "FakeTradePress",
    "FakeWayback",
    "GovItem",
    "LoopbackFake",
    "PressItem",
    "Reply",
    "Snapshot",
    "cdx_digest",
    "content_id",
    "org_title",
    "sample_dataset",
    "surt",
]

LONDON = ZoneInfo("Europe/London")
DFE = "department-for-education"


# ---- shared plumbing ---------------------------------------------------------------------------


@dataclass
class Reply:
    """One HTTP response, as a route returns it."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _text(status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> Reply:
    return Reply(status, text.encode("utf-8"), content_type)


def _json(status: int, data: Any) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


def _redirect(location: str, status: int = 301) -> Reply:
    return Reply(status, b"", "text/html; charset=utf-8", {"Location": location})


class LoopbackFake(LoopbackServer):
    """A loopback server answering each request with a `Reply` from `route`."""

    # ---- HTTP ------------------------------------------------------------------------------
    def route(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        raise NotImplementedError

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                try:
                    method, target, version = lines[0].split(" ", 2)
                except ValueError:
                    return
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        headers[key.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or "0")
                if length:
                    await reader.readexactly(length)
                self.requests.append(Seen(target, headers.get("host", "").split(":")[0], headers, time.monotonic()))
                if method not in {"GET", "HEAD"}:
                    reply = _text(405, "method not allowed")
                    reply.headers["Allow"] = "GET, HEAD"
                else:
                    try:
                        reply = self.route(method, target, headers)
                    except Exception:
                        reply = _text(500, traceback.format_exc())
                await self._send(writer, reply, head_only=method == "HEAD")
                if headers.get("connection", "").lower() == "close" or version.strip() == "HTTP/1.0":
                    return
        except asyncio.CancelledError:
            return  # stop() cancels idle handlers; ending normally keeps asyncio's stream callback quiet on 3.11
        finally:
            self._writers.discard(writer)
            if not writer.is_closing():
                writer.close()

    async def _send(self, writer: asyncio.StreamWriter, reply: Reply, *, head_only: bool) -> None:
        try:
            phrase = HTTPStatus(reply.status).phrase
        except ValueError:
            phrase = "Unknown"
        body = b"" if reply.status == 304 else reply.body
        head: dict[str, str] = {"Date": format_datetime(datetime.now(UTC), usegmt=True)}
        if reply.status != 304:
            head["Content-Type"] = reply.content_type
        head["Content-Length"] = str(len(body))
        head.update(reply.headers)
        text = f"HTTP/1.1 {reply.status} {phrase}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
        writer.write(text.encode("latin-1") + (b"" if head_only else body))
        await writer.drain()


# ---- dates and text -----------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    """`2019-04-10T08:00:00+00:00`."""
    return _utc(moment).isoformat(timespec="seconds")


def _iso_ms(moment: datetime) -> str:
    """`2019-04-10T08:00:00.000+00:00`, as the Content API writes it."""
    return _utc(moment).isoformat(timespec="milliseconds")


def _iso_london(moment: datetime) -> str:
    """`2019-04-10T09:00:00+01:00`, as GOV.UK pages write it in their head."""
    return _utc(moment).astimezone(LONDON).isoformat(timespec="seconds")


def _http_date(moment: datetime) -> str:
    return format_datetime(_utc(moment), usegmt=True)


def _rfc822(moment: datetime) -> str:
    """`Wed, 10 Apr 2019 08:00:00 +0000`, as WordPress writes pubDate."""
    return _utc(moment).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _long_date(moment: datetime) -> str:
    """`10 April 2019`, the London date people see on the page."""
    local = _utc(moment).astimezone(LONDON)
    return f"{local.day} {local:%B %Y}"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _words(text: str) -> list[str]:
    """Lower-cased word tokens, with a plural `s` dropped so `institutes` finds `institute`."""
    out = []
    for word in re.findall(r"[\w£]+", text.lower()):
        out.append(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return out


def _matches_all(query: str, haystack: str) -> bool:
    wanted = _words(query)
    have = set(_words(haystack))
    return all(word in have for word in wanted)


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("&", "and").replace("'", "")).strip("-")


# ---- GOV.UK -----------------------------------------------------------------------------------


@dataclass
class GovItem:
    base_path: str
    title: str
    description: str
    first_published_at: datetime
    public_timestamp: datetime
    organisations: list[str]
    body_html: str
    document_type: str = "press_release"
    content_api_fails: bool = False
    # What became of it: None (live), "withdrawn", "redirect" (to `destination`), "gone" (with an
    # explanation, and `destination` as the alternative path if any) or "gone_410" (no explanation).
    # The search index still lists unpublished items for a while, so a source meets them.
    unpublished: str | None = None
    destination: str | None = None
    explanation: str | None = None

    @property
    def subgroup(self) -> str:
        return _SUBGROUPS.get(self.document_type, "news")


_ORG_TITLES = {
    "department-for-education": ("Department for Education", "DfE"),
    "education-and-skills-funding-agency": ("Education and Skills Funding Agency", "ESFA"),
    "prime-ministers-office-10-downing-street": ("Prime Minister's Office, 10 Downing Street", "No. 10"),
    "hm-treasury": ("HM Treasury", "HMT"),
    "department-for-business-energy-and-industrial-strategy": (
        "Department for Business, Energy & Industrial Strategy",
        "BEIS",
    ),
    "department-for-digital-culture-media-sport": ("Department for Digital, Culture, Media & Sport", "DCMS"),
    "department-for-science-innovation-and-technology": ("Department for Science, Innovation and Technology", "DSIT"),
    "institute-for-apprenticeships-and-technical-education": (
        "Institute for Apprenticeships and Technical Education",
        "IfATE",
    ),
    "ofsted": ("Ofsted", "Ofsted"),
    "ofqual": ("Ofqual", "Ofqual"),
}
_SMALL_WORDS = {"and", "for", "of", "the", "in", "on", "to", "a", "an", "at", "by"}
_DISPLAY_TYPES = {
    "press_release": "Press release",
    "news_story": "News story",
    "government_response": "Government response",
    "world_news_story": "World news story",
    "speech": "Speech",
    "written_statement": "Written statement to Parliament",
}
# govuk_document_types' supertypes: content_purpose_subgroup by document type; both groups are in
# the supergroup news_and_communications (with updates_and_alerts, not served here).
_SUBGROUPS = {
    "press_release": "news", "news_story": "news", "world_news_story": "news", "case_study": "news",
    "fatality_notice": "news", "speech": "speeches_and_statements", "written_statement": "speeches_and_statements",
    "oral_statement": "speeches_and_statements", "authored_article": "speeches_and_statements",
    "government_response": "speeches_and_statements",
}  # fmt: skip
_SUPERGROUPS = {"news": "news_and_communications", "speeches_and_statements": "news_and_communications"}
_GOVERNMENTS = (
    # (from, slug, title): GOV.UK counts 2015 to 2024 as one Conservative government.
    (datetime(2010, 5, 12, tzinfo=UTC), "2010-to-2015-conservative-and-liberal-democrat-coalition-government",
     "2010 to 2015 Conservative and Liberal Democrat coalition government"),
    (datetime(2015, 5, 8, tzinfo=UTC), "2015-conservative-government", "2015 Conservative government"),
    (datetime(2024, 7, 5, tzinfo=UTC), "2024-labour-government", "2024 Labour government"),
)  # fmt: skip
_SEARCH_PARAMS = frozenset(
    {
        "q",
        "count",
        "start",
        "order",
        "fields",
        "filter_organisations",
        "filter_content_purpose_subgroup",
        "filter_content_purpose_supergroup",
        "filter_public_timestamp",
    }
)
_SINGLE_PARAMS = ("q", "count", "start", "order", "filter_public_timestamp")
_RETURN_FIELDS = (
    "title",
    "link",
    "description",
    "public_timestamp",
    "format",
    "content_store_document_type",
    "organisations",
    "content_id",
    "display_type",
    "content_purpose_subgroup",
)
_DEFAULT_FIELDS = ("description", "format", "link", "organisations", "public_timestamp", "title")
_CROWN_COPYRIGHT = (
    "https://www.nationalarchives.gov.uk/information-management/re-using-public-sector-information/"
    "uk-government-licensing-framework/crown-copyright/"
)
MAX_COUNT = 1500
MAX_START = 900_000
FINDER_FEED_SIZE = 20


def org_title(slug: str) -> str:
    """The organisation's name: known ones by table, others in title case from the slug."""
    if slug in _ORG_TITLES:
        return _ORG_TITLES[slug][0]
    words = slug.split("-")
    return " ".join(w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words))


def content_id(base_path: str) -> str:
    """A stable content id for a base path (uuid5 in the URL namespace)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://www.gov.uk{base_path}"))


def _government(moment: datetime) -> tuple[str, str, bool]:
    chosen = _GOVERNMENTS[0]
    for entry in _GOVERNMENTS:
        if _utc(moment) >= entry[0]:
            chosen = entry
    return chosen[1], chosen[2], chosen is _GOVERNMENTS[-1]


class FakeGovUk(LoopbackFake):
    """GOV.UK's Search API, Content API, finder Atom feed and rendered news pages, for a list of items."""

    def __init__(self, items: list[GovItem], *, public_base: str | None = "https://www.gov.uk") -> None:
        super().__init__()
        self.items = items
        self.public_base = public_base

    # ---- helpers for tests -----------------------------------------------------------------
    def page_url(self, item: GovItem) -> str:
        return self.url(item.base_path)

    def content_url(self, item: GovItem) -> str:
        return self.url(f"/api/content{item.base_path}")

    def _public(self, path: str) -> str:
        return f"{self.public_base or self.base}{path}"

    def _find(self, base_path: str) -> GovItem | None:
        return next((i for i in self.items if i.base_path == base_path), None)

    # ---- routing ---------------------------------------------------------------------------
    def route(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        path = parts.path
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if path == "/robots.txt":
            return _text(200, "User-agent: *\nDisallow: /*/print$\nDisallow: /search/all*\n")
        if path == "/api/search.json":
            return self._search(pairs)
        if path.startswith("/api/content/"):
            return self._content(path.removeprefix("/api/content"))
        if path == "/search/news-and-communications.atom":
            return self._finder_atom(pairs)
        item = self._find(path)
        if item is not None and item.unpublished == "redirect" and item.destination:
            return _redirect(item.destination)
        if item is not None and item.unpublished in {"gone", "gone_410"}:
            return _text(410, self._gone_page(item), "text/html; charset=utf-8")
        if item is not None:
            return self._page(item)
        return _text(404, self._not_found_page(), "text/html; charset=utf-8")

    # ---- Search API ------------------------------------------------------------------------
    def _search(self, pairs: list[tuple[str, str]]) -> Reply:
        params: dict[str, list[str]] = {}
        for name, value in pairs:
            params.setdefault(name, []).append(value)
        errors: list[str] = []
        unexpected = []
        for name in params:
            if name in _SEARCH_PARAMS:
                continue
            if name.startswith(("filter_", "reject_")):
                kind, _, fieldname = name.partition("_")
                errors.append(f'"{fieldname}" is not a valid {kind} field')
            else:
                unexpected.append(name)
        if unexpected:
            errors.append(f"Unexpected parameters: {', '.join(unexpected)}")
        for name in _SINGLE_PARAMS:
            if len(params.get(name, [])) > 1:
                errors.append(f'Too many values ({len(params[name])}) for parameter "{name}" (must occur at most once)')
        single = {name: params[name][0] for name in _SINGLE_PARAMS if params.get(name)}

        def integer(name: str, default: int) -> int:
            raw = single.get(name)
            if raw is None:
                return default
            try:
                value = int(raw, 10)
            except ValueError:
                errors.append(f'Invalid value "{raw}" for parameter "{name}" (expected positive integer)')
                return default
            if value < 0:
                errors.append(f'Invalid negative value "{raw}" for parameter "{name}" (expected positive integer)')
                return default
            return value

        count, start = integer("count", 10), integer("start", 0)
        if count > MAX_COUNT:
            errors.append(f'Invalid value "{count}" for parameter "count" (maximum is {MAX_COUNT})')
        if start > MAX_START:
            errors.append(f'Invalid value "{start}" for parameter "start" (maximum is {MAX_START})')
        order = single.get("order")
        if order is not None and order not in {"public_timestamp", "-public_timestamp"}:
            errors.append(f'"{order.removeprefix("-")}" is not a valid sort field')
        fields = [f for value in params.get("fields", []) for f in value.split(",") if f]
        bad_fields = [f for f in fields if f not in _RETURN_FIELDS]
        if bad_fields:
            errors.append(f"Some requested fields are not valid return fields: {json.dumps(bad_fields)}")
        since, until = self._date_range(single.get("filter_public_timestamp"), errors)
        if errors:
            return _json(422, {"error": ". ".join(errors)})

        query = single.get("q", "").strip()
        organisations = set(params.get("filter_organisations", []))
        subgroups = params.get("filter_content_purpose_subgroup")
        supergroups = params.get("filter_content_purpose_supergroup")
        scores: dict[str, float] = {}
        matching = []
        for item in self.items:
            if item.unpublished == "withdrawn":
                continue  # left out unless asked for
            if query:
                scores[item.base_path] = search_score(query, item.title, item.description, item.body_html)
                if not scores[item.base_path]:
                    continue
            if organisations and not organisations.intersection(item.organisations):
                continue
            if subgroups is not None and item.subgroup not in subgroups:
                continue
            if supergroups is not None and _SUPERGROUPS.get(item.subgroup) not in supergroups:
                continue
            day = _utc(item.public_timestamp).date()
            if (since is not None and day < since) or (until is not None and day > until):
                continue
            matching.append(item)

        def score(item: GovItem) -> float:
            return scores.get(item.base_path, 1.0)

        if order is None:
            matching.sort(key=lambda i: (score(i), _utc(i.public_timestamp), i.base_path), reverse=True)
        else:
            matching.sort(key=lambda i: (_utc(i.public_timestamp), i.base_path), reverse=order.startswith("-"))
        page = matching[start : start + count]
        chosen = fields or list(_DEFAULT_FIELDS)
        results = []
        for item in page:
            full = self._search_fields(item)
            result: dict[str, Any] = {name: full[name] for name in chosen}
            result.update(
                {
                    "index": "govuk",
                    "es_score": score(item) if order is None else None,
                    "_id": item.base_path,
                    "elasticsearch_type": "edition",
                    "document_type": "edition",
                }
            )
            results.append(result)
        return _json(
            200, {"results": results, "total": len(matching), "start": start, "aggregates": {}, "suggested_queries": []}
        )

    @staticmethod
    def _date_range(raw: str | None, errors: list[str]) -> tuple[date | None, date | None]:
        if raw is None:
            return None, None
        bounds: dict[str, date | None] = {}
        for part in raw.split(","):
            key, _, value = part.partition(":")
            try:
                bounds[key.strip()] = datetime.fromisoformat(value.strip()).date()
            except ValueError:
                errors.append(f'Invalid value "{value}" for parameter "public_timestamp" (expected ISO8601 date)')
        return bounds.get("from"), bounds.get("to")

    def _search_fields(self, item: GovItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "link": item.base_path,
            "description": item.description,
            "public_timestamp": _iso(item.public_timestamp),
            "format": "news_article",
            "content_store_document_type": item.document_type,
            "organisations": [
                {
                    "slug": slug,
                    "title": org_title(slug),
                    "link": f"/government/organisations/{slug}",
                    "content_id": content_id(f"/government/organisations/{slug}"),
                    "organisation_state": "live",
                }
                for slug in item.organisations
            ],
            "content_id": content_id(item.base_path),
            "display_type": _DISPLAY_TYPES.get(item.document_type, "News story"),
            "content_purpose_subgroup": item.subgroup,
        }

    # ---- Content API -----------------------------------------------------------------------
    def _content(self, base_path: str) -> Reply:
        item = self._find(base_path)
        if item is None:
            above = self._above(base_path)
            if above is not None:
                # A path below another item's base path: content-store sends the client there.
                return _redirect(f"/api/content{above.base_path}", 303)
            return Reply(404, b"", "application/json; charset=utf-8")
        if item.content_api_fails:
            return _text(503, "<h1>Service unavailable</h1>", "text/html; charset=utf-8")
        if item.unpublished == "gone_410":
            return Reply(410, b"", "application/json; charset=utf-8")
        if item.unpublished == "redirect":
            data = self.redirect_item(item)
        elif item.unpublished == "gone":
            data = self.gone_item(item)
        else:
            data = self.content_item(item)
        return Reply(
            200,
            json.dumps(data, ensure_ascii=False).encode("utf-8"),
            "application/json; charset=utf-8",
            {"Cache-Control": "max-age=300, public"},
        )

    def _above(self, path: str) -> GovItem | None:
        for item in self.items:
            if path.startswith(item.base_path.rstrip("/") + "/"):
                return item
        return None

    def redirect_item(self, item: GovItem) -> dict[str, Any]:
        """The Content API's JSON for a redirected item (shaped like alphagov's redirect example)."""
        stamp = _iso_ms(item.public_timestamp)
        return {
            "analytics_identifier": None,
            "base_path": item.base_path,
            "content_id": None,
            "document_type": "redirect",
            "first_published_at": stamp,
            "locale": "en",
            "phase": "live",
            "public_updated_at": stamp,
            "publishing_app": "whitehall",
            "rendering_app": None,
            "schema_name": "redirect",
            "title": None,
            "updated_at": stamp.replace("+00:00", "Z"),
            "withdrawn_notice": {},
            "publishing_request_id": None,
            "links": {},
            "description": None,
            "details": {},
            "redirects": [{"path": item.base_path, "type": "exact", "destination": item.destination}],
        }

    def gone_item(self, item: GovItem) -> dict[str, Any]:
        """The Content API's JSON for an unpublished item with an explanation."""
        return {
            "base_path": item.base_path,
            "content_id": content_id(item.base_path),
            "locale": "en",
            "title": None,
            "description": None,
            "document_type": "gone",
            "publishing_app": "whitehall",
            "schema_name": "gone",
            "details": {
                "explanation": f'<div class="govspeak"><p>{_esc(item.explanation or "")}</p> </div>',
                "alternative_path": item.destination or "",
            },
            "updated_at": _iso_ms(item.public_timestamp).replace("+00:00", "Z"),
            "public_updated_at": None,
            "links": {},
        }

    def content_item(self, item: GovItem) -> dict[str, Any]:
        """The Content API's JSON for an item (shaped like alphagov's news_article examples)."""
        first, public = _iso_ms(item.first_published_at), _iso_ms(item.public_timestamp)
        slug, gov_title, current = _government(item.first_published_at)
        orgs = [self._org_link(s) for s in item.organisations]
        history = [{"public_timestamp": first, "note": "First published."}]
        if _utc(item.public_timestamp) > _utc(item.first_published_at):
            history.insert(0, {"public_timestamp": public, "note": "Updated with further details."})
        updated = _utc(item.public_timestamp) + timedelta(minutes=17, seconds=3, milliseconds=412)
        return {
            "analytics_identifier": None,
            "base_path": item.base_path,
            "content_id": content_id(item.base_path),
            "description": item.description,
            "details": {
                "body": item.body_html,
                "change_history": history,
                "emphasised_organisations": [o["content_id"] for o in orgs[:1]],
                "first_public_at": first,
                "government": {"current": current, "slug": slug, "title": gov_title},
                "political": False,
                "tags": {"browse_pages": [], "policies": [], "topics": []},
            },
            "document_type": item.document_type,
            "first_published_at": first,
            "links": {
                "government": [
                    {
                        "content_id": content_id(f"/government/{slug}"),
                        "title": gov_title,
                        "locale": "en",
                        "api_path": f"/api/content/government/{slug}",
                        "base_path": f"/government/{slug}",
                        "document_type": "government",
                        "details": {"current": current},
                        "links": {},
                        "api_url": self._public(f"/api/content/government/{slug}"),
                        "web_url": self._public(f"/government/{slug}"),
                    }
                ],
                "organisations": orgs,
                "primary_publishing_organisation": orgs[:1],
                "people": [],
            },
            "locale": "en",
            "phase": "live",
            "public_updated_at": public,
            "publishing_app": "whitehall",
            "rendering_app": "frontend",
            "schema_name": "news_article",
            "title": item.title,
            "updated_at": updated.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "withdrawn_notice": (
                {
                    "explanation": f'<div class="govspeak"><p>{_esc(item.explanation or "")}</p></div>',
                    "withdrawn_at": _iso_london(item.public_timestamp),
                }
                if item.unpublished == "withdrawn"
                else {}
            ),
        }

    def _org_link(self, slug: str) -> dict[str, Any]:
        path = f"/government/organisations/{slug}"
        return {
            "analytics_identifier": _ORG_TITLES.get(slug, ("", slug.upper()[:4]))[1],
            "api_path": f"/api/content{path}",
            "base_path": path,
            "content_id": content_id(path),
            "document_type": "organisation",
            "locale": "en",
            "schema_name": "organisation",
            "title": org_title(slug),
            "withdrawn": False,
            "details": {"brand": slug, "logo": {"formatted_title": org_title(slug), "crest": "single-identity"}},
            "links": {},
            "api_url": self._public(f"/api/content{path}"),
            "web_url": self._public(path),
        }

    # ---- finder Atom feed ------------------------------------------------------------------
    def _finder_atom(self, pairs: list[tuple[str, str]]) -> Reply:
        keywords = " ".join(v for k, v in pairs if k == "keywords").strip()
        chosen = [i for i in self.items if not keywords or _matches_all(keywords, f"{i.title} {i.description}")]
        chosen.sort(key=lambda i: (_utc(i.public_timestamp), i.base_path), reverse=True)
        chosen = chosen[:FINDER_FEED_SIZE]
        newest = max((_utc(i.public_timestamp) for i in chosen), default=datetime(2015, 1, 1, tzinfo=UTC))
        entries = []
        for item in chosen:
            stamp = _utc(item.public_timestamp)
            entries.append(
                "  <entry>\n"
                # finder-frontend's entry id: tag:<host>,<first published date>:<path>, unchanged by updates.
                f"    <id>tag:www.gov.uk,{_utc(item.first_published_at):%Y-%m-%d}:{_esc(item.base_path)}</id>\n"
                f"    <updated>{_iso(stamp)}</updated>\n"
                f'    <link rel="alternate" type="text/html" href="{_esc(self.base + item.base_path)}"/>\n'
                f"    <title>{_esc(item.title)}</title>\n"
                f'    <summary type="html">{_esc(item.description)}</summary>\n'
                "  </entry>\n"
            )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">\n'
            "  <id>tag:www.gov.uk,2005:/search/news-and-communications</id>\n"
            f'  <link rel="alternate" type="text/html" href="{self.base}/search/news-and-communications"/>\n'
            f'  <link rel="self" type="application/atom+xml" href="{self.base}/search/news-and-communications.atom"/>\n'
            "  <title>News and communications - GOV.UK</title>\n"
            f"  <updated>{_iso(newest)}</updated>\n" + "".join(entries) + "</feed>\n"
        )
        return Reply(200, feed.encode("utf-8"), "application/atom+xml; charset=utf-8")

    # ---- rendered pages --------------------------------------------------------------------
    def _page(self, item: GovItem) -> Reply:
        canonical = self._public(item.base_path)
        display = _DISPLAY_TYPES.get(item.document_type, "News story")
        updated = _utc(item.public_timestamp) > _utc(item.first_published_at)
        ld = {
            "@context": "http://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "headLine": item.title,
            "description": item.description,
            "datePublished": _iso_london(item.first_published_at),
            "dateModified": _iso_london(item.public_timestamp),
            "articleBody": item.body_html,
            "publisher": {"@type": "Organization", "name": "GOV.UK", "url": "https://www.gov.uk"},
            "author": [{"@type": "Organization", "name": org_title(s)} for s in item.organisations],
        }
        from_links = " and ".join(
            f'<a href="/government/organisations/{s}" class="govuk-link">{_esc(org_title(s))}</a>'
            for s in item.organisations
        )
        last_updated = (
            '<dt class="gem-c-metadata__term">Last updated</dt>\n'
            f'<dd class="gem-c-metadata__definition">{_long_date(item.public_timestamp)} '
            '<a href="#full-publication-update-history" class="govuk-link">— See all updates</a></dd>\n'
            if updated
            else ""
        )
        history = (
            '<div class="gem-c-published-dates" id="full-publication-update-history">'
            f"<p>Published {_long_date(item.first_published_at)}<br>"
            f"Last updated {_long_date(item.public_timestamp)}</p>"
            f'<ol><li><time datetime="{_iso_london(item.public_timestamp)}">'
            f"{_long_date(item.public_timestamp)}</time>Updated with further details.</li>"
            f'<li><time datetime="{_iso_london(item.first_published_at)}">'
            f"{_long_date(item.first_published_at)}</time>First published.</li></ol></div>"
            if updated
            else f'<div class="gem-c-published-dates"><p>Published {_long_date(item.first_published_at)}</p></div>'
        )
        others = sorted(
            (i for i in self.items if i is not item and set(i.organisations) & set(item.organisations)),
            key=lambda i: abs((_utc(i.first_published_at) - _utc(item.first_published_at)).total_seconds()),
        )[:3]
        related = "".join(
            f'<li class="gem-c-related-navigation__link"><a href="{_esc(o.base_path)}" class="govuk-link">'
            f"{_esc(o.title)}</a></li>"
            for o in others
        )
        ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
        withdrawn = (
            '<section class="gem-c-notice gem-c-notice--withdrawn" aria-label="Notice" role="region">'
            f'<h2 class="gem-c-notice__title">This news article was withdrawn on {_long_date(item.public_timestamp)}'
            f'</h2><div class="govspeak"><p>{_esc(item.explanation or "")}</p></div></section>\n'
            if item.unpublished == "withdrawn"
            else ""
        )
        page = f"""<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>{_esc(item.title)} - GOV.UK</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{_esc(item.description)}">
<link rel="canonical" href="{_esc(canonical)}">
<meta name="govuk:format" content="news_article">
<meta name="govuk:schema-name" content="news_article">
<meta name="govuk:content-id" content="{content_id(item.base_path)}">
<meta name="govuk:first-published-at" content="{_iso_london(item.first_published_at)}">
<meta name="govuk:public-updated-at" content="{_iso_london(item.public_timestamp)}">
<meta name="govuk:updated-at" content="{_iso_london(item.public_timestamp + timedelta(minutes=17, seconds=3))}">
<meta property="og:site_name" content="GOV.UK">
<meta property="og:type" content="article">
<meta property="og:url" content="{_esc(canonical)}">
<meta property="og:title" content="{_esc(item.title)}">
<meta property="og:description" content="{_esc(item.description)}">
<script type="application/ld+json">{ld_json}</script>
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<div id="global-cookie-message" class="gem-c-cookie-banner" role="region" aria-label="Cookies on GOV.UK">
<p class="govuk-body">We use some essential cookies to make this website work. We would like to set additional
cookies to understand how you use GOV.UK.</p>
<button class="govuk-button" type="submit">Accept additional cookies</button>
<button class="govuk-button" type="submit">Reject additional cookies</button></div>
<header class="gem-c-layout-super-navigation-header" role="banner">
<a href="/" class="govuk-header__link govuk-header__link--homepage">GOV.UK</a>
<nav aria-label="Menu"><ul><li><a href="/browse">Topics</a></li><li><a href="/government/organisations">Government
activity</a></li><li><a href="/search">Search GOV.UK</a></li></ul></nav>
</header>
<div class="govuk-width-container">
<nav class="gem-c-breadcrumbs govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">
<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/">Home</a></li>
<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/education">Education, training
and skills</a></li></ol></nav>
<main role="main" id="main-content" class="govuk-main-wrapper" lang="en">
<div class="govuk-grid-row gem-print-columns-none"><div class="govuk-grid-column-two-thirds">
<div class="gem-c-heading govuk-!-margin-bottom-8">
<span class="govuk-caption-xl gem-c-heading__context">{display}</span>
<h1 class="gem-c-heading__text govuk-heading-l">{_esc(item.title)}</h1>
</div>
<p class="gem-c-lead-paragraph">{_esc(item.description)}</p>
</div></div>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<div class="gem-c-metadata" data-module="metadata">
<dl class="gem-c-metadata__list">
<dt class="gem-c-metadata__term">From:</dt>
<dd class="gem-c-metadata__definition">{from_links}</dd>
<dt class="gem-c-metadata__term">Published</dt>
<dd class="gem-c-metadata__definition">{_long_date(item.first_published_at)}</dd>
{last_updated}</dl>
</div>
</div></div>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
{withdrawn}<div class="gem-c-govspeak govuk-govspeak" data-module="govspeak">
<div class="govspeak">{item.body_html}</div>
</div>
{history}
<div class="gem-c-share-links"><h2 class="gem-c-share-links__title">Share this page</h2>
<ul><li><a href="https://www.facebook.com/sharer/sharer.php?u={_esc(canonical)}">Facebook</a></li>
<li><a href="https://twitter.com/share?url={_esc(canonical)}">Twitter</a></li></ul></div>
</div>
<div class="govuk-grid-column-one-third">
<aside class="gem-c-related-navigation" role="complementary">
<h2 class="gem-c-related-navigation__main-heading">Related content</h2>
<ul class="gem-c-related-navigation__link-list">{related}</ul>
</aside></div></div>
</main>
</div>
<footer class="govuk-footer" role="contentinfo"><div class="govuk-width-container">
<p>All content is available under the <a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
class="govuk-footer__link">Open Government Licence v3.0</a>, except where otherwise stated</p>
<a class="govuk-footer__link govuk-footer__copyright-logo"
href="{_CROWN_COPYRIGHT}">© Crown copyright</a>
</div></footer>
</body>
</html>
"""
        return Reply(200, page.encode("utf-8"), "text/html; charset=utf-8", {"Cache-Control": "max-age=300, public"})

    @staticmethod
    def _gone_page(item: GovItem) -> str:
        why = f"<p>{_esc(item.explanation)}</p>" if item.explanation else ""
        return (
            '<!DOCTYPE html><html lang="en"><head><title>The page you\'re looking for is no longer available - GOV.UK'
            '</title></head><body><main id="main-content"><h1 class="govuk-heading-xl">The page you\'re looking for '
            f"is no longer available</h1>{why}</main></body></html>"
        )

    @staticmethod
    def _not_found_page() -> str:
        return (
            '<!DOCTYPE html><html lang="en"><head><title>Page not found - GOV.UK</title></head><body>'
            '<main id="main-content"><h1 class="govuk-heading-xl">Page not found</h1>'
            "<p>If you entered a web address, check it is correct.</p></main></body></html>"
        )


# ---- trade press (WordPress) --------------------------------------------------------------------


@dataclass
class PressItem:
    slug: str
    title: str
    published_at: datetime
    body_html: str
    summary: str
    modified_at: datetime | None = None


_AUTHORS = ("Jude Harrow", "Priya Okafor", "Tom Ellery", "Sian Maddox")
_COMMENTS = (
    "Good to see this in print at last. The detail will matter more than the headline.",
    "Our college has been waiting on news like this for months.",
    "Will there be a follow-up once the figures are confirmed?",
    "Interesting piece, though the timescales look ambitious to me.",
)
_RSS_NS = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
    '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
    '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
    '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
    '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
    '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
)


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


class FakeTradePress(LoopbackFake):
    """A WordPress news site: RSS/Atom/RDF feeds, Yoast-style sitemaps, paged news listing, article pages."""

    def __init__(
        self,
        items: list[PressItem],
        *,
        feed_size: int = 10,
        listing_page_size: int = 5,
        sitemap_chunk: int = 50,
        gzip_sitemaps: bool = False,
        site_name: str = "FE Trade Weekly",
        shortlinks_in_feeds: bool = False,
    ) -> None:
        super().__init__()
        # Feeds link to `/?p=<id>`, which 301s to the article: what feed proxies and some themes do.
        self.shortlinks_in_feeds = shortlinks_in_feeds
        self.items = items
        self.feed_size = feed_size
        self.listing_page_size = listing_page_size
        self.sitemap_chunk = sitemap_chunk
        self.gzip_sitemaps = gzip_sitemaps
        self.site_name = site_name

    # ---- helpers for tests -----------------------------------------------------------------
    @staticmethod
    def article_path(item: PressItem) -> str:
        """`/YYYY/MM/DD/<slug>/`, the date being the site's (London) date of publication."""
        local = _utc(item.published_at).astimezone(LONDON)
        return f"/{local:%Y/%m/%d}/{item.slug}/"

    def article_url(self, item: PressItem) -> str:
        return self.base + self.article_path(item)

    def feed_link(self, item: PressItem) -> str:
        return f"{self.base}/?p={self.post_id(item)}" if self.shortlinks_in_feeds else self.article_url(item)

    @staticmethod
    def post_id(item: PressItem) -> int:
        return 1000 + _hash(item.slug) % 90000

    @staticmethod
    def author(item: PressItem) -> str:
        return _AUTHORS[_hash(item.slug) % len(_AUTHORS)]

    def newest_first(self) -> list[PressItem]:
        return sorted(self.items, key=lambda i: (_utc(i.published_at), i.slug), reverse=True)

    @staticmethod
    def _modified(item: PressItem) -> datetime:
        return _utc(item.modified_at or item.published_at)

    # ---- routing ---------------------------------------------------------------------------
    def route(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        path = urlsplit(target).path
        shortlink = re.fullmatch(r"p=(\d+)", urlsplit(target).query)
        if path == "/" and shortlink:
            found = [i for i in self.items if self.post_id(i) == int(shortlink.group(1))]
            if found:
                return _redirect(self.article_url(found[0]))
        if path == "/robots.txt":
            return _text(200, f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {self.base}/sitemap_index.xml\n")
        feeds: dict[str, Callable[[list[PressItem]], tuple[str, str]]] = {
            "/feed/": self._rss,
            "/feed/atom/": self._atom,
            "/feed/rdf/": self._rdf,
        }
        if path in feeds:
            chosen = self.newest_first()[: self.feed_size]
            body, content_type = feeds[path](chosen)
            return self._conditional(headers, body.encode("utf-8"), content_type, chosen)
        if path == "/sitemap_index.xml":
            return self._sitemap_index()
        if path == "/sitemap.txt":
            return self._text_sitemap()
        sitemap = re.fullmatch(r"/post-sitemap(\d+)\.xml(\.gz)?", path)
        if sitemap:
            return self._sitemap(int(sitemap.group(1)), gz=bool(sitemap.group(2)))
        if path == "/news/":
            return self._listing(1)
        listing = re.fullmatch(r"/news/page/(\d+)/", path)
        if listing:
            number = int(listing.group(1))
            return _redirect(f"{self.base}/news/") if number == 1 else self._listing(number)
        for item in self.items:
            if path == self.article_path(item):
                return self._article(item)
        if not path.endswith("/"):  # WordPress adds the trailing slash by redirect
            slashed = path + "/"
            known = slashed in feeds or slashed == "/news/" or re.fullmatch(r"/news/page/\d+/", slashed)
            if known or any(slashed == self.article_path(i) for i in self.items):
                return _redirect(self.base + slashed)
        return Reply(404, self._frame("Page not found", "<h1>Oops! That page can’t be found.</h1>").encode("utf-8"))

    # ---- feeds -----------------------------------------------------------------------------
    def _conditional(self, headers: dict[str, str], body: bytes, content_type: str, items: list[PressItem]) -> Reply:
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        newest = max((self._modified(i) for i in items), default=datetime(2015, 1, 1, tzinfo=UTC))
        validators = {"ETag": etag, "Last-Modified": _http_date(newest)}
        if "if-none-match" in headers:
            offered = {t.strip().removeprefix("W/") for t in headers["if-none-match"].split(",")}
            if etag in offered or "*" in offered:
                return Reply(304, b"", content_type, validators)
        elif "if-modified-since" in headers:
            try:
                since = parsedate_to_datetime(headers["if-modified-since"])
            except (TypeError, ValueError):
                since = None
            if since is not None and newest.replace(microsecond=0) <= _utc(since):
                return Reply(304, b"", content_type, validators)
        return Reply(200, body, content_type, validators)

    def _lastbuild(self, items: list[PressItem]) -> datetime:
        return max((self._modified(i) for i in items), default=datetime(2015, 1, 1, tzinfo=UTC))

    def _rss(self, items: list[PressItem]) -> tuple[str, str]:
        entries = []
        for item in items:
            link = self.feed_link(item)
            entries.append(
                "\t<item>\n"
                f"\t\t<title>{_esc(item.title)}</title>\n"
                f"\t\t<link>{_esc(link)}</link>\n"
                f"\t\t<comments>{_esc(link)}#respond</comments>\n"
                f"\t\t<dc:creator>{_cdata(self.author(item))}</dc:creator>\n"
                f"\t\t<pubDate>{_rfc822(item.published_at)}</pubDate>\n"
                f"\t\t<category>{_cdata('News')}</category>\n"
                f'\t\t<guid isPermaLink="false">{self.base}/?p={self.post_id(item)}</guid>\n'
                f"\t\t<description>{_cdata(item.summary)}</description>\n"
                f"\t\t<content:encoded>{_cdata(item.body_html)}</content:encoded>\n"
                f"\t\t<wfw:commentRss>{_esc(link)}feed/</wfw:commentRss>\n"
                "\t\t<slash:comments>0</slash:comments>\n"
                "\t</item>\n"
            )
        feed = (
            f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n\t{_RSS_NS}\n\t>\n\n<channel>\n'
            f"\t<title>{_esc(self.site_name)}</title>\n"
            f'\t<atom:link href="{self.base}/feed/" rel="self" type="application/rss+xml" />\n'
            f"\t<link>{self.base}</link>\n"
            "\t<description>News for further education and skills</description>\n"
            f"\t<lastBuildDate>{_rfc822(self._lastbuild(items))}</lastBuildDate>\n"
            "\t<language>en-GB</language>\n"
            "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
            "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
            "\t<generator>https://wordpress.org/?v=6.4.3</generator>\n" + "".join(entries) + "</channel>\n</rss>\n"
        )
        return feed, "application/rss+xml; charset=UTF-8"

    def _atom(self, items: list[PressItem]) -> tuple[str, str]:
        entries = []
        for item in items:
            link = self.feed_link(item)
            entries.append(
                "\t<entry>\n"
                f"\t\t<author>\n\t\t\t<name>{_esc(self.author(item))}</name>\n\t\t</author>\n"
                f'\t\t<title type="html">{_cdata(item.title)}</title>\n'
                f'\t\t<link rel="alternate" type="text/html" href="{_esc(link)}" />\n'
                f"\t\t<id>{self.base}/?p={self.post_id(item)}</id>\n"
                f"\t\t<updated>{_iso(self._modified(item)).replace('+00:00', 'Z')}</updated>\n"
                f"\t\t<published>{_iso(item.published_at).replace('+00:00', 'Z')}</published>\n"
                f'\t\t<category scheme="{self.base}" term="News" />\n'
                f'\t\t<summary type="html">{_cdata(item.summary)}</summary>\n'
                f'\t\t<content type="html" xml:base="{_esc(link)}">{_cdata(item.body_html)}</content>\n'
                "\t</entry>\n"
            )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0"'
            ' xml:lang="en-GB">\n'
            f'\t<title type="text">{_esc(self.site_name)}</title>\n'
            '\t<subtitle type="text">News for further education and skills</subtitle>\n'
            f"\t<updated>{_iso(self._lastbuild(items)).replace('+00:00', 'Z')}</updated>\n"
            f'\t<link rel="alternate" type="text/html" href="{self.base}/" />\n'
            f"\t<id>{self.base}/feed/atom/</id>\n"
            f'\t<link rel="self" type="application/atom+xml" href="{self.base}/feed/atom/" />\n'
            '\t<generator uri="https://wordpress.org/" version="6.4.3">WordPress</generator>\n'
            + "".join(entries)
            + "</feed>\n"
        )
        return feed, "application/atom+xml; charset=UTF-8"

    def _rdf(self, items: list[PressItem]) -> tuple[str, str]:
        seq = "".join(f'\t\t<rdf:li rdf:resource="{_esc(self.article_url(i))}"/>\n' for i in items)
        entries = []
        for item in items:
            link = self.feed_link(item)
            entries.append(
                f'<item rdf:about="{_esc(link)}">\n'
                f"\t<title>{_esc(item.title)}</title>\n"
                f"\t<link>{_esc(link)}</link>\n"
                f"\t<dc:creator>{_cdata(self.author(item))}</dc:creator>\n"
                f"\t<dc:date>{_iso(item.published_at)}</dc:date>\n"
                "\t<dc:subject><![CDATA[News]]></dc:subject>\n"
                f"\t<description>{_cdata(item.summary)}</description>\n"
                f"\t<content:encoded>{_cdata(item.body_html)}</content:encoded>\n"
                "</item>\n"
            )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?><rdf:RDF\n'
            '\txmlns="http://purl.org/rss/1.0/"\n'
            '\txmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
            '\txmlns:admin="http://webns.net/mvcb/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n>\n'
            f'<channel rdf:about="{self.base}/feed/rdf/">\n'
            f"\t<title>{_esc(self.site_name)}</title>\n"
            f"\t<link>{self.base}</link>\n"
            "\t<description>News for further education and skills</description>\n"
            f"\t<dc:date>{_iso(self._lastbuild(items))}</dc:date>\n"
            "\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
            "\t<sy:updateFrequency>1</sy:updateFrequency>\n"
            '\t<admin:generatorAgent rdf:resource="https://wordpress.org/?v=6.4.3" />\n'
            f"\t<items>\n\t\t<rdf:Seq>\n{seq}\t\t</rdf:Seq>\n\t</items>\n"
            "</channel>\n" + "".join(entries) + "</rdf:RDF>\n"
        )
        return feed, "application/rdf+xml; charset=UTF-8"

    # ---- sitemaps --------------------------------------------------------------------------
    def _chunks(self) -> list[list[PressItem]]:
        ordered = self.newest_first()
        size = max(1, self.sitemap_chunk)
        return [ordered[i : i + size] for i in range(0, len(ordered), size)]

    def _sitemap_index(self) -> Reply:
        suffix = ".xml.gz" if self.gzip_sitemaps else ".xml"
        children = "".join(
            f"\t<sitemap>\n\t\t<loc>{self.base}/post-sitemap{n}{suffix}</loc>\n"
            f"\t\t<lastmod>{_iso(max(self._modified(i) for i in chunk))}</lastmod>\n\t</sitemap>\n"
            for n, chunk in enumerate(self._chunks(), start=1)
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + children + "</sitemapindex>\n"
        )
        return Reply(200, body.encode("utf-8"), "application/xml; charset=UTF-8", {"X-Robots-Tag": "noindex, follow"})

    def _text_sitemap(self) -> Reply:
        """Every article's URL, one a line, as a plugin writes it: UTF-8 with a BOM, CRLF, text/plain."""
        lines = "".join(f"{self.article_url(item)}\r\n" for item in self.newest_first())
        return Reply(200, "\ufeff".encode() + lines.encode("utf-8"), "text/plain; charset=utf-8")

    def _sitemap(self, number: int, *, gz: bool) -> Reply:
        chunks = self._chunks()
        if not 1 <= number <= len(chunks):
            return Reply(404, self._frame("Page not found", "<h1>Oops! That page can’t be found.</h1>").encode())
        urls = []
        for item in chunks[number - 1]:
            urls.append(
                "\t<url>\n"
                f"\t\t<loc>{_esc(self.article_url(item))}</loc>\n"
                f"\t\t<lastmod>{_iso(self._modified(item))}</lastmod>\n"
                "\t\t<news:news>\n"
                "\t\t\t<news:publication>\n"
                f"\t\t\t\t<news:name>{_esc(self.site_name)}</news:name>\n"
                "\t\t\t\t<news:language>en</news:language>\n"
                "\t\t\t</news:publication>\n"
                f"\t\t\t<news:publication_date>{_iso(item.published_at)}</news:publication_date>\n"
                f"\t\t\t<news:title>{_esc(item.title)}</news:title>\n"
                "\t\t</news:news>\n"
                "\t</url>\n"
            )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "".join(urls) + "</urlset>\n"
        ).encode("utf-8")
        if gz:
            # A gzip file, not a gzip transfer: no Content-Encoding, so clients keep the bytes as they are.
            return Reply(200, gzip.compress(body, mtime=0), "application/x-gzip")
        return Reply(200, body, "application/xml; charset=UTF-8", {"X-Robots-Tag": "noindex, follow"})

    # ---- HTML ------------------------------------------------------------------------------
    def _frame(self, title: str, main: str, head: str = "", body_class: str = "") -> str:
        nav = "".join(
            f'<li class="menu-item"><a href="{self.base}{p}">{label}</a></li>'
            for p, label in (("/news/", "News"), ("/features/", "Features"), ("/jobs/", "Jobs"), ("/events/", "Events"))
        )
        recent = "".join(
            f'<li><a href="{_esc(self.article_url(i))}">{_esc(i.title)}</a></li>' for i in self.newest_first()[:3]
        )
        return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)} - {_esc(self.site_name)}</title>
<link rel="alternate" type="application/rss+xml" title="{_esc(self.site_name)} &raquo; Feed" href="{self.base}/feed/">
{head}
</head>
<body class="{body_class}">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
<p class="site-title"><a href="{self.base}/" rel="home">{_esc(self.site_name)}</a></p>
<p class="site-description">News for further education and skills</p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{nav}</ul></nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
{main}
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">Most read</h2><ul>{recent}</ul></section>
<section class="widget widget_text"><h2 class="widget-title">Newsletter</h2>
<div class="textwidget"><p>Sign up for our weekly round-up of FE and skills news.</p></div></section>
</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">© 2024 {_esc(self.site_name)}.
All rights reserved. <a href="{self.base}/privacy-policy/">Privacy policy</a></div></footer>
</div>
</body>
</html>
"""

    def _listing(self, number: int) -> Reply:
        ordered = self.newest_first()
        size = max(1, self.listing_page_size)
        pages = max(1, -(-len(ordered) // size))
        if number > pages:
            return Reply(404, self._frame("Page not found", "<h1>Oops! That page can’t be found.</h1>").encode())
        articles = []
        for item in ordered[(number - 1) * size : number * size]:
            articles.append(
                f'<article id="post-{self.post_id(item)}" class="post type-post status-publish format-standard">\n'
                f'<header class="entry-header"><h2 class="entry-title"><a href="{_esc(self.article_url(item))}"'
                f' rel="bookmark">{_esc(item.title)}</a></h2>\n'
                f'<div class="entry-meta"><time class="entry-date" datetime="{_iso(item.published_at)}">'
                f"{_long_date(item.published_at)}</time></div></header>\n"
                f'<div class="entry-summary"><p>{_esc(item.summary)}</p></div>\n'
                "</article>"
            )
        links = []
        if number > 1:
            prev = f"{self.base}/news/" if number == 2 else f"{self.base}/news/page/{number - 1}/"
            links.append(f'<a class="prev page-numbers" href="{prev}">Previous</a>')
        for n in range(1, pages + 1):
            if n == number:
                links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            else:
                href = f"{self.base}/news/" if n == 1 else f"{self.base}/news/page/{n}/"
                links.append(f'<a class="page-numbers" href="{href}">{n}</a>')
        if number < pages:
            links.append(f'<a class="next page-numbers" href="{self.base}/news/page/{number + 1}/">Next</a>')
        main = (
            '<header class="page-header"><h1 class="page-title">News</h1></header>\n'
            + ("\n".join(articles) or '<section class="no-results"><p>Nothing found.</p></section>')
            + '\n<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">'
            + "".join(links)
            + "</div></nav>"
        )
        canonical = f"{self.base}/news/" if number == 1 else f"{self.base}/news/page/{number}/"
        page = self._frame("News", main, f'<link rel="canonical" href="{canonical}">', "archive category")
        return Reply(200, page.encode("utf-8"))

    def _article(self, item: PressItem) -> Reply:
        url = self.article_url(item)
        ordered = self.newest_first()
        at = ordered.index(item)
        related = sorted(
            (i for i in ordered if i is not item),
            key=lambda i: abs((_utc(i.published_at) - _utc(item.published_at)).total_seconds()),
        )[:3]
        related_html = "".join(f'<li><a href="{_esc(self.article_url(i))}">{_esc(i.title)}</a></li>' for i in related)
        modified = (
            f'<meta property="article:modified_time" content="{_iso(item.modified_at)}">\n' if item.modified_at else ""
        )
        ld = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "NewsArticle",
                    "@id": f"{url}#article",
                    "headline": item.title,
                    "datePublished": _iso(item.published_at),
                    "dateModified": _iso(self._modified(item)),
                    "author": {"@type": "Person", "name": self.author(item)},
                    "mainEntityOfPage": {"@id": url},
                    "publisher": {"@type": "Organization", "name": self.site_name},
                }
            ],
        }
        head = (
            f'<link rel="canonical" href="{_esc(url)}">\n'
            f'<meta name="description" content="{_esc(item.summary)}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{_esc(item.title)}">\n'
            f'<meta property="og:url" content="{_esc(url)}">\n'
            f'<meta property="og:site_name" content="{_esc(self.site_name)}">\n'
            f'<meta property="article:published_time" content="{_iso(item.published_at)}">\n'
            f"{modified}"
            '<script type="application/ld+json" class="yoast-schema-graph">'
            f"{json.dumps(ld, ensure_ascii=False)}</script>"
        )
        updated = (
            f'<time class="updated" datetime="{_iso(item.modified_at)}">{_long_date(item.modified_at)}</time>'
            if item.modified_at
            else ""
        )
        n_comments = _hash(item.slug) % 3
        comments = "".join(
            f'<li id="comment-{self.post_id(item) * 10 + k}" class="comment">'
            '<article class="comment-body"><footer class="comment-meta">'
            f'<div class="comment-author vcard"><b class="fn">Reader {k + 1}</b> <span class="says">says:</span></div>'
            '<div class="comment-metadata">'
            f'<time datetime="{_iso(_utc(item.published_at) + timedelta(days=k + 1, hours=3))}">'
            f"{_long_date(_utc(item.published_at) + timedelta(days=k + 1, hours=3))}</time></div></footer>"
            f'<div class="comment-content"><p>{_esc(_COMMENTS[(_hash(item.slug) + k) % len(_COMMENTS)])}</p></div>'
            "</article></li>"
            for k in range(n_comments)
        )
        comment_title = (
            f'<h2 class="comments-title">{n_comments} thought{"s" if n_comments > 1 else ""} on '
            f"“{_esc(item.title)}”</h2>"
            if n_comments
            else ""
        )
        neighbours = []
        if at + 1 < len(ordered):
            older = ordered[at + 1]
            neighbours.append(
                f'<div class="nav-previous"><a href="{_esc(self.article_url(older))}" rel="prev">'
                f"{_esc(older.title)}</a></div>"
            )
        if at > 0:
            newer = ordered[at - 1]
            neighbours.append(
                f'<div class="nav-next"><a href="{_esc(self.article_url(newer))}" rel="next">'
                f"{_esc(newer.title)}</a></div>"
            )
        pid = self.post_id(item)
        main = f"""<article id="post-{pid}" class="post-{pid} post type-post status-publish">
<header class="entry-header">
<h1 class="entry-title">{_esc(item.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <time class="entry-date published"
datetime="{_iso(item.published_at)}">{_long_date(item.published_at)}</time>{updated}</span>
<span class="byline"> by <span class="author vcard"><a class="url fn n"
href="{self.base}/author/{_slugify(self.author(item))}/">{_esc(self.author(item))}</a></span></span></div>
</header>
<div class="entry-content">
{item.body_html}
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="{self.base}/news/" rel="category tag">News</a>
</span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">{"".join(neighbours)}</div></nav>
<section class="related-posts"><h2 class="widget-title">Related</h2><ul>{related_html}</ul></section>
<div id="comments" class="comments-area">
{comment_title}
<ol class="comment-list">{comments}</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="{self.base}/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes">Your email address will not be published.</p>
<textarea id="comment" name="comment"></textarea><input name="submit" type="submit" value="Post Comment"></form>
</div></div>"""
        page = self._frame(
            item.title, main, head, f"post-template-default single single-post postid-{self.post_id(item)}"
        )
        return Reply(
            200,
            page.encode("utf-8"),
            "text/html; charset=UTF-8",
            {"Link": f"<{self.base}/?p={self.post_id(item)}>; rel=shortlink"},
        )


# ---- Wayback Machine ----------------------------------------------------------------------------


@dataclass
class Snapshot:
    url: str
    timestamp: str
    body: bytes
    mime: str = "text/html"
    status: int = 200


CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
_IP = re.compile(r"\d+\.\d+\.\d+\.\d+")


def cdx_digest(body: bytes) -> str:
    """The CDX digest: base32 of the body's SHA-1."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def surt(url: str) -> str:
    """A SURT url key as the CDX server writes it: `uk,co,feweek)/2019/04/10/slug`, scheme and `www.` dropped."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    key = host if _IP.fullmatch(host) else ",".join(reversed(host.split(".")))
    if parts.port and parts.port not in {80, 443}:
        key += f":{parts.port}"
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return f"{key}){(parts.path or '/').lower()}" + (f"?{query.lower()}" if query else "")


class FakeWayback(LoopbackFake):
    """The Wayback Machine's CDX API and snapshot replay (raw `id_` and toolbar-wrapped)."""

    def __init__(self, captures: list[Snapshot]) -> None:
        super().__init__()
        self.captures = captures

    def raw_url(self, snapshot: Snapshot) -> str:
        return f"{self.base}/web/{snapshot.timestamp}id_/{snapshot.url}"

    def route(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        if parts.path == "/robots.txt":
            return _text(200, "User-agent: *\nAllow: /\n")
        if parts.path == "/cdx/search/cdx":
            return self._cdx(parse_qsl(parts.query, keep_blank_values=True))
        if target.startswith("/web/"):
            stamp, _, original = target.removeprefix("/web/").partition("/")
            matched = re.fullmatch(r"(\d{1,14})(id_)?", stamp)
            if matched and original:
                return self._replay(matched.group(1), original, raw=bool(matched.group(2)))
        return _text(404, "<p>Hrm. The Wayback Machine has not archived that URL.</p>", "text/html; charset=utf-8")

    def _row(self, snap: Snapshot) -> dict[str, str]:
        return {
            "urlkey": surt(snap.url),
            "timestamp": snap.timestamp,
            "original": snap.url,
            "mimetype": snap.mime,
            "statuscode": str(snap.status),
            "digest": cdx_digest(snap.body),
            "length": str(len(snap.body)),
        }

    def _cdx(self, pairs: list[tuple[str, str]]) -> Reply:
        params: dict[str, list[str]] = {}
        for name, value in pairs:
            params.setdefault(name, []).append(value)

        def one(name: str, default: str = "") -> str:
            return params.get(name, [default])[0]

        url = one("url")
        if not url:
            return _text(400, "Request must include a url parameter")
        match_type = one("matchType", "exact")
        if url.endswith("*"):
            url, match_type = url.rstrip("*"), "prefix"
        key = surt(url)
        rows = [self._row(s) for s in self.captures]
        if match_type == "exact":
            rows = [r for r in rows if r["urlkey"] == key]
        elif match_type == "prefix":
            rows = [r for r in rows if r["urlkey"].startswith(key)]
        elif match_type in {"host", "domain"}:
            host = key.split(")", 1)[0]
            rows = [
                r
                for r in rows
                if r["urlkey"].split(")", 1)[0] == host
                or (match_type == "domain" and r["urlkey"].split(")", 1)[0].startswith(host + ","))
            ]
        else:
            return _text(400, f"Invalid matchType: {match_type}")
        for bound in ("from", "to"):
            if one(bound) and not one(bound).isdigit():
                return _text(400, f"Invalid {bound}: {one(bound)}")
        low, high = one("from").ljust(14, "0"), one("to").ljust(14, "9") if one("to") else "9" * 14
        rows = [r for r in rows if low <= r["timestamp"].ljust(14, "0") <= high]
        for spec in params.get("filter", []):
            negate = spec.startswith("!")
            name, _, pattern = spec.removeprefix("!").partition(":")
            if name not in CDX_FIELDS:
                return _text(400, f"Invalid filter field: {name}")
            try:
                regex = re.compile(pattern)
            except re.error:
                return _text(400, f"Invalid filter regex: {pattern}")
            rows = [r for r in rows if bool(regex.fullmatch(r[name])) != negate]
        rows.sort(key=lambda r: (r["urlkey"], r["timestamp"]))
        for spec in params.get("collapse", []):
            name, _, width = spec.partition(":")
            if name not in CDX_FIELDS:
                return _text(400, f"Invalid collapse field: {name}")
            cut = int(width) if width.isdigit() else None
            kept: list[dict[str, str]] = []
            previous: tuple[str, str] | None = None
            for row in rows:
                group = (row["urlkey"], row[name][:cut])
                if group != previous:
                    kept.append(row)
                previous = group
            rows = kept
        if one("limit"):
            try:
                limit = int(one("limit"))
            except ValueError:
                return _text(400, f"Invalid limit: {one('limit')}")
            rows = rows[limit:] if limit < 0 else rows[:limit]  # a negative limit keeps the last rows
        columns = [c for c in one("fl").split(",") if c] or list(CDX_FIELDS)
        if any(c not in CDX_FIELDS for c in columns):
            return _text(400, f"Invalid field list: {one('fl')}")
        table = [[r[c] for c in columns] for r in rows]
        if one("output") == "json":
            return _json(200, [columns, *table] if table else [])
        return _text(200, "".join(" ".join(row) + "\n" for row in table))

    def _replay(self, stamp: str, original: str, *, raw: bool) -> Reply:
        key = surt(original)
        snap = next((s for s in self.captures if s.timestamp == stamp and surt(s.url) == key), None)
        if snap is None:
            return _text(404, "<p>Hrm. The Wayback Machine has not archived that URL.</p>", "text/html; charset=utf-8")
        captured = datetime.strptime(snap.timestamp.ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        headers = {"Memento-Datetime": _http_date(captured), "Link": f'<{snap.url}>; rel="original"'}
        if raw or not snap.mime.startswith("text/html"):
            return Reply(snap.status, snap.body, snap.mime, headers)
        text = snap.body.decode("utf-8", "replace")
        # The playback page rewrites links into the archive and injects its toolbar: why `id_` matters.
        text = re.sub(
            r'((?:href|src)=["\'])(https?://)',
            lambda m: f"{m.group(1)}{self.base}/web/{snap.timestamp}/{m.group(2)}",
            text,
        )
        text = re.sub(r"(<head[^>]*>)", r'\1<script src="/_static/js/wombat.js"></script>', text, count=1, flags=re.I)
        banner = '<div id="wm-ipp">Wayback toolbar</div>'
        text, found = re.subn(r"(<body[^>]*>)", lambda m: m.group(1) + banner, text, count=1, flags=re.I)
        if not found:
            text = banner + text
        return Reply(snap.status, text.encode("utf-8"), "text/html; charset=utf-8", headers)


# ---- sample dataset ---------------------------------------------------------------------------


def _at(stamp: str) -> datetime:
    """`2019-04-10 08:00` in UTC."""
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def _body(paragraphs: Iterable[str]) -> str:
    return "\n".join(p if p.startswith("<") else f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


# (first published, public timestamp or None, organisations, document type, title, description, body,
#  content API fails)
_GovRow = tuple[str, str | None, tuple[str, ...], str, str, str, tuple[str, ...], bool]

_FIRST_TWELVE = (
    "Barking & Dagenham College",
    "Dudley College of Technology",
    "HCUC (Harrow College & Uxbridge College)",
    "Milton Keynes College",
    "New College Durham",
    "Queen Mary University of London",
    "Solihull College & University Centre",
    "Swindon College",
    "University of Exeter",
    "University of Lincoln",
    "Weston College",
    "York College",
)
_WAVE_TWO = (
    "Blackpool and The Fylde College",
    "Cheshire College South & West",
    "Chichester College Group",
    "DN Colleges Group",
    "Newcastle and Stafford Colleges Group",
    "Solent University",
    "South Essex College",
    "University of Derby",
    "University of Salford",
)
_SHORTLIST = (
    "Barking & Dagenham, Dudley, HCUC, Milton Keynes, NCG, New College Durham, North Warwickshire & South "
    "Leicestershire, QMUL, Solihull, South Essex, Swindon, Exeter, Lincoln, Weston, West Suffolk and York"
)


def _ul(names: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(n, quote=False)}</li>" for n in names) + "</ul>"


_GOV_IOT: tuple[_GovRow, ...] = (
    ("2015-07-10 10:00", None, ("hm-treasury",), "press_release",
     "Productivity plan sets out the route to a more skilled workforce",
     "The government's productivity plan, Fixing the foundations, has been published.",
     ("The plan, titled Fixing the foundations, brings together measures to raise productivity across the economy.",
      "Among its proposals is a new kind of institution, the Institute of Technology, to strengthen technical "
      "education at higher levels.",
      "Further detail on the proposal will follow."), False),
    ("2017-01-23 11:00", None, ("prime-ministers-office-10-downing-street",
     "department-for-business-energy-and-industrial-strategy"), "press_release",
     "Industrial Strategy green paper promises capital funding for Institutes of Technology",
     "Theresa May launches the Industrial Strategy green paper, with £170 million set aside for Institutes of "
     "Technology.",
     ("Prime Minister Theresa May has launched a green paper on the government's Industrial Strategy.",
      "It promises £170 million of capital funding to establish Institutes of Technology.",
      "Views on the proposals are invited from businesses, colleges and universities."), False),
    ("2017-12-15 10:00", "2018-01-10 12:15", (DFE,), "press_release",
     "Competition opens for new Institutes of Technology",
     "Education Secretary Justine Greening launches the £170 million competition to set up Institutes of "
     "Technology.",
     ("Colleges, universities and employers can now bid to run one of the new Institutes of Technology.",
      "The £170 million competition runs through the Department for Education's e-tendering portal.",
      "Justine Greening said the institutes would open up higher technical skills to many more people.",
      "The first Institutes of Technology are expected to be up and running in 2019."), False),
    ("2018-05-26 23:01", None, (DFE,), "press_release",
     "16 bids shortlisted to become Institutes of Technology",
     "Thirty-five bids were received in the first stage of the Institutes of Technology competition.",
     ("Sixteen of the 35 bids have been invited to the next stage of the competition for Institutes of "
      "Technology.",
      f"The shortlisted bids are led by {_SHORTLIST}.",
      "The successful institutes will share £170 million of capital funding."), False),
    ("2019-04-10 08:00", "2019-04-11 14:20", (DFE, "prime-ministers-office-10-downing-street"), "news_story",
     "The First Twelve Institutes of Technology Announced",
     "Nine colleges and three universities will lead the first 12 Institutes of Technology, backed by £170 million.",
     ("Prime Minister Theresa May and Education Secretary Damian Hinds have named the first 12 Institutes of "
      "Technology.",
      "The institutes will be led by:",
      _ul(_FIRST_TWELVE),
      "Employers including Nissan, Siemens and Microsoft are partners in the winning bids.",
      "Milton Keynes receives £28 million and Swindon £21 million, while Dudley receives £16.8 million towards a "
      "£32.5 million project."), False),
    ("2020-02-19 10:00", None, (DFE,), "news_story",
     "Prospectus published for the second wave of Institutes of Technology",
     "The Department for Education explains how the next round of Institutes of Technology will be chosen.",
     ("A prospectus for the second wave of Institutes of Technology has been published.",
      "It sets out what bidders will need to show and how colleges, universities and employers can prepare.",
      "The competition itself will open later."), False),
    ("2020-10-08 09:30", "2020-11-02 16:05", (DFE,), "press_release",
     "Competition launched for up to eight new Institutes of Technology",
     "Gavin Williamson opens bidding for up to £120 million to create more Institutes of Technology.",
     ("Education Secretary Gavin Williamson has launched a competition for up to eight new Institutes of "
      "Technology.",
      "Up to £120 million is available, bringing investment across both waves to £290 million.",
      "Only areas without an Institute of Technology may bid, and applications close on 14 December 2020."),
     False),
    ("2021-12-17 10:00", None, (DFE,), "press_release",
     "Nine new Institutes of Technology to boost higher technical skills",
     "Education Secretary Nadhim Zahawi names the winning bids, taking the network to 21 Institutes of Technology.",
     ("Nine new Institutes of Technology have been announced, bringing the national network to 21.",
      "The new institutes will be led by:",
      _ul(_WAVE_TWO),
      "They will share up to £120 million of capital funding, Nadhim Zahawi confirmed."), False),
    ("2022-01-05 15:00", None, (DFE,), "news_story",
     "Minister confirms a network of 21 Institutes of Technology",
     "A written ministerial statement from Michelle Donelan sets out £290 million of investment in Institutes of "
     "Technology.",
     ("Michelle Donelan has told Parliament in a written statement that there are now 21 Institutes of "
      "Technology.",
      "Government investment across the two waves comes to £290 million.",
      "The statement follows the announcement of the second-wave winners in December 2021."), False),
    ("2022-11-03 11:00", None, (DFE,), "news_story",
     "Swindon and Wiltshire Institute of Technology opens its new building",
     "The Swindon and Wiltshire Institute of Technology has opened its doors to students in its new building.",
     ("The building for the Swindon and Wiltshire Institute of Technology is now open.",
      "Swindon College leads the institute, one of the first 12 announced in April 2019.",
      "The project received £21 million from the first wave of Institutes of Technology funding."), True),
)  # fmt: skip

_GOV_NEGATIVES: tuple[_GovRow, ...] = (
    ("2017-03-08 09:00", None, ("department-for-digital-culture-media-sport",), "press_release",
     "Connected devices: keeping the Internet of Things secure",
     "Manufacturers of smart home devices are asked to build security in from the start.",
     ("Everyday products that connect to the internet, often called the Internet of Things or IoT, are "
      "becoming common in homes.",
      "The department is asking manufacturers to design IoT devices with security in mind."), False),
    ("2017-11-20 10:00", None, (DFE,), "news_story",
     "Funding confirmed for a new engineering institute in Hereford",
     "The New Model Institute for Technology and Engineering in Hereford receives £15 million.",
     ("The New Model Institute for Technology and Engineering, known as NMITE, is to receive £15 million.",
      "It plans to offer engineering degrees in Hereford with a new approach to teaching.",
      "NMITE is a separate initiative from the Institutes of Technology programme."), False),
    ("2019-09-05 09:30", None, (DFE,), "news_story",
     "University Technical Colleges mark another year of enrolment",
     "University Technical Colleges continue to offer technical routes for 14 to 19 year olds.",
     ("University Technical Colleges give young people a technical education alongside core subjects.",
      "Employers and universities help design their programmes."), False),
    ("2024-02-27 10:00", None, ("department-for-science-innovation-and-technology",), "press_release",
     "£100 million boost for the Alan Turing Institute",
     "The national institute for data science and artificial intelligence receives £100 million.",
     ("The Alan Turing Institute is to receive £100 million of government funding.",
      "The money will support research in data science and artificial intelligence."), False),
    ("2024-07-22 11:00", None, (DFE, "institute-for-apprenticeships-and-technical-education"), "press_release",
     "Skills England to take on the work of the Institute for Apprenticeships and Technical Education",
     "A new body, Skills England, will bring together the functions of IfATE.",
     ("The Institute for Apprenticeships and Technical Education will be replaced by Skills England.",
      "Skills England will work with employers to shape the training system.",
      "IfATE's functions will transfer in stages."), False),
)  # fmt: skip

_GOV_OTHER: tuple[_GovRow, ...] = (
    ("2015-02-11 10:30", None, (DFE,), "press_release", "More employers design apprenticeship standards",
     "Groups of employers have written standards for a further set of occupations.",
     ("Employer groups have written new apprenticeship standards for more occupations.",
      "Each standard sets out what an apprentice should know and be able to do by the end of training."), False),
    ("2015-03-19 09:00", None, (DFE,), "news_story", "Schools urged to prepare for new GCSE grading",
     "Headteachers are reminded that GCSE grades will move from letters to numbers.",
     ("New GCSEs will be graded from 9 to 1 rather than with letters.",
      "Schools are asked to explain the change to pupils and parents in good time."), False),
    ("2015-09-03 10:00", None, (DFE,), "press_release", "New school year brings reformed curriculum to classrooms",
     "Pupils return to school with reformed subject content in several subjects.",
     ("Pupils returning this week will study reformed content in a number of subjects.",
      "Teachers have had support to prepare new schemes of work.",
      "The department will publish further guidance during the autumn term."), False),
    ("2015-11-25 12:30", None, (DFE, "hm-treasury"), "press_release",
     "Spending review protects the core schools budget",
     "The spending review sets out funding plans for schools and further education.",
     ("The spending review confirms plans for schools funding over the coming years.",
      "Further education and adult skills funding is also set out."), False),
    ("2016-03-07 09:00", None, (DFE,), "news_story", "National Apprenticeship Week celebrates employers",
     "Employers across the country are taking part in National Apprenticeship Week.",
     ("Businesses large and small are opening their doors during National Apprenticeship Week.",
      "Events aim to show young people the range of apprenticeships on offer.",
      "Apprentices will share their experiences at events in every region."), False),
    ("2016-04-19 10:00", "2016-05-03 09:30", (DFE,), "press_release",
     "Post-16 skills plan sets out technical routes",
     "A new plan proposes clear technical routes into skilled employment.",
     ("The post-16 skills plan proposes grouping technical education into a small number of routes.",
      "Each route would lead to skilled employment or further study.",
      "Employers will help define the knowledge and skills each route requires."), False),
    ("2016-08-18 08:30", None, (DFE,), "news_story", "A level results day: advice for students",
     "Students receiving A level results today can find help on next steps.",
     ("Students collecting A level results today have a range of options ahead of them.",
      "Advice is available from schools, colleges and the National Careers Service."), False),
    ("2016-10-12 10:00", None, (DFE, "education-and-skills-funding-agency"), "press_release",
     "Apprenticeship funding rules published for employers",
     "Employers can now read the funding rules that will apply to apprenticeships.",
     ("The funding rules for apprenticeships have been published.",
      "They explain how employers and training providers will work together under the new system."), False),
    ("2017-04-06 09:00", None, (DFE, "education-and-skills-funding-agency"), "press_release",
     "Apprenticeship levy comes into force",
     "Large employers now pay the apprenticeship levy and can use it to fund training.",
     ("The apprenticeship levy takes effect today for large employers.",
      "Levy-paying employers can use the funds in their accounts to pay for apprenticeship training.",
      "Smaller employers will continue to receive support with the cost of training."), False),
    ("2017-07-06 10:00", None, (DFE,), "news_story", "T Levels confirmed as new technical qualifications",
     "New technical qualifications called T Levels will sit alongside A levels.",
     ("T Levels will give students a technical alternative to A levels.",
      "Each course will include a substantial industry placement.",
      "The first courses will be taught by a small number of providers."), False),
    ("2017-09-14 09:30", "2017-10-02 11:00", (DFE,), "press_release", "Fairer funding formula for schools confirmed",
     "The national funding formula for schools has been confirmed.",
     ("A national funding formula will distribute schools funding on a consistent basis.",
      "Schools will be able to see their indicative allocations.",
      "Local authorities retain a role during the transition."), False),
    ("2018-01-29 10:00", None, (DFE,), "news_story", "Teacher recruitment campaign launched",
     "A new campaign encourages graduates and career changers to train as teachers.",
     ("A national campaign to recruit more teachers has been launched.",
      "It highlights the rewards of teaching and the routes into the profession."), False),
    ("2018-03-05 09:00", None, (DFE,), "news_story", "Employers mark National Apprenticeship Week 2018",
     "Apprentices and employers share their stories during the week.",
     ("National Apprenticeship Week returns with events across England.",
      "Employers are encouraged to pledge new apprenticeship places."), False),
    ("2018-06-13 10:30", None, (DFE,), "press_release", "T Level providers for 2020 announced",
     "The colleges and schools that will teach the first T Levels have been named.",
     ("The first providers to teach T Levels have been confirmed.",
      "They will start teaching the new qualifications in 2020.",
      "Providers will receive support to prepare, including for industry placements."), False),
    ("2018-08-23 08:30", None, (DFE, "ofqual"), "news_story", "GCSE results day: more pupils sit reformed exams",
     "Pupils receive results in reformed GCSEs graded 9 to 1.",
     ("Pupils collecting GCSE results today include the largest group yet to sit reformed exams.",
      "Number grades now apply across most subjects."), False),
    ("2018-11-29 10:00", None, (DFE,), "news_story", "Support for schools with rising energy costs",
     "Schools can get advice on saving money on energy and other running costs.",
     ("Schools can use a range of tools to reduce what they spend on energy and supplies.",
      "Guidance sets out how schools can buy more efficiently together."), False),
    ("2019-01-28 10:00", None, (DFE,), "press_release", "Strategy to recruit and retain more teachers",
     "A strategy for teacher recruitment and retention has been published.",
     ("A new strategy aims to attract more people into teaching and keep them in the profession.",
      "It includes support for teachers early in their careers.",
      "School leaders were consulted on the proposals."), False),
    ("2019-05-30 09:00", None, (DFE,), "news_story", "Review of post-18 education and funding published",
     "An independent panel has reported on post-18 education and its funding.",
     ("An independent panel has published its review of education and funding after 18.",
      "The report covers universities, colleges and adult learning.",
      "The government will respond in due course."), False),
    ("2019-08-30 10:00", None, (DFE, "hm-treasury"), "press_release", "Funding increase for schools announced",
     "Schools will receive additional funding over the next three years.",
     ("Schools funding will rise over the next three years.",
      "Every school will see an increase in its per-pupil funding.",
      "Further education colleges will also receive extra money."), False),
    ("2019-11-12 10:00", None, (DFE,), "news_story", "Careers hubs extended to more areas",
     "More schools and colleges will join local careers hubs.",
     ("Careers hubs bring schools, colleges and employers together to improve careers advice.",
      "The network will expand to more areas of England."), False),
    ("2020-01-16 10:00", "2020-03-04 15:40", (DFE,), "news_story", "T Level action plan updated",
     "The latest T Level action plan reports progress ahead of first teaching.",
     ("The T Level action plan has been updated ahead of the first courses starting.",
      "It sets out progress on qualifications, placements and provider readiness.",
      "An update note now lists the routes to be taught from 2021."), False),
    ("2020-03-18 18:00", None, (DFE,), "press_release", "Schools to close to most pupils",
     "Schools will close to most pupils from the end of the week.",
     ("Schools will remain open only for vulnerable children and the children of critical workers.",
      "Exams planned for the summer will not go ahead as normal.",
      "Further guidance will be issued to schools and colleges."), False),
    ("2020-06-19 10:00", None, (DFE,), "press_release", "Catch-up funding for pupils announced",
     "Extra funding will help pupils catch up on learning missed during school closures.",
     ("A catch-up package will help pupils make up for time out of school.",
      "It includes funding for tutoring for disadvantaged pupils."), False),
    ("2020-09-01 09:00", None, (DFE,), "news_story", "First T Level students start their courses",
     "The first students have begun T Level courses at colleges and schools.",
     ("The first T Level students began their courses this week.",
      "They will spend time on an industry placement as part of the qualification.",
      "More subjects will be added in the coming years."), False),
    ("2020-09-29 11:00", None, (DFE, "prime-ministers-office-10-downing-street"), "press_release",
     "Lifetime Skills Guarantee to help adults train",
     "Adults without an A level or equivalent will be able to take a free course.",
     ("Adults who do not hold an A level or equivalent qualification will be offered a free course.",
      "Courses will be in subjects valued by employers."), False),
    ("2021-01-21 10:00", None, (DFE,), "press_release", "Skills for Jobs white paper published",
     "A white paper sets out reforms to further education and technical training.",
     ("The Skills for Jobs white paper sets out reforms to post-16 technical education.",
      "Employers will have a bigger say in the courses colleges offer.",
      "The reforms include changes to funding and accountability for colleges."), False),
    ("2021-02-08 09:00", None, (DFE,), "news_story", "National Apprenticeship Week goes online",
     "Apprenticeship events move online this year.",
     ("National Apprenticeship Week events are taking place online.",
      "Employers and apprentices will take part in virtual sessions across the week."), False),
    ("2021-04-01 10:00", None, (DFE, "education-and-skills-funding-agency"), "press_release",
     "Employers offered incentive payments for new apprentices",
     "Employers taking on new apprentices can claim an incentive payment.",
     ("Employers who hire a new apprentice can apply for an incentive payment.",
      "The scheme has been extended to encourage more hiring."), False),
    ("2021-07-15 10:00", None, (DFE,), "news_story", "Skills bootcamps expand across England",
     "Free skills bootcamps in digital and technical subjects are available in more areas.",
     ("Skills bootcamps offer short, flexible courses for adults.",
      "More areas will offer them from the autumn."), False),
    ("2021-10-27 12:30", None, (DFE, "hm-treasury"), "press_release", "Spending review invests in skills",
     "The spending review sets out investment in skills and schools.",
     ("The spending review includes funding for skills over the parliament.",
      "Schools funding will also increase."), False),
    ("2022-02-08 10:00", None, (DFE,), "news_story", "Apprentices celebrated at national awards",
     "Apprentices and employers are recognised for outstanding work.",
     ("The national apprenticeship awards have recognised apprentices and their employers.",
      "Winners came from a wide range of industries."), False),
    ("2022-03-28 10:00", "2022-04-12 09:00", (DFE,), "press_release", "Schools white paper published",
     "A white paper sets out plans for schools, including stronger trusts.",
     ("The schools white paper sets out plans to raise standards in literacy and numeracy.",
      "It proposes that more schools join strong multi-academy trusts.",
      "Updated to add an easy-read version."), False),
    ("2022-06-09 10:00", None, (DFE,), "news_story", "Multiply numeracy programme launches",
     "Adults can take free courses to improve their everyday maths.",
     ("A new programme called Multiply offers free numeracy courses to adults.",
      "Courses are delivered locally and fit around work."), False),
    ("2022-09-05 09:00", None, (DFE,), "news_story", "Teacher starting salaries to rise",
     "Starting salaries for teachers will increase from September.",
     ("Starting salaries for new teachers will increase this year.",
      "Experienced teachers will also see a pay rise."), False),
    ("2022-12-15 10:00", None, (DFE,), "press_release", "Extra funding for schools confirmed",
     "Schools will receive additional funding next year.",
     ("Additional funding for schools has been confirmed for the next financial year.",
      "Allocations for individual schools will follow."), False),
    ("2023-02-06 09:00", None, (DFE,), "news_story", "National Apprenticeship Week 2023 begins",
     "Employers and apprentices come together to mark the week.",
     ("National Apprenticeship Week is taking place with events across England.",
      "The theme this year is skills for life."), False),
    ("2023-05-16 10:00", None, (DFE,), "press_release", "New T Level subjects available from September",
     "More T Level subjects will be taught from the new academic year.",
     ("Students will be able to choose from more T Level subjects from September.",
      "New routes include subjects in engineering and business.",
      "Providers are recruiting employers for industry placements."), False),
    ("2023-07-13 11:00", None, (DFE,), "press_release", "Teachers' pay award accepted",
     "The government accepts the pay review body's recommendation for teachers.",
     ("Teachers will receive a pay award in line with the independent pay review body's recommendation.",
      "Schools will receive additional funding towards the cost."), False),
    ("2023-10-04 14:00", None, (DFE, "prime-ministers-office-10-downing-street"), "press_release",
     "Advanced British Standard proposed for 16 to 19 year olds",
     "A new baccalaureate-style qualification is proposed to replace A levels and T Levels.",
     ("The Advanced British Standard would bring academic and technical study together.",
      "All students would study some maths and English to 18.",
      "A consultation on the design will follow."), False),
    ("2023-11-22 13:00", None, (DFE, "hm-treasury"), "news_story", "Autumn statement funds apprenticeships",
     "The autumn statement includes money for engineering apprenticeships.",
     ("The autumn statement includes new funding for apprenticeships in key sectors.",
      "Engineering apprenticeships will be piloted with extra support."), False),
    ("2024-01-30 10:00", "2024-02-14 16:00", (DFE,), "news_story",
     "Free childcare expansion: what parents need to know",
     "Working parents of two-year-olds can apply for free childcare hours.",
     ("Eligible working parents can now apply for free childcare hours for two-year-olds.",
      "The offer will expand to younger children in stages.",
      "Updated with information on how to reconfirm eligibility."), True),
    ("2024-03-26 10:00", None, (DFE,), "news_story", "Apprenticeship levy transfers made simpler",
     "Levy-paying employers can transfer more funds to other businesses.",
     ("Employers who pay the levy can now transfer a larger share of their funds to other employers.",
      "The change is intended to help small businesses take on apprentices."), False),
    ("2024-07-30 10:00", None, (DFE,), "press_release", "Curriculum and assessment review launched",
     "An independent review of the curriculum and assessment has begun.",
     ("An independent review of the national curriculum and assessment has been launched.",
      "It will report with recommendations in due course."), False),
    ("2024-09-02 09:00", None, (DFE,), "news_story", "Breakfast clubs to be trialled in schools",
     "Free breakfast clubs will be trialled in a number of primary schools.",
     ("Free breakfast clubs will be trialled in primary schools across England.",
      "Schools can apply to take part in the early adopter scheme."), False),
    ("2024-11-14 10:00", None, (DFE,), "news_story", "Further education colleges receive capital funding",
     "Colleges will receive funding to improve their buildings and equipment.",
     ("Further education colleges will receive capital funding to improve buildings and equipment.",
      "Allocations will be confirmed for each college."), False),
)  # fmt: skip


_PressRow = tuple[str, str | None, str, str, tuple[str, ...]]  # published, modified, title, summary, body

_PRESS: tuple[_PressRow, ...] = (
    ("2015-07-10 16:20", None, "Productivity plan floats 'Institutes of Technology'",
     "The Treasury's productivity plan suggests a new kind of technical institution.",
     ("Fixing the foundations, the government's productivity plan, proposes Institutes of Technology.",
      "Sector leaders say they want to see detail before judging the idea.",
      "It is not yet clear how the institutes would be funded.")),
    ("2015-10-14 09:10", None, "Area reviews to reshape the college sector",
     "Colleges face local reviews that could lead to mergers.",
     ("Colleges in each area will take part in reviews of their provision.",
      "Some principals expect mergers to follow.")),
    ("2016-05-12 11:45", None, "Ireland's institutes of technology eye university status",
     "Irish institutes of technology are preparing to merge into technological universities.",
     ("Several of Ireland's Institutes of Technology are working towards becoming technological universities.",
      "The mergers follow new legislation in Ireland.",
      "The plans are unrelated to England's own Institutes of Technology.")),
    ("2016-11-03 14:00", None, "Factories turn to IoT sensors to cut downtime",
     "Manufacturers are fitting Internet of Things sensors to production lines.",
     ("Manufacturers are using IoT sensors to monitor machines and predict faults.",
      "Engineers say the Internet of Things has moved from pilot projects to everyday use.")),
    ("2017-01-23 13:30", None, "Green paper pledges £170m for Institutes of Technology",
     "Theresa May's Industrial Strategy green paper sets aside capital funding.",
     ("The Prime Minister's Industrial Strategy green paper includes £170 million for Institutes of Technology.",
      "College leaders welcomed the capital funding but asked about running costs.",
      "A consultation on the green paper is under way.")),
    ("2017-05-18 10:00", None, "India approves more Indian Institutes of Technology",
     "New IITs are planned as India expands technical higher education.",
     ("India is expanding its network of Indian Institutes of Technology, known as IITs.",
      "The new institutes operate under India's Institutes of Technology Act.")),
    ("2017-12-15 15:05", "2017-12-18 09:00", "Bidding opens for £170m Institutes of Technology",
     "Justine Greening launches the competition; the first institutes are expected in 2019.",
     ("The competition for Institutes of Technology has opened, with £170 million of capital funding available.",
      "Bids are submitted through the Department for Education's e-tendering portal.",
      "Education Secretary Justine Greening expects the first institutes to open in 2019.",
      "Updated with a comment from a college group.")),
    ("2018-03-21 12:00", None, "Hinds Community College expands its welding courses",
     "The US college is adding welding places to meet demand.",
     ("Hinds Community College in Mississippi is expanding its welding programme.",
      "The college has no link to Education Secretary Damian Hinds.")),
    ("2018-05-28 08:30", None, "Institutes of Technology shortlist: 16 bids make the cut",
     "Sixteen of 35 bids go through to the next stage of the Institutes of Technology competition.",
     ("Sixteen bids are through to the second stage of the Institutes of Technology competition, from 35.",
      f"The shortlist includes bids led by {_SHORTLIST}.",
      "Winners will share £170 million.")),
    ("2018-09-06 10:20", None, "Ofsted to inspect new apprenticeship providers sooner",
     "New providers will receive an early monitoring visit.",
     ("Ofsted will visit new apprenticeship providers earlier than before.",
      "Inspectors will look at whether training meets apprentices' needs.")),
    ("2019-01-15 09:00", None, "College staff pay talks stall",
     "Unions and employers remain apart on pay for college staff.",
     ("Talks on pay for college staff have ended without agreement.",
      "Unions say they will consult members on next steps.")),
    ("2019-04-09 19:30", "2019-04-10 09:15", "First 12 Institutes of Technology to be named",
     "Nine colleges and three universities are set to lead the first Institutes of Technology.",
     ("Twelve Institutes of Technology are set to be announced, led by nine colleges and three universities.",
      "The winners will share £170 million of capital funding.",
      "Employers involved include Nissan, Siemens and Microsoft.")),
    ("2019-04-10 11:00", None, "Full list: the 12 Institutes of Technology",
     "Theresa May and Damian Hinds confirm the leads of the first 12 institutes.",
     ("Prime Minister Theresa May and Education Secretary Damian Hinds have confirmed the first 12 Institutes of "
      "Technology.",
      "The lead providers are:",
      _ul(_FIRST_TWELVE),
      "Milton Keynes is set to receive £28 million and Swindon £21 million.")),
    ("2019-04-11 10:30", None, "Business groups and opposition respond to Institutes of Technology",
     "The CBI and Labour have both responded to the first 12 Institutes of Technology.",
     ("The CBI has issued a response to the announcement of the first 12 Institutes of Technology.",
      "Labour has also responded to the news.")),
    ("2019-06-20 09:40", None, "Dudley's institute project put at £32.5m",
     "Dudley College of Technology's Institute of Technology will receive £16.8m towards the project.",
     ("Dudley College of Technology's Institute of Technology project is costed at £32.5 million.",
      "The government contribution is £16.8 million.",
      "Later reports have put the figure at £17.36 million.")),
    ("2019-10-01 17:00", None, "Eight more Institutes of Technology promised",
     "Gavin Williamson tells party conference of a £120m second wave.",
     ("Education Secretary Gavin Williamson has promised eight more Institutes of Technology.",
      "He said £120 million would be made available.")),
    ("2020-02-19 14:00", None, "Second-wave Institutes of Technology prospectus out",
     "The Department for Education has published a prospectus for wave 2.",
     ("A prospectus for the second wave of Institutes of Technology has been published.",
      "It explains how bids will be judged.")),
    ("2020-06-04 10:00", None, "Colleges adapt to remote teaching",
     "Colleges move practical courses online where they can.",
     ("Colleges have moved as much teaching online as possible.",
      "Practical assessments have been the hardest to adapt.")),
    ("2020-10-08 12:45", None, "Wave 2 Institutes of Technology competition opens",
     "Up to eight new institutes, up to £120m, and only areas without one may bid.",
     ("The competition for up to eight more Institutes of Technology has opened.",
      "Up to £120 million is on offer, taking the total across both waves to £290 million.",
      "Bids are due by 14 December 2020 and only areas without an Institute of Technology may apply.")),
    ("2021-03-10 09:30", None, "T Level placements: what employers say",
     "Employers share their experience of hosting T Level students.",
     ("Employers hosting T Level students say planning ahead is essential.",
      "Colleges are working with local firms to find enough placements.")),
    ("2021-07-01 11:10", None, "What the first 12 Institutes of Technology have in common",
     "Colleges lead most of the first wave, with big employers as partners.",
     ("Nine of the first 12 Institutes of Technology are led by colleges and three by universities.",
      "Employer partners in the first wave include Nissan, Siemens and Microsoft.",
      "New College Durham, York College and Weston College are among the college leads.")),
    ("2021-12-17 13:20", "2021-12-20 10:00", "Nine new Institutes of Technology named",
     "Nadhim Zahawi announces the second wave, taking the network to 21.",
     ("Nine more Institutes of Technology have been announced, taking the network to 21.",
      "The winning bids are led by:",
      _ul(_WAVE_TWO),
      "Up to £120 million will be shared among them.")),
    ("2022-01-06 09:00", None, "Minister confirms £290m for 21 Institutes of Technology",
     "A written statement from Michelle Donelan sets out the total investment.",
     ("Michelle Donelan confirmed in a written statement that 21 Institutes of Technology now exist.",
      "Investment across both waves totals £290 million.")),
    ("2022-05-17 10:00", None, "IoT security rules for smart devices move closer",
     "New rules for connected products are making their way through Parliament.",
     ("Makers of Internet of Things devices will have to meet new security requirements.",
      "The rules cover products such as smart cameras and speakers.")),
    ("2022-11-03 16:00", None, "Swindon and Wiltshire Institute of Technology building opens",
     "The new building is the result of £21m of first-wave funding.",
     ("The Swindon and Wiltshire Institute of Technology has opened its new building.",
      "Swindon College leads the institute, which received £21 million.")),
    ("2023-01-24 09:30", None, "Bletchley institute opens as South Central Institute of Technology",
     "The Milton Keynes-led institute has a new name.",
     ("The institute led by Milton Keynes College in Bletchley has opened as the South Central Institute of "
      "Technology.",
      "It was awarded £28 million in the first wave.")),
    ("2023-03-14 10:00", None, "HCUC becomes HRUC",
     "The college group that leads an Institute of Technology has changed its name.",
     ("HCUC, which leads one of the first 12 Institutes of Technology, has become HRUC.",
      "The renamed group continues to lead its Institute of Technology.")),
    ("2023-05-02 08:45", None, "Apprenticeship starts fall again",
     "New figures show fewer apprenticeship starts than last year.",
     ("Apprenticeship starts have fallen compared with the previous year.",
      "Training providers say smaller employers are finding it harder to take on apprentices.",
      "The department says quality matters more than numbers.")),
    ("2023-06-15 12:00", None, "Colleges warn over rising energy bills",
     "Principals say energy costs are squeezing budgets.",
     ("College leaders say energy bills are taking money away from teaching.",
      "Some are delaying building repairs to balance their budgets.")),
    ("2023-09-07 10:00", None, "More T Level subjects start this term",
     "Students can choose from a wider range of T Levels.",
     ("A wider choice of T Level subjects is available this term.",
      "Colleges say recruitment has been steady.")),
    ("2023-10-05 09:00", None, "Sector reacts to Advanced British Standard plan",
     "College leaders want detail on how technical study will fit in.",
     ("The proposed Advanced British Standard has drawn a cautious response from colleges.",
      "Leaders want to know what it means for T Levels.")),
    ("2023-12-20 17:30", "2024-01-03 10:00", "Lords told of 14,231 students at Institutes of Technology",
     "A written answer puts funding for the 21 institutes at up to £300m.",
     ("A written answer in the House of Lords says up to £300 million has been committed to 21 Institutes of "
      "Technology.",
      "It reports 14,231 students in 2022/23 at the 15 institutes then open.",
      "Updated with a comment from the institutes' network.")),
    ("2024-01-18 10:30", None, "Functional skills reforms bed in",
     "Tutors report on the first years of reformed functional skills.",
     ("Tutors say reformed functional skills qualifications are now well established.",
      "Some learners still find the new maths content challenging.")),
    ("2024-02-27 15:00", None, "Alan Turing Institute gets £100m",
     "The national AI and data science institute receives new funding.",
     ("The Alan Turing Institute has been awarded £100 million.",
      "It is not part of the Institutes of Technology network.")),
    ("2024-03-12 09:00", None, "NIHR funds research on apprenticeships in health",
     "The National Institute for Health and Care Research backs a study of health apprenticeships.",
     ("The National Institute for Health and Care Research is funding a study of apprenticeships in health "
      "care.",
      "Researchers will follow apprentices over several years.")),
    ("2024-04-23 11:00", None, "University Technical Colleges seek more pupils",
     "UTC leaders want more pupils to consider technical routes at 14.",
     ("University Technical Colleges are campaigning to attract more pupils.",
      "Leaders say many families do not know the option exists.")),
    ("2024-06-06 10:00", None, "Explainer: how the Institutes of Technology network grew",
     "From a 2015 proposal to 21 institutes: the milestones so far.",
     ("Institutes of Technology were first proposed in the 2015 productivity plan, Fixing the foundations.",
      "A competition opened in December 2017, the first 12 were named in April 2019 and nine more followed in "
      "December 2021.",
      "A Lords answer in December 2023 put funding for the 21 institutes at up to £300 million.")),
    ("2024-07-23 12:30", "2024-07-25 09:00", "Skills England to replace IfATE",
     "The new body will take over the functions of the Institute for Apprenticeships and Technical Education.",
     ("Skills England will take on the work of the Institute for Apprenticeships and Technical Education.",
      "Employers will have a central role in the new body.")),
    ("2024-09-19 09:00", None, "College enrolments rise for second year",
     "More 16 to 18 year olds are studying at college.",
     ("Enrolments of 16 to 18 year olds at colleges have risen again.",
      "Principals say demand for technical courses is strong.")),
    ("2024-11-28 10:15", None, "Capital funding round for colleges opens",
     "Colleges can apply for money to improve their estates.",
     ("A new round of capital funding for colleges has opened.",
      "Applications will be assessed on the condition of buildings.",
      "Results are expected next year.")),
)  # fmt: skip


def sample_dataset() -> tuple[list[GovItem], list[PressItem]]:
    """A deterministic dataset: GOV.UK news (the Institutes of Technology milestones, hard negatives, other DfE
    news, 2015-2024) and trade-press articles covering the same ground. Fresh objects on every call."""
    gov: list[GovItem] = []
    for first, updated, orgs, doc_type, title, description, body, fails in (*_GOV_IOT, *_GOV_NEGATIVES, *_GOV_OTHER):
        gov.append(
            GovItem(
                base_path=f"/government/news/{_slugify(title)}",
                title=title,
                description=description,
                first_published_at=_at(first),
                public_timestamp=_at(updated or first),
                organisations=list(orgs),
                body_html=_body(body),
                document_type=doc_type,
                content_api_fails=fails,
            )
        )
    press = [
        PressItem(
            slug=_slugify(title),
            title=title,
            published_at=_at(published),
            body_html=_body(body),
            summary=summary,
            modified_at=_at(modified) if modified else None,
        )
        for published, modified, title, summary, body in _PRESS
    ]
    return gov, press


# ---- self-check ---------------------------------------------------------------------------------


def _self_check() -> None:
    import httpx
    from lxml import etree

    gov_items, press_items = sample_dataset()
    assert len(gov_items) >= 55 and len(press_items) >= 40, (len(gov_items), len(press_items))
    assert len({i.base_path for i in gov_items}) == len(gov_items)
    assert len({i.slug for i in press_items}) == len(press_items)
    assert any(i.content_api_fails for i in gov_items)
    assert any(i.public_timestamp > i.first_published_at for i in gov_items)
    atom_ns = {"a": "http://www.w3.org/2005/Atom"}

    with FakeGovUk(gov_items) as gov, httpx.Client(timeout=5) as client:
        assert client.get(gov.url("/robots.txt")).text.startswith("User-agent: *\nDisallow: /*/print$")
        bad = client.get(gov.url("/api/search.json"), params={"q": "x", "filter_bogus": "1", "page": "2"})
        assert bad.status_code == 422 and "bogus" in bad.json()["error"] and "page" in bad.json()["error"], bad.text
        assert client.get(gov.url("/api/search.json"), params={"count": "2000"}).status_code == 422
        assert client.get(gov.url("/api/search.json"), params={"order": "title"}).status_code == 422
        params: list[tuple[str, Any]] = [
            ("q", "Institutes of Technology"),
            ("filter_organisations", DFE),
            ("filter_content_purpose_subgroup", "news"),
            ("filter_public_timestamp", "from:2017-01-01,to:2022-12-31"),
            ("order", "-public_timestamp"),
            ("fields", "title,link"),
            ("fields", "public_timestamp"),
            ("count", "3"),
        ]
        first = client.get(gov.url("/api/search.json"), params=params).json()
        assert first["total"] >= 7 and len(first["results"]) == 3, first
        top = first["results"][0]
        assert set(top) == {"title", "link", "public_timestamp", "_id", "index", "es_score", "elasticsearch_type",
                            "document_type"}, top  # fmt: skip
        assert top["public_timestamp"].endswith("+00:00") and top["link"].startswith("/government/news/")
        stamps = [r["public_timestamp"] for r in first["results"]]
        assert stamps == sorted(stamps, reverse=True)
        past = client.get(gov.url("/api/search.json"), params=[*params[:-1], ("start", "500")]).json()
        assert past["results"] == [] and past["total"] == first["total"] and past["start"] == 500
        day = client.get(
            gov.url("/api/search.json"), params={"filter_public_timestamp": "from:2019-04-11,to:2019-04-11"}
        ).json()
        assert [r["link"] for r in day["results"]] == [
            "/government/news/the-first-twelve-institutes-of-technology-announced"
        ]

        twelve = next(i for i in gov_items if "First Twelve" in i.title)
        item = client.get(gov.content_url(twelve)).json()
        assert item["schema_name"] == "news_article" and item["first_published_at"].startswith("2019-04-10T08:00")
        assert item["public_updated_at"].startswith("2019-04-11") and "<ul>" in item["details"]["body"]
        assert item["links"]["organisations"][0]["title"] == "Department for Education"
        assert item["content_id"] == content_id(twelve.base_path)
        failing = next(i for i in gov_items if i.content_api_fails)
        assert client.get(gov.content_url(failing)).status_code == 503
        missing = client.get(gov.url("/api/content/government/news/nope"))
        assert missing.status_code == 404 and missing.content == b""
        below = client.get(gov.url(f"/api/content{twelve.base_path}/annex"))
        assert below.status_code == 303 and below.headers["location"] == f"/api/content{twelve.base_path}"
        any_word = client.get(gov.url("/api/search.json"), params={"q": "institutes of technology", "count": "0"})
        phrase = client.get(gov.url("/api/search.json"), params={"q": '"institutes of technology"', "count": "0"})
        assert any_word.json()["total"] > phrase.json()["total"] > 0
        moved = GovItem("/government/news/moved", "Moved", "", twelve.first_published_at, twelve.public_timestamp,
                        [DFE], "", unpublished="redirect", destination=twelve.base_path)  # fmt: skip
        gone = dataclasses.replace(moved, base_path="/government/news/gone", unpublished="gone_410")
        gov.items += [moved, gone]
        assert client.get(gov.content_url(moved)).json()["schema_name"] == "redirect"
        assert client.get(gov.content_url(gone)).status_code == 410
        assert client.get(gov.page_url(gone)).status_code == 410
        gov.items = gov.items[:-2]
        page = client.get(gov.page_url(failing))
        assert page.status_code == 200 and 'name="govuk:first-published-at"' in page.text
        assert 'class="gem-c-heading__text govuk-heading-l"' in page.text and "gem-c-metadata__list" in page.text
        assert f'<link rel="canonical" href="https://www.gov.uk{failing.base_path}">' in page.text
        feed = client.get(gov.url("/search/news-and-communications.atom"), params={"organisations[]": DFE})
        root = etree.fromstring(feed.content)
        entries = root.findall("a:entry", atom_ns)
        assert len(entries) == FINDER_FEED_SIZE and root.find("a:entry/a:published", atom_ns) is None
        link = entries[0].find("a:link", atom_ns)
        assert link is not None and link.get("href", "").startswith(gov.base)
        before = root.findtext("a:entry/a:id", namespaces=atom_ns)
        newest = max(gov_items, key=lambda i: i.public_timestamp)
        newest.public_timestamp += timedelta(days=1)
        again = etree.fromstring(client.get(gov.url("/search/news-and-communications.atom")).content)
        assert again.findtext("a:entry/a:id", namespaces=atom_ns) == before  # ids stay the same on update
        keyed = etree.fromstring(
            client.get(gov.url("/search/news-and-communications.atom"), params={"keywords": "wave"}).content
        )
        assert 0 < len(keyed.findall("a:entry", atom_ns)) < FINDER_FEED_SIZE
        assert client.get(gov.url("/government/news/missing")).status_code == 404
        assert gov.count("/api/search.json") == 8 and gov.count("/api/content/") == 6

    with FakeTradePress(press_items, gzip_sitemaps=True) as press, httpx.Client(timeout=5) as client:
        assert "Sitemap: " + press.base in client.get(press.url("/robots.txt")).text
        rss = client.get(press.url("/feed/"))
        assert rss.headers["content-type"].startswith("application/rss+xml")
        channel = etree.fromstring(rss.content)
        assert len(channel.findall("channel/item")) == 10
        assert client.get(press.url("/feed/"), headers={"If-None-Match": rss.headers["etag"]}).status_code == 304
        since = {"If-Modified-Since": rss.headers["last-modified"]}
        assert client.get(press.url("/feed/"), headers=since).status_code == 304
        atom = etree.fromstring(client.get(press.url("/feed/atom/")).content)
        assert len(atom.findall("a:entry", atom_ns)) == 10
        rdf = etree.fromstring(client.get(press.url("/feed/rdf/")).content)
        assert len(rdf.findall("{http://purl.org/rss/1.0/}item")) == 10
        index = etree.fromstring(client.get(press.url("/sitemap_index.xml")).content)
        locs = [e.text or "" for e in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        assert locs == [f"{press.base}/post-sitemap1.xml.gz"], locs
        child = client.get(locs[0])
        assert child.headers["content-type"] == "application/x-gzip" and "content-encoding" not in child.headers
        urlset = etree.fromstring(gzip.decompress(child.content))
        assert len(urlset) == len(press_items)
        assert urlset.find(".//{http://www.google.com/schemas/sitemap-news/0.9}publication_date") is not None
        listing = client.get(press.url("/news/"))
        assert listing.text.count('<article id="post-') == 5
        assert f'class="next page-numbers" href="{press.base}/news/page/2/"' in listing.text
        last = -(-len(press_items) // 5)
        assert 'class="next page-numbers"' not in client.get(press.url(f"/news/page/{last}/")).text
        assert client.get(press.url(f"/news/page/{last + 1}/")).status_code == 404
        art = press_items[0]
        page = client.get(press.article_url(art))
        assert page.status_code == 200 and 'property="article:published_time"' in page.text
        assert '<h1 class="entry-title">' in page.text and 'id="comments"' in page.text
        assert client.get(press.article_url(art).rstrip("/")).status_code == 301
        assert client.get(press.url("/nowhere/")).status_code == 404
        assert press.count("/feed/") == 5

    html_page = (
        b"<html><head><title>x</title></head><body><p>Institutes</p><a href='https://feweek.co.uk/'>h</a></body></html>"
    )
    snaps = [
        Snapshot("https://feweek.co.uk/2019/04/10/first-12/", "20190410120000", html_page),
        Snapshot("https://feweek.co.uk/2019/04/10/first-12/", "20190411120000", html_page),
        Snapshot("https://feweek.co.uk/2019/04/10/first-12/", "20190501120000", html_page + b"<!-- changed -->"),
        Snapshot("http://www.feweek.co.uk/2019/04/10/first-12/", "20190601000000", b"gone", status=404),
        Snapshot("https://feweek.co.uk/feed/", "20190410130000", b"<rss/>", mime="application/rss+xml"),
    ]
    with FakeWayback(snaps) as wayback, httpx.Client(timeout=5) as client:
        cdx = wayback.url("/cdx/search/cdx")
        rows = client.get(
            cdx,
            params=[
                ("url", "feweek.co.uk/2019/04/10/first-12/"),
                ("from", "2019"),
                ("to", "2019"),
                ("output", "json"),
                ("filter", "statuscode:200"),
                ("filter", "mimetype:text/html"),
                ("collapse", "digest"),
            ],
        ).json()
        assert rows[0] == list(CDX_FIELDS) and len(rows) == 3, rows
        assert rows[1][0] == "uk,co,feweek)/2019/04/10/first-12/" and rows[1][5] == cdx_digest(html_page)
        everything = client.get(cdx, params={"url": "feweek.co.uk/*", "output": "json"}).json()
        assert len(everything) == 1 + len(snaps)
        not_ok = client.get(cdx, params={"url": "feweek.co.uk/*", "output": "json", "filter": "!statuscode:200"})
        assert len(not_ok.json()) == 2
        assert client.get(cdx, params={"url": "example.org/", "output": "json"}).json() == []
        assert client.get(cdx, params={"url": "feweek.co.uk/*", "output": "json", "from": "2020"}).json() == []
        raw = client.get(wayback.raw_url(snaps[0]))
        assert raw.content == html_page and raw.headers["content-type"] == "text/html"
        toolbar = client.get(wayback.url(f"/web/{snaps[0].timestamp}/{snaps[0].url}"))
        assert '<body><div id="wm-ipp">Wayback toolbar</div>' in toolbar.text and "/web/20190410120000/" in toolbar.text
        assert client.get(wayback.url(f"/web/20190410120001id_/{snaps[0].url}")).status_code == 404
        assert client.get(wayback.url("/robots.txt")).text == "User-agent: *\nAllow: /\n"
        assert wayback.count("/cdx/") == 5 and wayback.count("/web/") == 3

    print("OK")


if __name__ == "__main__":
    _self_check()
