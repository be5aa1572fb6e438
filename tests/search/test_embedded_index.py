"""The embedded backend's own guarantees, beyond the contract every backend meets.

Several web workers share one index file, each with its own copy of the
documents' pages and facets (`DocumentValues`); these tests use two backends
on one file as two workers.
"""

import logging
import sqlite3

import pytest

from core.languages import language_codes
from search.backends import embedded
from search.backends.embedded import EmbeddedBackend
from tests.search.builders import doc, query

ALL_LANGUAGES = tuple(language_codes())


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "index.sqlite3")


def test_a_search_sees_what_another_worker_wrote_since_its_last_search(path):
    reader, writer = EmbeddedBackend({"PATH": path}), EmbeddedBackend({"PATH": path})
    writer.index(
        [
            doc("casestudy", 1, "en", "Wool workshop", facets={"cluster": ["prato"], "material": ["textile"]}),
            doc("casestudy", 2, "en", "Glass workshop", facets={"cluster": ["athens"], "material": ["glass"]}),
            doc("casestudy", 3, "en", "Wood workshop", facets={"cluster": ["athens"], "material": ["wood"]}),
        ]
    )
    assert reader.search(query("workshop")).facets["cluster"] == {"athens": 2, "prato": 1}

    writer.index([doc("casestudy", 4, "en", "Paper workshop", facets={"cluster": ["tunis"], "material": ["paper"]})])
    writer.index([doc("casestudy", 2, "en", "Glass workshop", facets={"cluster": ["prato"], "material": ["glass"]})])
    # The page indexed last, reindexed together with a new one.
    writer.index(
        [
            doc("casestudy", 4, "en", "Paper workshop", facets={"cluster": ["tunis"], "material": ["paper", "wood"]}),
            doc("casestudy", 5, "en", "Leather workshop", facets={"cluster": ["tunis"], "material": ["leather"]}),
        ]
    )
    writer.delete(type="casestudy", object_ids=[3])

    results = reader.search(query("workshop"))
    assert results.total == 4
    assert sorted(hit.object_id for hit in results.hits) == [1, 2, 4, 5]
    assert results.facets["cluster"] == {"prato": 2, "tunis": 2}
    assert results.facets["material"] == {"glass": 1, "leather": 1, "paper": 1, "textile": 1, "wood": 1}
    filtered = reader.search(query("workshop", filters={"cluster": ("prato",)}))
    assert sorted(hit.object_id for hit in filtered.hits) == [1, 2]


def test_a_search_after_another_worker_rebuilt_the_index_sees_only_the_new_file(path):
    reader, writer = EmbeddedBackend({"PATH": path}), EmbeddedBackend({"PATH": path})
    writer.index(
        [doc("casestudy", number, "en", f"Lantern {number}", facets={"cluster": ["prato"]}) for number in (1, 2, 3)]
    )
    assert reader.search(query("lantern")).facets["cluster"] == {"prato": 3}

    for cluster in ("athens", "amman"):
        writer.rebuild(
            doc("casestudy", number, "en", f"Lantern {number}", facets={"cluster": [cluster]}) for number in (1, 2)
        )
        results = reader.search(query("lantern"))
        assert results.total == 2
        assert results.facets["cluster"] == {cluster: 2}


def test_paging_gives_the_same_order_as_one_long_page(path):
    backend = EmbeddedBackend({"PATH": path})
    documents = []
    # Higher object ids are indexed first, and several pages have the same text
    # (equal scores): ties must still come in object id order on every page.
    for number in range(40, 0, -1):
        repeats = " ".join(["loom"] * (number % 4 + 1))
        facets = {"cluster": ["prato" if number % 3 else "athens"], "material": ["textile" if number % 2 else "wood"]}
        documents.append(doc("casestudy", number, "en", "Weaving", body=f"{repeats} and yarn", facets=facets))
        if number % 5 == 0:
            # Some pages in Italian too (content in English), some in Greek with their own text.
            documents.append(
                doc("casestudy", number, "it", "Tessitura", body=f"{repeats} and yarn", content_language="en")
            )
            documents.append(doc("casestudy", number, "el", "Ύφανση", body="loom", facets=facets))
    # Pages without the word, so that it weighs something (as on a real site).
    documents += [doc("casestudy", number, "en", "Glass", body="bottles") for number in range(100, 200)]
    backend.index(documents)

    for options in (
        {},
        {"languages": ALL_LANGUAGES},
        {"filters": {"cluster": ("prato",)}},
        {"filters": {"cluster": ("athens",), "material": ("wood",)}, "languages": ALL_LANGUAGES},
    ):
        everything = backend.search(query("loom", page_size=100, **options))
        paged = []
        for page in range(1, everything.total // 7 + 2):
            results = backend.search(query("loom", page=page, page_size=7, **options))
            assert results.total == everything.total
            paged += results.hits
        assert [(hit.object_id, hit.language) for hit in paged] == [
            (hit.object_id, hit.language) for hit in everything.hits
        ], options
        scores = [hit.score for hit in everything.hits]
        assert scores == sorted(scores, reverse=True)
        for earlier, later in zip(everything.hits, everything.hits[1:], strict=False):
            if earlier.score == later.score:
                assert earlier.object_id < later.object_id
    assert backend.search(query("loom", page=2, page_size=100)).hits == []


def test_a_translation_replacing_english_text_moves_the_page_to_its_language(path):
    backend = EmbeddedBackend({"PATH": path})
    backend.index(
        [doc("casestudy", 1, "it", "Wool blankets", content_language="en"), doc("casestudy", 1, "en", "Wool blankets")]
    )
    assert [hit.language for hit in backend.search(query("wool", "it")).hits] == ["it"]

    backend.index([doc("casestudy", 1, "it", "Coperte di lana")])
    assert backend.search(query("wool", "it")).total == 0
    italian = backend.search(query("lana", "it"))
    assert [(hit.object_id, hit.language) for hit in italian.hits] == [(1, "it")]
    assert backend.search(query("wool", "en")).total == 1


def test_documents_analysed_in_worker_processes_keep_their_own_text(path, monkeypatch):
    # Small batches, so that a few dozen documents go through the worker processes.
    monkeypatch.setattr(embedded.indexing, "BATCH", 7)
    monkeypatch.setattr(embedded.indexing, "PARALLEL_THRESHOLD_BATCHES", 2)
    backend = EmbeddedBackend({"PATH": path})
    names = ["".join("bcdfglmnprst"[int(digit)] + "aeiou"[int(digit) % 5] for digit in f"{n:03d}") for n in range(60)]
    count = backend.index(
        doc("casestudy", number, "en", f"Lantern {name}", facets={"cluster": [f"c{number % 2}"]})
        for number, name in enumerate(names)
    )
    assert count == 60
    for number, name in enumerate(names):
        assert [hit.object_id for hit in backend.search(query(name)).hits] == [number], name
    assert backend.search(query("lantern")).facets["cluster"] == {"c0": 30, "c1": 30}
    # The vocabulary holds the words of the last batch too: a typo there is corrected.
    last = names[-1]
    typo = last[:-1]
    assert backend.search(query(typo)).suggestion == last


def test_an_index_of_an_older_layout_is_emptied(path, caplog):
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, key TEXT)")
        connection.execute("INSERT INTO documents VALUES (1, 'casestudy:1:en')")
        connection.execute(f"PRAGMA user_version = {embedded.SCHEMA_VERSION - 1}")
    backend = EmbeddedBackend({"PATH": path})
    with caplog.at_level(logging.WARNING, logger="search.backends.embedded"):
        assert backend.stats() == {}
    assert "emptied" in caplog.text
    backend.index([doc("casestudy", 1, "en", "Lantern")])
    assert backend.search(query("lantern")).total == 1
