"""Topic files: the built-in one and the example load; every mistake in a topic file or in
`[[topics]]` is a usage error naming the file and the field; a topic's vocabulary reaches the fact
extractors; and nothing below the configuration knows which topic is the built-in one."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from iot_ingest.config import load_config, parse_config
from iot_ingest.errors import UsageError
from iot_ingest.extract.facts import KnownInstitute, Registry, Subject, Vocabulary, extract_facts
from iot_ingest.extract.facts.institutes import find_institutes
from iot_ingest.topics import load_topic_file, load_topics
from tests.support.event_corpus import TOPIC_CORPORA
from tests.support.topics import IOT_TOPIC

SRC = Path(__file__).resolve().parents[2] / "src" / "iot_ingest"
UKDRI_FILE = TOPIC_CORPORA["topic-ukdri"]

MINIMAL = """
threshold = 2.0
[[required]]
label = "the programme"
pattern = '\\bwidget institutes?\\b'
weight = 2.0
"""


def _topic_file(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_the_built_in_topic_and_the_example_load() -> None:
    assert IOT_TOPIC.title == "Institutes of Technology"
    assert len(IOT_TOPIC.subject.registry.institutes) >= 21
    example = load_topic_file(UKDRI_FILE)
    assert example.name == "uk_dementia_research_institute"
    assert {k.key for k in example.subject.registry.institutes} >= {"ukdri-ucl", "ukdri-care-research-technology"}
    assert not example.subject.registry.keys & IOT_TOPIC.subject.registry.keys


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("pattern = '\\bwidget institutes?\\b'", "pattern = '(unclosed'"), "required[0].pattern"),
        (("threshold = 2.0", "threshold = -1"), "threshold"),
        (("weight = 2.0", "weight = 'heavy'"), "required[0].weight"),
        (("threshold = 2.0", "threshold = 2.0\nregistry = 'absent.toml'"), "registry"),
        (("threshold = 2.0", "threshold = 2.0\n[vocabulary]\nnouns = ['(']"), "vocabulary.nouns"),
        (("threshold = 2.0", "threshold = 2.0\n[prefilter]\nraw = '(?P<'"), "prefilter.raw"),
        (("threshold = 2.0", "threshold = 2.0\nsurprise = 1"), "surprise"),
    ],
)
def test_a_mistake_in_a_topic_file_names_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], field: str
) -> None:
    path = _topic_file(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(UsageError) as raised:
        load_topic_file(path)
    message = str(raised.value)
    assert str(path) in message
    assert field in message or (field == "registry" and "absent.toml" in message)


def test_a_registry_entry_is_checked_like_the_rest(tmp_path: Path) -> None:
    _topic_file(tmp_path, '[[institute]]\nkey = "Not A Key"\nlead = "X"\n', "registry.toml")
    path = _topic_file(tmp_path, MINIMAL.replace("threshold = 2.0", "threshold = 2.0\nregistry = 'registry.toml'"))
    with pytest.raises(UsageError, match=r"registry\.toml: institute\[0\]\.key"):
        load_topic_file(path)


def test_topics_in_the_configuration_are_found_beside_it_and_checked(tmp_path: Path) -> None:
    (tmp_path / "topics").mkdir()
    _topic_file(tmp_path / "topics", MINIMAL.replace("threshold = 2.0", 'threshold = 2.0\ntitle = "Widgets"'), "w.toml")
    config_path = tmp_path / "iot-ingest.toml"
    config_path.write_text('[[topics]]\nname = "widgets"\nfile = "topics/w.toml"\n', "utf-8")
    topics = load_config(config_path, cwd=Path("/")).topic_set()
    assert topics.names == ("widgets",) and topics.primary.title == "Widgets"
    for text, problem in [
        ('[[topics]]\nname = "nope"\n', "not built in"),
        ('[[topics]]\nname = "widgets"\nfile = "missing.toml"\n', "missing.toml: no such file"),
        ('[[topics]]\nname = "a"\nfile = "topics/w.toml"\n[[topics]]\nname = "a"\nfile = "topics/w.toml"\n', "twice"),
        ('[[topics]]\nname = "Bad Name"\n', r"topics\[0\]\.name"),
        ('[[notify]]\nname = "n"\nurl = "json://x/"\ntopics = ["widgets"]\n', "not a configured topic"),
    ]:
        config_path.write_text(text, "utf-8")
        with pytest.raises(UsageError, match=problem):
            load_config(config_path)


def test_two_topics_may_not_share_an_institute_key(tmp_path: Path) -> None:
    entry = '[[institute]]\nkey = "shared"\nlead = "Some College"\n'
    one = _topic_file(tmp_path, MINIMAL + entry, "one.toml")
    two = _topic_file(tmp_path, MINIMAL + entry, "two.toml")
    with pytest.raises(UsageError, match="'shared' is also topic 'one'"):
        load_topics([("one", str(one)), ("two", str(two))])


def test_no_topics_means_the_built_in_one() -> None:
    assert parse_config("", origin="test").topic_set().names == ("institutes_of_technology",)


def test_a_topics_vocabulary_reaches_counts_kinds_and_names() -> None:
    subject = Subject(
        Registry((KnownInstitute("north", "Northern University", "Northern Widget Hub", ("NWH",), 1),)),
        Vocabulary(
            nouns=(r"widget\s+hubs?\b",),
            name_suffixes=("Widget Hub",),
            kinds=(("designation", (r"\bgiven hub status\b",)),),
        ),
    )
    facts = extract_facts(
        "Four new widget hubs given hub status", "The Southern Widget Hub and NWH join.", None, subject
    )
    assert (facts.institute_count, facts.kind) == (4, "designation")
    assert {i.key for i in facts.institutes} == {"north", "southern-widget-hub"}
    plain = extract_facts("Four new widget hubs given hub status", "", None, Subject())
    assert (plain.institute_count, plain.kind) == (None, "other")  # without the vocabulary, nothing said


def test_a_lead_of_two_institutes_is_read_by_what_else_the_text_names() -> None:
    first = KnownInstitute("campus", "Big University", "Big University Centre", (), 1)
    second = KnownInstitute("care", "Big University", "Care Technology Centre", (), 2)
    subject = Subject(Registry((first, second)))
    alone = find_institutes("Big University wins.", subject)
    assert [m.institute.key for m in alone] == ["campus"]
    with_care = find_institutes("Big University will run the new Care Technology Centre.", subject)
    assert {m.institute.key for m in with_care} == {"care"}


def _code_strings(path: Path) -> list[str]:
    """The string constants of a module's code: docstrings and comments say why, not what."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_module_below_the_configuration_knows_the_built_in_topic() -> None:
    above = {SRC / "config.py", SRC / "cli.py"}
    below = [p for p in SRC.rglob("*.py") if p not in above and "demo" not in p.parts and "topics" not in p.parts]
    assert below
    words = ("institutes_of_technology", "known_institutes", "institute of technology", "institutes of technology")
    found = {
        (str(path.relative_to(SRC)), text)
        for path in below
        for text in _code_strings(path)
        if any(word in text.lower() for word in words)
    }
    assert found == set()


@pytest.mark.parametrize(
    ("addition", "field"),
    [
        ("[vocabulary]\nnouns = ['(?i)centres?']\n", "vocabulary"),  # valid alone, not inside the count pattern
        ("[vocabulary]\nroles = ['(?P<name>director)']\n", "vocabulary"),
        ("[vocabulary]\nname_suffixes = ['']\n", "vocabulary.name_suffixes"),
        ("[prefilter]\nraw_hints = ['']\n", "prefilter.raw_hints"),
    ],
)
def test_words_that_would_match_everywhere_or_break_a_pattern_are_refused(
    tmp_path: Path, addition: str, field: str
) -> None:
    with pytest.raises(UsageError, match=field.replace(".", r"\.")):
        load_topic_file(_topic_file(tmp_path, MINIMAL + addition))


def test_a_weight_that_is_not_a_number_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"required\[0\]\.weight"):
        load_topic_file(_topic_file(tmp_path, MINIMAL.replace("weight = 2.0", "weight = nan")))


def test_an_edited_registry_is_read_again(tmp_path: Path) -> None:
    registry = tmp_path / "registry.toml"
    registry.write_text('[[institute]]\nkey = "one"\nlead = "One College"\n', "utf-8")
    path = _topic_file(tmp_path, MINIMAL.replace("threshold = 2.0", "threshold = 2.0\nregistry = 'registry.toml'"))
    assert len(load_topic_file(path).subject.registry.institutes) == 1
    registry.write_text(registry.read_text() + '[[institute]]\nkey = "two"\nlead = "Two College"\n', "utf-8")
    os.utime(registry, ns=(registry.stat().st_atime_ns, registry.stat().st_mtime_ns + 1_000_000))
    assert [k.key for k in load_topic_file(path).subject.registry.institutes] == ["one", "two"]


def test_raw_hints_alone_filter_a_crawled_record(tmp_path: Path) -> None:
    topic = load_topic_file(_topic_file(tmp_path, MINIMAL + "[prefilter]\nraw_hints = ['idget']\n"))
    assert topic.prefilter.raw_may_match(b"<p>Widget institutes</p>")
    assert not topic.prefilter.raw_may_match(b"<p>Nothing here</p>")


def test_a_registry_may_keep_fields_of_its_own_and_name_an_institute_without_its_lead(tmp_path: Path) -> None:
    _topic_file(
        tmp_path,
        '[[institutes]]\nkey = "iit_tirupati"\nname = "IIT Tirupati"\nregion = "Andhra Pradesh"\ncohort = 3\n',
        "registry.toml",
    )
    path = _topic_file(tmp_path, MINIMAL.replace("threshold = 2.0", "threshold = 2.0\nregistry = 'registry.toml'"))
    (known,) = load_topics([("new-iits", str(path))]).primary.subject.registry.institutes
    assert (known.key, known.lead, known.name, known.wave, known.status) == (
        "iit_tirupati", "IIT Tirupati", "IIT Tirupati", 3, "designated"
    )  # fmt: skip
    _topic_file(tmp_path, '[[institute]]\nkey = "nameless"\nregion = "x"\n', "registry.toml")
    with pytest.raises(UsageError, match="a lead or a name"):
        load_topic_file(path)
