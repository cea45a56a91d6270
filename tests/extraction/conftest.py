"""The extractor needs no Django: neutralise the project-wide autouse fixtures that do, so these
tests also run with ``-p no:django``."""

import pytest


@pytest.fixture(autouse=True)
def _plain_static_files():
    """No Django settings to patch for the extractor."""


@pytest.fixture(autouse=True)
def _celery_eager():
    """No Celery for the extractor."""
