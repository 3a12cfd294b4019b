from __future__ import annotations

import codecs

from iot_ingest.extract.decode import decode_html, http_charset

PAGE = "<html><head>{meta}</head><body><p>Backed by £170 million – “twelve” institutes</p></body></html>"


def test_http_charset_wins() -> None:
    body = PAGE.format(meta="").encode("windows-1252")
    assert "£170 million – “twelve”" in decode_html(body, "text/html; charset=windows-1252")


def test_a_latin1_label_is_read_as_windows_1252_and_keeps_the_pound_sign_and_quotes() -> None:
    body = PAGE.format(meta="").encode("windows-1252")
    assert "£170 million – “twelve”" in decode_html(body, "text/html; charset=ISO-8859-1")


def test_bom_when_the_header_says_nothing() -> None:
    body = codecs.BOM_UTF8 + PAGE.format(meta="").encode("utf-8")
    assert decode_html(body, "text/html").startswith("<html>")


def test_meta_charset_when_the_header_says_nothing() -> None:
    body = PAGE.format(meta='<meta charset="windows-1252">').encode("windows-1252")
    assert "£170 million" in decode_html(body, "text/html")


def test_a_wrong_http_charset_falls_through_to_what_decodes() -> None:
    body = PAGE.format(meta="").encode("windows-1252")
    assert "£170 million" in decode_html(body, "text/html; charset=utf-8")


def test_missing_charset_and_no_meta_is_detected() -> None:
    body = (PAGE.format(meta="") * 20).encode("windows-1252")
    assert "£170 million" in decode_html(body, "")


def test_unknown_charset_label_is_ignored() -> None:
    assert http_charset("text/html; charset=klingon") is None
    assert "£" in decode_html(PAGE.format(meta="").encode(), "text/html; charset=klingon")
