"""Numbers, units, list separators and country names as each language writes them, on every page that shows them."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from core.countries import country_labels, country_name
from core.formatting import list_display, number_display, quantity_display
from experts.models import ExpertPage
from hub.models import ClusterPage, HomePage

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
GROUPED = {"en": "47,000", "el": "47.000", "it": "47.000", "ar": "47,000"}
# Django's own catalogues translate the list separator; Arabic uses the Arabic comma.
SEPARATOR = {"en": ", ", "el": ", ", "it": ", ", "ar": "، "}


def soup_of(client, page, language: str) -> BeautifulSoup:
    with translation.override(language):
        url = page.get_url()
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def in_language(language: str, function, *args):
    with translation.override(language):
        return function(*args)


def text(element) -> str:
    return " ".join(element.get_text(" ").split()).replace("\u00a0", " ")


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_numbers_are_grouped_as_the_language_groups_them(language):
    assert in_language(language, number_display, 47000) == GROUPED[language]
    assert in_language(language, number_display, 2024) == GROUPED[language].replace("47", "2").replace("000", "024")
    assert in_language(language, list_display, ["Prato", "", None, "Italia"]) == f"Prato{SEPARATOR[language]}Italia"
    with translation.override(language):
        assert quantity_display(47000, "kg") == f"{GROUPED[language]}\u00a0{gettext('kg')}"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_cluster_impact_is_grouped_with_translated_units(client, language):
    cluster = ClusterPage.objects.live().get(slug_en="prato")
    soup = soup_of(client, cluster, language)
    figures = [text(dd) for dd in soup.select(".cluster__aside .impact dd")]
    assert len(figures) == 5
    with translation.override(language):
        symbol = gettext("kg")
    for figure in figures[1:3]:
        number, unit = figure.rsplit(" ", 1)
        assert unit == symbol
        assert re.fullmatch(r"\d{1,3}([.,]\d{3})+", number), figure  # grouped in thousands
        assert GROUPED[language][2] in number
    for abbr in soup.select(".cluster__aside .impact abbr"):
        assert abbr["title"] == in_language(language, gettext, "kilograms")


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_case_study_page_writes_its_impact_place_and_country_in_the_language(client, language):
    page = CaseStudyPage.objects.live().get(external_id="prato-001")
    soup = soup_of(client, page, language)
    with translation.override(language):
        symbol, country, heading = gettext("kg"), country_name("IT"), gettext("City cluster")
        cluster = page.cluster.title
    place = next(div for div in soup.select(".facts div") if text(div.dt) == heading)
    assert place.dd.get_text() == f"{cluster}{SEPARATOR[language]}{country}"
    units = [abbr.get_text() for abbr in soup.select(".impact abbr")]
    assert units and set(units) == {symbol}
    for dd in soup.select(".impact dd"):
        number = text(dd).split(" ")[0]
        assert int(number.replace(",", "").replace(".", "")) >= 0
        if len(number) > 4:
            assert GROUPED[language][2] in number


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_palestine_has_one_short_name_in_every_language_and_every_place(client, language):
    with translation.override(language):
        name = country_name("PS")
        assert name == gettext("Palestine")
        assert country_labels()["PS"] == name
    assert "," not in name and "State" not in name
    assert "Πολιτεία" not in name and "Stato" not in name

    cluster = ClusterPage.objects.live().get(slug_en="birzeit")
    assert name in text(soup_of(client, cluster, language).select_one(".eyebrow"))

    case_study = CaseStudyPage.objects.live().filter(country="PS").first()
    facts = text(soup_of(client, case_study, language).select_one(".facts"))
    assert name in facts and "State of" not in facts

    expert = ExpertPage.objects.live().filter(country="PS").first()
    meta = text(soup_of(client, expert, language).select_one(".muted"))
    assert meta.endswith(name)
    if expert.city:
        assert SEPARATOR[language].strip() in meta

    index = soup_of(client, CaseStudyIndexPage.objects.live().first(), language)
    country_filter = [text(link) for link in index.select('.facet a[href*="country=PS"]')]
    assert len(country_filter) == 1 and country_filter[0].startswith(f"{name} ")


def test_arabic_pages_use_the_arabic_comma_between_city_and_country(client):
    expert = ExpertPage.objects.live().exclude(city_ar="").first()
    meta = text(soup_of(client, expert, "ar").select_one(".muted"))
    assert "، " in meta and ", " not in meta
    home = soup_of(client, HomePage.objects.live().first(), "ar")
    for card in home.select(".expert-card .card__meta"):
        assert ", " not in text(card)
