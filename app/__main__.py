"""`python -m app` runs the CLI (the same as the `factorygraph` script)."""

from app.cli import main

main()
