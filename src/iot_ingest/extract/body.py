"""The article body: candidates from the page, a self-check against the page's metadata, one winner.

Modern pages split one article over many sibling blocks (text blocks between ads and embeds),
carry it whole in JSON-LD `articleBody`, or print the lead outside the body. So the body is chosen
among candidates rather than taken from the one densest element:

- `dom`: the densest block and its like siblings (readability's scoring, `main_content`), or
  `dom-next`, the next block, when the densest holds little of the page's prose;
- `dom+up<n>`: that block's ancestors, n levels up, while what they add is more article prose;
- `container`: elements named as the article's body (`itemprop=articleBody`, `article-body`, a
  theme's body class), split blocks of one name merged in document order;
- `json-ld`: the `articleBody` text itself;
- `payload`: article markup in a script's JSON (a framework's hydration data), read only when the
  page's own text is implausibly short.

When JSON-LD carries a body, it is the cross-check: the candidate whose words agree with it best
wins, and the JSON-LD text is used only when no candidate agrees (a page rendered by script).
Otherwise an independent extractor is (`crosscheck`: Resiliparse's main content): where it finds
much prose our choice lacks, the choice is widened by structure, `<path>+wide<n>` (n levels up) or
`wide` (found around that prose when our choice held almost nothing). Galleries and comment
threads are recognised by their shape first (`structure`). The path that produced the body is
returned with it, so implausible bodies can be found later.

Every step here reads a pruned copy of the page's tree: the page itself is never modified.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from iot_ingest.extract.crosscheck import could_widen, widen
from iot_ingest.extract.furniture import ARTICLE_BODY_NAMES
from iot_ingest.extract.main_content import find_main, holds_only_inline, link_density, prune_boilerplate
from iot_ingest.extract.page import Page
from iot_ingest.extract.structure import drop_galleries_and_threads
from iot_ingest.extract.text import block_text, clean_inline

__all__ = ["Body", "select_body"]

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_PROSE_CHARS = 25  # a paragraph shorter than this is a label, not prose
_LD_MIN_CHARS = 300  # a JSON-LD body shorter than this is a teaser, not a cross-check
_MAX_LEVELS = 4
_SHORT_BODY_CHARS = 500  # a body shorter than this is checked against a hydration payload
_PAYLOAD_PARAGRAPHS = 3
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){200,})"')
_IMPLAUSIBLE_SHARE = 0.25  # of the page's prose, below which the densest block is doubted
_STOP_AT = frozenset({"article", "main"})
_STANDFIRST_WORDS = 8
_PROBE_CHARS = 24
_LEAD_TAGS = frozenset({"p", "div", "h2", "span"})
_LEAD_NAMES = re.compile(
    r"standfirst|summary|lead|intro|dek|description|sub-?title|sub-?head|excerpt|abstract|kicker|ingress|"
    r"preamble|teaser|lede",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Body:
    text: str  # paragraphs separated by blank lines
    path: str  # which candidate produced it, e.g. "dom", "dom+up2", "container", "json-ld"


@dataclass(frozen=True)
class _Candidate:
    path: str
    elements: tuple[HtmlElement, ...]
    prose: int  # characters of prose paragraphs inside


def select_body(page: Page, containers: Iterable[str] = ()) -> Body:
    """The article body of a page; `containers` are class names an adapter knows hold the body."""
    source = page.tree.find("body")
    root: HtmlElement = copy.deepcopy(source if source is not None else page.tree)
    prune_boilerplate(root)
    drop_galleries_and_threads(root)
    prose = _prose_by_element(root)
    candidates = _candidates(root, prose, tuple(containers))
    own = _headline_article(root, candidates[0], page.ld_text("headline") or page.meta.get("og:title"))
    if own is not None:
        candidates = _candidates(own, prose, tuple(containers))
    ld_body = _plain(page.ld_text("articleBody") or "")
    structural = _by_structure(candidates, root)
    chosen: _Candidate | None = structural
    if len(ld_body) >= _LD_MIN_CHARS and not _teaser(ld_body, structural):
        chosen = _cross_checked(candidates, ld_body)
    else:
        chosen = _widened(root, structural, page, prose)
    if chosen is None:
        return Body(_paragraphs_of(ld_body), "json-ld")
    first_line = min((e.sourceline or 0) for e in chosen.elements)
    for element in chosen.elements:
        etree.strip_elements(element, "figcaption", with_tail=False)  # a caption describes a picture
    text = "\n\n".join(part for part in (block_text(page.fragment(e)) for e in chosen.elements) if part)
    if not text and ld_body:
        return Body(_paragraphs_of(ld_body), "json-ld")
    if len(text) < _SHORT_BODY_CHARS and page.payloads:
        payload = _payload_text(page)
        if len(payload) >= max(2 * len(text), _SHORT_BODY_CHARS):
            return Body(payload, "payload")
    lead = _standfirst(page, text, first_line)
    if lead:
        return Body(f"{lead}\n\n{text}", f"{chosen.path}+standfirst")
    return Body(text, chosen.path)


def _candidates(root: HtmlElement, prose: dict[HtmlElement, int], containers: tuple[str, ...]) -> list[_Candidate]:
    main = find_main(root)
    found = [_Candidate("dom", tuple(main), sum(prose.get(e, 0) for e in main))]
    held = sum(len(_SPACE.sub(" ", e.text_content())) for e in main)
    if held < _IMPLAUSIBLE_SHARE * prose.get(root, 0):
        # The densest block holds little text against the page's prose (a deals box, a consent
        # text): the next block not overlapping it is the better guess when it holds much more.
        following = find_main(root, passed_over=main)
        following_prose = sum(prose.get(e, 0) for e in following)
        if following_prose >= 2 * held and following[0] is not root:
            main = following
            found = [_Candidate("dom-next", tuple(main), following_prose)]
    node = main[0].getparent() if len(main) > 1 else main[0]
    level = 1 if len(main) > 1 else 0
    while node is not None and node.tag not in {"body", "html"} and level <= _MAX_LEVELS:
        if level:
            found.append(_Candidate(f"dom+up{level}", (node,), prose.get(node, 0)))
        if node.tag in _STOP_AT or node.get("itemprop") == "articleBody":
            break
        node = node.getparent()
        level += 1
    named = _named_containers(root, containers)
    if named:
        found.append(_Candidate("container", tuple(named), sum(prose.get(e, 0) for e in named)))
    return found


def _standfirst(page: Page, body: str, body_line: int) -> str | None:
    """The lead printed outside the body: the page's description, found as a visible block above
    the body and missing from it."""
    description = page.ld_text("description") or page.meta.get("og:description") or page.meta.get("description")
    wanted = _words(description or "")
    if len(wanted) < _STANDFIRST_WORDS or _covered(wanted, body):
        return None
    # Found by its text, searched in C: the description's opening words in a visible text node.
    probe = clean_inline(description or "")[:_PROBE_CHARS]
    for hit in page.tree.xpath("//body//text()[contains(., $probe)]", probe=probe):
        element = hit.getparent()
        while element is not None and element.tag not in _LEAD_TAGS:
            element = element.getparent()
        if element is None or (body_line and (element.sourceline or 0) > body_line):
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag != "p" and not _LEAD_NAMES.search(names):
            continue
        text = clean_inline(element.text_content())
        if _words(text) == wanted:
            return text
    return None


def _covered(words: tuple[str, ...], body: str) -> bool:
    """Whether most of a passage's word trigrams occur in the body."""
    grams = {words[i : i + 3] for i in range(len(words) - 2)}
    body_words = _words(body)
    found = {body_words[i : i + 3] for i in range(len(body_words) - 2)}
    return len(grams & found) >= 0.5 * len(grams)


def _headline_article(root: HtmlElement, dom: _Candidate, headline: str | None) -> HtmlElement | None:
    """The article under the page's headline when the densest block sits in another one (a page
    that appends the next story below its own): None when the choice already is the page's own."""
    if not headline:
        return None
    articles = [a for a in root.iter("article") if a.find(".//p") is not None]
    if len(articles) < 2:
        return None
    wanted = _words(headline)
    holding = [a for a in articles if any(_words(h.text_content()) == wanted for h in a.iter("h1", "h2"))]
    chosen = dom.elements[0]
    if len(holding) != 1 or holding[0] is chosen or holding[0] in chosen.iterancestors():
        return None
    return holding[0]


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


def _named_containers(root: HtmlElement, containers: tuple[str, ...]) -> list[HtmlElement]:
    """Outermost elements named as the article body, in document order; one name only (the first
    that holds prose), so a page's split text blocks merge and a teaser's `story-body` does not."""
    by_name: dict[str, list[HtmlElement]] = {}
    for element in root.iter(etree.Element):
        if element.get("itemprop") == "articleBody":
            by_name.setdefault("itemprop", []).append(element)
            continue
        classes = element.get("class")
        for token in _body_names(classes, containers) if classes else ():
            by_name.setdefault(token, []).append(element)
    ranked = sorted(by_name.items(), key=lambda item: (item[0] not in containers, item[0] != "itemprop"))
    for _, elements in ranked:
        outermost = [e for e in elements if not any(a in elements for a in e.iterancestors())]
        if sum(len(clean_inline(e.text_content())) for e in outermost) >= 200:
            return outermost
    return []


@lru_cache(maxsize=8192)
def _body_names(classes: str, containers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in classes.split() if t in containers or ARTICLE_BODY_NAMES.match(t))


def _by_structure(candidates: list[_Candidate], root: HtmlElement) -> _Candidate:
    """Without a JSON-LD body: the densest block, widened while the wider block adds article prose
    (split blocks, a lead outside the body) rather than lists of links; a named container that holds
    the densest block and more prose wins."""
    chosen = candidates[0]
    page_text = len(_SPACE.sub("", root.text_content()))
    for candidate in candidates[1:]:
        if candidate.path == "container":
            if candidate.prose >= chosen.prose and _contains(candidate, candidates[0]):
                chosen = candidate
            continue
        element = candidate.elements[0]
        total = len(_SPACE.sub("", element.text_content()))
        if total == 0 or total >= 0.8 * page_text:
            break  # a wrapper of the whole page is not the article
        grows = candidate.prose >= 1.15 * chosen.prose and candidate.prose - chosen.prose >= 150
        mostly_prose = candidate.prose >= 0.6 * total and link_density(element) < 0.25
        if not mostly_prose:
            break
        if grows:
            chosen = candidate
    return chosen


def _widened(root: HtmlElement, chosen: _Candidate, page: Page, prose: dict[HtmlElement, int]) -> _Candidate:
    """Our structural choice, widened where the independent second opinion finds much prose it
    lacks (`crosscheck`); the path says so ("dom+wide2": two levels up; "wide": found away from it)."""
    if not could_widen(root, chosen.elements):
        return chosen
    widening = widen(root, chosen.elements, page.second_opinion)
    if widening is None:
        return chosen
    path = f"{chosen.path}+wide{widening.levels}" if widening.levels else "wide"
    return _Candidate(path, (widening.element,), prose.get(widening.element, 0))


def _cross_checked(candidates: list[_Candidate], ld_body: str) -> _Candidate | None:
    """The candidate whose words agree best with the JSON-LD body; None when none agrees."""
    reference = Counter(_WORD.findall(ld_body.lower()))
    best, best_f1 = None, 0.0
    for candidate in candidates:
        words = Counter(w for e in candidate.elements for w in _WORD.findall(e.text_content().lower()))
        shared = sum((reference & words).values())
        if not shared:
            continue
        precision, recall = shared / sum(words.values()), shared / sum(reference.values())
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best_f1 + 0.02:
            best, best_f1 = candidate, f1
    if best is not None and best_f1 >= 0.5:
        return best
    return None


def _teaser(ld_body: str, structural: _Candidate) -> bool:
    """A JSON-LD body cut short (an ellipsis, or much shorter than the page's own article text) is a
    teaser: it confirms the article but cannot judge its length."""
    if ld_body.rstrip().endswith(("…", "...")):
        return True
    words = sum(len(_WORD.findall(e.text_content())) for e in structural.elements)
    return len(_WORD.findall(ld_body)) < 0.6 * words


def _payload_text(page: Page) -> str:
    """The longest article markup carried as a JSON string in a hydration payload, as paragraphs."""
    best = ""
    for script in page.payloads:
        for match in _JSON_STRING.finditer(script):
            raw = match.group(1)
            if raw.count("<p") + raw.count("\\u003cp") < _PAYLOAD_PARAGRAPHS:
                continue
            try:
                markup = json.loads(f'"{raw}"')
            except ValueError:
                continue
            text = _paragraphs_of(_plain(markup))
            if len(text) > len(best):
                best = text
    return best


def _plain(text: str) -> str:
    """JSON-LD text as a reader sees it: some publishers put escaped HTML in it."""
    text = html.unescape(text)
    if "<" in text and ">" in text:
        try:
            fragment = fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            return text
        for br in fragment.iter("br", "p", "div", "li", "h2", "h3"):
            br.tail = "\n" + (br.tail or "")
        text = fragment.text_content()
    return text.strip()


def _contains(outer: _Candidate, inner: _Candidate) -> bool:
    return all(any(o is e or o in e.iterancestors() for o in outer.elements) for e in inner.elements)


def _prose_by_element(root: HtmlElement) -> dict[HtmlElement, int]:
    """Characters of prose paragraphs (long enough, not mostly links; a div of inline text counts)
    inside each element, summed
    bottom-up in one pass (children come after their parent in document order)."""
    totals: dict[HtmlElement, int] = {}
    for element in reversed(list(root.iter(etree.Element))):
        total = sum(totals.get(child, 0) for child in element)
        if element.tag == "p" or (element.tag == "div" and holds_only_inline(element)):
            length = len(element.text_content().strip())  # source whitespace counts: a rough measure
            if length >= _PROSE_CHARS and link_density(element) <= 0.5:
                total += length
        if total:
            totals[element] = total
    return totals


def _paragraphs_of(text: str) -> str:
    lines = (clean_inline(line) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)
