"""No request parameter can produce a server error: every public endpoint,
HTML and JSON, answers hostile values with 200, 3xx, 400 or 404, and an API
400 names the parameter it refused (issue 11, finding 3)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestudies.models import CaseStudyIndexPage
from courses.models import CourseIndexPage
from experts.models import ExpertIndexPage, ExpertPage

pytestmark = pytest.mark.django_db

API = [
    "/api/v2/pages/",
    "/api/v2/case-studies/",
    "/api/v2/courses/",
    "/api/v2/experts/",
    "/api/v2/images/",
    "/api/v2/documents/",
]
API_FIND = ["/api/v2/pages/find/"]
SEARCH_JSON = ["/api/search/", "/api/search/suggest/"]
HTML = [
    "/{lang}/search/",
    "{index}",
    "{courses}",
    "{experts}",
    "/{lang}/feeds/case-studies/",
    "/sitemap.xml",
    "/{lang}/become-an-expert/",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
]

API_PARAMETERS = [
    "offset",
    "limit",
    "search",
    "search_operator",
    "order",
    "fields",
    "type",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "locale",
    "id",
    "html_path",
    "slug",
    "title",
    "cluster",
    "country",
    "sector",
    "strategy",
    "material",
    "year",
    "show_in_menus",
    "level",
    "speaks",
    "expertise",
]
HTML_PARAMETERS = [
    "q",
    "page",
    "page_size",
    "lang",
    "languages",
    "sort",
    "type",
    "cluster",
    "country",
    "sector",
    "strategy",
    "material",
    "year",
    "p",
    "level",
    "available_in",
    "speaks",
    "expertise",
]

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "99999999999999999999999999",
            "-1",
            "0",
            "1e9",
            "²",
            "٣",
            "abc",
            '"wool',
            "wool*",
            "NEAR(a b)",
            "\x00",
            "a\x00b",
            "%00",
            "' OR 1=1 --",
            "-id",
            "?",
            "*",
            "title,-title",
            "2021,²",
            "𝟚𝟘𝟚𝟙",
            "é" * 300,
        ]
    ),
    st.integers().map(str),
)


def _index_url() -> str:
    return CaseStudyIndexPage.objects.live().first().get_url()


@pytest.fixture
def urls():
    return {
        "index": _index_url(),
        "courses": CourseIndexPage.objects.live().first().get_url(),
        "experts": ExpertIndexPage.objects.live().first().get_url(),
    }


def _request(client, url: str, params: dict[str, str]):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from(API + API_FIND),
    params=st.dictionaries(st.sampled_from(API_PARAMETERS), HOSTILE, max_size=3),
)
def test_the_open_data_api_never_answers_a_server_error(client, endpoint, params):
    response = _request(client, endpoint, params)
    assert response.status_code < 500, (endpoint, params, response.content[:300])
    if response.status_code == 400:
        message = response.json()["message"]
        assert any(name in message for name in params), (params, message)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from(SEARCH_JSON),
    params=st.dictionaries(st.sampled_from(HTML_PARAMETERS), HOSTILE, max_size=3),
)
def test_the_search_api_never_answers_a_server_error(client, endpoint, params):
    response = _request(client, endpoint, params)
    assert response.status_code < 500, (endpoint, params, response.content[:300])
    if response.status_code == 400:
        assert response.json()["error"]["parameter"] in params


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from(HTML),
    lang=st.sampled_from(["en", "el", "it", "ar"]),
    params=st.dictionaries(st.sampled_from(HTML_PARAMETERS), HOSTILE, max_size=3),
)
def test_the_public_pages_never_answer_a_server_error(client, urls, endpoint, lang, params):
    url = endpoint.format(lang=lang, **urls)
    response = _request(client, url, params)
    assert response.status_code < 500, (url, params, response.content[:300])


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v2/pages/?offset=99999999999999999999999999", "offset"),
        ("/api/v2/case-studies/?offset=99999999999999999999999999", "offset"),
        ("/api/v2/images/?offset=99999999999999999999999999", "offset"),
        ("/api/v2/documents/?offset=99999999999999999999999999", "offset"),
        ("/api/v2/pages/?limit=99999999999999999999999999", "limit"),
        ("/api/v2/pages/?search=%22wool", "search"),
        ("/api/v2/pages/?search=%00", "search"),
        ("/api/v2/case-studies/?search=%22wool", "search"),
        ("/api/v2/images/?search=%00", "search"),
        ("/api/v2/documents/?search=%22wool", "search"),
        ("/api/v2/case-studies/?year=%C2%B2", "year"),
        ("/api/v2/case-studies/?year=99999999999999999999999999", "year"),
        ("/api/v2/pages/find/?id=abc", "id"),
        ("/api/v2/pages/?id=abc", "id"),
        ("/api/v2/pages/?child_of=99999999999999999999999999", "child_of"),
    ],
)
def test_the_reported_hostile_requests_answer_400_naming_the_parameter(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.content[:300]
    assert parameter in response.json()["message"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=HOSTILE, lang=st.sampled_from(["en", "ar"]))
def test_certificate_verification_never_answers_a_server_error(client, code, lang):
    for url in (f"/{lang}/certificates/verify/{code}/", f"/api/certificates/{code}/"):
        response = client.get(url.replace("\x00", "%00"), follow=True)
        assert response.status_code < 500, (url, response.content[:300])


FORM_FIELDS = st.dictionaries(
    st.sampled_from(["name", "email", "subject", "message", "website", "role", "organisation", "bio", "country"]),
    HOSTILE,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FORM_FIELDS, lang=st.sampled_from(["en", "ar"]))
def test_the_public_forms_never_answer_a_server_error(client, data, lang):
    expert = ExpertPage.objects.live().order_by("pk").first()
    for url in (f"/{lang}/experts/{expert.pk}/contact/", f"/{lang}/become-an-expert/"):
        response = client.post(url, data)
        assert response.status_code < 500, (url, data, response.content[:300])
