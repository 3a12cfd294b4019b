"""Delivery through Apprise. A target's URL may name environment variables (`${SLACK_TOKEN}`),
read only here, at send time: what is logged or stored names the target, and any error text has
the expanded URL and every substituted value cut out."""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from iot_ingest.config import NotifyConfig
from iot_ingest.notify.render import Rendered

__all__ = ["DeliveryError", "deliver", "redact"]

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_REDACTED = "[redacted]"


@dataclass(frozen=True)
class DeliveryError(Exception):
    """Why a message could not be sent, safe to log and store."""

    reason: str

    def __str__(self) -> str:
        return self.reason


def deliver(target: NotifyConfig, message: Rendered, *, timeout_s: float = 15.0) -> None:
    """Send one message to one target; raises DeliveryError (secrets redacted) when it did not go."""
    import apprise

    url, secrets = _expand(target)
    service = apprise.Apprise()
    capture = apprise.LogCapture(level=logging.WARNING)  # type: ignore[no-untyped-call]
    with _quiet(logging.getLogger("apprise")), capture as captured:
        if not service.add(url):
            raise DeliveryError(f"target {target.name}: not a URL Apprise can send to")
        try:
            sent = bool(service.notify(body=message.body, title=message.title, timeout=timeout_s))
        except Exception as exc:  # a plugin's own error, whatever it is, is this target's failure
            raise DeliveryError(redact(f"target {target.name}: {type(exc).__name__}: {exc}", secrets)) from None
        log = captured.getvalue()
    if not sent:
        lines = [line.split(" - ", 2)[-1] for line in log.strip().splitlines() if line.strip()]
        detail = lines[-1] if lines else "Apprise reported the send as failed"
        raise DeliveryError(redact(f"target {target.name}: {detail}", secrets))


@contextlib.contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """Apprise's own log lines go to the capture only: what reaches the logs is the redacted reason."""
    propagate = logger.propagate
    logger.propagate = False
    try:
        yield
    finally:
        logger.propagate = propagate


def _expand(target: NotifyConfig) -> tuple[str, list[str]]:
    """The URL with `${NAME}` replaced from the environment, and what must never be shown."""
    missing: list[str] = []
    values: list[str] = []

    def value(match: re.Match[str]) -> str:
        found = os.environ.get(match.group(1))
        if found is None:
            missing.append(match.group(1))
            return ""
        values.append(found)
        return found

    url = _VARIABLE.sub(value, target.url)
    if missing:
        raise DeliveryError(f"target {target.name}: environment variable {missing[0]} is not set")
    return url, [url, *values]


def redact(text: str, secrets: list[str]) -> str:
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, _REDACTED)
    return text
