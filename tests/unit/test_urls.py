from __future__ import annotations

import pytest

from iot_ingest.urls import canonical_url, resolve_canonical, site_of


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://WWW.FENews.co.uk/education/iot/", "https://www.fenews.co.uk/education/iot"),
        ("https://www.fenews.co.uk:443/education/iot", "https://www.fenews.co.uk/education/iot"),
        ("http://feweek.co.uk:80/2019/04/10/story/#comments", "http://feweek.co.uk/2019/04/10/story"),
        (
            "https://www.fenews.co.uk/education/iot/?utm_source=twitter&utm_medium=social&fbclid=abc",
            "https://www.fenews.co.uk/education/iot",
        ),
        ("https://example.org/news?b=2&a=1&gclid=x", "https://example.org/news?a=1&b=2"),
        ("https://example.org/", "https://example.org/"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/story/amp/", "https://example.org/story"),
        ("https://example.org//a//b/", "https://example.org/a/b"),
        ("https://example.org:8443/x", "https://example.org:8443/x"),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


@pytest.mark.parametrize("bad", ["ftp://example.org/file", "mailto:a@b.c", "/relative/path", "https:///nohost"])
def test_canonical_url_refuses_what_is_not_an_http_url(bad: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(bad)


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.gov.uk/government/news/x", "gov.uk"),
        ("https://feweek.co.uk/x", "feweek.co.uk"),
        ("https://www.fenews.co.uk/x", "fenews.co.uk"),
        ("https://news.bbc.co.uk/x", "bbc.co.uk"),
        ("https://www.tes.com/magazine/x", "tes.com"),
        ("https://amp.theengineer.co.uk/x", "theengineer.co.uk"),
        # An address is no domain: each address and port is a site of its own.
        ("http://127.0.0.1:8000/x", "127.0.0.1:8000"),
        ("http://127.0.0.1:8001/x", "127.0.0.1:8001"),
        ("http://127.0.0.1/x", "127.0.0.1"),
        ("http://[::1]:8000/x", "[::1]:8000"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


def test_canonical_link_within_a_site_is_trusted() -> None:
    got = resolve_canonical("https://www.tes.com/magazine/archive/story", "/magazine/news/story")
    assert got == "https://www.tes.com/magazine/news/story"


def test_mirror_keeping_the_originals_head_resolves_to_the_original() -> None:
    original = "https://www.fenews.co.uk/education/first-12-institutes-of-technology/"
    got = resolve_canonical(
        "https://fenews.mirror-cdn.net/education/first-12-institutes-of-technology/", original, og_url=original
    )
    assert got == "https://www.fenews.co.uk/education/first-12-institutes-of-technology"


def test_a_copy_on_another_site_pointing_its_canonical_at_the_original_stays_a_separate_article() -> None:
    # Syndicated copies often credit the original with rel=canonical but are their own pages.
    got = resolve_canonical(
        "https://www.pesmedia.com/iot-story/",
        "https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced",
        og_url="https://www.pesmedia.com/iot-story/",
    )
    assert got == "https://www.pesmedia.com/iot-story"


def test_configured_mirror_hosts_are_trusted() -> None:
    got = resolve_canonical(
        "https://mirror.example.net/a", "https://www.fenews.co.uk/a", mirrors={"mirror.example.net": "www.fenews.co.uk"}
    )
    assert got == "https://www.fenews.co.uk/a"


def test_unusable_canonical_link_falls_back_to_the_fetched_url() -> None:
    assert resolve_canonical("https://example.org/a/?utm_source=x", "javascript:void(0)") == "https://example.org/a"
