"""The kind of event a report is of, in the words independent reports use, and the counts and
places they give instead of institutes' names."""

from __future__ import annotations

import pytest

from tests.support.topics import by_place, facts_of


@pytest.mark.parametrize(
    ("title", "body", "kind"),
    [
        # A competition in other words than "competition".
        ("Colleges enter £120m contest for new technical institutes", "Institutes of technology ...", "competition"),
        ("Second institutes of technology bid round opens", "Up to eight more institutes.", "competition"),
        ("Tender for new institutes of technology", "Partnerships have until December.", "competition"),
        ("Colleges can bid to win a share of £120m", "A second wave of institutes of technology.", "competition"),
        # A designation named, revealed or won.
        ("Nine areas win their institutes of technology", "The second wave has been revealed.", "designation"),
        ("Government reveals nine new institutes of technology", "Up to £120m.", "designation"),
        ("College wins its institute of technology", "One of nine announced today.", "designation"),
        # A designation recalling the competition it ends is a designation, not a competition.
        (
            "Institutes of Technology",
            "My department announced nine new institutes, the outcome of the second wave competition.",
            "designation",
        ),
        ("Nine more institutes", "The nine were chosen in the second wave competition.", "designation"),
        # Words every programme's releases use, whatever its vocabulary.
        ("Five universities designated as new research hubs", "The hubs start work in May.", "designation"),
        ("Minister inaugurates the new campus", "Students arrive next week.", "opening"),
    ],
)
def test_the_kind_of_event_in_the_words_reports_use(title: str, body: str, kind: str) -> None:
    assert facts_of(title, body).kind == kind


def test_what_had_happened_before_is_background_not_the_event() -> None:
    body = (
        "The institutes of technology that were open in 2022/23 taught 14,231 students, a parliamentary answer "
        "shows. The figure covers the 15 that had opened by then, and the government puts its investment at up "
        "to £300 million, up from £290 million when the second wave was chosen two years ago."
    )
    facts = facts_of("Institutes of technology taught 14,231 students last year", body)
    assert facts.kind == "funding"  # a sum, and nothing said of an opening or a designation today
    # The same verbs of the event itself still count.
    assert facts_of("Institute of technology opens", "It opened its doors today.").kind == "opening"
    assert facts_of("Nine institutes chosen", "The nine were chosen today.").kind == "designation"


@pytest.mark.parametrize(
    ("title", "body", "count"),
    [
        ("What the wave 2 Institutes of Technology prospectus asks", "Up to eight new institutes.", 8),
        ("Round 2 institutes of technology", "Up to nine new institutes of technology.", 9),
        ("Nine areas to host new institutes of technology", "Up to £120m of funding.", 9),
        (None, "Twelve places across England will get institutes of technology, sharing £170m.", 12),
        # Places counted only where the sentence says they get institutes; a count of them wins no tie.
        (None, "There are 60 places on the course at the institute.", None),
        (None, "Twelve new institutes of technology in twelve places across England.", 12),
    ],
)
def test_a_stage_number_is_no_count_and_places_count_for_their_institutes(
    title: str | None, body: str, count: int | None
) -> None:
    assert facts_of(title, body).institute_count == count


def test_places_name_the_institutes_they_are_the_places_of() -> None:
    text = (
        "Blackpool, Cheshire, Chichester, Doncaster, Stafford, Southampton, Essex, Derby and Salford are the nine "
        "areas that will host new institutes of technology."
    )
    assert by_place(text) == {
        "blackpool-fylde", "cheshire-south-west", "chichester", "dn-colleges", "newcastle-stafford", "solent",
        "south-essex", "derby", "salford",
    }  # fmt: skip
    # A place inside an organisation's name is the organisation, already an institute or not one.
    assert by_place("The University of Derby and York College") == frozenset()
    assert by_place("Weston-super-Mare and Milton Keynes") == {"weston", "milton-keynes"}
    # Lower case, or a place no institute of the registry has, names none.
    assert by_place("a derby match in york; a college in Norwich") == frozenset()
