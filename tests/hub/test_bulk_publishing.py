"""Bulk page writes give what Wagtail's own add_child + save_revision().publish() gives, in fewer queries."""

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signals import page_published, published

from casestudies.models import CaseStudyPage, Material, Sector, Strategy
from core.languages import language_codes
from core.publishing import page_indexing_deferred, page_revision_publish, pages_create_published
from hub.models import HomePage, StandardPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = tuple(language_codes())


def standard_page(word: str) -> StandardPage:
    page = StandardPage(intro=f"An introduction about {word}.")
    for language in LANGUAGES:
        setattr(page, f"title_{language}", f"{word} {language}")
        setattr(page, f"slug_{language}", f"{word}-{language}")
    page.title, page.slug = page.title_en, page.slug_en
    return page


def admin_search(model, text: str) -> list[int]:
    return [page.pk for page in model.objects.search(text)]


def described(page: Page) -> dict:
    """What an editor or the site can observe of a published page, without ids and times."""
    page = Page.objects.get(pk=page.pk).specific
    parent = page.get_parent()
    return {
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "published": page.first_published_at is not None and page.last_published_at is not None,
        "revisions": page.revisions.count(),
        "live_is_latest": page.live_revision_id == page.latest_revision_id is not None,
        "revision_content": sorted(page.latest_revision.content),
        "revision_title": page.latest_revision.content["title_el"],
        "log": sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True)),
        "url_paths": [
            getattr(page, f"url_path_{language}") == getattr(parent, f"url_path_{language}") + page.slug + "/"
            if language == "en"
            else getattr(page, f"url_path_{language}").endswith(f"/{getattr(page, f'slug_{language}')}/")
            for language in LANGUAGES
        ],
        "locale": page.locale_id == parent.locale_id,
        "draft_title": page.draft_title,
    }


def test_a_bulk_created_page_is_what_wagtail_publishing_makes():
    home = HomePage.objects.get()
    by_wagtail = standard_page("wagtailway")
    home.add_child(instance=by_wagtail)
    by_wagtail.save_revision().publish()

    (revision,) = pages_create_published(parent=home, pages=[bulk := standard_page("bulkway")])

    expected = described(by_wagtail)
    expected["draft_title"] = "bulkway en"
    expected["revision_title"] = "bulkway el"
    assert described(bulk) == expected
    assert revision.pk == bulk.live_revision_id
    assert Revision.objects.get(pk=revision.pk).as_object().title_ar == "bulkway ar"


def test_bulk_created_pages_are_in_the_tree_and_the_admin_search():
    home = HomePage.objects.get()
    children_before = home.get_children().count()

    pages = [standard_page(f"zephyrine{number}") for number in range(5)]
    pages_create_published(parent=home, pages=pages)

    home.refresh_from_db()
    assert home.numchild == children_before + 5
    assert [child.pk for child in home.get_children()][-5:] == [page.pk for page in pages]
    assert all(not problems for problems in Page.find_problems())
    assert sorted(admin_search(StandardPage, "zephyrine1")) == [pages[1].pk]


def test_bulk_created_pages_reach_the_reference_index():
    """The admin's "used by" counts for snippets include bulk-created case studies."""
    crafts = Sector.objects.get(slug="crafts")
    references_before = ReferenceIndex.get_references_to(crafts).count()
    existing = CaseStudyPage.objects.filter(sector=crafts).first()
    page = CaseStudyPage(
        title="Basketry from palm fronds",
        title_en="Basketry from palm fronds",
        slug="basketry-from-palm-fronds",
        summary="Palm fronds woven into baskets.",
        cluster=existing.cluster,
        country=existing.country,
        sector=crafts,
        year=2025,
        external_id="bulk-ref-001",
    )
    for language in LANGUAGES:
        setattr(page, f"slug_{language}", f"basketry-{language}")
    strategies = list(Strategy.objects.filter(slug__in=["reuse", "repair"]))
    page.strategies = strategies
    page.materials = list(Material.objects.filter(slug="organic-food"))

    (revision,) = pages_create_published(parent=existing.get_parent(), pages=[page])

    saved = CaseStudyPage.objects.get(pk=page.pk)
    assert sorted(saved.strategies.values_list("slug", flat=True)) == ["repair", "reuse"]
    assert list(saved.materials.values_list("slug", flat=True)) == ["organic-food"]
    assert sorted(revision.content["strategies"]) == sorted(strategy.pk for strategy in strategies)
    assert ReferenceIndex.get_references_to(crafts).count() == references_before + 1
    assert admin_search(CaseStudyPage, "basketry") == [page.pk]


def test_the_page_published_signal_carries_each_page_and_its_revision():
    received = []

    def listener(sender, instance, revision, **kwargs):
        received.append((sender, instance.pk, revision.pk))

    page_published.connect(listener)
    try:
        pages = [standard_page("signalled1"), standard_page("signalled2")]
        revisions = pages_create_published(parent=HomePage.objects.get(), pages=pages)
    finally:
        page_published.disconnect(listener)

    assert received == [(StandardPage, page.pk, revision.pk) for page, revision in zip(pages, revisions, strict=True)]


def test_a_rolled_back_bulk_write_leaves_no_page_revision_or_index_row():
    home = HomePage.objects.get()
    counts_before = (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count())

    with pytest.raises(RuntimeError), transaction.atomic():
        pages_create_published(parent=home, pages=[standard_page("vanishing")])
        raise RuntimeError("the import failed later")

    assert (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count()) == counts_before
    assert admin_search(StandardPage, "vanishing") == []


def test_the_publishing_user_is_the_owner_and_in_the_log():
    editor = UserFactory(username="bulk-editor")
    pages_create_published(parent=HomePage.objects.get(), pages=[page := standard_page("owned")], user=editor)

    page.refresh_from_db()
    assert page.owner == editor
    assert page.live_revision.user == editor
    assert set(PageLogEntry.objects.filter(page=page).values_list("action", "user")) == {
        ("wagtail.create", editor.pk),
        ("wagtail.publish", editor.pk),
    }


def test_queries_grow_by_a_fixed_number_per_page():
    home = HomePage.objects.get()

    def statements(count: int, word: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            pages_create_published(parent=home, pages=[standard_page(f"{word}{n}") for n in range(count)])
        return sum(not query["sql"].startswith(("SAVEPOINT", "RELEASE")) for query in queries)

    statements(1, "warmup")  # content types and site root paths are cached from here on
    five, fifteen = statements(5, "five"), statements(15, "fifteen")
    per_page = (fifteen - five) / 10
    # The page's two rows, Wagtail's site-root check, the reference index's
    # look-up: 4. Everything else is per batch. Wagtail's own path, page by
    # page, took about 110 for a case study.
    assert per_page <= 4, f"{per_page} statements per page"


def test_deferred_indexing_indexes_each_page_once_at_the_end():
    page = StandardPage.objects.live().exact_type(StandardPage).first()
    indexed = []
    original = ReferenceIndex.create_or_update_for_object

    def counting(instance, **kwargs):
        indexed.append(instance.pk)
        return original(instance, **kwargs)

    ReferenceIndex.create_or_update_for_object = counting
    try:
        with page_indexing_deferred():
            page.intro = "Quillwort first"
            page.save()
            page.intro = "Quillwort second"
            page.save()
            assert indexed == []
            assert admin_search(StandardPage, "quillwort") == []
    finally:
        ReferenceIndex.create_or_update_for_object = original

    assert indexed == [page.pk]
    assert admin_search(StandardPage, "quillwort") == [page.pk]


def test_an_ordinary_save_still_updates_the_admin_search_at_once():
    page = StandardPage.objects.live().exact_type(StandardPage).first()
    page.intro = "Marram grass"
    page.save_revision().publish()

    assert admin_search(StandardPage, "marram") == [page.pk]


def test_the_generic_published_signal_is_sent_too():
    received = []

    def listener(sender, instance, revision, **kwargs):
        received.append((sender, instance.pk, revision.pk))

    published.connect(listener)
    try:
        (revision,) = pages_create_published(parent=HomePage.objects.get(), pages=[page := standard_page("generic")])
    finally:
        published.disconnect(listener)
    assert received == [(StandardPage, page.pk, revision.pk)]


def test_publishing_a_validated_edit_costs_the_same_however_many_siblings():
    # wagtail-modeltranslation's clean loads every sibling page: an import of
    # edits would be quadratic. Count the rows loaded and the queries.
    home = HomePage.objects.get()
    pages_create_published(parent=home, pages=[standard_page("crowd0")])
    edited = StandardPage.objects.get(slug_en="crowd0-en")

    def cost_of_publishing_an_edit(word):
        page = StandardPage.objects.get(pk=edited.pk)
        page.intro = f"Edited: {word}"
        loaded = []

        def count(sender, **kwargs):
            loaded.append(sender)

        post_init.connect(count)
        try:
            with CaptureQueriesContext(connection) as queries:
                page_revision_publish(page=page)
        finally:
            post_init.disconnect(count)
        return len(queries), len(loaded)

    few = cost_of_publishing_an_edit("few")
    pages_create_published(parent=home, pages=[standard_page(f"crowd{n}") for n in range(1, 25)])
    many = cost_of_publishing_an_edit("many")
    assert many == few
    assert StandardPage.objects.get(pk=edited.pk).intro == "Edited: many"
    assert StandardPage.objects.get(pk=edited.pk).live
