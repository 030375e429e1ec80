"""Default package names (issue 16): short, readable, ``_client`` at the end,
never a standard module nor one installed where clientgen runs."""

from __future__ import annotations

import keyword
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.package import default_name, is_taken, package_name
from generator.taken_names import POPULAR_CLIENT_DISTRIBUTIONS


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("GitHub's official OpenAPI spec + Octokit extension", "github_client"),
        ("Swagger Petstore", "petstore_client"),
        ("Swagger Petstore - OpenAPI 3.0", "petstore_client"),
        ("onFact API", "onfact_client"),
        ("Api2Pdf - PDF Generation, Powered by AWS Lambda", "api2pdf_client"),
        ("AWS Cost Explorer Service", "aws_cost_explorer_client"),
        # a server's name is its product's: jupyter_client is the protocol
        # library Jupyter Server imports, prefect-client Prefect's own client
        ("Prefect Server", "prefect_server_client"),
        ("Prefect", "prefect_api_client"),
        ("Jupyter Server API v2", "jupyter_server_client"),
        ("Jupyter", "jupyter_api_client"),
        ("Prometheus HTTP API", "prometheus_rest_client"),
        ("3D Printing API", "api_3d_printing_client"),
        ("The API", "api_client"),
        ("", "api_client"),
    ],
)
def test_titles_become_short_names(title: str, expected: str) -> None:
    assert default_name(title) == expected
    assert package_name(None, {"info": {"title": title}}) == expected


def test_the_configuration_still_decides() -> None:
    assert package_name("pytest", {"info": {"title": "Pets"}}) == "pytest"
    assert package_name("my-client", {}) == "my_client"


@given(st.text(max_size=80))
def test_any_title_gives_a_free_readable_identifier(title: str) -> None:
    name = default_name(title)
    assert name.isidentifier() and not keyword.iskeyword(name)
    assert name.islower() and "__" not in name and not name.startswith("_")
    assert "_client" in name and len(name) <= 3 * 40 + len("_api_client99")
    assert name not in sys.stdlib_module_names
    assert not is_taken(name)


@given(st.sampled_from(sorted(POPULAR_CLIENT_DISTRIBUTIONS)))
def test_a_popular_distribution_is_never_a_default(taken: str) -> None:
    # the title that would otherwise give exactly that name
    title = taken.removesuffix("_client").replace("_", " ") or "x"
    assert default_name(title) != taken
    assert package_name(taken, {}) == taken  # the configuration still decides


def test_an_installed_module_or_distribution_is_not_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "widgets_client.py").write_text("")  # a module of the server
    dist = tmp_path / "gadgets_client-1.0.dist-info"  # a distribution
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gadgets_client\n")
    assert is_taken("widgets_client") and is_taken("gadgets_client")
    assert default_name("Widgets") == "widgets_api_client"
    assert default_name("Gadgets API") == "gadgets_api_client"
    (tmp_path / "widgets_api_client.py").write_text("")
    assert default_name("Widgets") == "widgets_rest_client"
    (tmp_path / "widgets_rest_client.py").write_text("")
    assert default_name("Widgets") == "widgets_client2"


def test_a_package_clientgen_generated_is_not_a_collision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the client of an earlier run, installed: its name stays the default
    (tmp_path / "pets_client" / "_runtime").mkdir(parents=True)
    (tmp_path / "pets_client" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert not is_taken("pets_client")
    assert default_name("Pets") == "pets_client"


@pytest.mark.parametrize("name", ["json", "email", "sys", "pytest", "httpx"])
def test_standard_and_installed_modules_are_taken(name: str) -> None:
    assert is_taken(name)
