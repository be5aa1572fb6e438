"""Facets every part of the site shares: the city cluster and the country."""

from django.utils.translation import gettext_lazy as _

from core.clusters import cluster_labels
from core.countries import country_labels
from core.searchable import SearchFacet

CLUSTER_FACET = SearchFacet("cluster", _("City cluster"), cluster_labels)
COUNTRY_FACET = SearchFacet("country", _("Country"), country_labels)
