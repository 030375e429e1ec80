"""Property tests of whole descriptions: random valid OpenAPI in, a working client out.

``model`` is the schema model and its OpenAPI rendering, ``specs`` draws
descriptions from it (and names the constructs still broken), ``instances``
draws valid JSON for each schema, ``check`` runs in a fresh interpreter beside
a generated package, ``run`` drives generate → import → checks → mypy for one
drawn case, and ``sweep`` runs thousands of them
(``python -m tests.sweep.corpus --random N --seed S``).
"""
