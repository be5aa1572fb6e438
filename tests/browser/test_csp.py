"""The pages work under their own Content-Security-Policy: the browser reports no violation."""

import pytest

PAGES = ("home", "case-study-index", "case-study", "search")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pages_load_under_the_policy_without_violations(browser, hub_server, site_urls, language):
    context = browser.new_context(base_url=hub_server)  # no bypass: the policy applies
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    try:
        for name in PAGES:
            response = page.goto(site_urls[name, language])
            assert response.status == 200, name
            assert "default-src" in response.headers.get("content-security-policy", ""), name
            # The search box's autocomplete script runs: it is the site's own file.
            page.wait_for_load_state("load")
        assert violations == []
    finally:
        context.close()
