"""One visibility rule, per role: anonymous visitors see public pages; a login-restricted
section shows to every logged-in user; a group-restricted one only to its groups."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from casestudies.models import CaseStudyPage
from core.visibility import page_is_visible
from tests.factories import CaseStudyPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_case_study():
    page = CaseStudyPageFactory(title="Members-only dye bath")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


@pytest.fixture
def showcase(private_case_study):
    page = CaseStudyPageFactory(title="Public showcase")
    page.related_case_studies.add(private_case_study)
    page.save_revision().publish()
    return page


def test_related_cards_hide_a_private_page_from_anonymous_visitors(client, showcase):
    body = client.get(showcase.url).content.decode()
    assert "Public showcase" in body
    assert "Members-only dye bath" not in body


def test_related_cards_show_a_login_restricted_page_to_a_logged_in_learner(client, showcase):
    client.force_login(UserFactory(username="learner"))
    assert "Members-only dye bath" in client.get(showcase.url).content.decode()


def test_the_home_page_lists_a_private_case_study_only_to_logged_in_users(client, private_case_study):
    assert "Members-only dye bath" not in client.get("/en/").content.decode()
    client.force_login(UserFactory(username="learner"))
    assert "Members-only dye bath" in client.get("/en/").content.decode()


def test_a_group_restriction_admits_only_its_groups(private_case_study):
    restriction = PageViewRestriction.objects.get(page=private_case_study)
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.save()
    editors = Group.objects.create(name="Cluster editors (test)")
    restriction.groups.add(editors)
    restriction.save()  # the groups change reaches the cached rule with the next save
    outsider, member = UserFactory(username="outsider"), UserFactory(username="member")
    member.groups.add(editors)
    assert not CaseStudyPage.objects.visible(outsider).filter(pk=private_case_study.pk).exists()
    assert CaseStudyPage.objects.visible(member).filter(pk=private_case_study.pk).exists()
    assert not page_is_visible(private_case_study, None)
    assert page_is_visible(private_case_study, member)


def test_anonymous_visibility_costs_no_query_once_cached(django_assert_num_queries, private_case_study):
    page_is_visible(private_case_study)
    with django_assert_num_queries(0):
        assert not page_is_visible(private_case_study)
