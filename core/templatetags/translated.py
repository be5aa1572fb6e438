"""Template tags that mark text shown in another language than the page's (core.fallback).

    {% load translated %}
    <p class="lead"{% lang_attrs page "summary" %}>{{ page.summary }}</p>

adds ` lang="en" dir="ltr"` only when the summary falls back to English on an
Arabic page; `{% lang_attrs page "offers" as attrs %}` keeps it for a loop.
"""

from django import template

from core import fallback

register = template.Library()


@register.simple_tag
def lang_attrs(instance, field):
    """`lang` and `dir` for the element holding `instance.<field>`, when its text is in another language."""
    if instance is None or instance == "":
        return ""
    return fallback.language_attributes(instance, field)


@register.simple_tag
def shown_language(instance, field):
    """The code of the language `instance.<field>` is shown in (empty when unknown)."""
    return fallback.shown_language(instance, field) or ""


@register.simple_tag
def language_names(codes):
    """Language names in the reader's language, joined by its list separator."""
    return fallback.language_names(codes)
