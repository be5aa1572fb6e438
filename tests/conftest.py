"""Shared fixtures: the demo site is seeded once per test session.

Every test then runs in a transaction rolled back at its end, so tests see the
same realistic site and cannot disturb each other.
"""

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from hub.demo import demo_seed

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


BROWSER_TESTS = Path(__file__).parent / "browser"


def pytest_itemcollected(item):
    # Browser tests read the seeded site, so they are database tests too (which
    # also makes pytest-django create the test database when only they run).
    if item.path.is_relative_to(BROWSER_TESTS):
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.django_db)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Browser tests run last, after every other test has used the main thread's
    # database connection: Chromium stays open to the end of the session.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_configure(config):
    # Generated pictures, renditions and the embedded search index go to
    # throwaway folders, not the developer's ./media and ./search_index.sqlite3.
    from search.backends import reset_backends

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="hub-test-media-")
    # Certificates and course packs the seed stores, likewise.
    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="hub-test-private-")
    # On SQLite the test database is one in-memory database shared by the threads
    # of this process (the browser tests' live server among them). BEGIN IMMEDIATE
    # would let each test's transaction lock that server out of writing. The
    # several-writers setting is proved where it matters, in separate processes on
    # a file database (tests/hub/test_concurrent_writers.py).
    settings.DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)
    # Hashed static names need `collectstatic` output; tests serve the sources.
    # override_settings (not assignment) resets the storages already loaded.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    # The anonymous page cache would serve a test's second visit from memory, without the
    # template context tests read and without edits made outside the publishing signals;
    # tests/hub/test_page_cache.py turns it on.
    settings.PAGE_CACHE = False
    settings.EMBEDDED_SEARCH_PATH = tempfile.mkdtemp(prefix="hub-test-search-") + "/index.sqlite3"
    settings.SEARCH_BACKENDS["embedded"]["PATH"] = settings.EMBEDDED_SEARCH_PATH
    reset_backends()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo_seed()


@pytest.fixture(autouse=True)
def _reset_language_and_cache():
    cache.clear()
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def languages():
    return LANGUAGE_CODES
