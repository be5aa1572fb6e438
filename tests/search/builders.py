"""Search documents and queries for the backend tests, with the defaults they share."""

import os

from core.searchable import SearchDocument
from search.backends.base import SearchQuery


def doc(type_, object_id, language, title, summary="", body="", facets=None, content_language=None):
    return SearchDocument(
        type=type_,
        object_id=object_id,
        language=language,
        content_language=content_language or language,
        url=f"/{language}/{type_}/{object_id}/",
        title=title,
        summary=summary,
        body=body,
        facets=facets or {},
    )


def query(text, language="en", languages=None, **options):
    return SearchQuery(text=text, language=language, languages=languages or (language,), **options)


# A real node for the contract and live tests (`make test` starts one with `make es`).
# Not ELASTICSEARCH_URL: that switches the whole site to Elasticsearch.
LIVE_ELASTICSEARCH_URL = os.environ.get("TEST_ELASTICSEARCH_URL", "")
NO_LIVE_NODE = "TEST_ELASTICSEARCH_URL is not set: run `make es` for a live Elasticsearch node"
