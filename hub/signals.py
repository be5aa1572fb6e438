"""Thin adapters: content changes invalidate the cached site chrome."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from hub.models import Partner
from hub.selectors import bump_chrome_version


def _chrome_changed(sender, **kwargs):
    bump_chrome_version()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_chrome_version()


def connect() -> None:
    page_published.connect(_chrome_changed, dispatch_uid="hub-chrome-published")
    page_unpublished.connect(_chrome_changed, dispatch_uid="hub-chrome-unpublished")
    post_page_move.connect(_chrome_changed, dispatch_uid="hub-chrome-moved")
    post_delete.connect(_page_deleted, dispatch_uid="hub-chrome-deleted")
    # Navigation leaves out private sections.
    for model in (Partner, Site, PageViewRestriction):
        post_save.connect(_chrome_changed, sender=model, dispatch_uid=f"hub-chrome-{model.__name__}-saved")
        post_delete.connect(_chrome_changed, sender=model, dispatch_uid=f"hub-chrome-{model.__name__}-deleted")
