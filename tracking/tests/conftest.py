from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Test databases reuse ids after each rollback: cached figures must not outlive a test."""
    cache.clear()
    yield
    cache.clear()
