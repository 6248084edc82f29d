"""Shared pytest options, markers, fixtures and the hypothesis settings profiles.

Two hypothesis profiles: ``ci`` (loaded when the ``CI`` environment variable is set) draws the
same examples on every run, keeps no example database and prints a reproduction blob for a
failure; ``dev`` (otherwise) draws new examples each run, as a developer exploring wants, and
``--hypothesis-seed=N`` replays one run. Every counterexample ever found stays in its test as
an ``@example``, so neither profile depends on a database to catch a regression.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/data/*/expected.json from the current output, for review")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: a test that takes seconds of real time (a real SIGKILL, a subprocess "
                   "build); run by default, deselect with -m 'not slow'")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden tests should rewrite their expected files instead of comparing."""
    return bool(request.config.getoption("--update-golden"))
