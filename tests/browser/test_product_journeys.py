"""Journeys of the training and expert sections in a real browser, in English and Arabic.

A new learner signs up, confirms the address from the email, enrols, completes
a lesson and sees the progress on the dashboard; the demo learner downloads
their certificate; a visitor writes to an expert through the contact relay.
Each runs under the site's own Content-Security-Policy, with JavaScript as the
site ships it.
"""

import re
from urllib.parse import unquote

import pytest
from django.core import mail

from .test_journeys import assert_page_in

PASSWORD = "a-Long-enough-passw0rd"


@pytest.fixture
def visitor(browser, hub_server):
    context = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_new_learner_signs_up_enrols_and_sees_progress(visitor, site_urls, language):
    page = visitor
    email = f"browser.learner.{language}@atelier.example"
    page.goto(f"/{language}/accounts/signup/")
    assert_page_in(page, language)
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=first_name]", "Salma")
    page.fill("input[name=last_name]", "Khoury")
    page.fill("input[name=organisation]", "Atelier Salma")
    page.fill("input[name=city]", "Amman")
    page.select_option("select[name=country]", "JO")
    page.select_option("select[name=sector]", index=1)
    page.select_option("select[name=size]", "micro")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert "/accounts/confirm-email/" in page.url

    message = next(message for message in reversed(mail.outbox) if message.to == [email])
    link = re.search(r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+)", message.body).group(1)
    page.goto(link)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()

    # From the course page: the anonymous visitor's "log in to enrol" link brings them back to it.
    page.goto(site_urls["course", language])
    with page.expect_navigation():
        page.locator(".course-actions .log-in-first a.button").click()
    assert "/accounts/login/?next=" in page.url
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert unquote(page.url).endswith(unquote(site_urls["course", language]))

    with page.expect_navigation():
        page.locator("form button[name=action][value=enrol], form:has(input[value=enrol]) button").first.click()
    lesson = page.locator(".course-outline .outline-item a").first
    with page.expect_navigation():
        lesson.click()
    assert_page_in(page, language)
    with page.expect_navigation():
        page.locator("form:has([value=complete]) button, button[value=complete]").first.click()

    page.goto(f"/{language}/dashboard/")
    assert_page_in(page, language)
    progress = page.locator("progress, [role=progressbar]").first
    assert progress.count() == 1
    value = progress.get_attribute("value") or progress.get_attribute("aria-valuenow")
    assert value and float(value) > 0


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_demo_learner_downloads_their_certificate(visitor, language):
    page = visitor
    page.goto(f"/{language}/accounts/login/")
    page.fill("input[name=login]", "learner@example.org")
    page.fill("input[name=password]", "innomed-learner")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.goto(f"/{language}/dashboard/")
    link = page.locator(f'a[download][hreflang="{language}"]').first
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"-{language}.pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_visitor_writes_to_an_expert(visitor, site_urls, language):
    page = visitor
    page.goto(site_urls["expert", language])
    assert_page_in(page, language)
    # The profile links to the contact page (it stays the same for every anonymous visitor: page cache).
    with page.expect_navigation():
        page.locator(".expert__contact a.button").click()
    assert "/contact/" in page.url
    assert_page_in(page, language)
    before = len(mail.outbox)
    page.fill("input[name=name]", "Youssef")
    page.fill("input[name=email]", f"youssef.{language}@example.org")
    page.fill("input[name=subject]", "Leather offcuts")
    page.fill("textarea[name=message]", "We have 40 kg of leather offcuts each month. Could you advise us?")
    with page.expect_navigation():
        page.locator("form:has(textarea[name=message]) button[type=submit]").click()
    assert "/contact/sent/" in page.url
    assert_page_in(page, language)
    assert len(mail.outbox) == before + 1
    # The confirmation never shows the expert's address.
    assert "@" not in page.locator("main").inner_text().replace(f"youssef.{language}@example.org", "")
