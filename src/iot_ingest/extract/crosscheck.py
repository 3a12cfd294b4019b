"""A second opinion on the body, independent of our heuristics: Resiliparse's main-content text.

Resiliparse (`resiliparse.extract.html2text`, by the FastWARC authors) finds the main content by
its own rules on its own parser (lexbor), at several hundred pages a second, and rarely misses
prose (recall 0.955-0.98 on real news sets) though it keeps more boilerplate than we do. So it is
a check of recall, never a replacement: where it prints much prose that our chosen body lacks, the
choice was too narrow (an article split over sibling blocks of different shapes, a how-to with one
container per step, a post that is mostly lists), and the body is widened, by structure, to the
nearest ancestor of our choice that holds most of that prose, provided what the wider block adds
is itself content in the second opinion's reading (not a page's worth of furniture).

Everything here is pure: text and trees in, a decision out; the trees are the body step's pruned
copy, which this module only reads.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from lxml.html import HtmlElement

from iot_ingest.extract.main_content import link_density

__all__ = ["RULES", "Rules", "SecondOpinion", "Widening", "could_widen", "second_opinion", "widen"]

_WORD = re.compile(r"\w+")
_PROSE_WORDS = 8  # a shorter line of the second opinion is a label or a link, not prose
_KEY_WORDS = 5  # a paragraph is found in our tree by its first words
_PROBE_WORDS = 6  # a paragraph whose first or last words are in our body counts as ours
_LINKED = 0.3  # a block with more of its text in links is a list of other pages
_MAX_LEVELS = 6
_COUSIN_LEVELS = 2  # prose after our body joins it only from a sibling or cousin block
_STOP = frozenset({"body", "html"})
_BLOCK_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "td", "div", "section"})


@dataclass(frozen=True)
class Rules:
    """The cross-check's thresholds, one object so the bench can choose them on one reference set
    and report them on the other (leave-one-set-out)."""

    missing_words: int = 60  # at least this much prose missing before our choice is doubted ...
    missing_share: float = 0.25  # ... and at least this share of what we kept
    capture: float = 0.6  # the widened block must hold this share of the missing prose
    added_agrees: float = 0.7  # and this share of the words it adds must be in the second opinion


RULES = Rules()


@dataclass(frozen=True)
class SecondOpinion:
    """Resiliparse's main-content reading of a page: its lines, in document order."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Widening:
    """The block that should replace our choice, and how far up from it the block sits."""

    element: HtmlElement
    levels: int  # 0 when the block was found away from our choice (our choice held almost nothing)


def second_opinion(html: str) -> SecondOpinion:
    """Resiliparse's main content of a page, line by line. Imported here: only extraction needs
    it, and commands that never extract stay quick to start."""
    from resiliparse.extract.html2text import extract_plain_text

    text = extract_plain_text(
        html, main_content=True, list_bullets=False, alt_texts=False, comments=False, form_fields=False
    )
    return SecondOpinion(tuple(line for line in (raw.strip() for raw in text.splitlines()) if line))


def could_widen(root: HtmlElement, chosen: tuple[HtmlElement, ...], rules: Rules | None = None) -> bool:
    """Whether the page holds enough text outside our choice for `widen` to ever take it: the
    prose a widening adds is in our tree outside the choice, at least `capture` of the missing
    minimum, of which at least half lies outside (a paragraph counts as missing with under half
    of it in our body). When it cannot, the second opinion is not asked (most pages: a cheap
    answer in C instead of a second parse)."""
    rules = rules or RULES
    ours = sum(len(e.text_content().split()) for e in chosen)
    outside = len(root.text_content().split()) - ours
    return outside >= 0.5 * rules.capture * max(rules.missing_words, rules.missing_share * ours)


def widen(
    root: HtmlElement, chosen: tuple[HtmlElement, ...], opinion: SecondOpinion, rules: Rules | None = None
) -> Widening | None:
    """The nearest block around `chosen` holding most of the prose the second opinion finds and our
    choice lacks; None when our choice already holds it (the usual case) or no block qualifies.

    Prose printed before the end of ours is looked for first: the lead in the page's header, the
    first steps of a how-to, blocks between ours. Prose after the end of our body is, on real
    pages, mostly the next story, teasers of others or a paywall notice, which a recall-minded
    extractor keeps and a reader does not; it counts only for a block that is one article (no
    second headline, no other `<article>` inside, not a list of links) and is our choice's parent
    or grandparent: the second half of a body split over sibling or cousin blocks."""
    rules = rules or RULES
    ours = [w for e in chosen for w in _WORD.findall(e.text_content().lower())]
    # Our body as one string of words: whether a paragraph is in it is a substring search, in C.
    kept = " ".join(ours)
    lines = [_WORD.findall(line.lower()) for line in opinion.lines]
    prose = [len(words) >= _PROSE_WORDS for words in lines]
    covered = [long and _covered(words, kept) for words, long in zip(lines, prose, strict=True)]
    last = max((i for i in range(len(lines)) if covered[i] and prose[i]), default=len(lines))
    page_words = sum(map(len, lines))
    for end, whole_article in ((last, False), (len(lines), True)):
        missing: dict[tuple[str, ...], int] = {}
        for words, ok, long in zip(lines[:end], covered[:end], prose[:end], strict=True):
            if not ok and long:
                missing[tuple(words[:_KEY_WORDS])] = missing.get(tuple(words[:_KEY_WORDS]), 0) + len(words)
        lacking = sum(missing.values())
        if lacking < max(rules.missing_words, rules.missing_share * len(ours)):
            continue
        holders = _holders(root, missing)
        # What a wider block may add: words the second opinion prints in the region looked at.
        allowed = Counter(w for words in lines[: end + 1] for w in words)
        found = _widest_needed(chosen, holders, lacking, Counter(ours), allowed, rules, whole_article)
        if found is None and len(ours) < rules.missing_share * page_words and holders:
            found = _around_missing(holders, lacking, Counter(ours), allowed, rules, whole_article)
        if found is not None:
            return found
    return None


def _widest_needed(
    chosen: tuple[HtmlElement, ...],
    holders: list[_Holder],
    lacking: int,
    own: Counter[str],
    allowed: Counter[str],
    rules: Rules,
    whole_article: bool,
) -> Widening | None:
    """The nearest ancestor of our choice that holds most of the missing prose and adds content."""
    anchor = chosen[0] if len(chosen) == 1 else chosen[0].getparent()
    node, level = anchor, 0 if len(chosen) == 1 else 1
    reach = _COUSIN_LEVELS if whole_article else _MAX_LEVELS
    while node is not None and node.tag not in _STOP and level <= reach:
        if level and _qualifies(node, holders, lacking, own, allowed, rules, whole_article, chosen):
            return Widening(node, level)
        node = node.getparent()
        level += 1
    return None


def _around_missing(
    holders: list[_Holder],
    lacking: int,
    own: Counter[str],
    allowed: Counter[str],
    rules: Rules,
    whole_article: bool,
) -> Widening | None:
    """Our choice holds almost nothing of the page (a "Categories:" box): the block around the
    prose we missed, found from that prose, unless it is the whole page."""
    heaviest = max(holders, key=lambda holder: holder.words).block
    for level, node in enumerate(heaviest.iterancestors()):
        if node.tag in _STOP or level > _MAX_LEVELS:
            break
        if _qualifies(node, holders, lacking, own, allowed, rules, whole_article, ()):
            return Widening(node, 0)
    return None


def _qualifies(
    node: HtmlElement,
    holders: list[_Holder],
    lacking: int,
    own: Counter[str],
    allowed: Counter[str],
    rules: Rules,
    whole_article: bool,
    chosen: tuple[HtmlElement, ...],
) -> bool:
    if not _captures(node, holders, lacking, rules):
        return False
    if whole_article and not _one_article(node, chosen):
        return False
    return _adds_content(node, own, allowed, rules)


def _one_article(node: HtmlElement, chosen: tuple[HtmlElement, ...]) -> bool:
    """A block that is one article: at most one headline, no `<article>` beside ours inside it, and
    mostly not links (a grid of teasers is all links)."""
    if sum(1 for _ in node.iter("h1")) > 1:
        return False
    for article in node.iter("article"):
        if article is node:
            continue
        if not any(article is e or article in e.iterancestors() or e in article.iterancestors() for e in chosen):
            return False
    return link_density(node) < _LINKED


def _covered(words: list[str], kept: str) -> bool:
    """Whether our body holds a paragraph: its opening or its closing words, in order. A paragraph
    split in two by a link or a line break in one reading but not the other still counts."""
    return " ".join(words[:_PROBE_WORDS]) in kept or " ".join(words[-_PROBE_WORDS:]) in kept


@dataclass(frozen=True)
class _Holder:
    block: HtmlElement
    words: int
    ancestors: frozenset[HtmlElement]


def _holders(root: HtmlElement, missing: dict[tuple[str, ...], int]) -> list[_Holder]:
    """The blocks of our tree where the missing paragraphs are printed, found by their first words
    in one pass over the text nodes, each with its paragraph's length in words."""
    found: list[_Holder] = []
    wanted = dict(missing)
    for text in root.xpath(".//text()"):
        if not wanted:
            break
        key = tuple(_WORD.findall(text.lower())[:_KEY_WORDS])
        if key not in wanted:
            continue
        parent = text.getparent()
        if parent is not None and text.is_tail:
            parent = parent.getparent()
        block = _block_of(parent)
        if block is not None:
            found.append(_Holder(block, wanted.pop(key), frozenset(block.iterancestors())))
    return found


def _block_of(element: HtmlElement | None) -> HtmlElement | None:
    while element is not None and element.tag not in _BLOCK_TAGS:
        element = element.getparent()
    return element


def _captures(node: HtmlElement, holders: Iterable[_Holder], lacking: int, rules: Rules) -> bool:
    held = sum(holder.words for holder in holders if holder.block is node or node in holder.ancestors)
    return held >= rules.capture * lacking


def _adds_content(node: HtmlElement, own: Counter[str], allowed: Counter[str], rules: Rules) -> bool:
    """Whether the words a wider block adds to our choice are content in the second opinion's
    reading (its text up to our body's end holds them), rather than furniture it left out."""
    added = Counter(_WORD.findall(node.text_content().lower())) - own
    total = sum(added.values())
    if not total:
        return False
    agreeing = sum((added & allowed).values())
    return agreeing >= rules.added_agrees * total
