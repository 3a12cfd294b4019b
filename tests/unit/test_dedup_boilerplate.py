"""Copies and non-copies on pairs written for the purpose: a trimmed copy, a copy with a foreign
footer, two releases sharing an agency footer, a rewrite with the same facts. Texts are ours, the
facts those of the 2019 and 2021 announcements."""

from __future__ import annotations

from datetime import UTC, datetime

from iot_ingest.dedup.boilerplate import paragraph_hashes, repeated_paragraphs, strip_boilerplate
from iot_ingest.dedup.events import ArticleInfo, group_events
from iot_ingest.dedup.minhash import compare, shingles
from iot_ingest.dedup.signing import sign_texts

RELEASE = "\n\n".join(
    [
        "Twelve Institutes of Technology will be set up across England, the Education Secretary Damian "
        "Hinds announced today, backed by 170 million pounds of government investment in buildings and "
        "equipment for higher technical education.",
        "Each institute is a partnership between further education colleges, universities and leading "
        "employers, among them Nissan, Siemens and Microsoft, and will teach courses at Levels 4 and 5 in "
        "subjects such as engineering, digital and advanced manufacturing.",
        "The twelve leads are Barking and Dagenham College, Dudley College of Technology, Harrow College "
        "and Uxbridge College, Milton Keynes College, New College Durham, Queen Mary University of London, "
        "Solihull College and University Centre, Swindon College, the University of Exeter, the University "
        "of Lincoln, Weston College and York College.",
        "Prime Minister Theresa May said that not every young person's route to a good career runs "
        "through a traditional degree, and that technical skills should be valued as highly as academic "
        "ones in a modern economy.",
        "The institutes will open their doors to students from 2019 and are part of the biggest overhaul "
        "of technical education in decades, alongside the introduction of T Levels from 2020.",
    ]
)
AGENCY_FOOTER = (
    "Notes to editors: the Department for Education is responsible for children's services and "
    "education, including early years, schools, higher and further education policy, apprenticeships "
    "and wider skills in England. Journalists with enquiries should contact the press office, which "
    "is staffed from eight in the morning until six in the evening on weekdays, and follow the "
    "department on social media for the latest news, statements and speeches."
)
OUTLET_FOOTER = (
    "About this site: we bring readers the latest news from colleges, training providers and "
    "employers across the skills sector. Sign up to our free weekly newsletter for analysis, opinion "
    "and jobs, and tell us about your own stories through the contact page."
)
SHORT_LAUNCH = (
    "A competition has opened for a second wave of Institutes of Technology, with up to 120 million "
    "pounds available. Only areas without an existing institute may bid, and the deadline for "
    "applications is 14 December 2020."
)
SHORT_WINNERS = (
    "Nine new Institutes of Technology will extend the network to 21, the Skills Minister Nadhim "
    "Zahawi announced, with Solent University and the University of Salford among the leads of "
    "the new institutes."
)


def kind(a: str, b: str) -> str | None:
    return compare(shingles(a), shingles(b)).kind


def test_a_trimmed_copy_is_contained_in_its_original() -> None:
    trimmed = "\n\n".join(RELEASE.split("\n\n")[:3])
    result = compare(shingles(RELEASE), shingles(trimmed))
    assert result.kind == "trimmed"
    assert result.containment >= 0.9 and result.jaccard < 0.7, "Jaccard alone would not call it a copy"


def test_a_copy_with_a_foreign_footer_is_a_copy_and_verbatim_once_the_footer_is_known() -> None:
    copy = RELEASE + "\n\n" + OUTLET_FOOTER
    assert kind(RELEASE, copy) in {"verbatim", "trimmed"}
    # The outlet carries its footer under its other stories too: boilerplate, left out.
    other_story = SHORT_WINNERS + "\n\n" + OUTLET_FOOTER
    boilerplate = repeated_paragraphs([("gov.uk", RELEASE), ("skillsnews", copy), ("skillsnews", other_story)])
    assert paragraph_hashes(OUTLET_FOOTER)[0] in boilerplate
    assert kind(strip_boilerplate(RELEASE, boilerplate), strip_boilerplate(copy, boilerplate)) == "verbatim"


def test_two_releases_sharing_an_agency_footer_are_not_copies() -> None:
    launch, winners = SHORT_LAUNCH + "\n\n" + AGENCY_FOOTER, SHORT_WINNERS + "\n\n" + AGENCY_FOOTER
    # The hazard is real: on the whole text, the footer alone makes these look like an edited copy.
    assert kind(launch, winners) == "edited"
    boilerplate = repeated_paragraphs([("gov.uk", launch), ("gov.uk", winners)])
    stripped = [strip_boilerplate(text, boilerplate) for text in (launch, winners)]
    assert stripped == [SHORT_LAUNCH, SHORT_WINNERS]
    assert kind(*stripped) is None
    # Nor are they LSH candidates once the footer is left out: not one band in common.
    signed = sign_texts(stripped)
    assert not set(signed.bands[0].tolist()) & set(signed.bands[1].tolist())


def test_a_widely_copied_release_is_not_boilerplate() -> None:
    copies = [("gov.uk", RELEASE), ("fenews", RELEASE), ("pesmedia", RELEASE), ("lepnetwork", RELEASE)]
    assert repeated_paragraphs(copies) == set()


def test_text_an_outlet_quotes_in_two_stories_is_not_boilerplate() -> None:
    lead, _, winners, *_ = RELEASE.split("\n\n")
    trimmed = "\n\n".join(RELEASE.split("\n\n")[:3])
    follow_up = "\n\n".join(
        [
            "A week on from the announcement, colleges in the first wave of institutes of technology are "
            "recruiting staff and ordering equipment for their new buildings, several of them told us.",
            lead,
            winners,
        ]
    )
    # In order of publication: the release, a trimmed copy, the outlet's copy, its follow-up quoting
    # the release's lead and list of leads. The outlet repeats them, but they are the release's.
    articles = [("gov.uk", RELEASE), ("lepnetwork", trimmed), ("fenews", RELEASE), ("fenews", follow_up)]
    assert repeated_paragraphs(articles) == set()
    # Kept, the trimmed copy (all but lead and list when they were left out) is still a copy.
    assert kind(RELEASE, trimmed) == "trimmed"


def test_a_footer_stays_boilerplate_though_copies_elsewhere_carry_it() -> None:
    launch, winners = SHORT_LAUNCH + "\n\n" + AGENCY_FOOTER, SHORT_WINNERS + "\n\n" + AGENCY_FOOTER
    articles = [("gov.uk", launch), ("skillsnews", launch), ("gov.uk", winners)]
    boilerplate = repeated_paragraphs(articles)
    assert boilerplate == set(paragraph_hashes(AGENCY_FOOTER))
    assert [strip_boilerplate(text, boilerplate) for _, text in articles] == [SHORT_LAUNCH, SHORT_LAUNCH, SHORT_WINNERS]


def test_an_edited_copy_is_edited() -> None:
    words = RELEASE.split(" ")
    edited = " ".join("revised" if index % 10 == 3 else word for index, word in enumerate(words))
    result = compare(shingles(RELEASE), shingles(edited))
    assert result.kind == "edited" and result.jaccard < 0.9


def test_a_rewrite_with_the_same_facts_is_no_copy_but_the_same_announcement() -> None:
    rewrite = (
        "England is to get twelve new Institutes of Technology. Ministers have set aside 170 million "
        "pounds for the colleges and universities leading them, which include York College, Swindon "
        "College and Queen Mary University of London.\n\nEmployers such as Siemens and Nissan are "
        "partners. The institutes are meant to close a gap in higher technical skills, where England "
        "trails most OECD countries, and the first students arrive this year."
    )
    assert kind(RELEASE, rewrite) is None
    at = datetime(2019, 4, 10, 8, tzinfo=UTC)
    articles = {
        "govuk": ArticleInfo("govuk", at, at, True, True, 12, 170_000_000, frozenset({"york", "swindon", "qmul"})),
        "rewrite": ArticleInfo("rewrite", at, at, False, True, 12, 170_000_000, frozenset({"york", "qmul"})),
    }
    (event,) = group_events(articles, [])
    assert event.original == "govuk" and event.members == ("govuk", "rewrite")
