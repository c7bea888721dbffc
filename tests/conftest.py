"""Shared pytest configuration: matplotlib's Agg backend and a reproducible
hypothesis profile."""

import matplotlib
from hypothesis import settings

# Before any test module imports pyplot: draw off-screen, with no display.
matplotlib.use("Agg")

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("ci")
