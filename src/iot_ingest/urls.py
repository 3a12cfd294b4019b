"""URL canonicalisation: every variant of one page's address maps to one canonical URL."""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

__all__ = ["canonical_url", "resolve_canonical", "site_of"]

# Query parameters that identify a campaign or a click, never the page.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "cmpid", "icid", "ocid",
        "s_cid", "ito", "ref_src", "ref_url", "amp", "spm", "at_medium", "at_campaign",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Second-level labels under which a registrable domain has three labels (feweek.co.uk).
_TWO_LEVEL_SUFFIXES = frozenset(
    {"co", "org", "gov", "ac", "ltd", "plc", "net", "me", "sch", "nhs", "police", "com", "edu", "nic"}
)


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters, the
    remaining parameters sorted, no trailing slash (but "/" for the root), no AMP suffix.
    Raises ValueError for anything that is not an absolute http(s) URL.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"URL has an invalid port: {url!r}") from None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" if port in (None, _DEFAULT_PORTS[scheme]) else f"[{host}]:{port}"

    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    if path.endswith("/amp") or path.endswith("/amp/"):
        path = path[: path.rfind("/amp")] or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"

    params = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    query = urlencode(sorted(params))
    return urlunsplit((scheme, netloc, path, query, ""))


def site_of(url: str) -> str:
    """The registrable domain of a URL's host: www.gov.uk -> gov.uk, feweek.co.uk -> feweek.co.uk.

    An address has no domain to share: each address and port is its own site, so two services on
    one machine (127.0.0.1:8001 and 127.0.0.1:8002) are never taken for one publisher.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if _is_address(host):
        return (
            f"[{host}]:{parts.port}" if ":" in host and parts.port else (f"{host}:{parts.port}" if parts.port else host)
        )
    labels = host.split(".")
    if labels and labels[0] == "www":
        labels = labels[1:]
    if len(labels) <= 2 or all(label.isdigit() for label in labels):
        return ".".join(labels)
    keep = 3 if labels[-2] in _TWO_LEVEL_SUFFIXES and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def resolve_canonical(
    fetched_url: str,
    canonical_link: str | None,
    og_url: str | None = None,
    mirrors: dict[str, str] | None = None,
) -> str:
    """The canonical URL of a page fetched at `fetched_url`.

    A page's own `rel=canonical` is trusted within its site. Across hosts it is trusted only for
    a mirror: a host known to mirror the canonical one (`mirrors`, mirror host -> original host),
    or a page whose `og:url` names the same foreign page, as a copied site keeps the original's
    head while a publisher republishing a story writes its own. Otherwise the same text on
    another site is a copy, a separate article.
    """
    try:
        fetched = canonical_url(fetched_url)
    except ValueError:
        fetched = fetched_url  # a local file or another scheme: only a declared http(s) URL is better
    if not canonical_link:
        return fetched
    try:
        declared = canonical_url(urljoin(fetched_url, canonical_link))
    except ValueError:
        return fetched
    if site_of(declared) == site_of(fetched) or not fetched.startswith(("http://", "https://")):
        return declared
    fetched_host = urlsplit(fetched).hostname or ""
    declared_host = urlsplit(declared).hostname or ""
    if mirrors and mirrors.get(fetched_host) == declared_host:
        return declared
    if og_url:
        try:
            if canonical_url(urljoin(fetched_url, og_url)) == declared:
                return declared
        except ValueError:
            pass
    return fetched


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
