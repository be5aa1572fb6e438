"""The plug-in points: how a feature app joins the site without the site importing it.

Each is a Wagtail hook (`wagtail.hooks.register`) that an app registers in
its `wagtail_hooks.py`; the site layer collects them with the functions below.

| hook                  | registered function                         | returns                         |
| --------------------- | ------------------------------------------- | ------------------------------- |
| `hub_home_sections`   | `(*, request, page)`                        | a `Section` or None             |
| `hub_cluster_sections`| `(*, request, cluster)`                     | a `Section` or None             |
| `hub_api_endpoints`   | `()`                                        | `[(name, viewset class), ...]`  |
| `hub_urls`            | `()`                                        | URL patterns, unprefixed        |
| `hub_i18n_urls`       | `()`                                        | URL patterns under `/<lang>/`   |
| `hub_seed_steps`      | `(*, home, report)` (hook `order` decides)  | nothing; writes demo content    |
| `hub_personal_data`   | `(*, user)`                                 | a dict for the user's data file |
| `hub_account_deletion`| `(*, user)`, before the user is deleted     | nothing; anonymises or deletes  |
| `hub_related_pages`   | `(*, page, user)`                           | pages that name `page`, visible to `user` |
| `hub_importers`       | `()`                                        | an `Importer`                   |

Search needs no hook: a page model declares itself (`core.searchable`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wagtail import hooks

HOME_SECTIONS = "hub_home_sections"
CLUSTER_SECTIONS = "hub_cluster_sections"
API_ENDPOINTS = "hub_api_endpoints"
URLS = "hub_urls"
I18N_URLS = "hub_i18n_urls"
SEED_STEPS = "hub_seed_steps"
PERSONAL_DATA = "hub_personal_data"
ACCOUNT_DELETION = "hub_account_deletion"
RELATED_PAGES = "hub_related_pages"
IMPORTERS = "hub_importers"


@dataclass(frozen=True)
class Section:
    """A block an app contributes to the home page or a cluster page.

    `template` is rendered with `section` in its context; `order` places it
    among the other apps' sections (lower first).
    """

    key: str
    template: str
    order: int = 100
    context: dict = field(default_factory=dict)


def _sections(hook: str, **kwargs) -> list[Section]:
    sections = [section for function in hooks.get_hooks(hook) if (section := function(**kwargs)) is not None]
    return sorted(sections, key=lambda section: (section.order, section.key))


def home_sections(*, request, page) -> list[Section]:
    return _sections(HOME_SECTIONS, request=request, page=page)


def cluster_sections(*, request, cluster) -> list[Section]:
    return _sections(CLUSTER_SECTIONS, request=request, cluster=cluster)


def api_endpoints() -> list[tuple[str, type]]:
    return [endpoint for function in hooks.get_hooks(API_ENDPOINTS) for endpoint in function()]


def url_patterns(*, i18n: bool) -> list:
    return [pattern for function in hooks.get_hooks(I18N_URLS if i18n else URLS) for pattern in function()]


def seed_steps() -> list:
    """The demo seed steps of every app, in hook order."""
    return list(hooks.get_hooks(SEED_STEPS))


def personal_data(*, user) -> dict:
    """What every app holds about `user`, merged: each function returns `{section name: data}`."""
    data: dict = {}
    for function in hooks.get_hooks(PERSONAL_DATA):
        data.update(function(user=user))
    return data


def account_deletion(*, user) -> None:
    """Lets every app delete or anonymise what it holds about `user`, just before the user is deleted."""
    for function in hooks.get_hooks(ACCOUNT_DELETION):
        function(user=user)


def related_pages(*, page, user=None) -> list:
    """Pages of other apps that point at `page` (a course naming a case study), visible to `user`."""
    return [related for function in hooks.get_hooks(RELATED_PAGES) for related in function(page=page, user=user)]


@dataclass(frozen=True)
class Importer:
    """One part of an `import_content` JSON file: the records under `key`, and the service that imports them.

    `run(*, raw_records, dry_run)` validates every record before writing and
    returns a report with `created`, `updated`, `unchanged` (keys) and
    `errors`; `order` decides which part is imported first.
    """

    key: str
    run: Callable
    order: int = 100


def importers() -> list[Importer]:
    """Every app's importer, in order."""
    return sorted((function() for function in hooks.get_hooks(IMPORTERS)), key=lambda item: (item.order, item.key))
