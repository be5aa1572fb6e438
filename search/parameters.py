"""Search parameters as a visitor reads them: error messages name `page` as "page number", "رقم الصفحة" in Arabic."""

from django.utils.translation import gettext_lazy as _

from core.searchable import declared_facets

PARAMETER_LABELS = {
    "q": _("search text"),
    "lang": _("language"),
    "languages": _("language scope"),
    "page": _("page number"),
    "page_size": _("results per page"),
    "type": _("type"),
}


def parameter_label(name: str) -> str:
    """The parameter `name` in the active language: a known parameter's label, a facet's label, else the name."""
    if name in PARAMETER_LABELS:
        return str(PARAMETER_LABELS[name])
    facet = declared_facets().get(name)
    return str(facet.label) if facet else name
