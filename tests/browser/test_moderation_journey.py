"""An expert writes a guide in the Wagtail admin and submits it; a cluster editor approves it; it goes public.

Run in English, and in Arabic with both users' admin set to Arabic (each user
chooses it in their account), where the admin must be mirrored. Nothing is
public before the approval: an anonymous visitor gets a 404 at the guide's
address until the editor approves it. The admin is driven by what its markup
means (field names, actions, the dashboard's review panel), not by its English
labels, so the same steps run in Arabic.

The live server writes on its own connection, outside the test's transaction
(see conftest.py), so this test reads nothing through the ORM while it runs
(SQLite would lock the server out of the tables the test read) and removes the
guide it published when it ends, through the admin like everything else.
"""

import re

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from experts.demo import DEMO_EDITOR, DEMO_EXPERT
from experts.models import GuideIndexPage

from .conftest import screenshot
from .test_journeys import assert_page_in

# The English title is required whatever the expert's language: the site's default language.
GUIDES = {
    "en": {"title_en": "Mend denim with visible patches", "summary_en": "Patch worn jeans so that the repair shows."},
    "ar": {
        "title_en": "Mend denim with visible patches (Arabic edition)",
        "summary_en": "Patch worn jeans so that the repair shows.",
        "title_ar": "رقع الجينز برقع ظاهرة",
        "summary_ar": "رقّع الجينز البالي بحيث يظهر الإصلاح ويصبح جزءاً من التصميم.",
    },
}


@pytest.fixture
def admin(browser, hub_server):
    """`admin(username, password)`: a logged-in admin tab; every context is closed at the end."""
    contexts = []

    def log_in(username, password):
        context = browser.new_context(base_url=hub_server, viewport={"width": 1366, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto("/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.locator("form button[type=submit]").first.click()
        assert "/admin/login/" not in page.url
        return page

    yield log_in
    for context in contexts:
        context.close()


@pytest.fixture
def published_guides(admin):
    """Admin ids of the guides a test publishes: deleted by the demo superuser afterwards."""
    ids: list[str] = []
    yield ids
    if ids:
        page = admin(settings.DEMO_ADMIN_USERNAME, settings.DEMO_ADMIN_PASSWORD)
        for page_id in ids:
            page.goto(f"/admin/pages/{page_id}/delete/")
            with page.expect_navigation():
                page.locator("main form [type=submit]").first.click()


@pytest.fixture
def visitor(browser, hub_server):
    context = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def choose_admin_language(page, language):
    page.goto("/admin/account/")
    page.select_option("select[name=locale-preferred_language]", language)
    with page.expect_navigation():
        page.locator("#w-editor-form [type=submit]").last.click()
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_expert_submits_a_guide_and_an_editor_approves_it(site_urls, admin, published_guides, visitor, language):
    values = GUIDES[language]
    title = values[f"title_{language}"]
    guide_index = site_urls["guide-index", language]

    with translation.override(language):
        index_type = str(capfirst(GuideIndexPage._meta.verbose_name))

    # The expert adds a guide under the guide index, found by its type in the admin's page explorer.
    expert = admin(*DEMO_EXPERT[:2])
    choose_admin_language(expert, language)
    expert.goto("/admin/pages/")
    with expert.expect_navigation():
        expert.locator("main tbody tr", has_text=index_type).locator("a[href^='/admin/pages/']").first.click()
    with expert.expect_navigation():
        expert.locator("a[href$='/add_subpage/']").first.click()
    assert "/admin/pages/add/experts/guidepage/" in expert.url, "the guide index takes guides only"
    for name, value in values.items():
        field = expert.locator(f"#id_{name}")
        if not field.is_visible():  # the other languages' fields are folded behind their toggle
            expert.locator("button.locale-toggle", has_text=name.rsplit("_", 1)[1]).first.click()
        field.fill(value)
        field.blur()  # the slug follows the title when the title field is left
    slug_field = expert.locator(f"#id_slug_{language}")
    expect(slug_field).not_to_have_value("")
    slug = slug_field.input_value()
    screenshot(expert, f"moderation-{language}-1-expert-writes")

    # "Publish" is not offered to an expert: the guide is submitted to the editors' workflow.
    assert expert.locator("[name=action-publish]").count() == 0
    expert.locator("footer .w-dropdown__toggle").first.click()
    with expert.expect_navigation():
        expert.locator("button[name=action-submit]").click()
    assert expert.locator(".messages .success").count() == 1, expert.locator(".messages").inner_text()
    edit_link = expert.locator(".messages a[href*='/edit/']").first.get_attribute("href")
    published_guides.append(re.search(r"/pages/(\d+)/edit/", edit_link).group(1))

    url = f"{guide_index}{slug}/"
    assert visitor.goto(url).status == 404, "a submitted guide is not public"

    # The editor finds it waiting for their review on the dashboard, and approves it.
    editor = admin(*DEMO_EDITOR)
    choose_admin_language(editor, language)
    editor.goto("/admin/")
    review = editor.locator("#awaiting-review-section tr", has_text=title)
    assert review.count() == 1
    screenshot(editor, f"moderation-{language}-2-editor-dashboard")
    review.locator(".w-dropdown__toggle").click()
    with editor.expect_navigation():
        # "Approve" without a comment: the action that opens no dialog.
        review.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])").click()
    assert editor.locator("#awaiting-review-section tr", has_text=title).count() == 0

    # Public now, at its address, in its language, and listed in the guide index.
    assert visitor.goto(url).status == 200
    assert_page_in(visitor, language)
    assert visitor.locator("h1").inner_text() == title
    assert values[f"summary_{language}"] in visitor.locator("main").inner_text()
    screenshot(visitor, f"moderation-{language}-3-public-guide")
    visitor.goto(guide_index)
    assert visitor.locator("main a", has_text=title).count() == 1
