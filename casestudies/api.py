"""Open data: case studies in the Wagtail API v2, filterable by the index's facets.

GET /api/v2/case-studies/?cluster=prato&strategy=reuse,recycle&year=2021
Values within a facet are comma-separated and combine with OR; facets AND.
"""

from django.db.models import Prefetch
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from casestudies.models import CaseStudyPage, Material, Sector, Strategy
from hub.models import ClusterPage

FACET_LOOKUPS = {
    "cluster": "cluster__slug_en__in",
    "country": "country__in",
    "sector": "sector__slug__in",
    "strategy": "strategies__slug__in",
    "material": "materials__slug__in",
    "year": "year__in",
}


def _known_values(facet: str) -> set[str]:
    if facet == "cluster":
        return set(ClusterPage.objects.values_list("slug_en", flat=True))
    model = {"sector": Sector, "strategy": Strategy, "material": Material}.get(facet)
    return set(model.objects.values_list("slug", flat=True)) if model else set()


class CaseStudiesAPIViewSet(PagesAPIViewSet):
    model = CaseStudyPage
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(FACET_LOOKUPS)

    def get_queryset(self):
        queryset = (
            CaseStudyPage.objects.filter(pk__in=self.get_base_queryset().values_list("pk", flat=True))
            .select_related("cluster", "sector")
            .prefetch_related(Prefetch("strategies"), Prefetch("materials"))
        )
        filtered = False
        for facet, lookup in FACET_LOOKUPS.items():
            raw = self.request.GET.get(facet)
            if raw is None:
                continue
            values = [value.strip() for value in raw.split(",") if value.strip()]
            if facet == "country":
                values = [value.upper() for value in values]
            elif facet == "year":
                if not all(value.isdigit() for value in values):
                    raise BadRequestError("year must be whole numbers separated by commas")
            else:
                unknown = sorted(set(values) - _known_values(facet))
                if unknown:
                    raise BadRequestError(f"unknown {facet}: {', '.join(unknown)}")
            queryset = queryset.filter(**{lookup: values})
            filtered = filtered or facet in ("strategy", "material")
        return queryset.distinct() if filtered else queryset
