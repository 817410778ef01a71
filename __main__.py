"""`python -m cadastre_cleaner`: the headless command (sample, check, ...)."""
from .core.cli import main

raise SystemExit(main())
