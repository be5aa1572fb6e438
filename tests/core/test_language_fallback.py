"""Text shown in another language than the page's carries its own lang and dir; the page keeps its own.

Issue 12, items 1 and 2: an Arabic reader of an English-only case study keeps
an Arabic, right-to-left page, with only the English text marked English; the
notice names the language actually shown, whichever field falls back.
"""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from casestudies.models import CaseStudyPage
from casestudies.services import case_study_import
from core.fallback import language_names, shown_language
from experts.models import ExpertPage
from hub.models import StandardPage
from tests.factories import CaseStudyPageFactory

pytestmark = pytest.mark.django_db


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def get_soup(client, page, language):
    response = client.get(url_in(page, language))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def notice_text(languages, language, *, whole_page=True):
    with translation.override(language):
        names = language_names(languages)
        if whole_page:
            message = (
                "This page is not yet available in your language. "
                "It is shown in %(languages)s until a translation is published."
            )
        else:
            message = (
                "Parts of this page are not yet translated into your language. "
                "They are shown in %(languages)s until a translation is published."
            )
        return translation.gettext(message) % {"languages": names}


def ancestors_with(element, attribute):
    """The `attribute` values of the element's ancestors below <html>."""
    parents = [parent for parent in element.parents if parent.name not in ("html", "[document]")]
    return [parent.get(attribute) for parent in parents if parent.get(attribute)]


@pytest.fixture
def english_only_case_study():
    arabic_neighbour = CaseStudyPage.objects.live().get(external_id="prato-001")
    page = CaseStudyPageFactory(
        title="Denim offcuts become school bags",
        summary_en="A workshop turns denim offcuts into school bags.",
        challenge_en="Offcuts went to landfill every week.",
        organisation="Atelier Blu",
    )
    page.related_case_studies.add(arabic_neighbour)
    page.save_revision().publish()
    return CaseStudyPage.objects.get(pk=page.pk)


def italian_only_record():
    record = {
        "external_id": "prato-it-only",
        "cluster": "prato",
        "country": "IT",
        "sector": "fashion-textile",
        "strategies": ["reuse"],
        "materials": ["textile"],
        "year": 2023,
        "translations": {
            "it": {
                "title": "Scampoli di lana diventano coperte",
                "summary": "Una cooperativa pratese cuce coperte con gli scampoli.",
                "challenge": "Gli scampoli finivano in discarica.",
            }
        },
    }
    report = case_study_import(raw_records=[record])
    assert report.ok, report.errors
    return CaseStudyPage.objects.get(external_id="prato-it-only")


def test_arabic_page_keeps_its_layout_and_marks_only_the_english_text(client, english_only_case_study):
    soup = get_soup(client, english_only_case_study, "ar")
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    # No element wraps the article as English any more.
    assert not soup.select("main div[lang='en']")

    title = soup.select_one("main h1")
    assert (title["lang"], title["dir"]) == ("en", "ltr")
    challenge = soup.find("p", string="Offcuts went to landfill every week.")
    assert (challenge["lang"], challenge["dir"]) == ("en", "ltr")
    assert soup.select_one("p.lead")["lang"] == "en"

    # Arabic headings and labels keep the page's language and direction.
    heading = challenge.find_previous_sibling("h2")
    with translation.override("ar"):
        assert heading.get_text() == translation.gettext("Challenge")
    assert not heading.get("lang") and not ancestors_with(heading, "dir")
    labels = soup.select(".facts dt")
    assert labels and all(not label.get("lang") and not ancestors_with(label, "lang") for label in labels)
    # The organisation is a name typed in any script.
    assert soup.find("dd", string="Atelier Blu")["dir"] == "auto"

    # The related case study exists in Arabic: its card has no left-to-right wrapper.
    related = soup.select_one("[aria-labelledby='related-heading'] .card h3")
    with translation.override("ar"):
        assert related.get_text(strip=True) == CaseStudyPage.objects.get(external_id="prato-001").title
    assert not related.get("lang") and not ancestors_with(related, "dir")

    notice = soup.select_one(".notice--translation")
    assert notice.get_text(strip=True) == notice_text(["en"], "ar")


def test_italian_only_case_study_in_greek_names_italian(client):
    page = italian_only_record()
    assert page.original_language == "it"
    soup = get_soup(client, page, "el")
    assert soup.html["lang"] == "el"
    assert soup.select_one("main h1")["lang"] == "it"
    assert soup.find("p", string="Gli scampoli finivano in discarica.")["lang"] == "it"
    notice = soup.select_one(".notice--translation").get_text(strip=True)
    assert notice == notice_text(["it"], "el")
    with translation.override("el"):
        assert translation.gettext("Italian") in notice
        assert translation.gettext("English") not in notice


def test_italian_text_on_the_english_page_is_marked_italian_with_a_notice(client):
    page = italian_only_record()
    soup = get_soup(client, page, "en")
    title = soup.select_one("main h1")
    assert (title["lang"], title["dir"]) == ("it", "ltr")
    assert soup.select_one(".notice--translation").get_text(strip=True) == notice_text(["it"], "en")
    assert "Italian" in soup.select_one(".notice--translation").get_text()


def test_notice_when_only_the_paragraphs_fall_back(client, english_only_case_study):
    page = english_only_case_study
    page.title_el = "Υφάσματα τζιν γίνονται σχολικές τσάντες"
    page.summary_el = "Ένα εργαστήριο ράβει σχολικές τσάντες."
    page.save_revision().publish()
    soup = get_soup(client, page, "el")
    assert not soup.select_one("main h1").get("lang")
    assert soup.find("p", string="Offcuts went to landfill every week.")["lang"] == "en"
    assert soup.select_one(".notice--translation").get_text(strip=True) == notice_text(["en"], "el", whole_page=False)


def test_a_fully_translated_page_has_no_notice_and_no_marks(client):
    page = CaseStudyPage.objects.live().get(external_id="prato-001")
    soup = get_soup(client, page, "ar")
    assert soup.select_one(".notice--translation") is None
    assert not soup.select("main [lang]:not([lang='ar'])"), soup.select("main [lang]")


def test_cards_of_untranslated_case_studies_carry_their_language(client, english_only_case_study):
    soup = get_soup(client, english_only_case_study.get_parent().specific, "ar")
    card_title = soup.find("a", string="Denim offcuts become school bags").find_parent("h3")
    assert (card_title["lang"], card_title["dir"]) == ("en", "ltr")
    card = card_title.find_parent("article")
    assert card.find("p", string=lambda text: text and "denim offcuts" in text)["lang"] == "en"
    assert not card.select_one(".card__meta").get("lang")
    arabic_titles = [h3 for h3 in soup.select(".results .card h3") if h3 is not card_title]
    assert arabic_titles and not any(h3.get("lang") for h3 in arabic_titles)


def test_home_cards_mark_an_untranslated_case_study(client, english_only_case_study):
    soup = get_soup(client, english_only_case_study.get_parent().get_parent().specific, "ar")
    card_title = soup.find("a", string="Denim offcuts become school bags").find_parent("h3")
    assert card_title["lang"] == "en"


def test_standard_page_body_is_marked_not_the_page(client):
    home = StandardPage.objects.first().get_parent()
    page = StandardPage(
        title="Accessibility statement",
        title_en="Accessibility statement",
        slug_en="accessibility",
        intro_en="How we make the Hub usable.",
        body_en=[{"type": "paragraph", "value": "<p>We aim for WCAG 2.1 AA.</p>"}],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    soup = get_soup(client, page, "it")
    body = soup.find(string="We aim for WCAG 2.1 AA.").find_parent("div", attrs={"lang": True})
    assert (body["lang"], body["dir"]) == ("en", "ltr")


def test_header_and_footer_links_mark_an_untranslated_title(client):
    home = StandardPage.objects.first().get_parent()
    page = StandardPage(title="Accessibility statement", title_en="Accessibility statement", slug_en="accessibility")
    home.add_child(instance=page)
    page.save_revision().publish()
    soup = BeautifulSoup(client.get("/ar/").content, "html.parser")
    footer_link = soup.select_one("footer").find("a", string="Accessibility statement")
    assert (footer_link["lang"], footer_link["dir"]) == ("en", "ltr")
    # Translated titles in the menu are the page's own language: no mark.
    menu = soup.select(".site-nav a")
    assert len(menu) >= 5 and not any(link.has_attr("lang") for link in menu)


def test_expert_names_are_direction_neutral_not_english(client):
    expert = ExpertPage.objects.live().first()
    soup = get_soup(client, expert, "ar")
    title = soup.select_one("main h1")
    assert title["dir"] == "auto" and not title.get("lang")


def test_shown_language_never_queries_for_a_column_not_loaded(django_assert_num_queries):
    page = CaseStudyPage.objects.only("id", "title_ar").get(external_id="prato-001")
    with django_assert_num_queries(0):
        assert shown_language(page, "summary", "ar") is None
        assert shown_language(page, "title", "ar") == "ar"
