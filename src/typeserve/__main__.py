"""Allows `python -m typeserve`."""

from typeserve.cli import main

main()
