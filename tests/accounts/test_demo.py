"""The demo learner and the role groups exist after seeding; `make run` prints the learner's login."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from hub.demo import demo_seed

pytestmark = pytest.mark.django_db


def test_role_groups_exist():
    assert {"Learners", "Experts", "Cluster editors"} <= set(Group.objects.values_list("name", flat=True))


def test_demo_learner_logs_in_and_is_printed(client):
    response = client.post(
        "/en/accounts/login/", {"login": "learner@example.org", "password": settings.DEMO_LEARNER_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/en/accounts/"
    page = client.get("/en/accounts/").content.decode()
    assert "Atelier Demo" in page

    report = demo_seed()  # a second run changes nothing and still reports the login
    assert ("learner", "learner@example.org", settings.DEMO_LEARNER_PASSWORD) in report.logins
    assert not [label for label in report.created if "learner" in label]
