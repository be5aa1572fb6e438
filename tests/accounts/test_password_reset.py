"""A learner who forgot their password resets it from an emailed link."""

import pytest
from django.core import mail

from tests.accounts.factories import LearnerFactory
from tests.accounts.helpers import link_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-Brand-new-passw0rd"


@pytest.mark.parametrize("language", ["en", "el"])
def test_password_reset_by_email(client, language):
    learner = LearnerFactory()
    response = client.post(f"/{language}/accounts/password/reset/", {"email": learner.email})
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/accounts/password/reset/done/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
    assert mail.outbox[0].subject.startswith("[INNOMED-UP]")

    reset_path = link_in(mail.outbox[0], "/accounts/password/reset/key/")
    assert reset_path.startswith(f"/{language}/")
    response = client.get(reset_path, follow=True)  # allauth moves the key into the session
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else reset_path
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    response = client.post(f"/{language}/accounts/login/", {"login": learner.email, "password": NEW_PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(learner.pk)


def test_unknown_address_gets_the_same_answer_and_no_reset_link(client):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/done/"
    assert "/password/reset/key/" not in "".join(message.body for message in mail.outbox)
