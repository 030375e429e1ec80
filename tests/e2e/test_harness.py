"""The suite's own machinery: an unreachable registry skips, a wrong pin
fails."""

from __future__ import annotations

from pathlib import Path

import conftest
import pytest

OFFLINE = """\
WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, \
status=None)) after connection broken by 'NewConnectionError('<...>: Failed to \
establish a new connection: [Errno 111] Connection refused')': /simple/attrs/
ERROR: Could not find a version that satisfies the requirement attrs==26.1.0
ERROR: No matching distribution found for attrs==26.1.0
"""

WRONG_PIN = """\
ERROR: Could not find a version that satisfies the requirement kinto==0.0.0.1 \
(from versions: 1.0.0, 26.5.0)
ERROR: No matching distribution found for kinto==0.0.0.1
"""


@pytest.mark.parametrize(
    "word", ["Temporary failure in name resolution", "Read timed out", "ProxyError"]
)
def test_network_words_are_recognised(word: str) -> None:
    line = f"WARNING: Retrying after {word}: /simple/kinto/"
    assert conftest._network_failure(f"first\n{line}\nlast") == line


def test_offline_pip_is_a_network_failure() -> None:
    assert "NewConnectionError" in (conftest._network_failure(OFFLINE) or "")


def test_wrong_pin_is_not_a_network_failure() -> None:
    assert conftest._network_failure(WRONG_PIN) is None


def test_a_wrong_pin_fails_the_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conftest, "VENVS", tmp_path / "venvs")
    requirements = tmp_path / "broken.txt"
    # a version that does not exist: pip says so at once, from the registry
    requirements.write_text("kinto==0.0.0.1\n", "utf-8")
    with pytest.raises(pytest.fail.Exception, match="installing .*broken.txt"):
        conftest.server_venv("broken", requirements)
    assert not list((tmp_path / "venvs").glob("broken-*"))
