"""Facets every part of the site shares: the city cluster and the country."""

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.clusters import cluster_labels
from core.searchable import SearchFacet


def country_labels() -> dict[str, str]:
    """`{ISO code: name in the active language}` of every country."""
    return dict(countries)


CLUSTER_FACET = SearchFacet("cluster", _("City cluster"), cluster_labels)
COUNTRY_FACET = SearchFacet("country", _("Country"), country_labels)
