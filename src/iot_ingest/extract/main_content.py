"""The heavy scan, on the lxml tree: which element holds the article text.

BeautifulSoup builds a Python object per node, which costs as much as a whole extraction, so the
whole-page work (pruning furniture, scoring every paragraph) runs on lxml's C tree; only the
element chosen here is turned into a soup for the adapters (`Page.fragment`).

Scoring follows readability: each paragraph adds to its parent and, less, to its grandparents;
class and id names add or subtract; link-heavy candidates lose; siblings of the winner that look
like more of the same article join it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from lxml import etree
from lxml.html import HtmlElement

from iot_ingest.extract.furniture import FURNITURE_TAGS, is_furniture_name

__all__ = ["find_main", "holds_only_inline", "link_density", "prune_boilerplate"]

_POSITIVE = re.compile(r"article|body|content|entry|hentry|h-entry|main|post|text|blog|story", re.IGNORECASE)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|"
    r"shopping|tags|tool|widget|newsletter|subscribe|signup|login",
    re.IGNORECASE,
)
_SCORABLE = ("p", "pre", "td", "blockquote")
_DIV_LIKE = ("div", "section")
_BLOCK_CHILDREN = frozenset(
    {"p", "div", "section", "article", "table", "ul", "ol", "dl", "pre", "blockquote", "h1", "h2", "h3",
     "h4", "h5", "h6", "figure", "form", "main", "header"}
)  # fmt: skip
_TAG_BONUS = {
    "div": 5, "section": 5, "article": 10, "main": 10, "pre": 3, "td": 3, "blockquote": 3,
    "form": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "address": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
}  # fmt: skip
_SPACE = re.compile(r"\s+")
_COMMAS = (",", "，", "、", "،")  # Latin, CJK full-width, Japanese, Arabic
_STOP_UNWRAPPING = frozenset({"body", "html", "article", "main"})
_SHAPE_ATTRIBUTES = ("class", "data-component", "data-block-type", "data-type", "data-testid")


def prune_boilerplate(root: HtmlElement) -> None:
    """Remove furniture in place: navigation, forms' controls, hidden parts and blocks whose class or
    id names page furniture, unless such a block holds most of the page's text (a theme that calls
    its article wrapper `post-share-area` is still the article), alone or with the blocks of the same
    class it is split into (text blocks in a `sidebar-grid__container` each, between ads)."""
    etree.strip_elements(root, *FURNITURE_TAGS, with_tail=False)
    total = _paragraph_length(root)
    doomed: list[HtmlElement] = []
    for element in root.iter(etree.Element):
        if element.tag in {"html", "body", "article", "main"}:
            continue
        if element.get("hidden") is not None or element.get("aria-hidden") == "true":
            doomed.append(element)
            continue
        style = element.get("style")
        if style and "display:none" in style.replace(" ", "").lower():
            doomed.append(element)
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if is_furniture_name(names):
            doomed.append(element)
    lengths = {element: _paragraph_length(element) for element in doomed}
    by_class: dict[tuple[str, str], int] = {}
    for element, length in lengths.items():
        key = (str(element.tag), element.get("class") or "")
        by_class[key] = by_class.get(key, 0) + length
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        split_share = by_class[(str(element.tag), element.get("class") or "")] if element.get("class") else 0
        if element.tag == "header" or max(lengths[element], split_share) < 0.5 * total:
            _drop(element)


def find_main(root: HtmlElement, passed_over: Collection[HtmlElement] = ()) -> list[HtmlElement]:
    """The elements holding the article body, in document order (usually one). Blocks overlapping
    `passed_over` (an earlier choice found implausible) are not chosen: the next best block is."""
    prose: dict[HtmlElement, float] = {}
    for ancestor, text, pieces in _paragraphs(root):
        if len(text) < 25:
            continue
        score = pieces + sum(text.count(comma) for comma in _COMMAS) + min(len(text) // 100, 3 * pieces)
        ancestor = _past_wrappers(ancestor)
        level = 0
        while ancestor is not None and level < 3:
            prose[ancestor] = prose.get(ancestor, 0.0) + score / (1 if level == 0 else 2 if level == 1 else level * 3)
            ancestor = ancestor.getparent()
            level += 1
    # A name such as "content" amplifies the prose a block holds, but cannot outweigh it: a promo box
    # inside an ASP.NET `MainContent` wrapper is no article.
    scores = {element: value + min(_initial_score(element), value) for element, value in prose.items()}
    if not scores:
        body = root.find("body")
        return [body] if body is not None else [root]
    # Link density only lowers a score, so it is computed for the best raw scores only.
    best, best_score = root, float("-inf")
    for element, raw in sorted(scores.items(), key=lambda item: -item[1]):
        if raw <= best_score:
            break
        if passed_over and _overlaps(element, passed_over):
            continue
        adjusted = raw * (1 - link_density(element))
        if adjusted > best_score:
            best, best_score = element, adjusted
    # A winner wrapped alone in its parent: the parent is the same block, and its siblings count.
    parent = best.getparent()
    while parent is not None and parent.tag not in {"body", "html"} and len(parent) == 1:
        best, parent = parent, parent.getparent()
    return _with_siblings(best, best_score, scores)


def _past_wrappers(element: HtmlElement) -> HtmlElement:
    """The first ancestor that holds more than this one block: a paragraph wrapped alone in a div
    (or three) counts for the block that holds its siblings, as if unwrapped."""
    while _one_child(element) and not (element.text or "").strip() and element.tag not in _STOP_UNWRAPPING:
        parent = element.getparent()
        if parent is None:
            break
        element = parent
    return element


def holds_only_inline(element: HtmlElement) -> bool:
    """A div with no block inside (br-separated layouts): a paragraph in all but name."""
    return not any(child.tag in _BLOCK_CHILDREN for child in element)


def _one_child(element: HtmlElement) -> bool:
    children = iter(element)  # not len(): lxml counts every child, and a page may have thousands
    return next(children, None) is not None and next(children, None) is None


def _overlaps(element: HtmlElement, others: Collection[HtmlElement]) -> bool:
    return any(o is element or o in element.iterancestors() or element in o.iterancestors() for o in others)


def _paragraphs(root: HtmlElement) -> Iterable[tuple[HtmlElement, str, int]]:
    """Each paragraph's text with the element it counts for first (its parent), and how many
    paragraphs a reader sees in it (a br-separated div holds several)."""
    for element in root.iter(*_SCORABLE, *_DIV_LIKE):
        if element.tag not in _DIV_LIKE:
            parent = element.getparent()
            if parent is not None:
                yield parent, _SPACE.sub(" ", element.text_content()).strip(), 1
        elif holds_only_inline(element):
            # A div holding only inline content (br-separated layouts) is a paragraph, or several.
            parent = element.getparent()
            if parent is not None:
                text = _SPACE.sub(" ", element.text_content()).strip()
                breaks = sum(1 for child in element if child.tag == "br")
                yield parent, text, max(1, min(breaks // 2 + 1, len(text) // 200))
        else:
            # Text loose between a div's blocks is a paragraph of that div.
            loose = [element.text or ""]
            loose += [child.tail or "" for child in element if child.tag not in _BLOCK_CHILDREN]
            text = _SPACE.sub(" ", " ".join(loose)).strip()
            if len(text) >= 25:
                yield element, text, 1


def _with_siblings(best: HtmlElement, best_score: float, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    best_class = best.get("class") or ""
    shape = _shape(best)
    chosen: list[HtmlElement] = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is best:
            chosen.append(sibling)
            continue
        if sibling.find(".//h1") is not None and scores.get(sibling, 0.0) < best_score:
            continue  # the headline block: its standfirst is taken on its own, not its kicker and byline
        if shape and _shape(sibling) == shape and _has_prose(sibling) and link_density(sibling) < 0.3:
            chosen.append(sibling)  # one article split into blocks of one kind, between ads and embeds
            continue
        bonus = best_score * 0.2 if best_class and sibling.get("class") == best_class else 0.0
        if sibling in scores and scores[sibling] * (1 - link_density(sibling)) + bonus >= threshold:
            chosen.append(sibling)
        elif sibling.tag == "p":
            text = _SPACE.sub(" ", sibling.text_content()).strip()
            density = link_density(sibling)
            if (len(text) > 80 and density < 0.25) or (0 < len(text) <= 80 and density == 0 and text[-1] in ".!?"):
                chosen.append(sibling)
    return chosen


def _shape(element: HtmlElement) -> tuple[str, ...] | None:
    """What marks a block as one of a kind: its tag with its class and component names; None for a
    block with no such names (bare divs are too common to mean "more of the same")."""
    names = tuple(element.get(key) or "" for key in _SHAPE_ATTRIBUTES)
    return (str(element.tag), *names) if any(names) else None


def _has_prose(element: HtmlElement) -> bool:
    return any(
        len(_SPACE.sub(" ", p.text_content()).strip()) >= 25 and link_density(p) < 0.5 for p in element.iter("p")
    )


def _initial_score(element: HtmlElement) -> float:
    return float(_TAG_BONUS.get(str(element.tag), 0) + _class_weight(element))


def _class_weight(element: HtmlElement) -> int:
    weight = 0
    for name in (element.get("class"), element.get("id")):
        if name:
            if _NEGATIVE.search(name):
                weight -= 25
            if _POSITIVE.search(name):
                weight += 25
    return weight


def link_density(element: HtmlElement) -> float:
    total = _text_length(element)
    if total == 0:
        return 0.0
    linked = sum(_text_length(link) for link in element.iter("a"))
    return min(1.0, linked / total)


def _paragraph_length(element: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in element.iter("p"))


def _text_length(element: HtmlElement) -> int:
    return len("".join(element.text_content().split()))


def _drop(element: HtmlElement) -> None:
    """Remove an element but keep the text that follows it (its tail belongs to the parent)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
