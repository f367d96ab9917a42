"""``python -m gnsanalysis.cli`` runs the ``gns`` command."""

import sys

from gnsanalysis.cli import main

sys.exit(main())
