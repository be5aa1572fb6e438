"""Search documents and queries for the backend tests, with the defaults they share."""

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
