"""The open-data API: Wagtail's endpoints plus every app's own (the `hub_api_endpoints` hook)."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from core.registry import api_endpoints

api_router = WagtailAPIRouter("wagtailapi")
# The router links each object to the first registered endpoint whose model it
# is: the apps' own endpoints come before `pages`, so a case study's
# `detail_url` is under /case-studies/.
for name, viewset in api_endpoints():
    api_router.register_endpoint(name, viewset)
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
