"""Body text from an element: paragraphs in order, boilerplate blocks left out."""

from __future__ import annotations

import re

from bs4 import Tag
from bs4.element import NavigableString

from iot_ingest.extract.furniture import FURNITURE_TAGS, is_furniture_name

__all__ = [
    "block_text",
    "clean_inline",
    "inline_text",
    "is_boilerplate_heading",
    "strip_boilerplate",
]

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd", "td", "th"})
_CONTAINERS = _BLOCKS | {"ul", "ol", "dl", "table", "div", "section", "article", "main", "figure"}
# Inside a chosen body a form, a caption or a header (headline, byline) is not body text either.
_DROP_TAGS = (*FURNITURE_TAGS, "form", "figcaption", "header")
_STOP_HEADINGS = re.compile(
    r"^(related( articles| stories| content| posts| news)?|most (recent|read|popular)( articles| stories)?|"
    r"login ?/ ?sign ?up|sign up|share (this|on)|read more|more from|you may also like|"
    r"leave a (reply|comment)|comments|\d+ (responses?|comments?)|explore the topic|is this page useful\??|"
    r"latest news|trending|recommended)\b",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_CELLS = frozenset({"li", "td", "th", "dt", "dd"})
_LABEL_WORDS = 3
_SENTENCE_ENDS = frozenset(".!?:;\"'»“”’)…。！？")
_DATELINE = re.compile(r"^(?:posted|published|first published|updated|last updated)\b.*\b\d{4}\b", re.IGNORECASE)
# A post's filing labels ("Filed under: skills, colleges"): the site's taxonomy, not a sentence.
_FILING = re.compile(r"^(?:filed under|categories|category|tags|tagged|topics|posted in)\s*:", re.IGNORECASE)
_STOP_LINES = frozenset({"related articles", "most recent articles", "login / sign up", "advertisement", "close"})


def clean_inline(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def inline_text(block: Tag) -> str:
    """A block's text as a reader sees it: inline markup joined as written, `<br>` as a space."""
    for br in block.find_all("br"):
        br.replace_with(" ")
    return clean_inline(block.get_text())


def is_boilerplate_heading(text: str) -> bool:
    return bool(_STOP_HEADINGS.match(clean_inline(text)))


def strip_boilerplate(root: Tag) -> None:
    """Remove navigation, forms and blocks whose class or id says they are page furniture."""
    for tag in root.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed or tag is root:
            continue
        names = " ".join([*(tag.get("class") or []), str(tag.get("id") or "")])
        if is_furniture_name(names.strip()):
            tag.decompose()


def block_text(root: Tag) -> str:
    """The text of `root` as paragraphs, leaving out link lists and what follows a boilerplate heading
    such as "Related Articles" up to the next real paragraph."""
    for br in root.find_all("br"):
        br.replace_with(" ")
    blocks = _leaf_blocks(root)
    linked = _linked_chars(root, blocks)
    paragraphs: list[str] = []
    skipping = False
    for block in blocks:
        text = clean_inline(block.get_text())
        if not text:
            continue
        heading = (block.name or "").startswith("h")
        if block.name == "h1" or (len(text) < 100 and _DATELINE.match(text)):
            continue  # the headline and the dateline are fields of their own
        if _FILING.match(text):
            continue
        if (heading and is_boilerplate_heading(text)) or text.lower() in _STOP_LINES:
            skipping = True
            continue
        share = linked.get(id(block), 0) / len(text)
        if share > 0.5 or (block.name == "li" and share > 0.3 and len(text) < 100):
            continue
        if not heading and block.name not in _CELLS and _is_label(text):
            continue  # a kicker, a credit, a "Box aufklappen": a label of the page, not a sentence
        if skipping and (heading or len(text) < 120):
            continue
        skipping = False
        paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _linked_chars(root: Tag, blocks: list[Tag]) -> dict[int, int]:
    """Characters of link text in each block, by the block's id: all of a block inside a link, and
    each link's text for the block that holds it."""
    wanted = {id(block) for block in blocks}
    found: dict[int, int] = {}
    for block in blocks:
        for parent in block.parents:
            if parent is root:
                break
            if parent.name == "a":  # a teaser card wrapped in its link
                found[id(block)] = len(block.get_text())
                break
    for link in root.find_all("a"):
        for parent in link.parents:
            if id(parent) in wanted:
                found[id(parent)] = found.get(id(parent), 0) + len(clean_inline(link.get_text()))
                break
    return found


def _is_label(text: str) -> bool:
    return len(text.split()) <= _LABEL_WORDS and text[-1] not in _SENTENCE_ENDS


def _leaf_blocks(root: Tag) -> list[Tag]:
    """Block elements with no block inside them, in document order; loose text becomes a block."""
    found: list[Tag] = []

    def visit(node: Tag) -> None:
        has_block_child = any(isinstance(c, Tag) and c.name in _CONTAINERS for c in node.children)
        if node.name in _BLOCKS and not has_block_child:
            found.append(node)
            return
        for child in node.children:
            if isinstance(child, Tag):
                visit(child)
            elif isinstance(child, NavigableString) and node.name not in _BLOCKS and child.strip():
                # Text directly in a div (br-separated layouts) is still body text.
                wrapper = Tag(name="p")
                wrapper.string = str(child)
                found.append(wrapper)

    visit(root)
    return found
