"""The registry of institutes, and every name an article uses for one resolving to it."""

from __future__ import annotations

from collections import Counter

import pytest

from iot_ingest.extract.facts.institutes import normalise
from iot_ingest.ingest.institutes_step import registry_rows
from tests.support.topics import IOT_TOPIC, facts_of, institute_of, known_institutes, resolve_name


def test_the_registry_holds_twelve_of_wave_one_nine_of_wave_two_and_the_shortlisted_bidders() -> None:
    known = known_institutes()
    assert Counter(k.wave for k in known) == {1: 12, 2: 9, None: 3}
    assert {k.status for k in known if k.wave is None} == {"shortlisted"}
    assert len({k.key for k in known}) == len(known)
    spellings = [n for k in known for n in {normalise(s) for s in (k.lead, k.name, *k.aliases) if s}]
    assert len(spellings) == len(set(spellings)), "a name may stand for one institute only"


@pytest.mark.parametrize("known", known_institutes(), ids=lambda k: k.key)
def test_every_name_of_an_institute_resolves_to_it(known: object) -> None:
    assert known is not None
    for spelling in {known.lead, known.name, *known.aliases} - {None}:  # type: ignore[attr-defined]
        resolved = resolve_name(str(spelling))
        assert resolved is not None and resolved.key == known.key, spelling  # type: ignore[attr-defined]


def test_a_lead_college_and_its_institutes_own_name_are_one_institute() -> None:
    designation = facts_of(
        "The First Twelve Institutes of Technology Announced",
        "The lead organisations are:\n\nSwindon College\n\nUniversity of Exeter\n\nYork College",
    )
    opening = facts_of(
        "Swindon and Wiltshire Institute of Technology opens its doors",
        "The new Swindon and Wiltshire Institute of Technology welcomed its first students today.",
    )
    (swindon_2019,) = [i for i in designation.institutes if "Swindon" in i.name]
    (swindon_2022,) = opening.institutes
    assert swindon_2019.name == "Swindon College"
    assert swindon_2022.name == "Swindon and Wiltshire Institute of Technology"
    assert institute_of(swindon_2019.key, swindon_2019.name) == institute_of(swindon_2022.key, swindon_2022.name)
    assert institute_of(None, "HCUC (Harrow College & Uxbridge College)") == institute_of(None, "HRUC") == "hcuc"


def test_a_place_names_the_institute_when_one_institute_has_it() -> None:
    assert institute_of(None, "Solent Institute of Technology") == "solent"
    assert institute_of(None, "Greater Manchester Institute of Technology") == "salford"
    # Another country's, and a name whose place no registry entry has: its own, new institute.
    assert resolve_name("New York Institute of Technology") is None
    assert institute_of(None, "Cotswold Institute of Technology") == "cotswold-institute-of-technology"


def test_a_bidder_never_designated_is_kept_as_such() -> None:
    rows = {r["institute_id"]: r for r in registry_rows(IOT_TOPIC)}
    suffolk = rows[institute_of(None, "West Suffolk College")]
    assert (suffolk["status"], suffolk["wave"], str(suffolk["announced_on"])) == ("shortlisted", None, "2018-05-27")
    # South Essex College was shortlisted in 2018 and won in the second wave: designated, wave 2.
    essex = rows[institute_of(None, "South Essex College")]
    assert (essex["status"], essex["wave"]) == ("designated", 2)
