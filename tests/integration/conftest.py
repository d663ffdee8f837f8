"""Fixtures of the integration tests: the hand-made organisation on each test's database."""
from __future__ import annotations

import pytest

from core.base.db import write_tx
from tests.factories import Org, make_org


@pytest.fixture
def org(engine) -> Org:
    """tests.factories.make_org on the test's database (a module that needs more people or records
    defines its own ``org``)."""
    with write_tx(engine) as s:
        return make_org(s)
