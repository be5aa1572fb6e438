"""Index updates travel through the outbox: after commit, never for rolled-back work, retried after outages.

Every test here works on a private embedded index rebuilt from the database,
so the session's shared index stays as the seed left it.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from casestudies.models import CaseStudyPage
from core.languages import language_codes
from core.searchable import searchable_models
from search.backends import BackendUnavailable, get_backend, reset_backends
from search.models import SearchOutboxEntry
from search.services import search_index_rebuild, search_outbox_enqueue, search_outbox_process

pytestmark = pytest.mark.django_db

NEW_TITLE = "Quokkaweave blankets spun from Prato rags"
LANGUAGES = tuple(language_codes())


@pytest.fixture
def index(settings, tmp_path):
    """A private embedded index holding exactly what the database says."""
    settings.SEARCH_BACKENDS = {
        "embedded": {"BACKEND": "search.backends.embedded.EmbeddedBackend", "PATH": str(tmp_path / "index.sqlite3")}
    }
    settings.SEARCH_BACKEND = "embedded"
    reset_backends()
    search_index_rebuild()
    yield get_backend("embedded")
    reset_backends()


@pytest.fixture
def case_study():
    return CaseStudyPage.objects.get(external_id="prato-001")


def publish_new_title(page, title=NEW_TITLE):
    page.title_en = title
    page.save_revision().publish()


def titles_found(client, text, **params):
    response = client.get("/api/search/", {"q": text, **params})
    assert response.status_code == 200
    return [hit["title"] for hit in response.json()["hits"]]


def search_index(*args):
    """Run the search_index management command; return what it printed."""
    out = StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


# --- after commit ----------------------------------------------------------------


def test_publishing_updates_the_index_after_commit(client, index, case_study, django_capture_on_commit_callbacks):
    old_title = case_study.title_en
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_title(case_study)
        # Nothing reaches the index before the commit.
        assert titles_found(client, "quokkaweave") == []
        assert SearchOutboxEntry.objects.filter(object_id=case_study.pk, action="index").count() == 1

    assert titles_found(client, "quokkaweave") == [NEW_TITLE]
    assert old_title not in titles_found(client, old_title)
    assert SearchOutboxEntry.objects.count() == 0
    # The other languages keep their own titles.
    assert case_study.title_el in titles_found(client, case_study.title_el, lang="el")


def test_a_rolled_back_change_leaves_no_trace(client, index, case_study, django_capture_on_commit_callbacks):
    before = index.stats()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish_new_title(case_study)
        raise RuntimeError("the editor's request failed after saving")

    assert callbacks == []
    assert SearchOutboxEntry.objects.count() == 0
    assert titles_found(client, "quokkaweave") == []
    assert CaseStudyPage.objects.get(pk=case_study.pk).title_en != NEW_TITLE
    assert index.stats() == before


def test_a_rolled_back_change_does_not_hold_back_later_ones(
    client, index, case_study, django_capture_on_commit_callbacks
):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_new_title(case_study, "A title that was never saved")
        raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True):
        publish_new_title(CaseStudyPage.objects.get(pk=case_study.pk))

    assert titles_found(client, "quokkaweave") == [NEW_TITLE]
    assert SearchOutboxEntry.objects.count() == 0


def test_unpublishing_removes_every_language(client, index, case_study, django_capture_on_commit_callbacks):
    before = index.stats()
    title = case_study.title_en
    assert title in titles_found(client, title)

    with django_capture_on_commit_callbacks(execute=True):
        case_study.unpublish()

    assert title not in titles_found(client, title)
    for language in LANGUAGES:
        assert before[("casestudy", language)] - index.stats()[("casestudy", language)] == 1
        page_title = getattr(case_study, f"title_{language}")
        assert page_title not in titles_found(client, page_title, lang=language)


def test_deleting_removes_every_language(client, index, case_study, django_capture_on_commit_callbacks):
    before = index.stats()
    title = case_study.title_en
    with django_capture_on_commit_callbacks(execute=True):
        CaseStudyPage.objects.get(pk=case_study.pk).delete()

    assert title not in titles_found(client, title)
    removed = {key: before[key] - count for key, count in index.stats().items()}
    assert {key: count for key, count in removed.items() if count} == {
        ("casestudy", language): 1 for language in LANGUAGES
    }


# --- outages ----------------------------------------------------------------------


@pytest.fixture
def outage(index):
    """The embedded index refuses writes until `outage.end()`."""

    def refuse(*args, **kwargs):
        raise BackendUnavailable("index is locked by a backup")

    class Outage:
        def end(self):
            vars(index).pop("index", None)
            vars(index).pop("delete", None)

    index.index = index.delete = refuse
    outage = Outage()
    yield outage
    outage.end()


def test_an_outage_keeps_changes_queued_with_backoff(
    client, index, outage, case_study, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_title(case_study)  # the editor's save succeeds

    assert CaseStudyPage.objects.get(pk=case_study.pk).title_en == NEW_TITLE
    entry = SearchOutboxEntry.objects.get()
    assert (entry.backend, entry.object_type, entry.object_id, entry.action) == (
        "embedded",
        "casestudy",
        case_study.pk,
        "index",
    )
    assert entry.attempts == 1
    assert "locked by a backup" in entry.last_error
    first_delay = entry.available_at - timezone.now()
    assert first_delay > timedelta(0)
    assert titles_found(client, "quokkaweave") == []

    # Not due yet: processing now leaves it alone.
    report = search_outbox_process()
    assert (report.applied, report.failed, report.remaining) == (0, 0, 1)
    assert SearchOutboxEntry.objects.get().attempts == 1

    # Due but still failing: the wait grows.
    SearchOutboxEntry.objects.update(available_at=timezone.now())
    report = search_outbox_process()
    assert (report.applied, report.failed, report.remaining) == (0, 1, 1)
    entry = SearchOutboxEntry.objects.get()
    assert entry.attempts == 2
    assert entry.available_at - timezone.now() > first_delay


def test_queued_changes_apply_once_the_backend_recovers(
    client, index, outage, case_study, django_capture_on_commit_callbacks
):
    other = CaseStudyPage.objects.get(external_id="athens-001")
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_title(case_study)
    with django_capture_on_commit_callbacks(execute=True):
        other.unpublish()
    assert SearchOutboxEntry.objects.count() == 2

    outage.end()
    SearchOutboxEntry.objects.update(available_at=timezone.now())
    report = search_outbox_process()

    assert (report.applied, report.failed, report.remaining) == (2, 0, 0)
    assert titles_found(client, "quokkaweave") == [NEW_TITLE]
    assert other.title_en not in titles_found(client, other.title_en)
    assert "No drift." in search_index("status")


def test_update_command_reports_failures_and_keeps_them(index, outage, case_study):
    publish_new_title(case_study)  # queued; its after-commit processing never runs in a test
    assert SearchOutboxEntry.objects.count() == 1
    with pytest.raises(CommandError):
        search_index("update")
    assert SearchOutboxEntry.objects.get().attempts == 1


# --- the search_index command --------------------------------------------------


def test_the_index_built_while_seeding_matches_the_site():
    """The session's shared index was filled through the outbox alone when the demo site was seeded."""
    output = search_index("status")
    assert re.search(r"^\s*casestudy\s+ar\s+18\s+18$", output, re.MULTILINE)
    assert output.rstrip().endswith("No drift.")


def test_status_reports_counts_per_type_and_language_and_no_drift(index):
    output = search_index("status")
    for language in LANGUAGES:
        assert re.search(rf"^\s*casestudy\s+{language}\s+18\s+18$", output, re.MULTILINE)
        assert re.search(rf"^\s*cluster\s+{language}\s+6\s+6$", output, re.MULTILINE)
    assert "drift" not in output.replace("No drift.", "")
    assert "Queued updates: 0" in output
    assert output.rstrip().endswith("No drift.")


def test_status_finds_drift_and_rebuild_repairs_it(client, index, case_study):
    index.delete(type="casestudy", object_ids=[case_study.pk])
    assert case_study.title_en not in titles_found(client, case_study.title_en)

    output = search_index("status")
    for language in LANGUAGES:
        assert re.search(rf"^\s*casestudy\s+{language}\s+18\s+17\s+← drift$", output, re.MULTILINE)
        assert re.search(rf"^\s*cluster\s+{language}\s+6\s+6$", output, re.MULTILINE)
    assert "Drift found" in output
    assert "No drift." not in output

    output = search_index("rebuild")
    pages = sum(model.search_queryset().count() for model in searchable_models())
    assert f"embedded: indexed {pages * len(LANGUAGES)} documents from {pages} pages." in output
    assert "No drift." in search_index("status")
    assert case_study.title_en in titles_found(client, case_study.title_en)


def test_update_command_applies_queued_changes(client, index, case_study):
    publish_new_title(case_study)  # queued; its after-commit processing never runs in a test
    assert SearchOutboxEntry.objects.count() == 1
    assert "Queued updates: 1" in search_index("status")

    output = search_index("update")

    assert "Applied 1 queued updates; 0 failed; 0 remain." in output
    assert SearchOutboxEntry.objects.count() == 0
    assert titles_found(client, "quokkaweave") == [NEW_TITLE]


def test_rebuild_applies_what_was_queued_before_and_while_it_ran(index, case_study):
    other = CaseStudyPage.objects.live().exclude(pk=case_study.pk).first()
    started = timezone.now()
    SearchOutboxEntry.objects.create(
        backend="embedded", object_type="casestudy", object_id=other.pk, action="index",
        created_at=started - timedelta(minutes=5), attempts=3, available_at=started + timedelta(minutes=10),
    )  # fmt: skip
    SearchOutboxEntry.objects.create(
        backend="embedded", object_type="casestudy", object_id=case_study.pk, action="index",
        created_at=started + timedelta(minutes=5),
    )  # fmt: skip
    # A rebuild that read nothing: what it holds afterwards came from the outbox.
    search_index_rebuild(documents=[])

    assert SearchOutboxEntry.objects.count() == 0
    assert sum(index.stats().values()) == len(case_study.search_documents()) + len(other.search_documents())


# --- Elasticsearch down -----------------------------------------------------------


@pytest.fixture
def elasticsearch_down(settings):
    settings.SEARCH_BACKENDS = {
        **settings.SEARCH_BACKENDS,
        "elasticsearch": {
            "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
            "URL": "http://127.0.0.1:9",
            "INDEX_PREFIX": "hub-test-unreachable",
            "TIMEOUT": 0.5,
            "MAX_RETRIES": 0,
        },
    }
    settings.SEARCH_BACKEND = "elasticsearch"
    reset_backends()
    yield
    reset_backends()


def test_search_answers_from_the_embedded_index_when_elasticsearch_is_down(client, elasticsearch_down):
    response = client.get("/api/search/", {"q": "wool"})
    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert body["backend"] == "embedded"
    assert body["total"] > 0 and body["hits"]
    assert body["facets"]["type"]

    page = client.get("/en/search/", {"q": "wool"})
    assert page.status_code == 200
    assert "reduced mode" in page.content.decode()


@pytest.fixture
def every_index_down(settings, elasticsearch_down, tmp_path):
    """Elasticsearch unreachable and the embedded file unusable: only the database answers."""
    settings.SEARCH_BACKENDS = {
        **settings.SEARCH_BACKENDS,
        "embedded": {"BACKEND": "search.backends.embedded.EmbeddedBackend", "PATH": str(tmp_path)},
    }
    reset_backends()
    yield
    reset_backends()


def test_the_database_answers_with_filters_and_facets_when_no_index_can(client, every_index_down):
    body = client.get("/api/search/", {"q": "wool"}).json()
    assert (body["backend"], body["degraded"]) == ("database", True)
    expected = CaseStudyPage.objects.live().filter(title_en__icontains="wool")
    assert body["total"] >= expected.count() > 0
    assert body["facets"]["type"]["casestudy"] >= expected.count()

    prato = client.get("/api/search/", {"q": "wool", "cluster": "prato"}).json()
    assert prato["total"] == body["facets"]["cluster"]["prato"] > 0
    assert prato["facets"]["cluster"] == {"prato": prato["total"]}
    prato_ids = set(CaseStudyPage.objects.filter(cluster__slug_en="prato").values_list("pk", flat=True))
    assert {hit["id"] for hit in prato["hits"] if hit["type"] == "casestudy"} <= prato_ids

    clusters_only = client.get("/api/search/", {"q": "wool", "type": "cluster"}).json()
    assert {hit["type"] for hit in clusters_only["hits"]} <= {"cluster"}
    assert clusters_only["total"] == body["facets"]["type"].get("cluster", 0)


# --- imports and moves -------------------------------------------------------------


def test_imported_case_studies_are_searchable_after_commit(client, index, django_capture_on_commit_callbacks):
    from casestudies.services import case_study_import

    record = {
        "external_id": "prato-quokka",
        "cluster": "prato",
        "country": "IT",
        "sector": "fashion-textile",
        "strategies": ["recycle"],
        "materials": ["textile"],
        "year": 2024,
        "translations": {
            "en": {"title": "Quokkaweave rugs from carded rags", "summary": "Rags become rugs."},
            "it": {"title": "Tappeti Quokkaweave da stracci cardati", "summary": "Gli stracci diventano tappeti."},
        },
    }
    with django_capture_on_commit_callbacks(execute=True):
        report = case_study_import(raw_records=[record])
    assert report.created == ["prato-quokka"]
    assert titles_found(client, "quokkaweave rugs") == ["Quokkaweave rugs from carded rags"]
    assert titles_found(client, "tappeti cardati", lang="it") == ["Tappeti Quokkaweave da stracci cardati"]
    # Untranslated languages answer with the English text, at the Greek address.
    hits = client.get("/api/search/", {"q": "quokkaweave", "lang": "el"}).json()["hits"]
    assert [(hit["title"], hit["language"]) for hit in hits] == [("Quokkaweave rugs from carded rags", "el")]
    assert "/el/" in hits[0]["url"]


def test_moving_a_page_reindexes_its_new_address(client, index, django_capture_on_commit_callbacks):
    from hub.models import AboutPage, ClusterPage

    cluster = ClusterPage.objects.get(slug_en="amman")
    about = AboutPage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        cluster.move(about, pos="last-child")
    hits = client.get("/api/search/", {"q": cluster.title_en, "type": "cluster"}).json()["hits"]
    assert [hit["id"] for hit in hits] == [cluster.pk]
    assert hits[0]["url"].endswith("/en/about/amman/")


def test_an_outage_mid_way_keeps_only_the_batches_not_yet_applied(client, index, monkeypatch):
    monkeypatch.setattr("search.services.BATCH", 2)
    pages = list(CaseStudyPage.objects.live().order_by("pk")[:5])
    CaseStudyPage.objects.filter(pk__in=[page.pk for page in pages]).update(title_en=NEW_TITLE)
    search_outbox_enqueue(pages=pages, action="index")
    written = index.index

    def refuse_after_first_batch(documents):
        if index_calls:
            raise BackendUnavailable("disk full")
        index_calls.append(len(documents))
        return written(documents)

    index_calls = []
    index.index = refuse_after_first_batch
    report = search_outbox_process()

    assert (report.applied, report.failed, report.remaining) == (2, 3, 3)
    assert index_calls == [2 * len(LANGUAGES)]
    assert len(titles_found(client, "quokkaweave")) == 2
    assert set(SearchOutboxEntry.objects.values_list("object_id", flat=True)) == {page.pk for page in pages[2:]}

    vars(index).pop("index")
    SearchOutboxEntry.objects.update(available_at=timezone.now())
    report = search_outbox_process()
    assert (report.applied, report.failed, report.remaining) == (3, 0, 0)
    assert len(titles_found(client, "quokkaweave")) == 5


def test_a_view_restriction_takes_a_section_out_of_search_and_back(client, index, django_capture_on_commit_callbacks):
    from wagtail.models import PageViewRestriction

    from casestudies.models import CaseStudyIndexPage

    section = CaseStudyIndexPage.objects.get()
    case_study = CaseStudyPage.objects.get(external_id="prato-001")
    assert case_study.pk in [hit["id"] for hit in client.get("/api/search/", {"q": case_study.title_en}).json()["hits"]]

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.PASSWORD, password="partners only"
        )
    response = client.get("/api/search/", {"q": case_study.title_en, "languages": "all"}).json()
    assert response["facets"]["type"].get("casestudy", 0) == 0
    assert "No drift." in search_index("status")

    restriction.delete()
    # The test's transaction never commits, so its first on-commit processing
    # is still registered and no second one is added: process by hand.
    assert SearchOutboxEntry.objects.filter(object_id=case_study.pk).exists()
    search_outbox_process()
    hits = client.get("/api/search/", {"q": case_study.title_en}).json()["hits"]
    assert case_study.pk in [hit["id"] for hit in hits]


def test_a_changed_slug_reindexes_the_addresses_below(client, index, django_capture_on_commit_callbacks):
    from casestudies.models import CaseStudyIndexPage

    section = CaseStudyIndexPage.objects.get()
    case_study = CaseStudyPage.objects.get(external_id="prato-001")
    with django_capture_on_commit_callbacks(execute=True):
        section.slug = section.slug_en = "cases"
        section.save_revision().publish()
    hits = client.get("/api/search/", {"q": case_study.title_en}).json()["hits"]
    hit = next(hit for hit in hits if hit["id"] == case_study.pk)
    assert "/en/cases/" in hit["url"]
