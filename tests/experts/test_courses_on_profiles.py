"""Related content both ways: a course names its experts, and each expert's profile lists those courses."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from courses.models import CoursePage

pytestmark = pytest.mark.django_db


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_profile_lists_the_courses_that_name_the_expert(client, language):
    course = CoursePage.objects.get(slug_en="upcycling-textile-waste")
    experts = list(course.experts.all())
    assert len(experts) == 2  # the demo seed names them
    for expert in experts:
        soup = BeautifulSoup(client.get(url_in(expert, language)).content, "html.parser")
        section = soup.find(id="courses-heading").find_parent("section")
        assert getattr(course, f"title_{language}") in section.get_text(" ", strip=True)
        assert section.find("a", href=url_in(course, language))


def test_a_course_no_longer_naming_an_expert_leaves_the_profile(client):
    course = CoursePage.objects.get(slug_en="upcycling-textile-waste")
    expert = course.experts.first()
    course.experts.remove(expert)
    course.save_revision().publish()
    html = client.get(url_in(expert, "en")).content.decode()
    assert course.title_en not in html
