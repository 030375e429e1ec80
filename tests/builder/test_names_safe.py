"""Every name a namespace gives out is a safe identifier, whatever was wanted."""

from __future__ import annotations

import keyword

from hypothesis import given
from hypothesis import strategies as st

from generator.builder.names import Namespace, is_safe

wanted = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        keyword.kwlist
        + keyword.softkwlist
        + ["1abc", "a.b", "a b", "", "_", "__init__"]
    ),
)


@given(st.lists(st.tuples(wanted, st.text(max_size=10)), max_size=30))
def test_claimed_names_are_safe_and_unique(claims: list[tuple[str, str]]) -> None:
    ns = Namespace({"self"})
    given_out: dict[tuple[str, str], str] = {}
    for want, origin in claims:
        name = ns.claim(want, origin)
        assert is_safe(name), (want, name)
        assert name != "self"
        # the same element asking again gets the same name
        assert given_out.setdefault((origin, want), name) == name
    distinct = {n for n in given_out.values()}
    assert len(distinct) == len(given_out)
