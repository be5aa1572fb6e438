"""The browser harness: the seeded demo site served live, one Chromium for the session.

Browser tests use the demo site seeded once by tests/conftest.py, so the
server shares that database instead of pytest-django's
`live_server`: its transactional database flushes every table after each test,
which would delete the session's seed for every test that runs afterwards.

What the journeys do through the site (sign up, submit and approve a guide)
is committed, not rolled back with the test: the server keeps the connection
it was given before Playwright started, while the tests' own ORM calls, made
after Playwright's event loop took over the main thread (asgiref then keeps
Django's connections per context, not per thread), open a second connection
to the same in-memory database, inside the test's transaction. So a journey
uses fresh names and removes what it publishes, and reads nothing through the
ORM while the server writes: SQLite's shared cache would lock the server out
of every table the test's transaction has read ("database table is locked").

Chromium (Debian's package), Node's axe-core and vnu-jar, and Java are
required: when one is missing the tests fail with the command that installs it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django.utils import translation

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from core.languages import language_codes
from courses.models import Certificate, CourseIndexPage, CoursePage, LessonPage
from experts.models import ExpertIndexPage, ExpertPage, GuideIndexPage, GuidePage
from hub.models import AboutPage, ClusterPage, HomePage

CHROMIUM = os.environ.get("HUB_CHROMIUM", "/usr/bin/chromium")
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHECKS_JS = Path(__file__).with_name("checks.js")
ARTIFACTS = Path(os.environ.get("HUB_TEST_ARTIFACTS", Path(settings.BASE_DIR) / "test-artifacts"))

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
AUDIT_LANGUAGES = ["en", "ar"]
# The page types every issue's pages join; search terms are in each language.
AUDITED_PAGES = [
    "home",
    "about",
    "cluster",
    "case-study-index",
    "case-study",
    "search",
    "empty-search",
    "not-found",
    "course-catalogue",
    "course",
    "lesson",
    "expert-directory",
    "expert",
    "expert-contact",
    "guide-index",
    "guide",
    "certificate-verify",
    "sign-up",
    "log-in",
    "become-an-expert",
]
SEARCH_TERMS = {"en": "textile", "el": "ανακύκλωση", "it": "tessile", "ar": "نسيج"}


def screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot of what the browser shows as a test artifact."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


def require(condition: bool, message: str) -> None:
    # Fail, never skip: a harness that quietly skips proves nothing.
    if not condition:
        pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def hub_server(django_db_setup, django_db_blocker):
    """The Hub served on a free local port against the seeded test database."""
    # An in-memory SQLite test database is one connection: the server thread shares it.
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LiveServerThread("127.0.0.1", static_handler=StaticFilesHandler, connections_override=shared)
    thread.daemon = True
    with django_db_blocker.unblock(), override_settings(ALLOWED_HOSTS=["127.0.0.1"]):
        for connection in shared.values():
            connection.inc_thread_sharing()
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


@pytest.fixture(scope="session")
def browser(hub_server):
    require(
        Path(CHROMIUM).exists(),
        f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium) or set HUB_CHROMIUM.",
    )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on the main thread, which Django
    # takes for async code and refuses ORM calls from. Nothing here is async Django
    # code, and the browser tests run last (tests/conftest.py), so lift the guard
    # while the browser is open.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def contexts(browser, hub_server):
    made = {
        # The checks inject axe-core and checks.js as inline scripts, which the site's
        # Content-Security-Policy forbids; test_csp.py loads the pages under the policy.
        name: browser.new_context(viewport=size, base_url=hub_server, reduced_motion="reduce", bypass_csp=True)
        for name, size in VIEWPORTS.items()
    }
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def desktop(contexts):
    page = contexts["desktop"].new_page()
    yield page
    page.close()


@pytest.fixture
def phone(contexts):
    page = contexts["phone"].new_page()
    yield page
    page.close()


@pytest.fixture(scope="session")
def axe_source():
    require(AXE_JS.exists(), f"{AXE_JS} is missing: run `npm ci` at the repository root (or `make test`).")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command():
    java = shutil.which("java")
    require(java is not None, "java not found: the Nu HTML Checker needs it (`apt-get install default-jre-headless`).")
    require(VNU_JAR.exists(), f"{VNU_JAR} is missing: run `npm ci` at the repository root (or `make test`).")
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def site_urls(django_db_setup, django_db_blocker) -> dict[tuple[str, str], str]:
    """(page name, language) -> path, for every audited page in every language."""
    pages = {
        "home": HomePage,
        "about": AboutPage,
        "cluster": ClusterPage,
        "case-study-index": CaseStudyIndexPage,
        "case-study": CaseStudyPage,
        "course-catalogue": CourseIndexPage,
        "course": CoursePage,
        "lesson": LessonPage,
        "expert-directory": ExpertIndexPage,
        "expert": ExpertPage,
        "guide-index": GuideIndexPage,
        "guide": GuidePage,
    }
    urls = {}
    with django_db_blocker.unblock():
        found = {name: model.objects.live().order_by("path").first() for name, model in pages.items()}
        certificate = Certificate.objects.order_by("pk").first()
        for language in language_codes():
            with translation.override(language):
                for name, page in found.items():
                    urls[name, language] = page.get_url()
            urls["search", language] = f"/{language}/search/?q={SEARCH_TERMS[language]}"
            urls["empty-search", language] = f"/{language}/search/?q=qwxzvbnq"
            urls["not-found", language] = f"/{language}/no-such-page/"
            urls["certificate-verify", language] = f"/{language}/certificates/verify/{certificate.display_code}/"
            urls["sign-up", language] = f"/{language}/accounts/signup/"
            urls["log-in", language] = f"/{language}/accounts/login/"
            urls["become-an-expert", language] = f"/{language}/become-an-expert/"
            urls["expert-contact", language] = f"/{language}/experts/{found['expert'].pk}/contact/"
    return urls


@dataclass
class Audit:
    """Everything measured on one page, language and viewport, loaded once."""

    url: str
    status: int
    html: bytes
    checks: dict = field(default_factory=dict)
    axe: list = field(default_factory=list)


@pytest.fixture(scope="session")
def audit(contexts, site_urls, axe_source):
    """`audit(name, language, viewport)`: load the page once per session, run every check on it."""
    cache: dict[tuple[str, str, str], Audit] = {}
    pages = {}
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    checks_source = CHECKS_JS.read_text(encoding="utf-8")

    def run(name: str, language: str, viewport: str) -> Audit:
        key = (name, language, viewport)
        if key not in cache:
            page = pages.get(viewport) or pages.setdefault(viewport, contexts[viewport].new_page())
            url = site_urls[name, language]
            response = page.goto(url, wait_until="load")
            page.add_script_tag(content=axe_source)
            page.add_script_tag(content=checks_source)
            result = Audit(url=url, status=response.status, html=response.body())
            result.checks = page.evaluate(
                """() => ({
                    contrast: hubChecks.contrast(),
                    direction: hubChecks.direction(),
                    overflow: hubChecks.overflow(),
                    targets: hubChecks.targets(".map-pin"),
                    mapPins: hubChecks.targets(":not(.map-pin)"),
                    pinBoxes: [...document.querySelectorAll(".map-pin")].map((pin) => {
                        const {left, top, right, bottom} = pin.getBoundingClientRect();
                        return {pin: pin.textContent.trim(), left, top, right, bottom};
                    }),
                })"""
            )
            result.axe = page.evaluate(
                """async () => {
                    const results = await axe.run(document, {resultTypes: ["violations"]});
                    return results.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 6),
                    }));
                }"""
            )
            page.screenshot(path=shots / f"{name}-{language}-{VIEWPORTS[viewport]['width']}.png", full_page=True)
            cache[key] = result
        return cache[key]

    yield run
    for page in pages.values():
        page.close()
    # What was measured, page by page, for the CI artifacts and for reading trends.
    summary = {
        "-".join(key): {
            "url": result.url,
            "status": result.status,
            "axe": [f"{v['id']} ({v['impact']})" for v in result.axe],
            "text_contrast": {k: len(v) if k == "failures" else v for k, v in result.checks["contrast"].items()},
            "targets_checked": result.checks["targets"]["checked"],
        }
        for key, result in cache.items()
    }
    (ARTIFACTS / "audit.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
