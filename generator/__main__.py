"""``python -m generator`` is the ``clientgen`` command."""

import sys

from generator.cli import main

sys.exit(main())
