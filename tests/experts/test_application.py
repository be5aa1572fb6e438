"""Becoming an expert: a public application, approved by staff in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from experts.models import ExpertApplication, ExpertPage
from experts.services import EXPERTS_GROUP, expert_application_approve
from hub.models import ClusterPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ExpertApplication.objects.create(
        name="Hana Saleh",
        email="hana@example.net",
        role="Upholsterer",
        country="JO",
        cluster=ClusterPage.objects.get(slug_en="amman"),
        bio="I restore furniture with reclaimed fabric.",
        motivation="I want to teach repair.",
        language="ar",
    )


def test_approval_creates_account_draft_profile_and_invitation(
    application, mailoutbox, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = expert_application_approve(application=application)
    user = get_user_model().objects.get(email="hana@example.net")
    assert not user.has_usable_password()
    assert user.groups.filter(name=EXPERTS_GROUP).exists()
    page = ExpertPage.objects.get(pk=page.pk)
    assert (page.live, page.owner, page.user) == (False, user, user)
    assert page.permissions_for_user(user).can_edit()
    assert not page.permissions_for_user(user).can_publish()
    [invitation] = mailoutbox
    assert invitation.to == ["hana@example.net"]
    link = next(line for line in invitation.body.splitlines() if "/admin/password_reset/" in line)
    path = link.split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]
    assert client.get(path, follow=True).status_code == 200
    application.refresh_from_db()
    assert application.status == "approved"
    with pytest.raises(ValueError):
        expert_application_approve(application=application)


def test_staff_approve_in_the_django_admin(admin_client, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:experts_expertapplication_changelist"),
            {"action": "approve", "_selected_action": [application.pk]},
            follow=True,
        )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "approved" and application.expert is not None


def test_honeypot_and_invalid_applications_store_nothing(client):
    url = reverse("expert_apply")
    assert client.post(url, {"name": "Bot", "website": "http://spam.example"}).status_code == 302
    response = client.post(url, {"name": "Hana", "email": "nope"})
    assert response.status_code == 400
    assert ExpertApplication.objects.count() == 0
