import pytest

from search.breaker import breaker_reset


@pytest.fixture(autouse=True)
def _closed_breakers():
    """Each test starts with every backend's circuit breaker closed."""
    breaker_reset()
    yield
    breaker_reset()
