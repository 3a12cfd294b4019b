"""Status changes reported instead of content (GOV.UK redirects, unpublishings, withdrawals).

They are recorded against the article already held at that address, never loaded as an article:
a redirect or a 410 must not replace the good capture of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from iot_ingest.extract.govuk_content_api import item_status
from iot_ingest.ingest.process import ExtractedCapture
from iot_ingest.warehouse.load import lookup

__all__ = ["status_change_rows"]


def status_change_rows(
    con: duckdb.DuckDBPyConnection, items: Sequence[ExtractedCapture], run_id: str
) -> list[dict[str, Any]]:
    found = []
    for item in items:
        capture = item.capture
        status = item_status(capture.url, capture.status, capture.body)
        if status is not None:
            found.append((item, status))
    held = dict(lookup(con, "load.articles_by_url", sorted({s.page_url for _, s in found})))
    return [
        {
            "response_id": item.capture.response_id,
            "url": status.page_url,
            "article_id": held.get(status.page_url),
            "status": status.status,
            "destination": status.destination,
            "detail": status.detail,
            "observed_at": item.capture.fetched_at,
            "run_id": run_id,
        }
        for item, status in found
    ]
