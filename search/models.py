"""The indexing outbox and the multilingual circular-economy glossary."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


class SearchOutboxEntry(models.Model):
    """A pending index change, written in the same transaction as the content.

    A rollback removes the entry with the change, so the index never learns of
    content that was not saved; an outage leaves it here to be retried.
    """

    class Action(models.TextChoices):
        INDEX = "index", _("index")
        DELETE = "delete", _("delete")

    backend = models.CharField(max_length=50)
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("search index update")
        verbose_name_plural = _("search index updates")

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id} on {self.backend}"


@register_snippet
class GlossaryConcept(models.Model):
    """A circular-economy concept named in each language; "all languages" search expands through it."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    terms = models.TextField(_("terms"), help_text=_("One term per line; the first is the preferred term."))
    definition = models.TextField(_("definition"), blank=True)

    panels = [FieldPanel("key"), FieldPanel("terms"), FieldPanel("definition")]

    class Meta:
        ordering = ["key"]
        verbose_name = _("glossary concept")
        verbose_name_plural = _("glossary concepts")

    def __str__(self) -> str:
        return self.preferred_term or self.key

    @property
    def preferred_term(self) -> str:
        return next((line.strip() for line in (self.terms or "").splitlines() if line.strip()), "")

    def term_list(self, language: str) -> list[str]:
        value = getattr(self, f"terms_{language}", "") or ""
        return [line.strip() for line in value.splitlines() if line.strip()]
