"""Open data: courses in the Wagtail API v2 (/api/v2/courses/), filterable by level, strategy and sector.

GET /api/v2/courses/?level=beginner&strategy=reuse,recycle
"""

from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from courses.models import LEVELS, CoursePage

FILTERS = {"level": "level__in", "strategy": "strategies__slug__in", "sector": "sectors__slug__in"}


class CoursesAPIViewSet(PagesAPIViewSet):
    model = CoursePage
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(FILTERS)

    def get_queryset(self):
        queryset = CoursePage.objects.filter(pk__in=self.get_base_queryset().values_list("pk", flat=True))
        queryset = queryset.prefetch_related("strategies", "sectors")
        filtered = False
        for name, lookup in FILTERS.items():
            raw = self.request.GET.get(name)
            if raw is None:
                continue
            values = [value.strip() for value in raw.split(",") if value.strip()]
            if name == "level" and not set(values) <= {key for key, _label in LEVELS}:
                raise BadRequestError("level must be beginner, intermediate or advanced")
            queryset = queryset.filter(**{lookup: values})
            filtered = filtered or name != "level"
        return queryset.distinct() if filtered else queryset
