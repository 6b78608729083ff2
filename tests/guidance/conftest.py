import pytest

from tests.guidance.dataset import known_learner


@pytest.fixture
def known(db, registrar):
    """The learner, goal and programs described in tests/guidance/dataset.py."""
    return known_learner(registrar)
