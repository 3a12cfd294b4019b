"""The Resiliparse cross-check on its own: when a second opinion widens our choice, and when not.
Trees are small hand-made pages; the second opinion is given as lines, as Resiliparse prints them."""

from __future__ import annotations

from lxml.html import HtmlElement, document_fromstring

from iot_ingest.extract.crosscheck import SecondOpinion, could_widen, second_opinion, widen

INTRO = "The government named twelve Institutes of Technology today, sharing one hundred and seventy million pounds."
STEP = "Each institute is a partnership of colleges, universities and employers teaching higher technical skills."
PROMO = "Subscribe to our newsletter for the latest education news every morning before nine o'clock."


def _tree(markup: str) -> HtmlElement:
    return document_fromstring(f"<html><body>{markup}</body></html>").find("body")


def _by_id(root: HtmlElement, ident: str) -> HtmlElement:
    (found,) = root.xpath(f".//*[@id='{ident}']")
    return found


def _intro(n: int) -> str:
    return f"Part {n} of the introduction: {INTRO}"


def test_prose_before_our_body_widens_it_to_the_block_holding_both() -> None:
    # Five paragraphs of lead (about 90 words) above three of ours: more than the 60 words and the
    # quarter of our body that make the second opinion's reading count.
    root = _tree(
        f"<div id='post'><div id='top'>{''.join(f'<p>{_intro(n)}</p>' for n in range(5))}</div>"
        f"<div id='main'>{''.join(f'<p>{STEP} {n}</p>' for n in range(3))}</div></div>"
    )
    opinion = SecondOpinion((*(_intro(n) for n in range(5)), *(f"{STEP} {n}" for n in range(3))))
    chosen = (_by_id(root, "main"),)
    assert could_widen(root, chosen)
    widening = widen(root, chosen, opinion)
    assert widening is not None and widening.element is _by_id(root, "post") and widening.levels == 1


def test_a_body_the_second_opinion_agrees_with_is_left_alone() -> None:
    root = _tree(f"<div id='main'>{''.join(f'<p>{STEP} {n}</p>' for n in range(4))}</div><p>{PROMO}</p>")
    opinion = SecondOpinion(tuple(f"{STEP} {n}" for n in range(4)))
    assert widen(root, (_by_id(root, "main"),), opinion) is None


def test_a_wider_block_adding_what_the_second_opinion_left_out_is_refused() -> None:
    # The missing intro is there, but widening to take it would also bring a box of furniture
    # that the second opinion does not print: the added words must be content in its reading.
    furniture = "".join(f"<p>{PROMO} {n}</p>" for n in range(12))
    root = _tree(
        f"<div id='post'><div id='top'>{''.join(f'<p>{_intro(n)}</p>' for n in range(5))}</div>{furniture}"
        f"<div id='main'>{''.join(f'<p>{STEP} {n}</p>' for n in range(3))}</div></div>"
    )
    opinion = SecondOpinion((*(_intro(n) for n in range(5)), *(f"{STEP} {n}" for n in range(3))))
    assert widen(root, (_by_id(root, "main"),), opinion) is None


def test_prose_after_our_body_joins_only_from_a_sibling_that_is_one_article() -> None:
    ours = "".join(f"<p>{STEP} {n}</p>" for n in range(3))
    rest = "".join(f"<p>{_intro(n)}</p>" for n in range(5))
    lines = (*(f"{STEP} {n}" for n in range(3)), *(_intro(n) for n in range(5)))
    split = _tree(f"<div id='post'><div id='a'>{ours}</div><div id='b'>{rest}</div></div>")
    widening = widen(split, (_by_id(split, "a"),), SecondOpinion(lines))
    assert widening is not None and widening.element is _by_id(split, "post")
    appended = _tree(
        f"<div id='post'><article id='a'><h1>Ours</h1>{ours}</article><article><h1>Next</h1>{rest}</article></div>"
    )
    assert widen(appended, (_by_id(appended, "a"),), SecondOpinion(lines)) is None


def test_could_widen_is_false_when_nothing_is_outside_our_choice() -> None:
    root = _tree(f"<div id='main'>{''.join(f'<p>{STEP} {n}</p>' for n in range(4))}</div>")
    assert not could_widen(root, (_by_id(root, "main"),))


def test_the_second_opinion_reads_main_content_without_navigation() -> None:
    html = (
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Institutes</h1><p>{INTRO}</p><p>{STEP}</p></article>"
        "<footer>Copyright and contact details</footer></body></html>"
    )
    lines = second_opinion(html).lines
    assert INTRO in lines and STEP in lines
    assert not any("Home" in line or "Copyright" in line for line in lines)
