"""The committed packages pass ruff's pyflakes rules (issue 12: the onFact
package once had 190 unused imports)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import assert_pyflakes_clean, golden_packages


@pytest.mark.parametrize(("folder", "package"), golden_packages())
def test_committed_package_is_pyflakes_clean(folder: Path, package: str) -> None:
    assert_pyflakes_clean(folder / package)
