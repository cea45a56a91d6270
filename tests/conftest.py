"""Test set-up: settings from the environment, real PostgreSQL, Celery eager unless integration."""

import os

# Settings are read from the environment; tests run with safe local values unless CI sets them.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402

# Load the settings now so pytest-django finishes setting Django up in its pytest_configure.
settings.INSTALLED_APPS  # noqa: B018


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run tasks in-process in unit tests; integration tests talk to a real worker."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ed", password="pw-ed-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", password="pw-boss-12345")
