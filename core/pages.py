"""The abstract page every public page type of the Hub inherits."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction

from core.fallback import fallback_languages, shown_language
from core.fragments import FRAGMENT_EXTRAS, FRAGMENT_HTML, FRAGMENT_KEY, fragment_get, fragment_key
from core.visibility import HubPageManager, restricted_page_paths


class HubPage(Page):
    """Base of every public page type.

    Subclasses list in `translated_content_fields` the fields a translation
    needs before the page counts as available in a language. Whenever any
    visible translated field falls back (core.fallback), `base.html` shows a
    notice naming the language shown, and templates mark that text with
    `{% lang_attrs page "field" %}`.
    """

    translated_content_fields: tuple[str, ...] = ()
    # Translated fields written once whatever the language (a person's name): marked
    # dir="auto", never named in the fallback notice.
    language_neutral_fields: tuple[str, ...] = ()
    # The first of these that has text describes the page in search engines and link previews.
    description_fields: tuple[str, ...] = ("summary", "intro", "tagline")
    DESCRIPTION_LENGTH = 160
    # The image link previews show (og:image): an image field's name, or override social_image().
    social_image_field = ""
    # Saves reach the admin search through core.signals, which can defer them
    # for bulk writes (core.publishing.page_indexing_deferred).
    search_auto_update = False

    # True when the page's main content ignores the query string, so one cached
    # fragment serves every address of the page (core.fragments).
    content_ignores_query_string = False
    # Context values the template uses outside {% block content %}, cached beside the fragment.
    fragment_context_names: tuple[str, ...] = ()

    objects = HubPageManager()

    class Meta:
        abstract = True

    def is_available_in(self, language: str) -> bool:
        """True when the page's title and content fields are filled in `language`.

        Reads the raw per-language columns (`title_el`), which bypass
        modeltranslation's fallback to English.
        """
        for field in ("title", *self.translated_content_fields):
            value = getattr(self, f"{field}_{language}", None)
            if isinstance(value, str):
                if not value.strip():
                    return False
            elif not value:  # empty StreamValue or None
                return False
        return True

    def meta_description(self) -> str:
        """The page's promote-tab description, else its summary or introduction, as plain text of ~160 characters."""
        text = self.search_description
        for name in self.description_fields:
            if text:
                break
            text = strip_tags(str(getattr(self, name, "") or ""))
        return Truncator(" ".join(text.split())).chars(self.DESCRIPTION_LENGTH)

    def social_image(self):
        """The Wagtail image that represents this page in link previews, or None."""
        return getattr(self, self.social_image_field, None) if self.social_image_field else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.translation_context(get_language()))
        return context

    def translation_context(self, language: str) -> dict:
        """Whether this page is in `language`, and which languages its visible text falls back to."""
        missing = not self.is_available_in(language)
        # "Parts of this page" when the title and required fields are the reader's own.
        title_language = None if "title" in self.language_neutral_fields else shown_language(self, "title", language)
        return {
            "translation_missing": missing,
            # The languages some visible text falls back to: the notice names them.
            "translation_fallbacks": fallback_languages(self, language=language),
            "translation_partial": not missing and title_language in (None, language),
        }

    def fragment_query_params(self) -> tuple[str, ...] | None:
        """The query parameters the main content reads: () none, None any (core.fragments)."""
        return () if self.content_ignores_query_string else None

    def serve(self, request, *args, **kwargs):
        """Wagtail's serve, with the main content from core.fragments for anonymous visitors."""
        template = self.get_template(request, *args, **kwargs)
        key = fragment_key(self, request, template if isinstance(template, str) else "")
        if key is None:
            return super().serve(request, *args, **kwargs)
        cached = fragment_get(key)
        if cached is None:
            response = super().serve(request, *args, **kwargs)
            response.context_data[FRAGMENT_KEY] = key
            response.context_data[FRAGMENT_EXTRAS] = self.fragment_context_names
            return response
        request.is_preview = False
        context = {
            "page": self,
            "self": self,
            "request": request,
            **self.translation_context(get_language()),
            **cached["extras"],
            FRAGMENT_HTML: cached["html"],
        }
        return TemplateResponse(request, template, context)

    def full_clean(self, *args, **kwargs):
        # Set only by core.publishing.page_revision_publish, on the one instance
        # its caller validated (wagtail-modeltranslation's clean loads every sibling).
        if getattr(self, "_validated_by_caller", False):
            return
        super().full_clean(*args, **kwargs)

    def get_view_restrictions(self):
        """Wagtail's check, skipped (no queries) when no private section contains this page."""
        if self.alias_of_id is None and not any(self.path.startswith(path) for path in restricted_page_paths()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
