"""The embedded backend: SQLite FTS5 in its own file, no server.

Text is analysed in Python (search/analysis.py) and FTS5 stores the resulting
terms, so ranking is FTS5's BM25 over the same terms Elasticsearch would index.

`EmbeddedBackend` (backend.py) puts together:

- schema.py: the tables, the layout version, one connection per thread;
- indexing.py: analysis in worker processes, batched writes, deletes, rebuilds;
- cache.py: the per-process copy of every document's page and facets;
- query.py: FTS5 match expressions, typo tolerance, autocomplete prefixes;
- ranking.py: matching pages, filters and facet counts, the hits shown in bm25 order;
- snippets.py: the excerpt shown with each hit.

Settings name the backend as `search.backends.embedded.EmbeddedBackend`.
"""

from search.backends.embedded.backend import EmbeddedBackend
from search.backends.embedded.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "EmbeddedBackend"]
