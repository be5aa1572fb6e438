"""What a page declares to be found: its documents, its type and its facets.

A page type becomes searchable by inheriting `SearchablePageMixin`, setting
`search_type` and `search_type_label`, and declaring its facets in
`search_facet_declarations` (name, translated label, allowed values). The
search app collects every declaration through `searchable_models()` and
`declared_facets()` and knows no app by name: a new app's page type is
indexed, filtered and counted without a change to the search app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from html import unescape
from types import MappingProxyType

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import capfirst


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


@dataclass(frozen=True)
class SearchFacet:
    """A facet a searchable model declares: search filters on it and counts it.

    `values` returns the values a filter may name, each with its label in the
    active language (`{"prato": "Prato"}`); a filter naming any other value
    is refused. Models that declare a facet of the same name share it.
    """

    name: str
    label: str
    values: Callable[[], dict[str, str]]


class SearchablePageMixin:
    """Mixin for page models that appear in search.

    Subclasses set `search_type` (a short stable key, stored in the index),
    `search_type_label` and `search_facet_declarations`, return the values of
    each declared facet from `search_facets()`, and may override
    `search_text(language)` and `search_queryset()`.
    """

    search_type: str = ""
    search_type_label: str = ""
    # One result's label ("Case study"); defaults to the model's verbose name.
    search_hit_label: str = ""
    # Multiplies the type's relevance: a page that is about the query (a case
    # study, course or guide) outranks one that only mentions it (a city page).
    search_weight: float = 1.0
    search_facet_declarations: tuple[SearchFacet, ...] = ()
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
        """This page's values for each declared facet."""
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
    """Every installed page model that declares a `search_type`, in INSTALLED_APPS order."""
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


def search_types() -> dict[str, str]:
    """`{search_type: translated label}` of every searchable model."""
    return {
        model.search_type: str(model.search_type_label or model._meta.verbose_name_plural)
        for model in searchable_models()
    }


def search_hit_labels() -> dict[str, str]:
    """`{search_type: translated label of one result}` of every searchable model."""
    return {
        model.search_type: str(model.search_hit_label or capfirst(model._meta.verbose_name))
        for model in searchable_models()
    }


def search_weights() -> dict[str, float]:
    """`{search_type: weight}`: what both backends multiply each type's relevance by."""
    return {model.search_type: float(model.search_weight) for model in searchable_models()}


def declared_facets() -> Mapping[str, SearchFacet]:
    """Every facet some searchable model declares, by name, in declaration order.

    A facet declared by several models keeps the first label and accepts the
    values of every declaration. Declarations are class attributes, so this is
    worked out once per set of searchable models (merging hashes lazily
    translated labels, which costs a translation lookup each).
    """
    return _declared_facets(tuple(searchable_models()))


@cache
def _declared_facets(models: tuple[type, ...]) -> Mapping[str, SearchFacet]:
    declarations: dict[str, list[SearchFacet]] = {}
    for model in models:
        for facet in model.search_facet_declarations:
            declarations.setdefault(facet.name, []).append(facet)
    return MappingProxyType({name: _merged(tuple(facets)) for name, facets in declarations.items()})


def facet_names() -> tuple[str, ...]:
    """The names of the declared facets: what both backends index and count besides `type`."""
    return tuple(declared_facets())


def _merged(facets: tuple[SearchFacet, ...]) -> SearchFacet:
    # Models that share one declaration (courses reuse the case studies' strategy facet) count it once.
    facets = tuple(dict.fromkeys(facets))
    if len(facets) == 1:
        return facets[0]
    return SearchFacet(name=facets[0].name, label=facets[0].label, values=_union_of(facets))


@cache
def _union_of(facets: tuple[SearchFacet, ...]) -> Callable[[], dict[str, str]]:
    def values() -> dict[str, str]:
        merged: dict[str, str] = {}
        for facet in facets:
            for value, label in facet.values().items():
                merged.setdefault(value, label)
        return merged

    return values
