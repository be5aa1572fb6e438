"""The courses' demo seed step: the catalogue, three courses in four languages, and a demo learner's certificate."""

from __future__ import annotations

import json
from decimal import Decimal
from html import escape
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casestudies.models import CaseStudyPage, Sector, Strategy
from core.imagery import PALETTES
from core.languages import default_language, language_codes
from core.seeding import SeedReport, demo_image, page_seed, page_values, per_language
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
from courses.selectors import course_progress
from courses.services import course_packs_refresh, enrolment_create, lesson_complete, quiz_attempt_submit
from experts.selectors import experts_with_external_ids

SEED_DATA = Path(__file__).resolve().parent / "seed_data" / "courses.json"
DEMO_LEARNER = "learner@example.org"
DEMO_LEARNER_PASSWORD = "innomed-learner"
DEMO_LEARNER_COURSE = "upcycling-textile-waste"


def _slugs(title: dict[str, str], key: str) -> dict[str, str]:
    """Slugs made from each language's title; the default language's is the key the seed finds the page by."""
    slugs = {code: slugify(text, allow_unicode=True)[:80] for code, text in title.items()}
    slugs[default_language()] = key
    return slugs


def _translated(message: str, **values) -> dict[str, str]:
    """`message` (a gettext msgid) in every language, formatted with values given per language."""
    result = {}
    for code in language_codes():
        with translation.override(code):
            result[code] = _(message) % {key: value[code] for key, value in values.items()}
    return result


def _questions(questions: list[dict]) -> dict[str, list[dict]]:
    return {
        code: [
            {
                "type": "question",
                "value": {
                    "text": question["text"][code],
                    "multiple": question["multiple"],
                    "choices": [
                        {
                            "text": choice["text"][code],
                            "correct": choice["correct"],
                            "feedback": choice["feedback"][code],
                        }
                        for choice in question["choices"]
                    ],
                },
            }
            for question in questions
        ]
        for code in language_codes()
        if code in questions[0]["text"]
    }


def _lesson_body(lesson: dict) -> dict[str, list[dict]]:
    body = {}
    for code, texts in lesson["paragraphs"].items():
        blocks = [{"type": "paragraph", "value": "".join(f"<p>{escape(text)}</p>" for text in texts)}]
        if "callout" in lesson:
            blocks.append(
                {"type": "callout", "value": {"kind": "tip", "text": f"<p>{escape(lesson['callout'][code])}</p>"}}
            )
        if "exercise" in lesson:
            with translation.override(code):
                title = _("Try it in your workshop")
            blocks.append(
                {
                    "type": "exercise",
                    "value": {"title": title, "instructions": f"<p>{escape(lesson['exercise'][code])}</p>"},
                }
            )
        body[code] = blocks
    return body


def _quiz(parent, *, key: str, title: dict, questions: list[dict], report: SeedReport) -> None:
    values = per_language(title, "title")
    values.update(per_language(_slugs(title, key), "slug"))
    values["slug"] = key
    values.update(per_language(_questions(questions), "questions"))
    _page, created = page_seed(parent=parent, model=QuizPage, key=key, values=values)
    report.note(created, f"quiz {key}")


def _course(index: CourseIndexPage, data: dict, report: SeedReport) -> CoursePage:
    key = data["key"]
    values = page_values({**data, "slug": _slugs(data["title"], key)}, fields=("title", "summary", "audience"), key=key)
    values.update(per_language({code: "\n".join(lines) for code, lines in data["outcomes"].items()}, "outcomes"))
    values.update(
        level=data["level"],
        estimated_hours=Decimal(data["hours"]),
        cover_image=demo_image(title=f"Course: {key}", seed=f"course-{key}", palette=PALETTES["prato"]),
        strategies=list(Strategy.objects.filter(slug__in=data["strategies"])),
        sectors=list(Sector.objects.filter(slug__in=data["sectors"])),
        related_case_studies=list(CaseStudyPage.objects.filter(external_id__in=data["case_studies"])),
    )
    course, created = page_seed(parent=index, model=CoursePage, key=key, values=values)
    report.note(created, f"course {key}")
    if not created:
        return course
    for module_data in data["modules"]:
        module_key = module_data["key"]
        values = page_values(
            {**module_data, "slug": _slugs(module_data["title"], module_key)},
            fields=("title", "summary"),
            key=module_key,
        )
        module, _created = page_seed(parent=course, model=ModulePage, key=module_key, values=values)
        for lesson_data in module_data["lessons"]:
            values = page_values(
                {**lesson_data, "slug": _slugs(lesson_data["title"], lesson_data["key"])},
                fields=("title", "summary"),
                key=lesson_data["key"],
            )
            values.update(per_language(_lesson_body(lesson_data), "body"))
            page_seed(parent=module, model=LessonPage, key=lesson_data["key"], values=values)
        _quiz(
            module,
            key=f"quiz-{module_data['key']}",
            title=_translated(gettext_noop("Quiz: %(module)s"), module=module_data["title"]),
            questions=module_data["quiz"],
            report=report,
        )
    final_title = _translated(gettext_noop("Final quiz"))
    _quiz(course, key="final-quiz", title=final_title, questions=data["final_quiz"], report=report)
    return course


def seed_courses(*, home, report: SeedReport) -> None:
    """Create the course catalogue and the demo courses that are missing (matched on their English slug)."""
    data = json.loads(SEED_DATA.read_text(encoding="utf-8"))
    values = page_values(data["index"], fields=("title", "intro"), key="courses")
    values["show_in_menus"] = True
    index, created = page_seed(parent=home, model=CourseIndexPage, key="courses", values=values)
    report.note(created, "course catalogue")
    courses = {course_data["key"]: _course(index, course_data, report) for course_data in data["courses"]}
    _seed_learner(courses[DEMO_LEARNER_COURSE], report)


def _seed_learner(course: CoursePage, report: SeedReport) -> None:
    """The demo learner (made here unless the accounts step made it), with one completed course and its certificate."""
    user_model = get_user_model()
    # One demo learner, whichever step made it: found by address (the accounts step names it "learner").
    learner = user_model.objects.filter(email__iexact=DEMO_LEARNER).first()
    if learner is None:
        learner = user_model.objects.create_user(
            DEMO_LEARNER, DEMO_LEARNER, DEMO_LEARNER_PASSWORD, first_name="Layla", last_name="Haddad"
        )
        report.created.append(f"user {DEMO_LEARNER}")
    if not any(login[1] == DEMO_LEARNER for login in report.logins):
        report.logins.append(("learner", DEMO_LEARNER, DEMO_LEARNER_PASSWORD))
    enrolment = enrolment_create(user=learner, course=course)
    if enrolment.completed_at is not None:
        return
    progress = course_progress(user=learner, course=course)
    language = default_language()
    for item in progress.items:
        if item.done:
            continue
        if item.kind == "lesson":
            lesson_complete(user=learner, lesson=item.page.specific, language=language)
        else:
            quiz = item.page.specific
            quiz_attempt_submit(user=learner, quiz=quiz, data=_correct_answers(quiz), language=language)
    report.note(True, f"certificate for {DEMO_LEARNER}")


def _correct_answers(quiz: QuizPage) -> dict[str, list[str]]:
    return {
        f"q{index}": [str(position) for position, choice in enumerate(block.value["choices"]) if choice["correct"]]
        for index, block in enumerate(quiz.questions)
    }


def seed_course_experts(*, home, report: SeedReport) -> None:
    """Name each demo course's experts, where the course names none yet (experts are seeded after courses)."""
    data = json.loads(SEED_DATA.read_text(encoding="utf-8"))
    for course_data in data["courses"]:
        course = CoursePage.objects.filter(**{f"slug_{default_language()}": course_data["key"]}).first()
        if course is None or not course_data.get("experts") or course.experts.exists():
            continue
        experts = experts_with_external_ids(external_ids=course_data["experts"])
        if experts:
            course.experts.set(experts)
            course.save_revision().publish()
            report.note(True, f"experts of course {course_data['key']}")


def seed_course_packs(*, home, report: SeedReport) -> None:
    """The offline packs of the live courses, in every language, made now if missing or out of date.

    Made ahead so that the first reader to ask gets a stored file (about a
    second per pack); `course_packs worker` keeps them current after publishes.
    """
    for course, language, made in course_packs_refresh():
        report.note(made, f"course pack {course.slug} ({language})")
