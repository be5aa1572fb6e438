"""Thin adapters: view restrictions invalidate the cached visibility rule; saved hub
pages reach Wagtail's admin search through `page_admin_search_index`."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_delete_signal_handler
from wagtail.models import PageViewRestriction

from core.pages import HubPage
from core.publishing import page_admin_search_index
from core.visibility import bump_restrictions_version


def _restrictions_changed(sender, **kwargs):
    bump_restrictions_version()


def _page_saved(sender, instance, **kwargs):
    page_admin_search_index(page=instance, **kwargs)


def connect_admin_search() -> None:
    # HubPage turns off modelsearch's own handlers (search_auto_update) so
    # that bulk writers can defer indexing; these take their place.
    indexed = set(get_indexed_models())
    for model in apps.get_models():
        if issubclass(model, HubPage) and model in indexed:
            post_save.connect(_page_saved, sender=model, dispatch_uid=f"hub-admin-search-{model.__name__}-saved")
            post_delete.connect(
                post_delete_signal_handler, sender=model, dispatch_uid=f"hub-admin-search-{model.__name__}-deleted"
            )


def connect() -> None:
    connect_admin_search()
    post_save.connect(_restrictions_changed, sender=PageViewRestriction, dispatch_uid="core-restrictions-saved")
    post_delete.connect(_restrictions_changed, sender=PageViewRestriction, dispatch_uid="core-restrictions-deleted")
