from __future__ import annotations

from pathlib import Path

import pytest

from iot_ingest.config import load_config, parse_config
from iot_ingest.errors import UsageError

CONTRACT_EXAMPLE = """
[http]
user_agent = "iot-ingest/0.1 (+mailto:data-team@example.org)"
allow_private_hosts = ["127.0.0.1"]

[[sources]]
name = "govuk"
kind = "govuk_search"
base_url = "https://www.gov.uk"
query = "institutes of technology"
rate_limit = 5.0
max_concurrency = 2

[[sources]]
name = "feweek"
kind = "feed"
url = "https://feweek.co.uk/feed/"
"""


def test_the_contract_example_parses() -> None:
    config = parse_config(CONTRACT_EXAMPLE, origin="example")
    assert [s.name for s in config.sources] == ["govuk", "feweek"]
    assert config.source("govuk").rate_limit == 5.0
    assert config.http.allow_private_hosts == ["127.0.0.1"]


def test_built_in_sources_when_there_is_no_file(tmp_path: Path) -> None:
    config = load_config(None, cwd=tmp_path)
    assert {s.name for s in config.sources} >= {"govuk", "feweek"}
    assert config.source("govuk").rate_limit <= 5.0


def test_iot_ingest_toml_in_the_working_directory_is_used(tmp_path: Path) -> None:
    (tmp_path / "iot-ingest.toml").write_text(CONTRACT_EXAMPLE)
    assert len(load_config(None, cwd=tmp_path).sources) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[sources]]\nname = 1\nkind = "feed"\nurl = "https://a.b/"\n', "sources[0].name"),
        ('[[sources]]\nname = "x"\nkind = "nonsense"\nurl = "https://a.b/"\n', "sources[0].kind: unknown kind"),
        ('[[sources]]\nname = "x"\nkind = "wayback"\nbase_url = "https://a.b/"\n', "a wayback source needs url_prefix"),
        ('[[sources]]\nname = "x"\nkind = "feed"\nurl = "https://a.b/"\nquery = "x"\n', "sources[0].query"),
        ('[[sources]]\nname = "x"\nkind = "feed"\n', "a feed source needs url"),
        ('[[sources]]\nname = "x"\nkind = "govuk_search"\n', "a govuk_search source needs base_url"),
        ('[[sources]]\nname = "x"\nkind = "feed"\nurl = "ftp://a.b/"\n', "sources[0].url"),
        ('[[sources]]\nname = "x"\nkind = "feed"\nurl = "https://a.b/"\nrate_limit = 0\n', "rate_limit"),
        (
            '[[sources]]\nname = "x"\nkind = "feed"\nurl = "https://a.b/"\n'
            '[[sources]]\nname = "x"\nkind = "feed"\nurl = "https://c.d/"\n',
            "used twice",
        ),
        ('[http]\nuser_agnet = "typo"\n', "http.user_agnet"),
        ("[http\n", "not valid TOML"),
    ],
)
def test_bad_config_is_a_one_line_usage_error(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_config(text, origin="bad.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("config bad.toml: ")
    assert "\n" not in str(caught.value)


def test_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_config(tmp_path / "absent.toml")


def test_unknown_source_name_lists_the_known_ones() -> None:
    config = parse_config(CONTRACT_EXAMPLE, origin="example")
    with pytest.raises(UsageError, match="known: govuk, feweek"):
        config.source("bbc")


def test_http_settings_reach_the_fetcher() -> None:
    from iot_ingest.ingest.fetch_urls import fetch_settings, policy_for

    config = parse_config(
        CONTRACT_EXAMPLE.replace(
            'allow_private_hosts = ["127.0.0.1"]', 'allow_private_hosts = ["127.0.0.1"]\nmax_attempts = 2'
        ),
        origin="example",
    )
    settings = fetch_settings(config)
    assert settings.max_attempts == 2
    assert settings.allow_private_hosts == frozenset({"127.0.0.1"})
    assert settings.user_agent.startswith("iot-ingest/0.1")
    policy, source = policy_for("https://www.gov.uk/government/news/x", config.sources)
    assert (policy.rate_limit, policy.max_concurrency, source) == (5.0, 2, "govuk")
    policy, source = policy_for("https://unknown.example/x", config.sources)
    assert source is None and policy.rate_limit <= 1.0
