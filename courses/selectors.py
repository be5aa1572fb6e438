"""Reads for courses: catalogue, progress, quiz view, dashboard, certificates.

Progress is computed per user and page, never per language. A course's
progress costs three queries however many modules and lessons it has: its
live descendants (one row each), the user's lesson completions among them and
the quizzes the user passed among them. The dashboard does the same for all
of a learner's courses at once.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from casestudies.selectors import term_labels
from core.browse import Facet, FacetValue, selection_matches, selection_toggled
from core.freshness import cached_until_content_changes
from core.languages import language_codes
from core.visibility import restricted_page_paths, visible
from courses.certificates import code_normalise
from courses.models import (
    LEVELS,
    Certificate,
    CertificateFile,
    CourseIndexPage,
    CoursePack,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
    QuizAttempt,
    QuizPage,
    language_labels,
)
from courses.pdf import course_pack_design_version

LANGUAGES_CACHE_SECONDS = 3600

# --- Progress -------------------------------------------------------------


@dataclass
class Item:
    """A lesson or quiz of a course, with the learner's state."""

    page: Page
    kind: str  # "lesson" or "quiz"
    done: bool
    required: bool = True

    @property
    def title(self) -> str:
        return self.page.title


@dataclass
class ModuleProgress:
    page: Page
    items: list[Item]

    @property
    def total(self) -> int:
        return sum(1 for item in self.items if item.required)

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.required and item.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


@dataclass
class CourseProgress:
    course: CoursePage
    modules: list[ModuleProgress]
    final: list[Item]

    @property
    def items(self) -> list[Item]:
        return [item for module in self.modules for item in module.items] + self.final

    @property
    def total(self) -> int:
        return sum(1 for item in self.items if item.required)

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.required and item.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def next_item(self) -> Item | None:
        """Where the learner resumes: the first lesson or quiz, in course order, not yet done."""
        return next((item for item in self.items if item.required and not item.done), None)

    @property
    def lesson_ids(self) -> list[int]:
        return [item.page.pk for item in self.items if item.kind == "lesson"]


def _authenticated(user) -> bool:
    return user is not None and user.is_authenticated


def courses_progress(*, user, courses: list[CoursePage]) -> dict[int, CourseProgress]:
    """Progress of `user` (anonymous: nothing done) in each of `courses`, by course id, in three queries."""
    if not courses:
        return {}
    under = Q()
    for course in courses:
        under |= Q(path__startswith=course.path, depth__gt=course.depth)
    pages = list(visible(Page.objects.filter(under), user).order_by("path"))
    lesson_ids = [page.pk for page in pages if page.specific_class is LessonPage]
    quiz_ids = [page.pk for page in pages if page.specific_class is QuizPage]
    completed: set[int] = set()
    passed: set[int] = set()
    if _authenticated(user):
        if lesson_ids:
            completed = set(
                LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).values_list("lesson_id", flat=True)
            )
        if quiz_ids:
            passed = set(
                QuizAttempt.objects.filter(user=user, quiz_id__in=quiz_ids, passed=True).values_list(
                    "quiz_id", flat=True
                )
            )
    result = {}
    for course in courses:
        modules: dict[str, ModuleProgress] = {}
        final: list[Item] = []
        for page in pages:
            if not page.path.startswith(course.path):
                continue
            kind = page.specific_class
            if kind is ModulePage and page.depth == course.depth + 1:
                modules[page.path] = ModuleProgress(page=page, items=[])
            elif kind is LessonPage:
                module = modules.get(page.path[: -Page.steplen])
                if module is not None:
                    module.items.append(Item(page=page, kind="lesson", done=page.pk in completed))
            elif kind is QuizPage:
                is_final = page.depth == course.depth + 1
                required = is_final or course.pass_rule == CoursePage.PASS_ALL_QUIZZES
                item = Item(page=page, kind="quiz", done=page.pk in passed, required=required)
                if is_final:
                    final.append(item)
                elif (module := modules.get(page.path[: -Page.steplen])) is not None:
                    module.items.append(item)
        result[course.pk] = CourseProgress(course=course, modules=list(modules.values()), final=final)
    return result


def course_progress(*, user, course: CoursePage) -> CourseProgress:
    """Progress of `user` in `course`, per module; complete when every required item is done."""
    return courses_progress(user=user, courses=[course])[course.pk]


def languages_complete_for(courses: list[CoursePage]) -> dict[int, list[str]]:
    """For each course id, the languages in which the course, its lessons and quizzes are all translated.

    Two queries for any number of courses (the lessons, then the quizzes).
    """
    available = {course.pk: {code for code in language_codes() if course.is_available_in(code)} for course in courses}
    if not courses:
        return {}
    under = Q()
    for course in courses:
        under |= Q(path__startswith=course.path)
    for model in (LessonPage, QuizPage):
        for page in model.objects.live().filter(under):
            for course in courses:
                if page.path.startswith(course.path):
                    available[course.pk] = {code for code in available[course.pk] if page.is_available_in(code)}
    return {course.pk: [code for code in language_codes() if code in available[course.pk]] for course in courses}


def course_languages_complete(course: CoursePage) -> list[str]:
    return languages_complete_for([course])[course.pk]


def course_queryset(user=None):
    return CoursePage.objects.visible(user)


def enrolment_for(*, user, course: CoursePage) -> Enrolment | None:
    """The user's enrolment in `course`, with `has_certificate` (a valid certificate) in the same query."""
    if not _authenticated(user):
        return None
    valid = Certificate.objects.filter(enrolment=OuterRef("pk"), status=Certificate.VALID)
    return Enrolment.objects.filter(user=user, course=course).annotate(has_certificate=Exists(valid)).first()


def course_page_context(*, course: CoursePage, user, current: Page | None = None) -> dict:
    """What the course, module and lesson pages show: progress, enrolment, resume link, certificate."""
    progress = course_progress(user=user, course=course)
    enrolment = enrolment_for(user=user, course=course)
    items = progress.items
    position = next((index for index, item in enumerate(items) if current and item.page.pk == current.pk), None)
    context = {
        "progress": progress,
        "enrolment": enrolment,
        "next_item": progress.next_item,
        "current_item": items[position] if position is not None else None,
        "current_module": next(
            (module.page for module in progress.modules if current and current.path.startswith(module.page.path)),
            None,
        ),
        "previous_item": items[position - 1] if position else None,
        "following_item": items[position + 1] if position is not None and position + 1 < len(items) else None,
        "certificate": bool(enrolment and enrolment.has_certificate),
    }
    return context


def course_languages_cached(*, course: CoursePage, progress: CourseProgress) -> list[str]:
    """`course.languages_complete`, cached under a key that changes whenever the course or a page in it is published.

    The key is made from the live pages `progress` already loaded, so a warm
    course page spends no query on it.
    """
    pages = [module.page for module in progress.modules] + [item.page for item in progress.items]
    stamps = [course.last_published_at, *(page.last_published_at for page in pages)]
    latest = max((stamp for stamp in stamps if stamp), default=None)
    key = f"courses:languages:{course.pk}:{len(pages)}:{latest.timestamp() if latest else 0}"
    languages = cache.get(key)
    if languages is None:
        languages = course.languages_complete
        cache.set(key, languages, LANGUAGES_CACHE_SECONDS)
    return languages


def course_detail_extras(*, course: CoursePage, user, progress: CourseProgress) -> dict:
    """What only the course page shows: languages, related case studies, the offline pack in the reader's language."""
    languages = course_languages_cached(course=course, progress=progress)
    language = get_language()
    return {
        "course_pack": course_pack_offer(
            course=course, language=language, design_version=course_pack_design_version(language=language)
        ),
        "languages_complete": [(code, language_labels()[code]) for code in languages],
        "related_case_studies": list(
            visible(course.related_case_studies.all(), user).select_related("cluster", "sector")
        ),
    }


# --- Quizzes -------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionView:
    """A question as the page shows it: no hint of which answers are correct."""

    number: int
    name: str
    text: str
    multiple: bool
    choices: list[tuple[int, str]]
    chosen: tuple[int, ...] = ()  # the learner's answers when a submission is shown again


def quiz_questions(quiz: QuizPage, submitted=None) -> list[QuestionView]:
    """The questions to show; `submitted` (form data) ticks the answers a refused submission gave."""

    def chosen(index: int) -> tuple[int, ...]:
        values = submitted.getlist(f"q{index}") if submitted is not None else []
        return tuple(int(value) for value in values if value.isdigit())

    return [
        QuestionView(
            number=index + 1,
            name=f"q{index}",
            text=block.value["text"],
            multiple=bool(block.value["multiple"]),
            choices=[(position, choice["text"]) for position, choice in enumerate(block.value["choices"])],
            chosen=chosen(index),
        )
        for index, block in enumerate(quiz.questions)
    ]


@dataclass(frozen=True)
class AnswerFeedback:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class QuestionResult:
    number: int
    text: str
    correct: bool
    answers: list[AnswerFeedback]


def attempt_results(*, quiz: QuizPage, attempt: QuizAttempt) -> list[QuestionResult]:
    """Feedback on each answer the learner chose, in the language of the page being read."""
    results = []
    for index, block in enumerate(quiz.questions):
        chosen = attempt.answers.get(str(index), [])
        choices = block.value["choices"]
        correct_set = {position for position, choice in enumerate(choices) if choice["correct"]}
        answers = [
            AnswerFeedback(
                text=choices[position]["text"],
                correct=bool(choices[position]["correct"]),
                feedback=choices[position]["feedback"],
            )
            for position in chosen
            if 0 <= position < len(choices)
        ]
        results.append(
            QuestionResult(
                number=index + 1, text=block.value["text"], correct=set(chosen) == correct_set, answers=answers
            )
        )
    return results


def quiz_attempts(*, user, quiz: QuizPage) -> list[QuizAttempt]:
    if not _authenticated(user):
        return []
    return list(QuizAttempt.objects.filter(user=user, quiz=quiz))


def attempts_left(*, quiz: QuizPage, attempts: list[QuizAttempt]) -> int | None:
    """Attempts the learner still has (None: unlimited)."""
    if not quiz.attempts_allowed:
        return None
    return max(quiz.attempts_allowed - len(attempts), 0)


def quiz_page_context(*, quiz: QuizPage, user, attempt_id: str | None) -> dict:
    attempts = quiz_attempts(user=user, quiz=quiz)
    shown = None
    if attempt_id and attempt_id.isdigit():
        shown = next((attempt for attempt in attempts if attempt.pk == int(attempt_id)), None)
    passed = any(attempt.passed for attempt in attempts)
    left = attempts_left(quiz=quiz, attempts=attempts)
    course = quiz.course
    context = {
        "course": course,
        "attempts": attempts,
        "attempts_left": left,
        "passed": passed,
        "pass_mark": quiz.effective_pass_mark(),
        "can_submit": _authenticated(user) and not passed and (left is None or left > 0),
        "shown_attempt": shown,
        "results": attempt_results(quiz=quiz, attempt=shown) if shown else None,
    }
    if not shown:
        context["questions"] = quiz_questions(quiz)
    if course is not None:
        context.update(course_page_context(course=course, user=user, current=quiz))
    return context


# --- Catalogue -------------------------------------------------------------------

FACETS = {
    "strategy": _("10R strategy"),
    "sector": _("Creative sector"),
    "level": _("Level"),
    "language": _("Available in"),
}
# Every query parameter course_browse reads (core.fragments keys the catalogue on these alone).
BROWSE_PARAMS = tuple(FACETS)


@dataclass
class CourseCard:
    page: CoursePage
    level: str
    strategies: list[str]
    languages: list[tuple[str, str]]


@dataclass
class CourseBrowse:
    cards: list[CourseCard]
    facets: list[Facet]
    total: int
    active: list[tuple[str, str, str]]
    ignored: list[str] = field(default_factory=list)
    clear_url: str = "?"


def _browse_url(selected: dict[str, set[str]]) -> str:
    pairs = [(key, value) for key in FACETS for value in sorted(selected.get(key, ()))]
    return "?" + urlencode(pairs) if pairs else "?"


def course_browse(*, params: QueryDict, user=None) -> CourseBrowse:
    """Filter and count the visible courses for the catalogue.

    Values within a facet combine with OR, facets with AND; each count is the
    number of courses with that value matching the other facets' selections.
    Unknown values are ignored and reported in `ignored`.
    """
    language = get_language() or "en"
    labels = term_labels(language)
    labels["level"] = {key: str(label) for key, label in LEVELS}
    labels["language"] = language_labels()
    courses = list(course_queryset(user).prefetch_related("strategies", "sectors").order_by("path"))
    languages = languages_complete_for(courses)
    values = {
        course.pk: {
            "strategy": {term.slug for term in course.strategies.all()},
            "sector": {term.slug for term in course.sectors.all()},
            "level": {course.level},
            "language": set(languages[course.pk]),
        }
        for course in courses
    }
    selected: dict[str, set[str]] = {}
    ignored: list[str] = []
    for key in FACETS:
        wanted = {value.strip() for value in params.getlist(key) if value.strip()}
        known = wanted & set(labels.get(key, {}))
        ignored.extend(f"{key}={value}" for value in sorted(wanted - known))
        if known:
            selected[key] = known

    facets = []
    for key, label in FACETS.items():
        counts: Counter[str] = Counter()
        for course in courses:
            if selection_matches(values[course.pk], selected, skip=key):
                counts.update(values[course.pk][key])
        chosen = selected.get(key, set())
        facets.append(
            Facet(
                key=key,
                label=str(label),
                values=[
                    FacetValue(
                        value=value,
                        label=value_label,
                        count=counts.get(value, 0),
                        selected=value in chosen,
                        url=_browse_url(selection_toggled(selected, key, value)),
                    )
                    for value, value_label in labels.get(key, {}).items()
                    if counts.get(value) or value in chosen
                ],
                open=True,
            )
        )
    shown = [course for course in courses if selection_matches(values[course.pk], selected)]
    cards = [
        CourseCard(
            page=course,
            level=labels["level"].get(course.level, course.level),
            strategies=[labels["strategy"].get(term.slug, term.slug) for term in course.strategies.all()],
            languages=[(code, labels["language"][code]) for code in languages[course.pk]],
        )
        for course in shown
    ]
    active = [
        (str(FACETS[key]), labels[key].get(value, value), _browse_url(selection_toggled(selected, key, value)))
        for key in FACETS
        for value in sorted(selected.get(key, ()))
    ]
    return CourseBrowse(cards=cards, facets=facets, total=len(shown), active=active, ignored=ignored)


def course_featured(*, user=None, limit: int = 3) -> list[CoursePage]:
    """Courses for the home page: the most recently published first."""
    return list(course_queryset(user).order_by("-first_published_at", "-id")[:limit])


def course_index() -> CourseIndexPage | None:
    return CourseIndexPage.objects.live().first()


def courses_naming(*, page, user=None) -> list[CoursePage]:
    """Visible courses that name `page`: among their related case studies, or as one of their experts."""
    case_studies = CoursePage.related_case_studies.through.objects.filter(casestudypage_id=page.pk)
    experts = CoursePage.experts.through.objects.filter(expertpage_id=page.pk)
    naming = Q(pk__in=case_studies.values("coursepage_id")) | Q(pk__in=experts.values("coursepage_id"))
    return list(course_queryset(user).filter(naming).order_by("path"))


def cluster_courses(*, cluster, user=None) -> list[CoursePage]:
    """Visible courses that use case studies from `cluster`, in catalogue order."""
    return list(course_queryset(user).filter(related_case_studies__cluster=cluster).distinct().order_by("path"))


# --- Dashboard and certificates ---------------------------------------------------------------


@dataclass
class DashboardCourse:
    enrolment: Enrolment
    progress: CourseProgress


@dataclass
class DashboardCertificate:
    certificate: Certificate
    title: str
    verify_url: str
    downloads: list[tuple[str, str, str]]  # (language code, language name, address)


@dataclass
class Dashboard:
    courses: list[DashboardCourse]
    certificates: list[DashboardCertificate]


def _certificate_entry(certificate: Certificate) -> DashboardCertificate:
    code = certificate.display_code
    return DashboardCertificate(
        certificate=certificate,
        title=certificate.course_title(get_language() or "en"),
        verify_url=reverse("certificate_verify", kwargs={"code": code}),
        downloads=[
            (language, name, reverse("certificate_pdf", kwargs={"code": code, "language": language}))
            for language, name in language_labels().items()
        ],
    )


def learner_dashboard(*, user) -> Dashboard:
    """A learner's enrolled courses with progress and next item, and their certificates."""
    enrolments = list(Enrolment.objects.filter(user=user, course__in=course_queryset(user)).select_related("course"))
    progress = courses_progress(user=user, courses=[enrolment.course for enrolment in enrolments])
    certificates = Certificate.objects.filter(user=user, status=Certificate.VALID)
    return Dashboard(
        courses=[
            DashboardCourse(enrolment=enrolment, progress=progress[enrolment.course_id]) for enrolment in enrolments
        ],
        certificates=[_certificate_entry(certificate) for certificate in certificates],
    )


def certificate_by_code(raw: str) -> Certificate | None:
    """The certificate whose code the reader typed (dashes, spaces and case ignored), or None."""
    code = code_normalise(raw)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_stored_file(*, code: str, language: str) -> CertificateFile | None:
    """The stored PDF of the certificate with `code` in `language`, with its certificate, in one query; or None."""
    normalised = code_normalise(code)
    if normalised is None:
        return None
    return (
        CertificateFile.objects.filter(certificate__code=normalised, language=language)
        .select_related("certificate")
        .first()
    )


def course_certificates(*, course: CoursePage) -> list[Certificate]:
    return list(Certificate.objects.filter(course=course).select_related("user"))


def course_enrolments(*, course: CoursePage) -> list[Enrolment]:
    return list(Enrolment.objects.filter(course=course).select_related("user").order_by("started"))


def course_lesson_counts(*, course: CoursePage) -> dict[int, int]:
    """Lessons completed per user in `course`, by user id."""
    lessons = LessonPage.objects.descendant_of(course).values("pk")
    counts: dict[int, int] = defaultdict(int)
    for user_id in LessonCompletion.objects.filter(lesson_id__in=lessons).values_list("user_id", flat=True):
        counts[user_id] += 1
    return counts


# --- Offline course packs -------------------------------------------------------


def _pack_excluded_paths(course: CoursePage) -> list[str]:
    # A section under its own view restriction stays out of the pack, which
    # everyone who may see the course may download.
    return [path for path in restricted_page_paths() if path.startswith(course.path) and len(path) > len(course.path)]


def course_pack_pages(*, course: CoursePage) -> list[Page]:
    """The live pages a course pack prints (modules, lessons, quizzes), specific, in tree order."""
    excluded = _pack_excluded_paths(course)
    pages = Page.objects.live().descendant_of(course).order_by("path").specific()
    return [page for page in pages if not any(page.path.startswith(path) for path in excluded)]


def course_pack_content_version(*, course: CoursePage) -> str:
    """A fingerprint of what a pack of `course` prints: the live revision of the course and of each page in it.

    A new publish of the course or of any module, lesson or quiz in it (or one
    unpublished, moved in or out) changes it; saving a draft does not.
    """
    excluded = _pack_excluded_paths(course)
    rows = Page.objects.live().descendant_of(course).order_by("path").values_list("pk", "live_revision_id", "path")
    digest = hashlib.sha256(f"{course.pk}:{course.live_revision_id}".encode())
    for pk, revision, path in rows:
        if not any(path.startswith(excluded_path) for excluded_path in excluded):
            digest.update(f";{pk}:{revision}".encode())
    return digest.hexdigest()[:16]


PACK_FACTS_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class CoursePackOffer:
    """What the course page says about the pack in one language, before the download."""

    url: str
    language: str
    size: int | None = None  # bytes; None while the pack is being prepared
    pages: int | None = None

    @property
    def ready(self) -> bool:
        return self.size is not None


def course_pack_offer(*, course: CoursePage, language: str, design_version: str) -> CoursePackOffer:
    """The pack of `course` in `language`: its size and page count if the stored one is current.

    No query on a warm cache: the content fingerprint is cached until content
    changes, and the size and page count of the pack made from one fingerprint
    never change, so they are cached under it once the pack exists.
    """
    content = cached_until_content_changes(
        f"courses:pack-content:{course.pk}", lambda: course_pack_content_version(course=course)
    )
    url = reverse("course_pack", kwargs={"course_id": course.pk, "language": language})
    key = f"courses:pack:{course.pk}:{language}:{content}:{design_version}"
    facts = cache.get(key)
    if facts is None:
        pack = (
            CoursePack.objects.filter(
                course=course, language=language, content_version=content, template_version=design_version
            )
            .only("size", "pages")
            .first()
        )
        if pack is None:
            return CoursePackOffer(url=url, language=language)
        facts = (pack.size, pack.pages)
        cache.set(key, facts, PACK_FACTS_CACHE_SECONDS)
    return CoursePackOffer(url=url, language=language, size=facts[0], pages=facts[1])


def course_pack_stale(*, course: CoursePage, language: str, design_version: str) -> bool:
    """Whether the stored pack is missing or older than the course's content or the design."""
    content = course_pack_content_version(course=course)
    return not CoursePack.objects.filter(
        course=course, language=language, content_version=content, template_version=design_version
    ).exists()
