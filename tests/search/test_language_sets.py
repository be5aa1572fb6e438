"""Search across languages on the demo content, on both backends (issue 12, items 5 to 7).

- The cross-language set: a circular-economy phrase typed in one language,
  searched on a page in another, must find its demo case study in the top 5
  through the glossary (at least 95 % of the set; misses are printed).
- The recall set: forms that stemming cannot join (Arabic broken plurals,
  Greek derivations) and Latin-script names on Arabic and Greek pages must
  each find their target in the top 10, through the glossary or the synonym
  lists (search/synonyms/).
- Ranking: a page about the query (case study, course, guide) outranks a city
  page that mentions it.

Both backends are filled with the seeded demo site's documents; Elasticsearch
joins when TEST_ELASTICSEARCH_URL points at a node.
"""

import uuid
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.utils.module_loading import import_string

from casestudies.models import CaseStudyPage
from core.languages import language_codes
from search.backends.embedded import EmbeddedBackend
from search.selectors import parse_search_request
from search.services import all_documents
from tests.search.builders import LIVE_ELASTICSEARCH_URL, NO_LIVE_NODE

pytestmark = pytest.mark.django_db

# A demo case study and a phrase naming what it is about: English, Greek, Italian, Arabic.
CONCEPT_QUERIES = [
    ("prato-001", "regenerated wool", "αναγεννημένο μαλλί", "lana rigenerata", "صوف معاد توليده"),
    ("prato-002", "deadstock fabric", "αδιάθετα υφάσματα", "tessuti deadstock", "أقمشة فائضة"),
    ("prato-003", "wool mill", "υφαντουργείο", "lanificio", "مصنع نسيج"),
    ("sicily-001", "broken ceramics", "σπασμένη μαγιόλικα", "maiolica rotta", "الخزف المكسور"),
    ("sicily-002", "fishing nets", "αλιευτικά δίχτυα", "reti da pesca", "شباك صيد"),
    ("sicily-003", "reclaimed wood", "ανακτημένο ξύλο", "legno di recupero", "خشب مستعاد"),
    ("tunis-001", "leather offcuts", "αποκόμματα δέρματος", "scarti di pelle", "بقايا الجلد"),
    ("tunis-002", "natural dyes", "φυσικές βαφές", "tinture naturali", "صبغات طبيعية"),
    ("birzeit-001", "embroidery", "κέντημα", "ricamo", "تطريز"),
    ("birzeit-002", "paper waste", "σπατάλη χαρτιού", "spreco di carta", "هدر الورق"),
    ("birzeit-003", "salvaged materials", "ανακτημένα υλικά", "materiali di recupero", "مواد مستصلحة"),
    ("athens-001", "stage sets", "θεατρικά σκηνικά", "scenografie teatrali", "ديكورات المسرح"),
    ("athens-002", "print offcuts", "αποκόμματα τυπογραφείου", "rifili di tipografia", "قصاصات المطبعة"),
    ("athens-003", "bottle caps", "πλαστικά καπάκια", "tappi di plastica", "أغطية بلاستيكية"),
    ("amman-001", "glass bottles", "γυάλινα μπουκάλια", "bottiglie di vetro", "زجاجات فارغة"),
    ("amman-003", "e-waste", "ηλεκτρονικά απόβλητα", "RAEE", "نفايات إلكترونية"),
]

# (query, reader's language, target): typed in one language, searched in another's pages.
PHRASE_LANGUAGES = ("en", "el", "it", "ar")
CROSS_LANGUAGE = [
    (text, typed, reader, target)
    for target, *texts in CONCEPT_QUERIES
    for typed, text in zip(PHRASE_LANGUAGES, texts, strict=True)
    for reader in PHRASE_LANGUAGES
    if reader != typed
]

# (query, language searched, target): each must be in the top 10.
RECALL = [
    # Arabic broken plurals and related forms: the text says one, the query the other.
    ("قماش", "ar", "prato-002"),  # the text: الأقمشة
    ("جلود", "ar", "tunis-001"),  # the text: الجلد
    ("نسيج", "ar", "prato-002"),  # the text: مصانع النسيج
    ("منسوجات", "ar", "prato-003"),  # the text: مصنع نسيج
    ("مصباح", "ar", "tunis-003"),  # the text: مصابيح
    ("دمية", "ar", "sicily-003"),  # the text: دمى
    ("بيت حجري", "ar", "birzeit-003"),  # the text: البيوت الحجرية
    ("إعادة تدوير الزجاج", "ar", "amman-001"),  # the construct form of إعادة التدوير
    # Latin-script names on an Arabic page.
    ("Prato", "ar", "prato-001"),
    ("Caltagirone", "ar", "sicily-001"),
    ("Birzeit", "ar", "birzeit-002"),
    ("Atelier Jild", "ar", "tunis-001"),
    # Greek derivations and inflections.
    ("ανακυκλωμένο", "el", "sicily-002"),  # the text: για ανακύκλωση
    ("ανακύκλωση γυαλιού", "el", "amman-001"),  # the text: τα ανακυκλώνει σε γυάλινα
    ("ύφασμα", "el", "birzeit-001"),  # the text: υπολείμματα υφασμάτων
    ("κουρέλι", "el", "prato-001"),  # the text: κουρέλια
    # Latin-script names on a Greek page.
    ("Prato", "el", "prato-002"),
    ("Palermo", "el", "sicily-003"),
    ("Amman", "el", "amman-002"),
    ("Qarura Glass Studio", "el", "amman-001"),
    # Italian and English forms.
    ("tessile", "it", "birzeit-001"),  # the text: scarti tessili
    ("Athens", "it", "athens-001"),  # the text: Atene
    ("fabric", "en", "birzeit-001"),  # the text: textile scraps
]


@pytest.fixture(scope="module")
def demo_documents(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ids = dict(CaseStudyPage.objects.values_list("external_id", "pk"))
        return list(all_documents()), ids


@pytest.fixture(scope="module", params=["embedded", "elasticsearch"])
def backend(request, demo_documents, tmp_path_factory):
    documents, _ids = demo_documents
    if request.param == "embedded":
        built = EmbeddedBackend({"PATH": str(tmp_path_factory.mktemp("sets") / "index.sqlite3")})
        built.rebuild(documents)
        yield built
        return
    if not LIVE_ELASTICSEARCH_URL:
        pytest.skip(NO_LIVE_NODE)
    built = import_string("search.backends.elasticsearch.ElasticsearchBackend")(
        {
            "URL": LIVE_ELASTICSEARCH_URL,
            "INDEX_PREFIX": f"hub-sets-{uuid.uuid4().hex[:12]}",
            "TIMEOUT": 10,
            "MAX_RETRIES": 1,
            "NUMBER_OF_REPLICAS": 0,
        }
    )
    built.rebuild(documents)
    yield built
    indices = list(built.writer.indices.get_alias(index=f"{built.index_alias}-*").body)
    if indices:
        built.writer.indices.delete(index=indices)


def hits(backend, text, language, *, all_languages=False, page_size=10):
    params = {"q": text, "lang": language, "page_size": page_size, **({"languages": "all"} if all_languages else {})}
    search_query = parse_search_request(QueryDict(urlencode(params)), interface_language=language).query
    return backend.search(search_query).hits


def rank_of(found, page_id):
    return next(
        (index for index, hit in enumerate(found, 1) if (hit.type, hit.object_id) == ("casestudy", page_id)), None
    )


def test_the_cross_language_set_covers_every_pair_of_languages():
    pairs = {(typed, reader) for _text, typed, reader, _target in CROSS_LANGUAGE}
    assert len(CROSS_LANGUAGE) >= 40
    assert pairs == {(a, b) for a in language_codes() for b in language_codes() if a != b}


def test_cross_language_queries_find_their_case_study_in_the_top_5(backend, demo_documents):
    _documents, ids = demo_documents
    misses = []
    for text, typed, reader, target in CROSS_LANGUAGE:
        found = hits(backend, text, reader, page_size=5)
        if rank_of(found, ids[target]) is None:
            misses.append(f"{typed}→{reader} {text!r}: {target} not in {[(hit.type, hit.title) for hit in found]}")
    found_count = len(CROSS_LANGUAGE) - len(misses)
    print(f"\n{backend.name}: {found_count}/{len(CROSS_LANGUAGE)} cross-language queries found in the top 5")
    print("\n".join(misses))
    assert found_count / len(CROSS_LANGUAGE) >= 0.95, "\n".join(misses)


def test_recall_set_every_query_finds_its_target_in_the_top_10(backend, demo_documents):
    _documents, ids = demo_documents
    misses = []
    for text, language, target in RECALL:
        found = hits(backend, text, language)
        if rank_of(found, ids[target]) is None:
            misses.append(f"{language} {text!r}: {target} not in {[hit.title for hit in found]}")
    print(f"\n{backend.name}: {len(RECALL) - len(misses)}/{len(RECALL)} recall queries found in the top 10")
    assert not misses, "\n".join(misses)


def test_a_case_study_about_textile_waste_outranks_the_city_pages_that_mention_it(backend):
    found = hits(backend, "textile waste", "en")
    ranked = [(hit.type, hit.title) for hit in found]
    types = [hit.type for hit in found]
    # Six city pages came first; now a page about the query does.
    assert types[0] in ("casestudy", "course", "guide"), ranked
    about = next(index for index, hit in enumerate(found) if hit.type == "casestudy" and "textile" in hit.title)
    assert "cluster" not in types[:about], ranked
    assert types[:5].count("cluster") <= 1, ranked


def test_all_languages_shows_each_demo_page_once_in_the_readers_language(backend):
    # An Italian phrase read on a Greek page: every demo page exists in Greek, so every hit is Greek.
    found = hits(backend, "lana rigenerata", "el", all_languages=True)
    assert found
    keys = [(hit.type, hit.object_id) for hit in found]
    assert len(keys) == len(set(keys))
    for hit in found:
        assert hit.language == "el" and hit.url.startswith("/el/"), hit
