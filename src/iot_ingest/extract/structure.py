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

from lxml import etree
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
    return any(all(map(_is_picture_unit, run)) and _most_of(element, run) for run in _runs(element))


def is_dated_thread(element: HtmlElement) -> bool:
    """At least three children of one shape, each with a short line that is a date and some prose,
    that are most of the element's text."""
    return any(all(map(_is_dated_entry, run)) and _most_of(element, run) for run in _runs(element))


def _most_of(element: HtmlElement, run: list[HtmlElement]) -> bool:
    whole = len(_SPACE.sub("", element.text_content()))
    return sum(len(_SPACE.sub("", unit.text_content())) for unit in run) >= _MOST * whole


def drop_galleries_and_threads(root: HtmlElement) -> None:
    """Remove galleries and comment threads from the pruned copy of a page, in place; a gallery is
    kept when it is all the page has (a page that is only pictures), a thread when no prose comes
    before it (a live blog)."""
    prose_seen = 0
    doomed: list[HtmlElement] = []
    for element in root.iter(etree.Element):
        if element.tag == "p":
            if not any(element is d or d in element.iterancestors() for d in doomed):
                prose_seen += len(_SPACE.sub(" ", element.text_content()).strip())
            continue
        if _has_run(element) and (is_gallery(element) or (prose_seen >= _PROSE_BEFORE and is_dated_thread(element))):
            doomed.append(element)
    outermost = [e for e in doomed if not any(d in e.iterancestors() for d in doomed)]
    remaining = sum(len(p.text_content()) for p in root.iter("p")) - sum(
        len(p.text_content()) for e in outermost for p in e.iter("p")
    )
    if remaining < _PROSE_BEFORE:
        outermost = [e for e in outermost if not is_gallery(e)]  # the pictures are the page
    for element in outermost:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def _has_run(element: HtmlElement) -> bool:
    """A cheap test before the shape checks: at least three element children."""
    count = 0
    for child in element:
        if isinstance(child.tag, str):
            count += 1
            if count >= _RUN:
                return True
    return False


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
    has_picture = unit.tag in _PICTURES or any(True for _ in unit.iter(*_PICTURES))
    return has_picture and len(_SPACE.sub(" ", unit.text_content()).strip()) <= _CAPTION_CHARS


def _is_dated_entry(entry: HtmlElement) -> bool:
    dated = any(_is_date_line(text) for text in entry.itertext())
    if not dated:
        dated = any(t.get("datetime") for t in entry.iter("time"))
    return dated and any(len(p.text_content().strip()) >= _ENTRY_PROSE for p in entry.iter("p"))


def _is_date_line(text: str) -> bool:
    value = text.strip()
    return 6 <= len(value) <= _DATE_LINE_CHARS and parse_date(value) is not None
