"""Backfills from the Wayback Machine: captures listed by the CDX API, fetched raw (`id_`) and
archived under the original URL with the capture time."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from iot_ingest.config import WaybackSource
from iot_ingest.sources.base import Discovered, DiscoveryFailed, MonthlyBackfill, SourceContext, Window

__all__ = ["Wayback"]


class Wayback(MonthlyBackfill):
    def __init__(self, config: WaybackSource) -> None:
        self.config = config
        self.base = config.base_url.rstrip("/")

    async def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        if window is None:
            today = datetime.now(UTC).date()
            window = Window(today - timedelta(days=self.config.lookback_days), today)
        params = [
            ("url", self.config.url_prefix),
            ("from", window.since.strftime("%Y%m%d")),
            ("to", window.until.strftime("%Y%m%d")),
            ("output", "json"),
            ("filter", "statuscode:200"),
            ("filter", "mimetype:text/html"),
            ("collapse", "digest"),
        ]
        outcome = await ctx.get(f"{self.base}/cdx/search/cdx?{urlencode(params)}", accept="api")
        if outcome.not_modified:
            return
        if not outcome.ok or outcome.capture is None:
            raise DiscoveryFailed(f"CDX API: {outcome.error or outcome.skipped or 'no response'}")
        try:
            rows = json.loads(outcome.capture.body or b"[]")
        except ValueError as exc:
            raise DiscoveryFailed(f"CDX API returned bad JSON: {exc}") from None
        if not rows:
            return
        header, *captures = rows
        column = {name: index for index, name in enumerate(header)}
        for row in captures:
            timestamp, original = row[column["timestamp"]], row[column["original"]]
            try:
                captured = datetime.strptime(timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            except ValueError:
                continue
            yield Discovered(
                url=f"{self.base}/web/{timestamp}id_/{original}",
                archived_as=original,
                captured_at=captured,
            )
