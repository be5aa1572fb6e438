"""What gets indexed: one `SearchDocument` per searchable page and language.

A page type becomes searchable by inheriting `SearchablePageMixin` and setting
`search_type`; the search app finds every such model itself, so courses,
lessons, experts and guides plug in without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags

SEARCH_TYPES = ("casestudy", "course", "lesson", "expert", "guide", "cluster")
FACET_FIELDS = ("cluster", "country", "sector", "strategy", "material")


@dataclass(frozen=True)
class SearchDocument:
    """A page's text in one language, as the backends index it.

    `language` is the site language the document serves; `content_language` is
    the language its text is written in (English where no translation exists),
    which decides the analyzer.
    """

    type: str
    object_id: int
    language: str
    content_language: str
    url: str
    title: str
    summary: str = ""
    body: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.type}:{self.object_id}:{self.language}"


class SearchablePageMixin:
    """Mixin for page models that appear in search.

    Subclasses set `search_type` (one of SEARCH_TYPES) and may override
    `search_text(language)` and `search_facets()`.
    """

    search_type: str = ""
    search_summary_field: str = "search_description"
    search_body_fields: tuple[str, ...] = ()

    @classmethod
    def search_queryset(cls):
        """Live pages of this type, with whatever `search_documents` reads fetched up front.

        Override to add select_related/prefetch_related, so that indexing many
        pages costs a fixed number of queries rather than some per page.
        """
        return cls.objects.live()

    def search_facets(self) -> dict[str, list[str]]:
        return {}

    def search_text(self, language: str) -> tuple[str, str, str] | None:
        """(title, summary, body) written in `language`, or None if not translated."""
        title = getattr(self, f"title_{language}", None)
        if not title:
            return None
        summary = getattr(self, f"{self.search_summary_field}_{language}", "") or ""
        body = " ".join(_plain(getattr(self, f"{name}_{language}", "")) for name in self.search_body_fields)
        return title, summary, body

    def search_documents(self) -> list[SearchDocument]:
        """One document per site language; untranslated languages carry the English text."""
        default = settings.LANGUAGE_CODE
        fallback = self.search_text(default)
        documents = []
        facets = self.search_facets()
        for code, _name in settings.LANGUAGES:
            text = self.search_text(code)
            content_language = code
            if text is None:
                if fallback is None:
                    continue
                text, content_language = fallback, default
            with translation.override(code):
                url = self.get_url()
            if not url:
                continue
            documents.append(
                SearchDocument(
                    type=self.search_type,
                    object_id=self.pk,
                    language=code,
                    content_language=content_language,
                    url=url,
                    title=text[0],
                    summary=text[1],
                    body=text[2],
                    facets=facets,
                )
            )
        return documents


def _plain(value) -> str:
    """Plain text of a text, rich-text or StreamField value (tags removed, entities decoded)."""
    return unescape(_without_tags(value))


def _without_tags(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "raw_data"):
        parts = []
        for block in value.raw_data:
            content = block.get("value")
            if isinstance(content, str):
                parts.append(strip_tags(content))
            elif isinstance(content, list):
                parts.extend(strip_tags(item) for item in content if isinstance(item, str))
        return " ".join(parts)
    return strip_tags(str(value))


def searchable_models() -> list[type]:
    """Every installed page model that declares a `search_type`."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, SearchablePageMixin) and model.search_type and not model._meta.abstract
    ]


def searchable_model_for(search_type: str):
    for model in searchable_models():
        if model.search_type == search_type:
            return model
    return None
