"""How case studies join the site: home and cluster sections, the API endpoint, the feed, the demo seed."""

from django.urls import path
from wagtail import hooks

from casestudies.api import CaseStudiesAPIViewSet
from casestudies.demo import seed_case_studies
from casestudies.feeds import LatestCaseStudiesFeed
from casestudies.selectors import case_study_latest, cluster_case_studies, impact_totals
from casestudies.services import case_study_import
from core import registry

HOME_LATEST = 3


@hooks.register(registry.HOME_SECTIONS)
def latest_case_studies_section(*, request, page):
    case_studies = case_study_latest(limit=HOME_LATEST, user=getattr(request, "user", None))
    return registry.Section(
        key="latest-case-studies",
        template="casestudies/sections/latest.html",
        order=10,
        context={"case_studies": case_studies},
    )


@hooks.register(registry.CLUSTER_SECTIONS)
def cluster_case_studies_section(*, request, cluster):
    case_studies = cluster_case_studies(cluster=cluster, user=getattr(request, "user", None))
    return registry.Section(
        key="case-studies",
        template="casestudies/sections/cluster.html",
        order=10,
        context={"case_studies": case_studies, "impact": impact_totals(case_studies), "cluster": cluster},
    )


@hooks.register(registry.API_ENDPOINTS)
def case_study_api_endpoints():
    return [("case-studies", CaseStudiesAPIViewSet)]


@hooks.register(registry.I18N_URLS)
def case_study_feed_urls():
    return [path("feeds/case-studies/", LatestCaseStudiesFeed(), name="case_study_feed")]


@hooks.register(registry.IMPORTERS)
def case_study_importer():
    return registry.Importer(key="case_studies", run=case_study_import, order=10)


hooks.register(registry.SEED_STEPS, seed_case_studies, order=10)
