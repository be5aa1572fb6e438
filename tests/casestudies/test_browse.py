"""The case-study index: combinable facets with honest counts, sorting and pagination, all in the URL."""

from collections import defaultdict
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.db.models import Count
from django.http import QueryDict
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from casestudies.models import CaseStudyIndexPage, CaseStudyPage, Material, Sector, Strategy
from casestudies.selectors import FACETS, PAGE_SIZE, Browse, case_study_browse
from casestudies.services import case_study_import
from hub.models import ClusterPage

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in django_settings.LANGUAGES]
FACET_LOOKUPS = {
    "cluster": "cluster__slug_en__in",
    "country": "country__in",
    "sector": "sector__slug__in",
    "strategy": "strategies__slug__in",
    "material": "materials__slug__in",
    "year": "year__in",
}

Selection = dict[str, set[str]]


# What the database says ------------------------------------------------------------------------------------------


def matching(selected: Selection):
    """Live case studies with any of the selected values of every facet, by plain ORM filters."""
    queryset = CaseStudyPage.objects.live()
    for key, values in selected.items():
        # One filter() per facet: each multi-valued facet gets its own join.
        queryset = queryset.filter(**{FACET_LOOKUPS[key]: sorted(values)})
    return queryset.distinct()


def matching_ids(selected: Selection) -> set[int]:
    return set(matching(selected).values_list("pk", flat=True))


def facet_values() -> dict[str, list[str]]:
    """Every value a visitor could pick in each facet."""
    live = CaseStudyPage.objects.live()
    return {
        "cluster": list(ClusterPage.objects.live().order_by("path").values_list("slug_en", flat=True)),
        "country": sorted({str(code) for code in live.values_list("country", flat=True)}),
        "sector": list(Sector.objects.values_list("slug", flat=True)),
        "strategy": list(Strategy.objects.values_list("slug", flat=True)),
        "material": list(Material.objects.values_list("slug", flat=True)),
        "year": sorted({str(year) for year in live.values_list("year", flat=True)}),
    }


def expected_counts(selected: Selection) -> dict[str, dict[str, int]]:
    """For each value shown: the live case studies matching the other facets' selection plus that value.

    Values with no such case study are shown only while selected, so that they can be unselected.
    """
    expected = {}
    for key, lookup in FACET_LOOKUPS.items():
        field = lookup.removesuffix("__in")
        others = {other: chosen for other, chosen in selected.items() if other != key}
        rows = matching(others).order_by().values_list(field).annotate(total=Count("pk", distinct=True))
        counts = {str(value): total for value, total in rows if value is not None}
        expected[key] = {value: counts.get(value, 0) for value in {*counts, *selected.get(key, set())}}
    return expected


# What the Hub shows ----------------------------------------------------------------------------------------------


def query_string(selected: Selection, **extra: str) -> str:
    pairs = [(key, value) for key in FACETS for value in sorted(selected.get(key, ()))]
    pairs += list(extra.items())
    return urlencode(pairs)


def browse(selected: Selection | None = None, language: str = "en", **extra: str) -> Browse:
    with translation.override(language):
        return case_study_browse(params=QueryDict(query_string(selected or {}, **extra)))


def browse_counts(result: Browse) -> dict[str, dict[str, int]]:
    return {facet.key: {value.value: value.count for value in facet.values} for facet in result.facets}


def every_result(selected: Selection, language: str = "en", **extra: str) -> list[CaseStudyPage]:
    """The result pages one after another, as a visitor paging through them would see them."""
    first = browse(selected, language, **extra)
    pages = [card.page for card in first.cards]
    for number in range(2, first.num_pages + 1):
        pages += [card.page for card in browse(selected, language, page=str(number), **extra).cards]
    assert len(pages) == first.total
    return pages


def index_url(language: str = "en") -> str:
    with translation.override(language):
        return CaseStudyIndexPage.objects.get().get_url()


def get_index(client, query: str = "", language: str = "en") -> BeautifulSoup:
    response = client.get(index_url(language) + query)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def selection_of(href: str) -> Selection:
    params = parse_qs(urlsplit(href).query)
    return {key: set(params[key]) for key in FACETS if key in params}


def rendered_counts(soup: BeautifulSoup, selected: Selection) -> dict[str, dict[str, int]]:
    """Facet counts as printed, keyed by the value each link toggles."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for link in soup.select(".facets a"):
        target = selection_of(link["href"])
        toggled = [(key, value) for key in FACETS for value in target.get(key, set()) ^ selected.get(key, set())]
        assert len(toggled) == 1, link["href"]
        key, value = toggled[0]
        counts[key][value] = int(link.select_one(".facet__count").get_text(strip=True))
    return {key: counts.get(key, {}) for key in FACETS}


def card_links(soup: BeautifulSoup) -> list[str]:
    return [link["href"] for link in soup.select(".card--case h3 a")]


def facet_link(soup: BeautifulSoup, selected: Selection, key: str, value: str):
    for link in soup.select(".facets a"):
        target = selection_of(link["href"])
        if target.get(key, set()) ^ selected.get(key, set()) == {value}:
            return link
    raise AssertionError(f"no link toggles {key}={value}")


def generated_records(count: int) -> list[dict]:
    clusters = ["athens", "prato", "sicily", "tunis", "birzeit", "amman"]
    countries = ["GR", "IT", "IT", "TN", "PS", "JO"]
    return [
        {
            "external_id": f"generated-{number:03d}",
            "cluster": clusters[number % 6],
            "country": countries[number % 6],
            "sector": "design",
            "strategies": ["reuse"],
            "materials": ["wood"],
            "year": 2015 + number % 10,
            "impact": {"waste_diverted_kg": 100 * number},
            "translations": {
                "en": {"title": f"Generated case study {number:03d}", "summary": "A case study made up for paging."},
                "ar": {"title": f"دراسة حالة مولَّدة {number:03d}", "summary": "دراسة حالة مختلقة لاختبار التصفح."},
            },
        }
        for number in range(count)
    ]


# Facet counts and filtering --------------------------------------------------------------------------------------

COMBINATIONS = [
    {},
    {"cluster": {"prato"}},
    {"strategy": {"reuse", "recycle"}},
    {"strategy": {"reuse"}, "material": {"wood", "metal"}},
    {"sector": {"fashion-textile", "architecture"}, "year": {"2022", "2024"}, "country": {"IT", "PS"}},
    {"cluster": {"athens", "amman"}, "strategy": {"rethink", "reduce"}, "material": {"plastic"}},
    {"cluster": {"athens"}, "sector": {"fashion-textile"}},
]


@pytest.mark.parametrize("selected", COMBINATIONS, ids=lambda selected: query_string(selected) or "all")
def test_results_and_facet_counts_equal_database_counts(selected):
    result = browse(selected)
    assert result.total == matching(selected).count()
    assert {page.pk for page in every_result(selected)} == matching_ids(selected)
    assert browse_counts(result) == expected_counts(selected)
    assert result.ignored == []


def test_a_selected_value_without_results_stays_in_its_facet():
    """A visitor who picked a country or year that the other filters rule out can still see and unpick it there."""
    selected = {"cluster": {"athens"}, "country": {"GR", "IT"}, "year": {"2019", "2021"}}
    result = browse(selected)
    assert result.total == matching(selected).count() == 1
    shown = {facet.key: {value.value: value for value in facet.values} for facet in result.facets}
    for key, value in [("country", "IT"), ("year", "2019")]:
        assert value in shown[key], f"{key}={value} vanished from its facet"
        assert shown[key][value].selected and shown[key][value].count == 0
        assert selection_of(shown[key][value].url) == {**selected, key: selected[key] - {value}}


def test_values_combine_with_or_within_a_facet_and_with_and_across_facets():
    reuse, recycle = matching_ids({"strategy": {"reuse"}}), matching_ids({"strategy": {"recycle"}})
    textile = matching_ids({"material": {"textile"}})
    prato = matching_ids({"cluster": {"prato"}})
    either = {page.pk for page in every_result({"strategy": {"reuse", "recycle"}})}
    assert either == reuse | recycle
    assert len(either) > max(len(reuse), len(recycle))
    narrowed = {page.pk for page in every_result({"strategy": {"reuse", "recycle"}, "material": {"textile"}})}
    assert narrowed == (reuse | recycle) & textile
    assert 0 < len(narrowed) < len(either)
    in_prato = {page.pk for page in every_result({"strategy": {"reuse", "recycle"}, "cluster": {"prato"}})}
    assert in_prato == (reuse | recycle) & prato


def test_a_facet_value_count_is_what_its_link_would_show():
    """Across facets a link narrows the results to its count; within a facet, its count is the value's own share."""
    selected = {"material": {"wood"}, "cluster": {"prato", "amman", "athens"}}
    result = browse(selected)
    checked = 0
    for facet in result.facets:
        for value in facet.values:
            if value.selected:
                continue
            target = selection_of(value.url)
            if facet.key in selected:
                target[facet.key] = {value.value}
            assert browse(target).total == value.count, (facet.key, value.value)
            checked += 1
    assert checked > 10


# No example database (nothing written to the work tree) and no shrinking (a failure costs under a second).
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
@given(data=st.data())
def test_random_filter_combinations_match_the_database(data):
    vocabulary = facet_values()
    keys = data.draw(st.sets(st.sampled_from(list(FACETS)), max_size=3), label="facets")
    selected = {
        key: data.draw(st.sets(st.sampled_from(vocabulary[key]), min_size=1, max_size=3), label=key)
        for key in sorted(keys)
    }
    with translation.override("en"):
        result = case_study_browse(params=QueryDict(query_string(selected)))
    expected_ids = matching_ids(selected)
    assert result.total == len(expected_ids)
    assert len(result.cards) == min(len(expected_ids), PAGE_SIZE)
    assert {card.page.pk for card in result.cards} <= expected_ids
    assert browse_counts(result) == expected_counts(selected)
    for facet in result.facets:
        assert {value.value for value in facet.values if value.selected} == selected.get(facet.key, set())


# The rendered page -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize(
    "selected",
    [{}, {"strategy": {"reuse", "recycle"}, "material": {"textile"}}, {"sector": {"design"}}],
    ids=lambda selected: query_string(selected) or "all",
)
def test_rendered_page_shows_the_result_cards_and_facet_counts(client, language, selected):
    query = query_string(selected)
    soup = get_index(client, f"?{query}" if query else "", language)
    total = matching(selected).count()
    assert soup.find("html")["lang"] == language
    assert len(soup.select(".card--case")) == min(total, PAGE_SIZE)
    assert str(total) in soup.select_one("#results-heading").get_text()
    assert rendered_counts(soup, selected) == expected_counts(selected)
    with translation.override(language):
        titles = {page.title for page in matching(selected)}
    assert {heading.get_text(strip=True) for heading in soup.select(".card--case h3")} <= titles


def test_selected_filters_are_named_in_the_visitors_language(client):
    soup = get_index(client, "?sector=design&strategy=reuse", "ar")
    active = [item.get_text(" ", strip=True) for item in soup.select(".active-filters li")]
    assert any(Sector.objects.get(slug="design").name_ar in text for text in active)
    assert any(Strategy.objects.get(slug="reuse").name_ar in text for text in active)
    assert soup.find("html")["dir"] == "rtl"


# Filter state lives in the URL -----------------------------------------------------------------------------------


def test_facet_links_add_and_remove_values(client):
    selected = {"sector": {"design"}}
    soup = get_index(client, "?sector=design")
    design = facet_link(soup, selected, "sector", "design")
    assert design["aria-current"] == "true"
    assert selection_of(design["href"]) == {}

    crafts = facet_link(soup, selected, "sector", "crafts")
    assert selection_of(crafts["href"]) == {"sector": {"crafts", "design"}}
    both = BeautifulSoup(client.get(index_url() + crafts["href"]).content, "html.parser")
    assert len(both.select(".card--case")) == matching({"sector": {"crafts", "design"}}).count()
    assert facet_link(both, {"sector": {"crafts", "design"}}, "sector", "crafts")["aria-current"] == "true"

    refurbish = facet_link(soup, selected, "strategy", "refurbish")
    assert selection_of(refurbish["href"]) == {"sector": {"design"}, "strategy": {"refurbish"}}

    removed = BeautifulSoup(client.get(index_url() + design["href"]).content, "html.parser")
    assert len(removed.select(".card--case")) == PAGE_SIZE
    assert removed.select_one(".active-filters") is None


def test_pagination_keeps_the_filters_and_the_sort(client):
    selected = {"strategy": {"reuse", "recycle"}}
    total = matching(selected).count()
    assert PAGE_SIZE < total <= 2 * PAGE_SIZE
    soup = get_index(client, "?strategy=recycle&strategy=reuse&sort=title")
    next_link = soup.select_one('.pagination a[rel="next"]')
    params = parse_qs(urlsplit(next_link["href"]).query)
    assert params == {"strategy": ["recycle", "reuse"], "sort": ["title"], "page": ["2"]}
    second = BeautifulSoup(client.get(index_url() + next_link["href"]).content, "html.parser")
    assert len(second.select(".card--case")) == total - PAGE_SIZE
    assert not set(card_links(second)) & set(card_links(soup))
    assert second.select_one('.pagination a[aria-current="page"]').get_text(strip=True) == "2"
    # Changing a filter starts again from the first page.
    for link in second.select(".facets a"):
        assert "page" not in parse_qs(urlsplit(link["href"]).query)


def test_clear_all_filters_link(client):
    soup = get_index(client, "?cluster=tunis&material=metal&year=2022")
    clear = next(link for link in soup.select(".active-filters a") if link.get_text(strip=True) == "Clear all filters")
    assert selection_of(clear["href"]) == {}
    cleared = BeautifulSoup(client.get(index_url() + clear["href"]).content, "html.parser")
    assert len(cleared.select(".card--case")) == PAGE_SIZE
    assert str(CaseStudyPage.objects.live().count()) in cleared.select_one("#results-heading").get_text()
    assert cleared.select_one(".active-filters") is None


def test_a_combination_without_results_says_so_and_offers_to_clear(client):
    soup = get_index(client, "?cluster=athens&sector=fashion-textile")
    assert matching({"cluster": {"athens"}, "sector": {"fashion-textile"}}).count() == 0
    assert soup.select(".card--case") == []
    empty = soup.select_one(".empty")
    assert "No case study matches all of these filters." in empty.get_text()
    assert selection_of(empty.find("a")["href"]) == {}


def test_unknown_values_are_ignored_with_a_notice(client):
    plain = get_index(client)
    odd = get_index(client, "?sector=nope&page=abc&sort=weird&cluster=paris")
    notice = odd.select_one('.notice[role="status"]')
    assert notice is not None
    for named in ("sector=nope", "sort=weird", "cluster=paris", "page"):
        assert named in notice.get_text()
    assert plain.select_one(".notice") is None
    assert card_links(odd) == card_links(plain)
    assert rendered_counts(odd, {}) == rendered_counts(plain, {})
    assert odd.select_one(".active-filters") is None
    assert [link["href"] for link in odd.select(".facets a")] == [link["href"] for link in plain.select(".facets a")]


# Sorting ---------------------------------------------------------------------------------------------------------


def test_sorting_orders_every_result():
    case_study_import(
        raw_records=[
            {
                **generated_records(1)[0],
                "external_id": "unmeasured-001",
                "impact": {},
                "translations": {"en": {"title": "an unmeasured case", "summary": "No figures yet."}},
            }
        ]
    )
    oldest = every_result({}, sort="oldest")
    assert [page.year for page in oldest] == sorted(page.year for page in oldest)
    newest = every_result({}, sort="newest")
    assert [page.year for page in newest] == sorted((page.year for page in newest), reverse=True)
    assert [page.pk for page in every_result({})] == [page.pk for page in newest]

    impact = every_result({}, sort="impact")
    assert impact[-1].external_id == "unmeasured-001"
    waste = [page.waste_diverted_kg for page in impact[:-1]]
    assert waste == sorted(waste, reverse=True)

    for language in ("en", "el"):
        titled = every_result({}, language, sort="title")
        titles = [getattr(page, f"title_{language}") or page.title_en for page in titled]
        assert titles == sorted(titles, key=str.casefold), language
        assert len(titled) == CaseStudyPage.objects.live().count()


def test_sort_links_keep_the_filters(client):
    soup = get_index(client, "?cluster=prato&sort=oldest", "it")
    links = {urlsplit(link["href"]).query: link for link in soup.select(".sort a")}
    current = soup.select_one('.sort a[aria-current="true"]')
    assert parse_qs(urlsplit(current["href"]).query) == {"cluster": ["prato"], "sort": ["oldest"]}
    assert len(links) == 4
    for link in soup.select(".sort a"):
        assert parse_qs(urlsplit(link["href"]).query)["cluster"] == ["prato"]
    years = [int(card.select_one(".card__meta").get_text().rsplit("·", 1)[1]) for card in soup.select(".card--case")]
    assert years == sorted(years) and len(years) == 3


def test_title_sort_on_the_arabic_page(client):
    soup = get_index(client, "?sort=title", "ar")
    shown = [heading.get_text(strip=True) for heading in soup.select(".card--case h3")]
    titles = sorted(CaseStudyPage.objects.live().values_list("title_ar", flat=True), key=str.casefold)
    assert shown == titles[:PAGE_SIZE]


# Without JavaScript ----------------------------------------------------------------------------------------------


def test_index_works_without_javascript(client):
    soup = get_index(client, "?strategy=reuse&strategy=recycle&sort=impact")
    main = soup.find("main")
    assert main.find_all("script") == []
    assert soup.select("[onclick], [onchange], [onsubmit]") == []
    assert [script for script in soup.find_all("script") if not script.get("src")] == []
    links = soup.select(".facets a") + soup.select(".sort a") + soup.select(".pagination a")
    assert len(links) > 20
    assert all(link["href"].startswith("?") for link in links)
    # Every state a script could reach is a plain address that renders on its own.
    for link in [*links[:3], soup.select(".pagination a")[-1]]:
        assert client.get(index_url() + link["href"]).status_code == 200


def test_pages_load_only_json_ld_and_the_optional_autocomplete(client):
    """The one script is search autocomplete, deferred; the JSON-LD is data, not code."""

    def scripts(soup: BeautifulSoup) -> list[str]:
        return [
            script.get("type") or ("autocomplete" if "autocomplete" in script.get("src", "") else "other")
            for script in soup.find_all("script")
        ]

    index = get_index(client, "?sector=design")
    assert scripts(index) == ["autocomplete"]
    assert index.find("script")["defer"] is not None
    case_study = CaseStudyPage.objects.live().first()
    page = BeautifulSoup(client.get(case_study.get_url()).content, "html.parser")
    assert scripts(page) == ["application/ld+json", "autocomplete"]


# Many results ----------------------------------------------------------------------------------------------------


def test_index_pages_through_many_results(client):
    report = case_study_import(raw_records=generated_records(30))
    assert report.ok and len(report.created) == 30
    total = CaseStudyPage.objects.live().count()
    assert total == 48
    last_page = -(-total // PAGE_SIZE)

    soup = get_index(client)
    pages = {link.get_text(strip=True): link["href"] for link in soup.select(".pagination a")}
    assert parse_qs(urlsplit(pages["2"]).query) == {"page": ["2"]}
    assert parse_qs(urlsplit(pages["3"]).query) == {"page": ["3"]}
    assert {str(number) for number in range(1, last_page + 1)} <= set(pages)

    seen: list[str] = []
    for number in range(1, last_page + 1):
        page = get_index(client, f"?page={number}")
        assert page.select_one('.pagination a[aria-current="page"]').get_text(strip=True) == str(number)
        seen += card_links(page)
    assert len(seen) == len(set(seen)) == total
    last_links = card_links(page)

    third = get_index(client, "?page=3", "ar")
    assert len(third.select(".card--case")) == PAGE_SIZE

    beyond = get_index(client, "?page=999")
    assert beyond.select_one('.pagination a[aria-current="page"]').get_text(strip=True) == str(last_page)
    assert card_links(beyond) == last_links
    assert beyond.select_one('.pagination a[rel="next"]') is None

    design = matching({"sector": {"design"}}).count()
    assert design > 2 * PAGE_SIZE
    filtered = get_index(client, "?sector=design&page=3")
    assert len(filtered.select(".card--case")) == design - 2 * PAGE_SIZE
    for link in filtered.select(".pagination a"):
        assert parse_qs(urlsplit(link["href"]).query)["sector"] == ["design"]
