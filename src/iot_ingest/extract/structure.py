"""Parts of a page recognised by their structure, whatever their class names: a photo gallery (a run
of like blocks, each a picture with a short text) and a thread of dated entries (reader comments).

Class names differ from one publishing system to the next ("pic", "slide", "entry", "c-item"), and a
theme may name its comments anything; the shapes are the same everywhere. Both are left out of the
body on the body step's pruned copy of the page, never the page itself:

- a gallery's texts describe pictures, not the story, and a long gallery outweighs a short article;
- a thread of dated entries after the article's own prose is a discussion of it. The same shape
  with no prose before it is a live blog, whose entries are the article, and is kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from lxml.html import HtmlElement

from iot_ingest.extract.dates import parse_date

__all__ = ["drop_galleries_and_threads", "is_dated_thread", "is_gallery"]

_RUN = 3  # like blocks in a row before they are a gallery or a thread
_CAPTION_CHARS = 400  # a picture's text longer than this is an article illustrated, not a caption
_DATE_LINE_CHARS = 60
_ENTRY_PROSE = 40  # an entry of a thread says something
_PROSE_BEFORE = 300  # characters of the article's own prose before a thread that make it comments
_PICTURES = ("img", "picture")
_MOST = 0.7
_SPACE = re.compile(r"\s+")


def is_gallery(element: HtmlElement) -> bool:
    """At least three children of one shape, each holding a picture and only a short text, that
    are most of the element's text (an article's paragraphs between its photos are no gallery)."""
    return any(_gallery_run(element, run) for run in _runs(element))


def is_dated_thread(element: HtmlElement) -> bool:
    """At least three children of one shape, each with a short line that is a date and some prose,
    that are most of the element's text."""
    return any(_thread_run(element, run) for run in _runs(element))


def _gallery_run(element: HtmlElement, run: list[HtmlElement]) -> bool:
    return all(map(_is_picture_unit, run)) and _most_of(element, run)


def _thread_run(element: HtmlElement, run: list[HtmlElement]) -> bool:
    return all(map(_is_dated_entry, run)) and _most_of(element, run)


def _most_of(element: HtmlElement, run: list[HtmlElement]) -> bool:
    whole = len(_SPACE.sub("", element.text_content()))
    return sum(len(_SPACE.sub("", unit.text_content())) for unit in run) >= _MOST * whole


def drop_galleries_and_threads(root: HtmlElement) -> None:
    """Remove galleries and comment threads from the pruned copy of a page, in place; a gallery is
    kept when it is all the page has (a page that is only pictures), a thread when no prose comes
    before it (a live blog). Elements with three children or more are found by XPath, in C: the
    shape checks then run on few elements."""
    doomed: list[HtmlElement] = []
    for element in root.xpath(".//*[count(*) >= 3]"):
        if any(d in element.iterancestors() for d in doomed):
            continue
        for run in _runs(element):
            if _gallery_run(element, run) or (_thread_run(element, run) and _prose_before(element) >= _PROSE_BEFORE):
                doomed.append(element)
                break
    if not doomed:
        return
    remaining = sum(len(p.text_content()) for p in root.iter("p")) - sum(
        len(p.text_content()) for e in doomed for p in e.iter("p")
    )
    if remaining < _PROSE_BEFORE:
        doomed = [e for e in doomed if not is_gallery(e)]  # the pictures are the page
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def _prose_before(element: HtmlElement) -> int:
    """Characters of paragraphs earlier in the document, outside galleries and threads."""
    return sum(len(_SPACE.sub(" ", p.text_content()).strip()) for p in element.xpath("preceding::p"))


def _runs(element: HtmlElement) -> Iterator[list[HtmlElement]]:
    """Children grouped by shape (tag and class), groups of at least three."""
    groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in {"p", "br", "h2", "h3", "h4"}:
            groups[(str(child.tag), child.get("class") or "")].append(child)
    for group in groups.values():
        if len(group) >= _RUN:
            yield group


def _is_picture_unit(unit: HtmlElement) -> bool:
    has_picture = unit.tag in _PICTURES or next(unit.iter(*_PICTURES), None) is not None
    return has_picture and len(_SPACE.sub(" ", unit.text_content()).strip()) <= _CAPTION_CHARS


def _is_dated_entry(entry: HtmlElement) -> bool:
    """Some prose and a date line (cheapest test first: most runs are lists of links)."""
    if not any(len(p.text_content().strip()) >= _ENTRY_PROSE for p in entry.iter("p")):
        return False
    return any(t.get("datetime") for t in entry.iter("time")) or any(map(_is_date_line, entry.itertext()))


def _is_date_line(text: str) -> bool:
    value = text.strip()
    return 6 <= len(value) <= _DATE_LINE_CHARS and parse_date(value) is not None
