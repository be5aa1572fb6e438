"""Who may do what with guides, profiles, messages and email addresses; and the moderation workflow."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission

from experts.models import ContactMessage, ExpertPage, GuidePage
from experts.services import EDITORS_GROUP
from search.backends import reset_backends
from search.services import search_index_rebuild
from tests.experts.factories import GuidePageFactory, expert_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PRIVATE = "amira.private@mail.example.net"


@pytest.fixture
def actors(django_user_model):
    expert_a = django_user_model.objects.get(username="expert@example.org")
    expert_b = expert_user("expert-b")
    profile_b = ExpertPage.objects.get(external_id="exp-pra-01")
    ExpertPage.objects.filter(pk=profile_b.pk).update(user=expert_b, owner=expert_b)
    return {
        "anonymous": AnonymousUser(),
        "learner": UserFactory(username="learner"),
        "expert A": expert_a,
        "expert B": expert_b,
        "cluster editor": expert_user("editor-b", group=EDITORS_GROUP),
        "admin": django_user_model.objects.get(username="admin"),
    }


@pytest.fixture
def guides(actors):
    guide_a = GuidePage.objects.get(slug_en="design-for-repair")
    assert guide_a.owner == actors["expert A"]
    guide_b = GuidePageFactory(title="Sort wool by hand", owner=actors["expert B"])
    return guide_a, guide_b


#                    view A's  edit A's  publish A's  edit B's  A's messages  A's private email
MATRIX = {
    "anonymous": (True, False, False, False, False, False),
    "learner": (True, False, False, False, False, False),
    "expert A": (True, True, False, False, True, False),
    "expert B": (True, False, False, True, False, False),
    "cluster editor": (True, True, True, True, False, False),
    "admin": (True, True, True, True, True, True),
}


@pytest.mark.parametrize("actor", list(MATRIX))
def test_permission_matrix(client, actors, guides, actor):
    user = actors[actor]
    guide_a, guide_b = guides
    profile_a = ExpertPage.objects.get(external_id="exp-ath-01")
    ExpertPage.objects.filter(pk=profile_a.pk).update(email=PRIVATE)
    ContactMessage.objects.create(
        expert=profile_a,
        sender_name="Sami",
        sender_email="s@example.net",
        subject="Secret subject",
        body="Hi",
        language="en",
    )
    if user.is_authenticated:
        client.force_login(user)

    can_view = client.get(guide_a.get_url()).status_code == 200
    permissions_a = guide_a.permissions_for_user(user)
    can_edit_a = user.is_authenticated and permissions_a.can_edit()
    can_publish_a = user.is_authenticated and permissions_a.can_publish()
    can_edit_b = user.is_authenticated and guide_b.permissions_for_user(user).can_edit()
    inbox = client.get(reverse("experts_admin_messages"))
    sees_messages = inbox.status_code == 200 and "Secret subject" in inbox.text
    edit_view = client.get(reverse("wagtailadmin_pages:edit", args=[profile_a.pk]))
    sees_email = edit_view.status_code == 200 and PRIVATE in edit_view.text

    assert (can_view, can_edit_a, can_publish_a, can_edit_b, sees_messages, sees_email) == MATRIX[actor]


def test_an_expert_edits_their_own_profile_but_no_one_elses(actors):
    profile_a = ExpertPage.objects.get(external_id="exp-ath-01")
    profile_b = ExpertPage.objects.get(external_id="exp-pra-01")
    assert profile_a.permissions_for_user(actors["expert A"]).can_edit()
    assert not profile_a.permissions_for_user(actors["expert A"]).can_publish()
    assert not profile_b.permissions_for_user(actors["expert A"]).can_edit()


@pytest.fixture
def private_index(settings, tmp_path):
    """An embedded index of this test's own: what it publishes does not outlive its transaction."""
    settings.SEARCH_BACKENDS = {
        "embedded": {"BACKEND": "search.backends.embedded.EmbeddedBackend", "PATH": str(tmp_path / "index.sqlite3")}
    }
    settings.SEARCH_BACKEND = "embedded"
    reset_backends()
    search_index_rebuild()
    yield
    reset_backends()


def test_workflow_submit_reject_resubmit_approve(client, actors, private_index, django_capture_on_commit_callbacks):
    expert, editor = actors["expert A"], actors["cluster editor"]
    index = GuidePage.objects.first().get_parent().specific
    guide = GuidePage(
        title="Compost textile scraps", slug="compost-textile-scraps", summary="A first draft.", owner=expert
    )
    guide.title_en, guide.slug_en = guide.title, guide.slug
    guide.live = False
    index.add_child(instance=guide)
    workflow = guide.get_workflow()
    assert workflow is not None

    guide.save_revision(user=expert)
    state = workflow.start(guide, expert)
    task_state = state.current_task_state
    assert [name for name, _label, _modal in task_state.task.specific.get_actions(guide, expert)] == []
    assert "reject" in [name for name, _label, _modal in task_state.task.specific.get_actions(guide, editor)]

    task_state.task.specific.on_action(task_state, editor, "reject", comment="Say which fibres compost.")
    state.refresh_from_db()
    assert state.status == "needs_changes"
    task_state.refresh_from_db()
    assert task_state.get_comment() == "Say which fibres compost."

    guide.refresh_from_db()
    guide.summary = guide.summary_en = "Only natural fibres such as cotton and linen compost."
    guide.save_revision(user=expert)
    state.resume(user=expert)
    state.refresh_from_db()
    assert state.status == "in_progress"
    task_state = state.current_task_state

    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, editor, "approve", comment="")
    guide.refresh_from_db()
    assert guide.live
    assert client.get(guide.get_url()).status_code == 200
    hits = client.get("/api/search/", {"q": "linen", "type": "guide"}).json()["hits"]
    assert [hit["title"] for hit in hits] == ["Compost textile scraps"]


def test_an_experts_admin_shows_what_they_need(client, actors):
    client.force_login(actors["expert A"])
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200
    assert "Contact messages" in dashboard.text
    assert reverse("wagtailadmin_reports:locked_pages") not in dashboard.text
    index = GuidePage.objects.first().get_parent()
    add_guide = client.get(reverse("wagtailadmin_pages:add", args=["experts", "guidepage", index.pk]))
    assert add_guide.status_code == 200
    assert 'name="title_ar"' in add_guide.text
    # No "publish" for an expert: the editor offers submitting to moderation instead.
    assert 'name="action-publish"' not in add_guide.text
    assert 'name="action-submit"' in add_guide.text


def test_roles_setup_is_idempotent():
    before = GroupPagePermission.objects.count()
    output = StringIO()
    call_command("experts_setup_roles", stdout=output)
    assert "Groups ready" in output.getvalue()
    assert GroupPagePermission.objects.count() == before
