"""What keeps the runtime fast without changing what it does.

* ``_record`` builds the runtime's small data classes without compiling code
  and must behave like the ``dataclasses`` it stands in for;
* the runtime package loads its modules on first use;
* valid data is validated by pydantic alone (from JSON bytes when possible),
  and only invalid data takes the slow path with the read-only/write-only
  excuses and the lenient rebuild, at any depth.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# -- _record ---------------------------------------------------------------


@pytest.fixture
def record(rt: ModuleType) -> ModuleType:
    import importlib

    return importlib.import_module(rt.__name__ + "._record")


def _pair(record: ModuleType, frozen: bool) -> tuple[type[Any], type[Any]]:
    """The same class declared through ``record`` and through ``dataclass``."""

    def declare(decorate: Any, make_field: Any) -> type[Any]:
        class Point:
            x: int
            y: int = 0
            tags: list[str] = make_field(default_factory=list)

            def norm(self) -> int:
                return abs(self.x) + abs(self.y)

        return decorate(Point)  # type: ignore[no-any-return]

    ours = declare(record.record(frozen=frozen), record.field)
    theirs = declare(dataclasses.dataclass(frozen=frozen), dataclasses.field)
    return ours, theirs


@pytest.mark.parametrize("frozen", [False, True])
def test_record_behaves_like_dataclass(record: ModuleType, frozen: bool) -> None:
    ours, theirs = _pair(record, frozen)
    for cls in (ours, theirs):
        a, b = cls(1, y=2), cls(x=1, y=2)
        assert a == b and a != cls(1) and a.norm() == 3
        assert (a == object()) is False
        assert cls(1).tags == [] and cls(1).tags is not cls(1).tags
        assert repr(a) == f"{cls.__qualname__}(x=1, y=2, tags=[])"
        assert cls.__match_args__ == ("x", "y", "tags")
        for bad_args, bad_kwargs in (((), {}), ((1, 2, [], 4), {}), ((1,), {"x": 1})):
            with pytest.raises(TypeError):
                cls(*bad_args, **bad_kwargs)
        with pytest.raises(TypeError):
            cls(1, z=3)
        if frozen:
            assert hash(cls(1, 2, ())) == hash(cls(1, 2, ())) == hash((1, 2, ()))
            with pytest.raises(dataclasses.FrozenInstanceError):
                a.x = 5
            with pytest.raises(dataclasses.FrozenInstanceError):
                del a.x
        else:
            with pytest.raises(TypeError):
                hash(a)
            a.x = 5
            assert a.x == 5


_CALLS = st.tuples(
    st.lists(st.sampled_from([1, 2, (), ["t"]]), max_size=4),
    st.dictionaries(
        st.sampled_from(["x", "y", "tags", "z", "norm"]), st.integers(), max_size=4
    ),
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(call=_CALLS, frozen=st.booleans())
def test_records_take_what_dataclasses_take(
    record: ModuleType, call: tuple[list[Any], dict[str, Any]], frozen: bool
) -> None:
    """Any mix of positional and keyword arguments, known or not, missing or
    given twice: a record is built, or refused with ``TypeError``, exactly
    where the same ``dataclass`` is, and holds the same values."""
    args, kwargs = call
    outcomes = []
    for cls in _pair(record, frozen):
        try:
            made = cls(*args, **kwargs)
        except TypeError:
            outcomes.append(None)
        else:
            outcomes.append((made.x, made.y, made.tags, list(vars(made).items())))
    assert outcomes[0] == outcomes[1]


def test_record_classes_hash_as_dict_keys(rt: Any) -> None:
    scheme = rt.OAuth2Scheme(token_url="/t", flow="client_credentials")
    same = rt.OAuth2Scheme(token_url="/t", flow="client_credentials")
    assert {scheme: 1}[same] == 1
    assert scheme.client_auth == "basic" and scheme.scopes == ()
    with pytest.raises(AttributeError):
        scheme.flow = "password"


# -- lazy loading ----------------------------------------------------------


def test_runtime_modules_load_on_first_use(tmp_path: Path) -> None:
    templates = Path(__file__).parents[2] / "templates"
    package = tmp_path / "lazypkg"
    (package / "_runtime").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for source in (templates / "runtime").glob("*.py"):
        (package / "_runtime" / source.name).write_text(source.read_text())
    for source in (templates / "front").glob("*.py"):
        (package / source.name).write_text(source.read_text())
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from lazypkg import _runtime as rt\n"
        "def loaded():\n"
        "    return sorted(m.split('.', 1)[-1] for m in sys.modules\n"
        "                  if m.startswith('lazypkg.'))\n"
        "first = loaded()\n"
        "rt.SyncAPIClient, rt.ApiInfo, rt.DEFAULT_TIMEOUT\n"
        "front = loaded()\n"
        "rt.AsyncAPIClient, rt.ClientSpec, rt.Credential\n"
        "rt.ApiKeyScheme, rt.OAuth2Scheme, rt.NOT_GIVEN\n"
        "spec = loaded()\n"
        "rt.BaseModel, rt.APIError, rt.RequestOptions\n"
        "print(json.dumps([first, front, spec, loaded()]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    first, front, spec, later = json.loads(out)
    assert first == ["_runtime", "_runtime._lazy"]
    # the client base classes live outside the runtime and need none of it
    assert front == ["_front", "_runtime", "_runtime._lazy"]
    assert set(spec) - set(front) == {
        "_async_front",
        "_runtime._record",
        "_runtime._types",
        "_runtime._spec",
        "_runtime._auth",
    }
    assert {"_runtime._models", "_runtime._exceptions", "_runtime._params"} <= set(
        later
    )
    assert "_runtime._kwargs" not in later  # for type checkers only


def test_unknown_runtime_name_is_an_attribute_error(rt: Any) -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        rt.no_such_name  # noqa: B018
    assert "SyncAPIClient" in dir(rt)


# -- fast and slow validation ---------------------------------------------


def test_parse_json_fast_fallback_and_not_json(rt: Any, models: Any) -> None:
    thing = rt.parse_json(models.Thing, b'{"id": 1, "name": "a", "x": true}')
    assert (thing.id, thing.name, thing.model_extra) == (1, "a", {"x": True})
    # invalid data: lenient rebuild keeps the raw value, out of the field
    lenient = rt.parse_json(models.Thing, b'{"id": "one", "name": "a"}')
    assert isinstance(lenient, models.Thing) and lenient.model_extra == {"id": "one"}
    with pytest.raises(rt.InvalidFieldError):
        lenient.id  # noqa: B018
    with pytest.raises(rt.ResponseValidationError) as info:
        rt.parse_json(models.Thing, b'{"id": "one", "name": "a"}', strict=True)
    assert [e["loc"] for e in info.value.errors] == [("id",)]
    assert rt.parse_json(None, b"[1, 2]") == [1, 2]
    with pytest.raises(ValueError):
        rt.parse_json(models.Thing, b"{not json")


def test_nested_read_only_fields_are_excused_in_requests(rt: Any, models: Any) -> None:
    page = rt.validate_request(
        models.ThingPage, {"items": [{"name": "a"}, {"id": 2, "name": "b"}]}
    )
    assert [type(t) for t in page.items] == [models.Thing, models.Thing]
    assert page.items[0].model_fields_set == {"name"}
    assert rt.encode_json(page) == {"items": [{"name": "a"}, {"name": "b"}]}
    # other errors at depth are still reported, with their full location
    with pytest.raises(rt.RequestValidationError) as info:
        rt.validate_request(models.ThingPage, {"items": [{"name": 5}]})
    assert [e["loc"] for e in info.value.errors] == [("items", 0, "name")]
    # pydantic alone (no context) does not excuse anything
    with pytest.raises(ValueError):
        models.Thing.model_validate({"name": "a"})


def test_write_only_fields_are_excused_in_responses_only(
    rt: Any, fakeapi: ModuleType
) -> None:
    class Login(rt.BaseModel):  # type: ignore[name-defined,misc]
        __clientgen_write_only__ = frozenset({"password"})
        user: str
        password: str

    class Session(rt.BaseModel):  # type: ignore[name-defined,misc]
        logins: list[Login]

    data = {"logins": [{"user": "ann"}]}
    session = rt.parse_response(Session, data, strict=True)
    assert session.logins[0].user == "ann" and session.logins[0].password is None
    assert rt.parse_json(Session, json.dumps(data).encode(), strict=True).logins
    with pytest.raises(rt.RequestValidationError):
        rt.validate_request(Session, data)


def test_lenient_rebuild_inside_containers_and_unions(rt: Any, models: Any) -> None:
    data = [
        {"id": 1, "name": "ok"},
        {"id": 2, "name": "bad", "tags": [{"label": "t", "parent": {"id": "x"}}]},
    ]
    things = rt.parse_response(list[models.Thing], data)
    assert [type(t) for t in things] == [models.Thing, models.Thing]
    parent = things[1].tags[0].parent
    assert isinstance(parent, models.Thing) and parent.model_extra == {"id": "x"}
    for name, path in (
        ("id", "$[1].tags[0].parent.id"),
        ("name", "$[1].tags[0].parent.name"),
    ):
        with pytest.raises(rt.InvalidFieldError) as info:
            getattr(parent, name)  # wrong type; required but absent
        assert info.value.path == path
    either = rt.parse_response(models.Tag | int, {"label": 7})
    assert isinstance(either, models.Tag) and either.model_extra == {"label": 7}


# -- JSON bodies -----------------------------------------------------------


def test_json_bodies_are_compact_utf8_and_reject_what_json_cannot_carry(
    rt: Any,
) -> None:
    import importlib

    body = importlib.import_module(rt.__name__ + "._body")
    data = {"name": "héllo", "n": [1, 2.5, None, True], "big": 10**30}
    assert (
        body.json_bytes(data)
        == ('{"name":"héllo","n":[1,2.5,null,true],"big":' + str(10**30) + "}").encode()
    )
    # "NaN" inside a string is text, not a number
    assert json.loads(body.json_bytes({"s": "NaN Infinity"})) == {"s": "NaN Infinity"}
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(rt.RequestValidationError, match=r"at \$\.x\[0\]: .*NaN"):
            body.json_bytes({"x": [bad]})
    with pytest.raises(rt.RequestValidationError, match=r"at \$\.x: .*not JSON"):
        body.json_bytes({"x": object()})
    prepared = body.prepare_body({"a": rt.NOT_GIVEN, "b": 1}, "application/json")
    assert prepared.build() == {"content": b'{"b":1}'}
