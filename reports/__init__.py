"""Printable outputs built from the published file: `python -m reports boardpack` (see pack.py)."""
