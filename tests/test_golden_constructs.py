"""The second golden record: the committed package of ``specs/constructs.yaml``.

``generated/constructs`` holds one example of every construct the README's
"How schemas become Python" table lists. These tests import the committed
package (not a fresh generation, so they check what reviewers see) and drive
each construct through the client on ``httpx.MockTransport``: a response
decodes into the promised Python types, and the decoded value, sent back as
a request body, reaches the wire as the JSON it came from. ``mypy --strict``
runs over the package once.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import subprocess
import sys
import typing
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import REPO

FOLDER = REPO / "generated" / "constructs"
UID = "0b9a9c1e-6f0a-4a52-9a55-5d0c7f1f8e11"
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(scope="module")
def pkg() -> Iterator[Any]:
    """The committed ``constructs`` package, imported."""
    sys.path.insert(0, str(FOLDER))
    try:
        import constructs

        yield constructs
    finally:
        sys.path.remove(str(FOLDER))


def _client(pkg: Any, handler: Handler, **settings: Any) -> Any:
    """A client on ``handler``; strict about responses unless told otherwise."""
    settings.setdefault("api_key", "key")
    settings.setdefault("strict_responses", True)
    transport = httpx.MockTransport(handler)
    return pkg.Constructs(http_client=httpx.Client(transport=transport), **settings)


def _recorder(*answers: httpx.Response) -> tuple[list[httpx.Request], Handler]:
    """A handler that records each request and gives the answers in turn
    (204 once they run out)."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0) if queue else httpx.Response(204)

    return seen, handler


def _echo(payload: dict[str, Any]) -> tuple[list[httpx.Request], Handler]:
    """GET answers ``payload``; PUT answers the body it was sent."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "PUT":
            return httpx.Response(200, json=json.loads(request.content))
        return httpx.Response(200, json=payload)

    return seen, handler


# -- schema constructs: one Showcase property each ------------------------------
# key of Showcase -> (JSON answered, JSON sent back when the value decoded from
# it is the request body; None: the same), and a check of the decoded value.


def _primitives(m: Any, v: Any) -> None:
    assert isinstance(v, m.Primitives)
    assert (v.text, v.whole, v.flag, v.big) == ("t", 1, True, 2**40)
    assert isinstance(v.real, float) and v.anything == {"a": [1, None]}


def _formats(m: Any, v: Any) -> None:
    assert v.day == dt.date(2026, 11, 28)
    assert v.at == dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
    assert v.id == uuid.UUID(UID)
    assert v.amount == decimal.Decimal("12.10")
    assert (v.blob, v.mail, v.site) == ("aGk=", "a@b.example", "https://b.example/")


def _enums(m: Any, v: Any) -> None:
    assert (v.colour, v.level, v.switch, v.mixed) == ("red", 2, True, "one")
    assert (v.maybe, v.quoted, v.ratio) == (None, 'say "hi"', 1.5)
    assert (v.kind, v.inline) == ("construct", "up")
    assert typing.get_args(m.QuotedEnum) == ("it's", 'say "hi"', "back\\slash", "")
    literal, marker = typing.get_args(m.MixedEnum)  # numbers: matched by type
    assert (typing.get_args(literal), repr(marker)) == ((1, "one", True), "EXACT")


def _nullables(m: Any, v: Any) -> None:
    assert [v.legacy, v.arrayed, v.several, v.required_but_null] == [None] * 4
    assert v.dated == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert "required_but_null" in {
        n for n, f in m.Nullables.model_fields.items() if f.is_required()
    }


def _unions(m: Any, v: Any) -> None:
    assert v.scalar is True
    assert isinstance(v.model_or_scalar, m.Point) and v.model_or_scalar.x == 1
    assert v.any_of == dt.date(2026, 1, 2)
    assert v.lists == [1, 2]


def _pending(m: Any, v: Any) -> None:
    # once broken (issue 12): anyOf with null was Any, a union of arrays of
    # unions a SyntaxError
    assert isinstance(v.optional, m.Point) and v.lists_of_unions == ["a", 1]
    hints = typing.get_type_hints(m.Pending)
    assert hints["optional"] == m.Point | None
    assert hints["lists_of_unions"] == list[str | int] | list[str | bool] | None


def _pets(m: Any, v: Any) -> None:
    # both members fit {"petType": "dog", ...}: the tag decides, not the order
    assert [type(p) for p in v.mapped] == [m.Hound, m.Cat]
    assert isinstance(v.named, m.Hound) and isinstance(v.const, m.Gecko)


def _animals(m: Any, v: Any) -> None:
    assert issubclass(m.Dog, m.Animal) and isinstance(v.dog, m.Dog)
    assert (v.dog.name, v.dog.good) == ("Rex", True)
    # merged, not subclassed: a subclass would change an inherited field
    assert not issubclass(m.Puppy, m.Animal) and v.puppy.name == "Pup"
    assert not issubclass(m.Parrot, m.Animal) and v.parrot.sound == "squawk"


def _maps(m: Any, v: Any) -> None:
    assert v.counts == {"a": 1}
    assert v.tally.label == "l" and v.tally.model_extra == {"apples": 3}
    assert v.free == {"x": [1, {}]}
    assert isinstance(v.points["p"], m.Point) and v.nested == {"k": ["a"]}


def _tree(m: Any, v: Any) -> None:
    assert isinstance(v.children[0], m.TreeNode) and v.children[0].label == "leaf"
    assert v.parent.label == "up" and v.parent.children is None


def _ping(m: Any, v: Any) -> None:
    assert isinstance(v.pong, m.Pong) and isinstance(v.pong.ping, m.Ping)


def _order(m: Any, v: Any) -> None:
    assert isinstance(v.shipping, m.OrderShipping) and v.shipping.city == "Gent"
    assert isinstance(v.pet, m.Cat)
    assert isinstance(v.lines[0], m.OrderLinesItem) and v.lines[0].quantity == 2
    assert {"OrderShipping", "OrderPet", "OrderLinesItem"} <= set(m.__all__)


def _account(m: Any, v: Any) -> None:
    assert (v.id, v.name) == (7, "n")
    assert "password" not in type(v).model_fields  # writeOnly: never a response


def _defaults(m: Any, v: Any) -> None:
    assert (v.text, v.whole, v.real, v.flag) == ("n/a", 10, 0.5, False)
    assert (v.list, v.map, v.colour, v.nothing) == (["x", "y"], {"a": 1}, "green", None)
    assert m.Defaults().list is not m.Defaults().list  # copied per instance


def _deprecations(m: Any, v: Any) -> None:
    assert (v.current, v.old) == ("c", "o")


def _names(m: Any, v: Any) -> None:
    got = {f: getattr(v, f) for f in ("class_", "field_2fa", "eur", "usd")}
    assert got == {"class_": "k", "field_2fa": True, "eur": 1.5, "usd": 2.5}
    assert (v.first_name, v.self_, v.model_config_, v.from_) == ("f", "s", "m", "fr")
    wires = {f.serialization_alias or n for n, f in m.Names.model_fields.items()}
    assert wires == set(NAMES)


def _clashes(m: Any, v: Any) -> None:
    classes = [type(getattr(v, f)) for f in m.Clashes.model_fields]
    assert len(set(classes)) == len(classes) == 6
    assert m.None_ in classes and m.VLAN in classes and m.Vlan in classes


def _quoted(m: Any, v: Any) -> None:
    assert v.path == "C:\\x"
    assert m.Quoted().path == "C:\\temp\\"
    assert '"quoted"' in (m.Quoted.__doc__ or "") and '"""' in (m.Quoted.__doc__ or "")


def _tags(m: Any, v: Any) -> None:
    assert v == ["a", "b"] and m.Tags == list[str]


NAMES = {
    "class": "k",
    "_": "u",
    "2fa": True,
    "EUR": 1.5,
    "usd": 2.5,
    "first-name": "f",
    "firstName": "F",
    "self": "s",
    "model_config": "m",
    "schema": "sc",
    "json": "j",
    "from": "fr",
    "None": "n",
    "été": "e",
    "$ref-like": "r",
}

CASES: dict[str, tuple[Any, Any, Callable[[Any, Any], None]]] = {
    "primitives": (
        {
            "text": "t",
            "whole": 1,
            "real": 1.5,
            "flag": True,
            "anything": {"a": [1, None]},
            "big": 2**40,
            "small": -3,
            "single": 0.25,
            "double": 1e100,
        },
        None,
        _primitives,
    ),
    "formats": (
        {
            "day": "2026-11-28",
            "at": "2026-11-28T09:30:00Z",
            "id": UID,
            "amount": "12.10",
            "blob": "aGk=",
            "mail": "a@b.example",
            "site": "https://b.example/",
        },
        None,  # a decimal written as a string goes back as that string
        _formats,
    ),
    "enums": (
        {
            "colour": "red",
            "level": 2,
            "switch": True,
            "mixed": "one",
            "maybe": None,
            "quoted": 'say "hi"',
            "ratio": 1.5,
            "kind": "construct",
            "inline": "up",
        },
        None,
        _enums,
    ),
    "nullables": (
        {
            "legacy": None,
            "arrayed": None,
            "several": None,
            "dated": "2026-01-02T03:04:05Z",
            "required_but_null": None,
        },
        None,
        _nullables,
    ),
    "unions": (
        {"scalar": True, "model_or_scalar": {"x": 1}, "any_of": "2026-01-02"}
        | {"lists": [1, 2]},
        None,
        _unions,
    ),
    "pending": (
        {"optional": {"x": 1}, "lists_of_unions": ["a", 1]},
        None,
        _pending,
    ),
    "pets": (
        {
            "mapped": [
                {"petType": "dog", "bark": "woof", "lives": 9},
                {"petType": "cat", "lives": 7},
            ],
            "named": {"petType": "Hound", "bark": "x"},
            "const": {"petType": "gecko", "sticky": True},
        },
        None,
        _pets,
    ),
    "animals": (
        {
            "dog": {"name": "Rex", "good": True},
            "puppy": {"name": "Pup", "age": 1},
            "parrot": {"sound": "squawk"},
        },
        None,
        _animals,
    ),
    "maps": (
        {
            "counts": {"a": 1},
            "tally": {"label": "l", "apples": 3},
            "free": {"x": [1, {}]},
            "points": {"p": {"x": 1}},
            "nested": {"k": ["a"]},
        },
        None,
        _maps,
    ),
    "tree": (
        {
            "label": "root",
            "children": [{"label": "leaf", "children": []}],
            "parent": {"label": "up"},
        },
        None,
        _tree,
    ),
    "ping": ({"pong": {"ping": {"pong": None}}}, None, _ping),
    "order": (
        {
            "shipping": {"street": "Kouter 1", "city": "Gent"},
            "pet": {"petType": "Cat", "lives": 9},
            "lines": [{"sku": "s", "quantity": 2}],
        },
        None,
        _order,
    ),
    # readOnly `id` is never sent back
    "account": ({"id": 7, "name": "n"}, {"name": "n"}, _account),
    # defaults fill the model but are not sent: the server applies its own
    "defaults": ({}, None, _defaults),
    "deprecations": ({"current": "c", "old": "o"}, None, _deprecations),
    "names": (NAMES, None, _names),
    "clashes": (
        {
            "client": {"id": 1},
            "list": {"value": "l"},
            "none": {"value": "n"},
            "VLAN": {"value": "V"},
            "vlan": {"value": "v"},
            "class": {"value": "c"},
        },
        None,
        _clashes,
    ),
    "quoted": ({"path": "C:\\x"}, None, _quoted),
    "tags": (["a", "b"], None, _tags),
}


def test_every_showcase_property_has_a_case(pkg: Any) -> None:
    assert set(CASES) == set(pkg.models.Showcase.model_fields)


@pytest.mark.parametrize("key", sorted(CASES))
def test_construct_decodes_and_goes_back_unchanged(pkg: Any, key: str) -> None:
    answered, sent, check = CASES[key]
    seen, handler = _echo({key: answered})
    showcase = _client(pkg, handler).showcase
    got = showcase.get()
    check(pkg.models, getattr(got, key))
    # a request leaves out readOnly fields, which a response must hold: the
    # echo of such a request is no valid response
    echo = _client(pkg, handler, strict_responses=sent is None).showcase
    again = echo.replace(got)
    assert json.loads(seen[-1].content) == {key: answered if sent is None else sent}
    if sent is None:
        assert again == pkg.models.Showcase.model_validate({key: answered})


def test_open_enums_survive_responses_and_are_checked_in_requests(pkg: Any) -> None:
    unknown = {"colour": "purple", "level": 9, "mixed": 2, "inline": "sideways"}
    seen, handler = _echo({"enums": unknown})
    # a real API adds values without notice: valid even for a strict client
    got = _client(pkg, handler).showcase.get().enums
    assert (got.colour, got.level, got.mixed, got.inline) == (
        "purple",
        9,
        2,
        "sideways",
    )
    # requests are checked by the type checker: the request type stays closed
    hints = typing.get_type_hints(pkg.params.EnumsParams)
    assert hints["colour"] == pkg.models.Colour
    assert "str" not in str(hints["colour"])


def test_unknown_or_missing_discriminator_tries_the_members(pkg: Any) -> None:
    m = pkg.models
    pets = [{"petType": "cow"}, {"petType": "wolf", "bark": "loud"}, {"bark": "?"}]
    _, handler = _echo({"pets": {"mapped": pets}})
    got = _client(pkg, handler, strict_responses=False).showcase.get().pets.mapped
    assert [type(p) for p in got] == [m.Cat, m.Hound, m.Hound]  # never a dict
    assert got[1].bark == "loud" and got[2].bark == "?"
    with pytest.raises(pkg.InvalidFieldError, match=r"\$\.pets\.mapped\[2\]\.petType"):
        got[2].pet_type  # noqa: B018  (required, absent)


def test_write_only_is_sent_and_never_required_in_a_response(pkg: Any) -> None:
    account = {"id": 3, "name": "n"}
    seen, handler = _recorder(httpx.Response(201, json=account))
    client = _client(pkg, handler, username="u", password="p")
    made = client.accounts.create({"name": "n", "password": "secret"})
    assert made.id == 3 and "password" not in type(made).model_fields
    assert json.loads(seen[0].content) == {"name": "n", "password": "secret"}
    assert seen[0].headers["Authorization"] == httpx.BasicAuth("u", "p")._auth_header


# -- operation constructs -------------------------------------------------------


def test_parameters_of_every_location_and_style(pkg: Any) -> None:
    seen, handler = _recorder()
    point = pkg.models.Point(x=1, y=2)
    _client(pkg, handler).params.probe(
        "a b/c",
        ["x", "y"],
        point,
        [3, 4],
        exploded=["1", "2"],
        joined=["1", "2"],
        point=point,
        deep={"x": 1, "y": 2},
        spaced=["a", "b"],
        piped=["a", "b"],
        on=True,
        day=dt.date(2026, 1, 2),
        request_tags=["h1", "h2"],
        point_272d0a=point,
        theme="blue",
    )
    request = seen[0]
    path = request.url.raw_path.decode().split("?")[0]
    assert path == "/v1/params/a%20b%2Fc/.x,y/;x=1;y=2/3,4"
    q = request.url.params
    assert q.get_list("exploded") == ["1", "2"] and q["joined"] == "1,2"
    assert (q["x"], q["y"], q["deep[x]"], q["deep[y]"]) == ("1", "2", "1", "2")
    assert (q["spaced"], q["piped"], q["on"], q["day"]) == (
        "a b",
        "a|b",
        "true",
        "2026-01-02",
    )
    assert request.headers["X-Request-Tags"] == "h1,h2"
    assert request.headers["X-Point"] == "x=1,y=2"
    assert request.headers["Cookie"] == "theme=blue"


def test_request_bodies_of_every_media_type(pkg: Any) -> None:
    seen, handler = _recorder()
    bodies = _client(pkg, handler).bodies
    bodies.send_json({"name": "n", "tags": ["a"]})
    bodies.send_form({"name": "n", "tags": ["a", "b"]})
    upload = {"title": "t", "file": ("a.txt", b"hello", "text/plain"), "meta": {"x": 1}}
    bodies.send_multipart(upload)
    bodies.send_raw(b"\x00\x01")
    bodies.send_text("héllo")
    bodies.send_either(pkg.models.Form(name="n"))
    j, f, m, r, t, e = seen
    assert j.headers["content-type"] == "application/json"
    assert json.loads(j.content) == {"name": "n", "tags": ["a"]}
    assert f.headers["content-type"] == "application/x-www-form-urlencoded"
    assert f.content == b"name=n&tags=a&tags=b"
    assert m.headers["content-type"].startswith("multipart/form-data; boundary=")
    part = m.read()
    assert b'name="file"; filename="a.txt"' in part and b"hello" in part
    assert b'name="title"' in part and b'{"x":1}' in part.replace(b" ", b"")
    assert r.content == b"\x00\x01"
    assert r.headers["content-type"] == "application/octet-stream"
    assert t.content == "héllo".encode()
    assert t.headers["content-type"].startswith("text/plain")
    assert e.headers["content-type"] == "application/json"  # JSON is preferred
    strict = _client(pkg, handler, strict_requests=True).bodies
    with pytest.raises(pkg.RequestValidationError):
        strict.send_form({"tags": ["a"]})  # `name` is required
    assert len(seen) == 6


def test_binary_download_and_its_error_model(pkg: Any, tmp_path: Path) -> None:
    pdf = b"%PDF-1.7 \x00\xff"
    problem = {"message": "gone", "code": 4}
    seen, handler = _recorder(
        httpx.Response(200, content=pdf),
        httpx.Response(200, content=pdf),
        httpx.Response(404, json=problem),
    )
    files = _client(pkg, handler).files
    assert files.get(uuid.UUID(UID)) == pdf
    assert files.get_to_file(uuid.UUID(UID), tmp_path / "f.pdf") == len(pdf)
    assert (tmp_path / "f.pdf").read_bytes() == pdf
    assert seen[0].url.path == f"/v1/files/{UID}"
    assert seen[0].headers["Accept"] == "application/pdf"
    with pytest.raises(pkg.NotFoundError) as caught:
        files.get(uuid.UUID(UID))
    assert isinstance(caught.value.body_model, pkg.models.Problem)
    assert caught.value.body_model.message == "gone"


def test_head_answers_with_response_headers(pkg: Any) -> None:
    headers = {"X-Next-Number": "42", "X-Next-Number-Formatted": "INV-0042"}
    seen, handler = _recorder(httpx.Response(200, headers=headers))
    got = _client(pkg, handler).counters.next()
    assert seen[0].method == "HEAD"
    assert isinstance(got, pkg.models.CountersNextHeaders)
    assert (got.next_number, got.next_number_formatted) == (42, "INV-0042")


def test_default_response_types_the_answer_or_the_error(pkg: Any) -> None:
    seen, handler = _recorder(
        httpx.Response(200, json={"id": 1, "name": "n", "extra": True}),
        httpx.Response(201, json={"id": 2}),
        httpx.Response(418, json={"message": "teapot"}),
    )
    fallback = _client(pkg, handler).fallback
    read = fallback.get()
    assert isinstance(read, pkg.models.Plain) and read.model_extra == {"extra": True}
    assert fallback.write({"name": "n"}).id == 2
    with pytest.raises(pkg.APIStatusError) as caught:
        fallback.write()
    assert caught.value.status_code == 418
    assert caught.value.body_model.message == "teapot"


def test_offset_and_cursor_pagination(pkg: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        q = request.url.params
        if request.url.path == "/v1/accounts":
            start, size = int(q["offset"]), int(q["limit"])
            items = [
                {"id": i, "name": f"a{i}"} for i in range(start, min(start + size, 45))
            ]
            return httpx.Response(200, json={"items": items, "total": 45})
        after = q.get("cursor")
        pages = {None: ("e1", "c1"), "c1": ("e2", "c2"), "c2": ("e3", None)}
        event, nxt = pages[after]
        return httpx.Response(200, json={"data": [{"id": event}], "next_cursor": nxt})

    client = _client(pkg, handler, access_token="tok")
    ids = [a.id for a in client.accounts.iter(q="a")]
    assert ids == list(range(45))
    assert [e.id for e in client.events.iter(kind="red")] == ["e1", "e2", "e3"]
    page = client.accounts.list(offset=40, limit=10)
    assert [a.id for a in page.items] == [40, 41, 42, 43, 44]


def test_security_schemes_and_overrides(pkg: Any) -> None:
    seen, handler = _echo({})
    _client(pkg, handler, api_key="k1").showcase.replace({})
    _client(pkg, handler, api_key=None, bearer_auth_token="b1").showcase.replace({})
    _client(pkg, handler, api_key="k1").showcase.get()  # security: []
    _client(pkg, handler, access_token="t1").events.list()
    put_key, put_bearer, public, events = seen
    assert put_key.headers["X-API-Key"] == "k1"
    assert put_bearer.headers["Authorization"] == "Bearer b1"
    assert "X-API-Key" not in public.headers and "Authorization" not in public.headers
    assert events.headers["Authorization"] == "Bearer t1"


def test_deprecated_operation_and_parameter_warn(pkg: Any) -> None:
    seen, handler = _recorder()
    legacy = _client(pkg, handler).legacy
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        legacy.get()
        legacy.search(q="a")
        legacy.search(old="b")
    assert [str(w.message) for w in caught] == [
        "legacy.get() is deprecated",
        "parameter old of search() is deprecated",
    ]
    assert all(w.category is DeprecationWarning for w in caught)
    assert seen[2].url.params["old"] == "b"


def test_operations_without_ids_and_awkward_names(pkg: Any) -> None:
    plain = {"id": 1}
    seen, handler = _recorder(
        httpx.Response(200, json=[plain]),
        httpx.Response(204),
        httpx.Response(200, json=plain),
        httpx.Response(204),
        httpx.Response(204),
        httpx.Response(200, json=3),
    )
    client = _client(pkg, handler)
    assert [w.id for w in client.widgets.list()] == [1]
    client.widgets.create()
    assert client.widgets.get(1).id == 1
    client.widgets.delete(1)
    client.class_.class_()
    assert client.names.gro_e_lesen() == 3
    assert [(r.method, r.url.raw_path.decode()) for r in seen] == [
        ("GET", "/v1/widgets"),
        ("POST", "/v1/widgets"),
        ("GET", "/v1/widgets/1"),
        ("DELETE", "/v1/widgets/1"),
        ("GET", "/v1/class"),
        ("GET", "/v1/gr%C3%B6%C3%9Fe"),
    ]


def test_named_servers_and_the_async_client(pkg: Any) -> None:
    import asyncio

    assert typing.get_args(pkg.ServerName) == ("production", "sandbox")
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"tree": {"label": "root"}})

    async def run() -> Any:
        transport = httpx.MockTransport(handler)
        async with httpx.AsyncClient(transport=transport) as http:
            client = pkg.AsyncConstructs(server="sandbox", http_client=http)
            return await client.showcase.get()

    got = asyncio.run(run())
    assert isinstance(got.tree, pkg.models.TreeNode)
    assert str(seen[0].url) == "https://sandbox.constructs.example/v1/showcase"


def test_committed_package_passes_mypy_strict() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            "constructs",
        ],
        cwd=FOLDER,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
