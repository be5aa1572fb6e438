"""Open data: case studies in the Wagtail API v2, filterable by the index's facets.

GET /api/v2/case-studies/?cluster=prato&strategy=reuse,recycle&year=2021
Values within a facet are comma-separated and combine with OR; facets AND.
"""

import re

from django.db.models import Prefetch
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from casestudies.models import CaseStudyPage
from casestudies.selectors import case_study_vocabulary

YEAR = re.compile(r"[0-9]{1,4}")
FACET_LOOKUPS = {
    "cluster": "cluster__slug_en__in",
    "country": "country__in",
    "sector": "sector__slug__in",
    "strategy": "strategies__slug__in",
    "material": "materials__slug__in",
    "year": "year__in",
}


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
        vocabulary = None
        for facet, lookup in FACET_LOOKUPS.items():
            raw = self.request.GET.get(facet)
            if raw is None:
                continue
            values = [value.strip() for value in raw.split(",") if value.strip()]
            if facet == "country":
                values = [value.upper() for value in values]
            elif facet == "year":
                # str.isdigit() also accepts "²" and "٣"; a year has at most four ASCII digits.
                if not all(YEAR.fullmatch(value) for value in values):
                    raise BadRequestError("year: must be years (up to four digits) separated by commas")
            else:
                vocabulary = vocabulary or case_study_vocabulary()
                unknown = sorted(set(values) - vocabulary.slugs(facet))
                if unknown:
                    raise BadRequestError(f"unknown {facet}: {', '.join(unknown)}")
            queryset = queryset.filter(**{lookup: values})
            filtered = filtered or facet in ("strategy", "material")
        return queryset.distinct() if filtered else queryset
