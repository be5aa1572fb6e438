"""The site's languages: settings.LANGUAGES is the one list, this is how code reads it."""

from django.conf import settings


def language_codes() -> list[str]:
    """The site's language codes, in settings order (the default language first)."""
    return [code for code, _name in settings.LANGUAGES]


def default_language() -> str:
    """The language every page is written in first, and the last fallback."""
    return settings.LANGUAGE_CODE
