"""Run the netno command line: ``python -m netno COMMAND ...``."""

import sys

from netno.cli import main

sys.exit(main())
