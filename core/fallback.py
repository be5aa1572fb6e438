"""Which language a translated field is shown in, so templates can mark text that falls back.

modeltranslation shows a field in the reader's language, else in the languages
of `settings.MODELTRANSLATION_FALLBACK_LANGUAGES` (the one fallback order of the
site). After those comes the page's original language: an import fills the
default-language columns of a record written only in Italian with its Italian
text (Wagtail requires them), so a default-language column equal to the
original language's column holds that language's text, not the default's.

Only the element that holds fallback text gets `lang` and `dir`; the page keeps
its own. A field whose text has no language of its own (a person's name) is
marked `dir="auto"` instead.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import resolution_order
from wagtail.models import Page

from core.languages import default_language

# Page fields modeltranslation registers that a reader never sees as text.
HIDDEN_FIELDS = frozenset({"slug", "url_path", "seo_title", "search_description"})


def _has_text(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return bool(len(value)) if hasattr(value, "__len__") else bool(value)


def translated_fields(model) -> tuple[str, ...]:
    """The fields of `model` stored once per language that a reader sees, in registration order."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    names = [name for name in options.get_field_names() if name not in HIDDEN_FIELDS]
    return tuple(sorted(names, key=lambda name: name != "title"))


def original_language(instance) -> str:
    """The language `instance` was first written in (its `original_language` when loaded), else the default."""
    return instance.__dict__.get("original_language") or default_language()


def shown_language(instance, field: str, language: str | None = None) -> str | None:
    """The language of the text `instance.<field>` shows in `language` (the active one), or None.

    None when the field is empty in every language of the fallback order, when
    the field is not translated, or when a column it needs was not loaded
    (`.only()`): this never costs a query.
    """
    language = language or translation.get_language()
    loaded = instance.__dict__
    for code in resolution_order(language):
        column = f"{field}_{code}"
        if column not in loaded:
            return None
        if not _has_text(loaded[column]):
            continue
        if code == default_language() and (original := original_language(instance)) != code:
            # An import copies the original text into the default language's empty columns.
            copied = loaded.get(f"{field}_{original}")
            if copied is not None and _has_text(copied) and copied == loaded[column]:
                return original
        return code
    return None


def language_neutral(instance, field: str) -> bool:
    """True for fields written once whatever the language, such as a person's name (`language_neutral_fields`)."""
    model = type(instance)
    if model is Page:
        # A plain Page (related links): its type's declaration, from the cached content type.
        model = instance.specific_class or Page
    return field in getattr(model, "language_neutral_fields", ())


def fallback_languages(instance, fields=None, language: str | None = None) -> list[str]:
    """The languages other than `language` that `fields` (default: every visible translated field) are shown in."""
    language = language or translation.get_language()
    if fields is None:
        fields = translated_fields(type(instance))
    shown = []
    for field in fields:
        if language_neutral(instance, field):
            continue
        code = shown_language(instance, field, language)
        if code and code != language and code not in shown:
            shown.append(code)
    return shown


def text_direction(language: str) -> str:
    return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"


def language_attributes(instance, field: str, language: str | None = None) -> SafeString:
    """` lang="en" dir="ltr"` when the field is shown in another language than `language`, else nothing.

    ` dir="auto"` for a language-neutral field (a name typed in any script).
    """
    if language_neutral(instance, field):
        return mark_safe(' dir="auto"')
    language = language or translation.get_language()
    code = shown_language(instance, field, language)
    if not code or code == language:
        return mark_safe("")
    return format_html(' lang="{}" dir="{}"', code, text_direction(code))


def language_names(codes) -> str:
    """Language names in the active language, joined by its comma ("الإنجليزية، الإيطالية" in Arabic)."""
    names = [str(translation.get_language_info(code)["name_translated"]) for code in codes]
    return ("، " if translation.get_language_bidi() else ", ").join(names)
