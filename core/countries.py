"""Country names: the one source every page, card, facet label and filter reads.

django-countries names countries officially ("Palestine, State of"), and its
Greek and Italian catalogues translate that long form even where English
shows a short name. The Hub shows the short name in every language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_countries import countries

SHORT_NAMES = {
    "PS": _("Palestine"),
}


def country_name(code) -> str:
    """The name of the country `code` (an ISO code or a django-countries Country) in the active language."""
    code = str(getattr(code, "code", code) or "").upper()
    if code in SHORT_NAMES:
        return str(SHORT_NAMES[code])
    return countries.name(code) or code


def country_labels() -> dict[str, str]:
    """`{ISO code: name in the active language}` of every country."""
    return {country.code: country_name(country.code) for country in countries}
