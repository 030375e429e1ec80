"""Property tests of whole descriptions: random valid OpenAPI in, a working client out.

``specs`` draws descriptions from a small schema model, ``instances`` draws
valid JSON for each schema, ``check`` runs inside a fresh interpreter next to
a generated package, and ``run`` drives generate → import → mypy → check for
a batch of drawn cases (used by ``tests/test_openapi_properties.py`` and by
``python -m tests.sweep.corpus --random N``).
"""
