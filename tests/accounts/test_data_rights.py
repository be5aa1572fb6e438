"""A learner downloads their data and deletes their account; other apps join through hooks."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from wagtail import hooks

from accounts.models import SMEProfile
from core import registry
from tests.accounts.factories import PASSWORD, LearnerFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in ("/en/accounts/my-data/", "/en/accounts/delete/", "/en/accounts/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/en/accounts/login/?next={path}")
    response = client.post("/en/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_data_download_holds_my_account_and_profile_only(client, django_assert_max_num_queries):
    learner = LearnerFactory(first_name="Maria")
    other = LearnerFactory()
    client.force_login(learner)

    def courses_data(*, user):
        return {"courses": [{"course": "Upcycling textile waste", "learner": user.email}]}

    with hooks.register_temporarily(registry.PERSONAL_DATA, courses_data), django_assert_max_num_queries(12):
        response = client.get("/en/accounts/my-data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == learner.email and data["account"]["first_name"] == "Maria"
    assert data["account"]["email_addresses"] == [{"email": learner.email, "verified": True, "primary": True}]
    assert data["profile"]["organisation"] == learner.sme_profile.organisation
    assert data["profile"]["country"] == "ES"
    assert data["courses"] == [{"course": "Upcycling textile waste", "learner": learner.email}]
    text = response.content.decode()
    assert other.email not in text and other.sme_profile.organisation not in text
    assert "password" not in text


def test_delete_account_needs_the_password(client):
    learner = LearnerFactory()
    client.force_login(learner)
    response = client.post("/en/accounts/delete/", {"password": "not-my-password"})
    assert response.status_code == 200
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    assert get_user_model().objects.filter(pk=learner.pk).exists()
    assert SMEProfile.objects.filter(user=learner).exists()


def test_delete_account_removes_user_and_profile_after_other_apps_anonymise(client):
    learner = LearnerFactory(first_name="Maria", last_name="Papadaki")
    client.force_login(learner)
    kept = []

    def keep_certificate_holder(*, user):
        # What courses will do: keep the holder's name on certificate records, detach the rest.
        assert get_user_model().objects.filter(pk=user.pk).exists()
        kept.append(user.get_full_name())

    with hooks.register_temporarily(registry.ACCOUNT_DELETION, keep_certificate_holder):
        page = client.get("/en/accounts/delete/")
        assert page.status_code == 200
        response = client.post("/en/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert kept == ["Maria Papadaki"]
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    assert not SMEProfile.objects.filter(user_id=learner.pk).exists()
    assert not EmailAddress.objects.filter(email=learner.email).exists()
    assert "_auth_user_id" not in client.session
    # The address is free again.
    assert client.get("/en/accounts/my-data/").status_code == 302
