"""Open data: expert profiles in the Wagtail API v2, without any email address.

GET /api/v2/experts/?cluster=tunis&speaks=ar
"""

from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from experts.models import ExpertPage, spoken_language_labels
from experts.selectors import directory_labels

FACET_LOOKUPS = {
    "cluster": "cluster__slug_en__in",
    "country": "country__in",
    "speaks": "spoken_languages__language__in",
}


class ExpertsAPIViewSet(PagesAPIViewSet):
    model = ExpertPage
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(FACET_LOOKUPS)

    def get_queryset(self):
        queryset = (
            ExpertPage.objects.filter(pk__in=self.get_base_queryset().values_list("pk", flat=True))
            .select_related("cluster")
            .prefetch_related("topics", "strategies", "materials", "sectors", "spoken_languages")
        )
        for facet, lookup in FACET_LOOKUPS.items():
            raw = self.request.GET.get(facet)
            if raw is None:
                continue
            values = [value.strip() for value in raw.split(",") if value.strip()]
            if facet == "country":
                values = [value.upper() for value in values]
            else:
                allowed = spoken_language_labels() if facet == "speaks" else directory_labels()[facet]
                unknown = sorted(set(values) - set(allowed))
                if unknown:
                    raise BadRequestError(f"unknown {facet}: {', '.join(unknown)}")
            queryset = queryset.filter(**{lookup: values})
        return queryset.distinct()
