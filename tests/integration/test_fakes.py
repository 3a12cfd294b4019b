"""The loopback fakes other tests rely on: their own self-check (what `python -m tests.support.fakes`
runs), so a fake that drifts from the service it imitates fails here, not as a puzzling test elsewhere."""

from __future__ import annotations

import pytest

from tests.support.fakes import _self_check

pytestmark = pytest.mark.integration


def test_the_fakes_pass_their_self_check(capsys: pytest.CaptureFixture[str]) -> None:
    _self_check()
    assert capsys.readouterr().out.strip().endswith("OK")
