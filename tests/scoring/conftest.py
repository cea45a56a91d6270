"""The scorer is Django-free: neutralise the project-wide autouse fixtures that need Django/Celery,
so `pytest tests/scoring -p no:django` keeps working."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _celery_eager() -> None:
    return


@pytest.fixture(autouse=True)
def _plain_static_files() -> None:
    return
