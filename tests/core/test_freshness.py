"""Caches of public content are forgotten when an editor changes anything they show."""

import pytest

from casestudies.models import Sector
from core.freshness import cached_until_content_changes, content_version
from tests.factories import CaseStudyPageFactory

pytestmark = pytest.mark.django_db


def test_publishing_a_page_forgets_cached_public_content():
    page = CaseStudyPageFactory(title="Dye bath reuse")
    built = []
    cached_until_content_changes("probe", lambda: built.append(1) or len(built))
    assert cached_until_content_changes("probe", lambda: built.append(1) or len(built)) == 1

    page.title = "Dye bath reuse, year two"
    page.save_revision().publish()

    assert cached_until_content_changes("probe", lambda: built.append(1) or len(built)) == 2


@pytest.mark.parametrize("change", ["unpublish", "move", "delete"])
def test_unpublishing_moving_or_deleting_a_page_moves_the_version(change):
    page = CaseStudyPageFactory(title="Leather offcuts")
    sibling = CaseStudyPageFactory(title="Paper pulp")
    before = content_version()
    if change == "unpublish":
        page.unpublish()
    elif change == "move":
        page.move(sibling, pos="last-child")
    else:
        page.delete()
    assert content_version() > before


def test_saving_a_snippet_moves_the_version():
    before = content_version()
    Sector.objects.create(name="Ceramics and glass, test")
    assert content_version() > before
