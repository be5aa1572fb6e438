"""Courses and lessons are found by search in every language, with their own facets (issue 9, "Done when")."""

import re

import pytest
from django.utils import translation

from core.languages import language_codes
from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db


def longest_word(text: str) -> str:
    return max(re.findall(r"\w+", text), key=len)


def hits_for(client, query: str, language: str, **filters) -> dict:
    response = client.get("/api/search/", {"q": query, "lang": language, **filters})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("language", language_codes())
def test_courses_and_lessons_are_found_in_every_language_with_their_facets(client, language):
    course = CoursePage.objects.get(slug_en="upcycling-textile-waste")
    lesson = LessonPage.objects.descendant_of(course).live().first()
    with translation.override(language):
        course_word, lesson_word = longest_word(course.title), longest_word(lesson.title)

    body = hits_for(client, course_word, language)
    assert ("course", course.pk) in {(hit["type"], hit["id"]) for hit in body["hits"]}
    assert body["facets"]["level"].get(course.level, 0) >= 1
    assert body["facets"]["available_in"].get(language, 0) >= 1
    assert body["facets"]["strategy"] and body["facets"]["sector"]

    body = hits_for(client, lesson_word, language)
    assert ("lesson", lesson.pk) in {(hit["type"], hit["id"]) for hit in body["hits"]}

    narrowed = hits_for(client, course_word, language, level=course.level)
    assert narrowed["hits"] and all(hit["type"] in ("course", "lesson") for hit in narrowed["hits"])
