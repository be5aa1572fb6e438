"""The site's languages: settings.LANGUAGES is the one list, this is how code reads it."""

from django.conf import settings
from django.utils.translation import to_locale


def language_codes() -> list[str]:
    """The site's language codes, in settings order (the default language first)."""
    return [code for code, _name in settings.LANGUAGES]


# Link previews (Open Graph) name a locale as language_TERRITORY; "ar_AR" is the
# code Facebook uses for Arabic as a whole. Languages not listed here get Django's locale name.
OPEN_GRAPH_TERRITORIES = {"en": "GB", "el": "GR", "it": "IT", "ar": "AR"}


def open_graph_locale(code: str) -> str:
    """`og:locale` for a language code: "el" gives "el_GR"."""
    territory = OPEN_GRAPH_TERRITORIES.get(code)
    return f"{code}_{territory}" if territory else to_locale(code)


def default_language() -> str:
    """The language every page is written in first, and the last fallback."""
    return settings.LANGUAGE_CODE
