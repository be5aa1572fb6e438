"""Thin adapters: public content changes (view restrictions included) bump
`core.freshness.content_version()`; saved hub pages reach Wagtail's admin
search through `page_admin_search_index`."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_delete_signal_handler
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from core.freshness import content_changed
from core.pages import HubPage
from core.publishing import page_admin_search_index


def _page_saved(sender, instance, **kwargs):
    page_admin_search_index(page=instance, **kwargs)


def _content_changed(sender, **kwargs):
    content_changed()


def _public_models() -> frozenset:
    # Snippets register when Wagtail loads the apps' hooks, after `ready()`: read them late.
    return frozenset({Site, PageViewRestriction, get_image_model(), get_document_model(), *get_snippet_models()})


def _maybe_content_saved(sender, **kwargs):
    if sender in _public_models():
        content_changed()


def _maybe_content_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) or sender in _public_models():
        content_changed()


def connect_content_version() -> None:
    """Bump `core.freshness.content_version()` whenever public content changes."""
    page_published.connect(_content_changed, dispatch_uid="core-content-published")
    page_unpublished.connect(_content_changed, dispatch_uid="core-content-unpublished")
    post_page_move.connect(_content_changed, dispatch_uid="core-content-moved")
    post_save.connect(_maybe_content_saved, dispatch_uid="core-content-saved")
    post_delete.connect(_maybe_content_deleted, dispatch_uid="core-content-deleted")


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
    connect_content_version()
