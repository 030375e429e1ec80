"""clientgen: typed Python client packages from OpenAPI 3.x and Swagger 2.0.

The pipeline, one module or folder per stage::

    load/    read, bundle $refs, upgrade Swagger 2.0, validate and repair
    build/   a frozen intermediate model with every decision made
    render/  Jinja templates fill in the model; black formats the result
    write/   a deterministic tree on disk, or a diff in check mode
"""

__version__ = "0.1.0"
