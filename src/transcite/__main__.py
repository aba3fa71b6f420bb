"""``python -m transcite`` runs the command line."""

from transcite.cli import main

main()
