"""Test set-up: settings from the environment, real PostgreSQL, Celery eager unless integration."""

import os

# Settings are read from the environment; tests run with safe local values unless CI sets them.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Live-server threads must not keep connections open, or the test database cannot be dropped.
os.environ.setdefault("CONN_MAX_AGE", "0")

import pytest
from django.conf import settings

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


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static files without the collectstatic manifest production uses."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Give each test run its own database, so runs on one server (two terminals) don't collide."""
    from django.conf import settings as dj_settings

    test = dj_settings.DATABASES["default"].setdefault("TEST", {})
    name = test.get("NAME") or f"test_{dj_settings.DATABASES['default']['NAME']}"
    test["NAME"] = f"{name}_{os.getpid()}"
