"""Phones, narrow and wide screens, in every language (issue 12, items 13 and 14).

On a 390 px phone the filters and the menu fold behind one button each, with
no JavaScript; at 1366 px the Greek and Italian headers keep their menu on one
line; placeholders fit their boxes; Arabic is drawn with the Hub's own font.
"""

import itertools

import pytest

from .conftest import VIEWPORTS

INDEXES = pytest.mark.parametrize("name", ["case-study-index", "course-catalogue", "expert-directory"])


@INDEXES
@pytest.mark.parametrize("language", ["en", "ar"])
def test_filters_fold_behind_one_button_on_a_phone(phone, site_urls, name, language):
    phone.goto(site_urls[name, language])
    toggle = phone.locator(".filters > summary")
    facet_links = phone.locator(".facets .facet a")
    assert toggle.is_visible() and not facet_links.first.is_visible()
    box = toggle.bounding_box()
    assert box["height"] >= 24 and box["y"] < phone.locator(".results .card").first.bounding_box()["y"]
    toggle.click()
    assert facet_links.first.is_visible()


@INDEXES
def test_filters_stay_open_beside_the_results_on_a_desktop(desktop, site_urls, name):
    desktop.goto(site_urls[name, "en"])
    assert not desktop.locator(".filters > summary").is_visible()
    assert desktop.locator("#facets-heading").is_visible()
    facets = desktop.locator(".facets").bounding_box()
    results = desktop.locator(".results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"], "the filters are not beside the results"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_menu_button_on_a_phone(browser, hub_server, language, javascript):
    context = browser.new_context(viewport=VIEWPORTS["phone"], base_url=hub_server, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"/{language}/")
    links = page.locator("nav.site-nav a")
    toggle = page.locator(".site-menu > summary")
    assert toggle.is_visible() and not links.first.is_visible()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 140, f"the closed header is {header['height']:.0f} px tall"
    toggle.click()
    boxes = [links.nth(index).bounding_box() for index in range(links.count())]
    assert all(box and box["height"] >= 24 for box in boxes)
    # One link per row: none overlaps the next.
    assert all(upper["y"] + upper["height"] <= lower["y"] + 1 for upper, lower in itertools.pairwise(boxes))
    context.close()


@pytest.mark.parametrize("language", ["en", "el", "it", "ar"])
def test_header_menu_keeps_one_line_at_1366_px(desktop, language):
    desktop.goto(f"/{language}/")
    assert not desktop.locator(".site-menu > summary").is_visible()
    tops = {round(box["y"]) for box in (item.bounding_box() for item in desktop.locator("nav.site-nav li").all())}
    assert len(tops) == 1, f"the menu wraps onto {len(tops)} lines"
    brand = desktop.locator(".brand").bounding_box()
    languages = desktop.locator(".language-switcher").bounding_box()
    assert abs((brand["y"] + brand["height"] / 2) - (languages["y"] + languages["height"] / 2)) < 12
    assert desktop.locator(".site-header").bounding_box()["height"] < 120


PLACEHOLDER_FITS = """(selector) => {
    const input = document.querySelector(selector);
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingInlineStart) - parseFloat(style.paddingInlineEnd);
    return {text: input.placeholder, width: context.measureText(input.placeholder).width, room};
}"""


@pytest.mark.parametrize("language", ["en", "el", "it", "ar"])
@pytest.mark.parametrize(("name", "selector"), [("home", "#hero-search"), ("expert-directory", "#expert-q")])
def test_search_placeholders_fit_on_a_phone(phone, site_urls, language, name, selector):
    phone.goto(site_urls[name, language])
    phone.evaluate("document.fonts.ready")
    measured = phone.evaluate(PLACEHOLDER_FITS, selector)
    assert measured["text"] and measured["width"] <= measured["room"], measured


def test_arabic_is_drawn_with_the_hubs_own_font(desktop):
    desktop.goto("/ar/")
    desktop.evaluate("document.fonts.ready")
    assert "Amiri" in desktop.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    loaded = desktop.evaluate(
        "[...document.fonts].filter(f => f.family.includes('Amiri') && f.status === 'loaded').length"
    )
    assert loaded >= 1
    fonts = desktop.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.woff2'))"
    )
    assert any("/fonts/amiri-arabic-core-400" in url for url in fonts), fonts
    # The full 108 KB file is only for characters outside Arabic as written in Arabic.
    assert not any("/fonts/amiri-arabic-400" in url for url in fonts), fonts
    # unicode-range: subsets the page does not use are not fetched.
    assert not any("latin-ext" in url or "serif" in url for url in fonts), fonts


@pytest.mark.parametrize("language", ["en", "el", "it"])
def test_pages_in_other_languages_do_not_fetch_the_arabic_font_for_the_switcher(desktop, language):
    desktop.goto(f"/{language}/")
    desktop.evaluate("document.fonts.ready")
    switcher = desktop.locator(".language-switcher a[lang=ar]")
    assert switcher.is_visible()
    assert "Amiri" not in switcher.evaluate("element => getComputedStyle(element).fontFamily")
    fonts = desktop.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.woff2'))"
    )
    assert fonts and not any("amiri" in url for url in fonts), fonts
