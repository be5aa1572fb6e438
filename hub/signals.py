"""Thin adapters: content changes invalidate the cached site chrome and private paths;
saved hub pages reach Wagtail's admin search through `page_admin_search_index`."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_delete_signal_handler
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from hub.selectors import bump_chrome_version, bump_restrictions_version


def _chrome_changed(sender, **kwargs):
    bump_chrome_version()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_chrome_version()


def _restrictions_changed(sender, **kwargs):
    bump_restrictions_version()
    bump_chrome_version()


def _page_saved(sender, instance, **kwargs):
    from hub.services import page_admin_search_index

    page_admin_search_index(page=instance, **kwargs)


def connect_admin_search() -> None:
    # HubPage turns off modelsearch's own handlers (search_auto_update) so
    # that bulk writers can defer indexing; these take their place.
    from hub.models import HubPage

    indexed = set(get_indexed_models())
    for model in apps.get_models():
        if issubclass(model, HubPage) and model in indexed:
            post_save.connect(_page_saved, sender=model, dispatch_uid=f"hub-admin-search-{model.__name__}-saved")
            post_delete.connect(
                post_delete_signal_handler, sender=model, dispatch_uid=f"hub-admin-search-{model.__name__}-deleted"
            )


def connect() -> None:
    from hub.models import Partner

    connect_admin_search()

    page_published.connect(_chrome_changed, dispatch_uid="hub-chrome-published")
    page_unpublished.connect(_chrome_changed, dispatch_uid="hub-chrome-unpublished")
    post_page_move.connect(_chrome_changed, dispatch_uid="hub-chrome-moved")
    post_delete.connect(_page_deleted, dispatch_uid="hub-chrome-deleted")
    for model in (Partner, Site):
        post_save.connect(_chrome_changed, sender=model, dispatch_uid=f"hub-chrome-{model.__name__}-saved")
        post_delete.connect(_chrome_changed, sender=model, dispatch_uid=f"hub-chrome-{model.__name__}-deleted")
    post_save.connect(_restrictions_changed, sender=PageViewRestriction, dispatch_uid="hub-restrictions-saved")
    post_delete.connect(_restrictions_changed, sender=PageViewRestriction, dispatch_uid="hub-restrictions-deleted")
