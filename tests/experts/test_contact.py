"""The contact relay: stored before sending, sent after commit, retried, rate limited, and private."""

import smtplib
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from experts.models import ContactMessage, ExpertPage
from experts.services import contact_messages_deliver

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Sami",
    "email": "sami@example.net",
    "subject": "Leather offcuts",
    "message": "Could you help our workshop reuse its leather offcuts?",
}


@pytest.fixture
def expert():
    return ExpertPage.objects.get(external_id="exp-tun-01")


def _post(client, expert, data=None, ip="203.0.113.7", language="en"):
    with translation.override(language):
        url = reverse("expert_contact", args=[expert.pk])
    return client.post(url, data or MESSAGE, REMOTE_ADDR=ip)


def test_message_is_stored_then_sent_after_commit(client, expert, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, expert)
        assert ContactMessage.objects.get().status == "pending"
        assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.status == "sent"
    assert message.sender_ip == "203.0.113.7"
    [email] = mailoutbox
    assert email.to == ["exp-tun-01@experts.example.org"]
    assert email.reply_to == ["sami@example.net"]
    assert "Could you help our workshop" in email.body
    confirmation = client.get(response["Location"])
    assert "your message is on its way" in confirmation.text


def test_a_failing_mail_server_loses_nothing(
    client, expert, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, expert)
    assert response.status_code == 302  # the visitor is told it is on its way: it is stored
    message = ContactMessage.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.available_at > timezone.now()
    assert contact_messages_deliver().sent == 0  # not due yet: backing off

    monkeypatch.undo()
    ContactMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    assert contact_messages_deliver().sent == 1
    assert ContactMessage.objects.get().status == "sent"
    assert len(mailoutbox) == 1


def test_ten_messages_in_a_minute_from_one_address(client, expert, django_capture_on_commit_callbacks):
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _number in range(10):
            statuses.append(_post(client, expert, language="ar").status_code)
    assert statuses == [302] * 5 + [429] * 5
    refused = _post(client, expert, language="ar")
    assert "Please wait a few minutes" in refused.text or "يرجى" in refused.text
    assert ContactMessage.objects.count() == 5
    # Another address is not affected.
    assert _post(client, expert, ip="198.51.100.1").status_code == 302


@override_settings(EXPERTS_CONTACT_PER_EXPERT=2)
def test_per_expert_limit(client, expert):
    codes = [_post(client, expert, ip=f"198.51.100.{number}").status_code for number in range(3)]
    assert codes == [302, 302, 429]


def test_honeypot_pretends_success_and_stores_nothing(client, expert, mailoutbox):
    response = _post(client, expert, {**MESSAGE, "website": "http://spam.example"})
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 0


def test_invalid_input_is_refused_with_the_reason(client, expert):
    response = _post(client, expert, {**MESSAGE, "email": "not-an-address", "message": "short"})
    assert response.status_code == 400
    assert "valid email address" in response.text
    assert ContactMessage.objects.count() == 0


def test_unknown_or_unpublished_expert_is_404(client, expert):
    assert client.post(reverse("expert_contact", args=[999999]), MESSAGE).status_code == 404
    expert.unpublish()
    assert _post(client, expert).status_code == 404


def test_no_public_response_ever_contains_an_experts_email(client, expert, django_capture_on_commit_callbacks):
    addresses = [page.relay_address() for page in ExpertPage.objects.select_related("user")]
    addresses += [page.user.email for page in ExpertPage.objects.exclude(user=None).select_related("user")]
    assert all(addresses)
    urls = ["/en/", "/ar/", "/en/experts/", "/en/experts/?q=leather", "/en/guides/", "/sitemap.xml"]
    urls += ["/api/v2/experts/?fields=*", "/api/v2/pages/?type=experts.ExpertPage&fields=*"]
    urls += ["/api/search/?q=leather", "/api/search/?q=Amira&type=expert", "/en/search/?q=expert"]
    for page in ExpertPage.objects.live():
        for language in ("en", "ar"):
            with translation.override(language):
                urls.append(page.get_url())
                urls.append(reverse("expert_contact", args=[page.pk]))
        urls.append(f"/api/v2/experts/{page.pk}/")
        urls.append(f"/api/v2/pages/{page.pk}/?fields=*")
        urls.append(page.cluster.get_url())
    responses = [client.get(url) for url in urls]
    with django_capture_on_commit_callbacks(execute=True):
        responses.append(_post(client, expert, {**MESSAGE, "email": "bad"}))
        responses += [_post(client, expert, ip="192.0.2.9") for _number in range(7)]
        responses.append(client.get(responses[-1]["Location"]) if responses[-1].status_code == 302 else responses[-1])
    responses.append(client.get("/api/v2/experts/?fields=email"))
    for response in responses:
        body = response.content.decode()
        for address in addresses:
            assert address not in body, (response.request["PATH_INFO"], address)
    assert {response.status_code for response in responses} <= {200, 302, 400, 429}
