"""Thin adapters: page lifecycle signals queue index updates in the outbox."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.documents import SearchablePageMixin
from search.services import search_outbox_enqueue


def _published(sender, instance, **kwargs):
    search_outbox_enqueue(page=instance, action="index")


def _unpublished(sender, instance, **kwargs):
    search_outbox_enqueue(page=instance, action="delete")


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, SearchablePageMixin):
        search_outbox_enqueue(page=instance, action="delete")


def _moved(sender, instance, **kwargs):
    # Addresses change for the page and everything below it.
    for page in instance.get_descendants(inclusive=True).live():
        search_outbox_enqueue(page=page, action="index")


def connect() -> None:
    page_published.connect(_published, dispatch_uid="search-published")
    page_unpublished.connect(_unpublished, dispatch_uid="search-unpublished")
    post_delete.connect(_deleted, dispatch_uid="search-deleted")
    post_page_move.connect(_moved, dispatch_uid="search-moved")
    connect_glossary()


def _glossary_changed(sender, **kwargs):
    from django.core.cache import cache

    from search.selectors import GLOSSARY_CACHE_KEY

    cache.delete(GLOSSARY_CACHE_KEY)


def connect_glossary() -> None:
    from django.db.models.signals import post_save

    from search.models import GlossaryConcept

    post_save.connect(_glossary_changed, sender=GlossaryConcept, dispatch_uid="search-glossary-saved")
    post_delete.connect(_glossary_changed, sender=GlossaryConcept, dispatch_uid="search-glossary-deleted")
