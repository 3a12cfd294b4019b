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

__all__ = ["SecondOpinion", "Widening", "second_opinion", "widen"]

_WORD = re.compile(r"\w+")
_PROSE_WORDS = 8  # a shorter line of the second opinion is a label or a link, not prose
_KEY_WORDS = 5  # a paragraph is found in our tree by its first words
_COVERED = 0.5  # share of a paragraph's word trigrams in our body for it to count as ours
_MISSING_WORDS = 60  # at least this much prose missing before our choice is doubted ...
_MISSING_SHARE = 0.25  # ... and at least this share of what we kept
_CAPTURE = 0.6  # the widened block must hold this share of the missing prose
_ADDED_AGREES = 0.7  # and this share of the words it adds must be in the second opinion's text
_MAX_LEVELS = 6
_STOP = frozenset({"body", "html"})
_BLOCK_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "td", "div", "section"})


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


def widen(root: HtmlElement, chosen: tuple[HtmlElement, ...], opinion: SecondOpinion) -> Widening | None:
    """The nearest block around `chosen` holding most of the prose the second opinion finds and our
    choice lacks; None when our choice already holds it (the usual case) or no block qualifies.

    Only prose printed before the end of ours counts as missing: the lead in the page's header,
    the first steps of a how-to, blocks between ours. What follows the end of our body in the
    second opinion's reading is, on real pages, mostly the next story, teasers of others or a
    paywall notice, which a recall-minded extractor keeps and a reader does not."""
    ours = [w for e in chosen for w in _WORD.findall(e.text_content().lower())]
    kept = _trigrams(ours)
    lines = [_WORD.findall(line.lower()) for line in opinion.lines]
    covered = [bool(grams) and len(grams & kept) >= _COVERED * len(grams) for grams in map(_trigrams, lines)]
    last = max(
        (i for i, (words, ok) in enumerate(zip(lines, covered, strict=True)) if ok and len(words) >= _PROSE_WORDS),
        default=len(lines),
    )
    missing: dict[tuple[str, ...], int] = {}
    for words, ok in zip(lines[:last], covered[:last], strict=True):
        if not ok and len(words) >= _PROSE_WORDS:
            missing[tuple(words[:_KEY_WORDS])] = missing.get(tuple(words[:_KEY_WORDS]), 0) + len(words)
    lacking = sum(missing.values())
    if lacking < max(_MISSING_WORDS, _MISSING_SHARE * len(ours)):
        return None
    holders = _holders(root, missing)
    if not holders:
        return None
    own = Counter(ours)
    # What a wider block may add: words the second opinion prints up to the end of our body.
    allowed = Counter(w for words in lines[: last + 1] for w in words)
    anchor = chosen[0] if len(chosen) == 1 else chosen[0].getparent()
    node, level = anchor, 0 if len(chosen) == 1 else 1
    while node is not None and node.tag not in _STOP and level <= _MAX_LEVELS:
        if level and _captures(node, holders, lacking) and _adds_content(node, own, allowed):
            return Widening(node, level)
        node = node.getparent()
        level += 1
    if len(ours) < _MISSING_SHARE * sum(map(len, lines)):
        # Our choice holds almost nothing of the page (a "Categories:" box): the block around the
        # prose we missed, found from that prose, unless it is the whole page.
        heaviest = max(holders, key=lambda holder: holder.words).block
        for level, node in enumerate(heaviest.iterancestors()):
            if node.tag in _STOP or level > _MAX_LEVELS:
                break
            if _captures(node, holders, lacking) and _adds_content(node, own, allowed):
                return Widening(node, 0)
    return None


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


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


def _captures(node: HtmlElement, holders: Iterable[_Holder], lacking: int) -> bool:
    held = sum(holder.words for holder in holders if holder.block is node or node in holder.ancestors)
    return held >= _CAPTURE * lacking


def _adds_content(node: HtmlElement, own: Counter[str], allowed: Counter[str]) -> bool:
    """Whether the words a wider block adds to our choice are content in the second opinion's
    reading (its text up to our body's end holds them), rather than furniture it left out."""
    added = Counter(_WORD.findall(node.text_content().lower())) - own
    total = sum(added.values())
    if not total:
        return False
    agreeing = sum((added & allowed).values())
    return agreeing >= _ADDED_AGREES * total
