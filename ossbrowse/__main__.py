"""Entry point for `python -m ossbrowse`."""

from ossbrowse.cli import main

raise SystemExit(main())
