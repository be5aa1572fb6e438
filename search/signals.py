"""Thin adapters: page lifecycle signals queue index updates in the outbox."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core.searchable import SearchablePageMixin
from search.services import search_outbox_enqueue


def _published(sender, instance, **kwargs):
    search_outbox_enqueue(pages=[instance], action="index")


def _unpublished(sender, instance, **kwargs):
    search_outbox_enqueue(pages=[instance], action="delete")


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, SearchablePageMixin):
        search_outbox_enqueue(pages=[instance], action="delete")


def _subtree_changed(sender, instance, **kwargs):
    # Moves and slug changes change the addresses of the page and everything
    # below it; a view restriction takes the section out of search (processing
    # indexes only public pages) and its removal puts it back.
    if isinstance(instance, PageViewRestriction):
        # When the page itself is being deleted, its own signal handles it.
        instance = Page.objects.filter(pk=instance.page_id).first()
        if instance is None:
            return
    search_outbox_enqueue(pages=instance.get_descendants(inclusive=True).live(), action="index")


def connect() -> None:
    page_published.connect(_published, dispatch_uid="search-published")
    page_unpublished.connect(_unpublished, dispatch_uid="search-unpublished")
    post_delete.connect(_deleted, dispatch_uid="search-deleted")
    post_page_move.connect(_subtree_changed, dispatch_uid="search-moved")
    page_slug_changed.connect(_subtree_changed, dispatch_uid="search-slug-changed")
    post_save.connect(_subtree_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(_subtree_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
