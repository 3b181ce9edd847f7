"""The gazetteer loaded from the shipped data file (a third of a second on in-memory SQLite), and a user
who belongs to nothing."""

import pytest

from setu.accounts.tests.factories import UserFactory
from setu.geo.services import gazetteer_load


@pytest.fixture
def gazetteer(db) -> dict[str, int]:
    return gazetteer_load()


@pytest.fixture
def no_roles(db):
    """Signed in, but with no membership: holds no permission at all."""
    return UserFactory(username="no_roles")
