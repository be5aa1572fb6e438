"""Factories for course pages: a small course built in a test, beside the demo courses."""

import factory

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
from tests.factories import HubPageFactory


def question(text: str, choices: list[tuple[str, bool]], multiple: bool = False) -> dict:
    return {
        "type": "question",
        "value": {
            "text": text,
            "multiple": multiple,
            "choices": [
                {"text": label, "correct": correct, "feedback": f"Feedback on {label}"} for label, correct in choices
            ],
        },
    }


QUESTIONS = [
    question("Which is a 10R strategy?", [("Repair", True), ("Landfill", False), ("Incinerate", False)]),
    question("Which are materials? (all that apply)", [("Wool", True), ("Clay", True), ("Tuesday", False)], True),
]


class CoursePageFactory(HubPageFactory):
    class Meta:
        model = CoursePage

    summary = "A course made for a test."
    level = "beginner"
    estimated_hours = 2

    @classmethod
    def default_parent(cls):
        return CourseIndexPage.objects.get()


class ModulePageFactory(HubPageFactory):
    class Meta:
        model = ModulePage

    summary = "A module."


class LessonPageFactory(HubPageFactory):
    class Meta:
        model = LessonPage

    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>Lesson text.</p>"}])


class QuizPageFactory(HubPageFactory):
    class Meta:
        model = QuizPage

    attempts_allowed = 3
    questions = factory.LazyFunction(lambda: QUESTIONS)


def small_course(**kwargs) -> CoursePage:
    """A course with one module (two lessons and a quiz) and a final quiz, in English only."""
    course = CoursePageFactory(**kwargs)
    module = ModulePageFactory(parent=course, title="Module one")
    LessonPageFactory(parent=module, title="Lesson one")
    LessonPageFactory(parent=module, title="Lesson two")
    QuizPageFactory(parent=module, title="Module quiz")
    QuizPageFactory(parent=course, title="Final quiz")
    return CoursePage.objects.get(pk=course.pk)


RIGHT = {"q0": ["0"], "q1": ["0", "1"]}
WRONG = {"q0": ["1"], "q1": ["2"]}
