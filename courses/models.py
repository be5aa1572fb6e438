"""Courses as translatable pages, and the learner's progress and certificates.

Page tree: CourseIndexPage → CoursePage → ModulePage → LessonPage / QuizPage,
plus a final QuizPage directly under the course. Progress (enrolments, lesson
completions, quiz attempts) and certificates belong to a user and a page, never
to a language: a lesson completed in Greek is complete in Arabic.
"""

from __future__ import annotations

import math
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from casestudies.selectors import sector_facet, strategy_facet
from core.freshness import cached_until_content_changes
from core.languages import language_codes
from core.pages import HubPage
from core.searchable import SearchablePageMixin, SearchFacet
from courses.blocks import LessonBodyBlock, QuestionsBlock
from courses.certificates import code_display

LEVELS = [
    ("beginner", _("Beginner")),
    ("intermediate", _("Intermediate")),
    ("advanced", _("Advanced")),
]


def level_labels() -> dict[str, str]:
    return {key: str(label) for key, label in LEVELS}


def language_labels() -> dict[str, str]:
    return {code: str(name) for code, name in settings.LANGUAGES}


LEVEL_FACET = SearchFacet("level", _("Level"), level_labels)
# "language" names the search document's own language; this is the course's.
AVAILABLE_IN_FACET = SearchFacet("available_in", _("Available in"), language_labels)
COURSE_FACETS = (LEVEL_FACET, strategy_facet(), sector_facet(), AVAILABLE_IN_FACET)


class CourseIndexPage(HubPage):
    """The course catalogue, filtered by strategy, sector, level and language."""

    intro = models.TextField(_("introduction"), blank=True)

    translated_content_fields = ("intro",)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def fragment_query_params(self) -> tuple[str, ...]:
        from courses.selectors import BROWSE_PARAMS

        return BROWSE_PARAMS

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_browse

        context = super().get_context(request, *args, **kwargs)
        context["browse"] = course_browse(params=request.GET, user=request.user)
        return context


class CoursePage(SearchablePageMixin, HubPage):
    content_ignores_query_string = True  # core.fragments
    search_type = "course"
    search_type_label = _("Courses")
    search_facet_declarations = COURSE_FACETS
    search_summary_field = "summary"
    search_body_fields = ("audience", "outcomes")

    PASS_ALL_QUIZZES = "all_quizzes"
    PASS_FINAL_QUIZ = "final_quiz"
    PASS_RULES = [
        (PASS_ALL_QUIZZES, _("Every lesson done and every quiz passed")),
        (PASS_FINAL_QUIZ, _("Every lesson done and the final quiz passed")),
    ]

    summary = models.TextField(_("summary"), max_length=600)
    audience = models.TextField(_("who it is for"), blank=True)
    outcomes = models.TextField(_("learning outcomes"), blank=True, help_text=_("One outcome per line."))
    level = models.CharField(_("level"), max_length=20, choices=LEVELS, default="beginner")
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0)], default=1
    )
    strategies = ParentalManyToManyField("casestudies.Strategy", verbose_name=_("10R strategies"), blank=True)
    sectors = ParentalManyToManyField("casestudies.Sector", verbose_name=_("creative sectors"), blank=True)
    social_image_field = "cover_image"
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pass_rule = models.CharField(_("pass rule"), max_length=20, choices=PASS_RULES, default=PASS_ALL_QUIZZES)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Used by every quiz of the course that sets no pass mark of its own."),
    )
    related_case_studies = ParentalManyToManyField(
        "casestudies.CaseStudyPage", verbose_name=_("related case studies"), blank=True, related_name="+"
    )
    # The experts who teach or wrote the course; their profiles list it.
    experts = ParentalManyToManyField("experts.ExpertPage", verbose_name=_("experts"), blank=True, related_name="+")

    translated_content_fields = ("summary",)
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("outcomes"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("estimated_hours")]),
                FieldPanel("strategies"),
                FieldPanel("sectors"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel([FieldPanel("pass_rule"), FieldPanel("pass_mark")], heading=_("Completion")),
        FieldPanel("related_case_studies"),
        FieldPanel("experts"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("outcomes"),
        index.FilterField("level"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("level"),
        APIField("estimated_hours"),
        APIField("classification"),
        APIField("languages_complete"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @classmethod
    def search_queryset(cls):
        return super().search_queryset().prefetch_related("strategies", "sectors")

    def search_facets(self) -> dict[str, list[str]]:
        return {
            "level": [self.level],
            "strategy": [term.slug for term in self.strategies.all()],
            "sector": [term.slug for term in self.sectors.all()],
            "available_in": self.languages_complete,
        }

    @property
    def whole_hours(self) -> int:
        """The estimated hours rounded up, for "about N hours"."""
        return max(1, math.ceil(self.estimated_hours))

    def outcome_list(self) -> list[str]:
        return [line.strip() for line in (self.outcomes or "").splitlines() if line.strip()]

    @property
    def classification(self) -> dict:
        return {
            "level": self.level,
            "strategies": [term.slug for term in self.strategies.all()],
            "sectors": [term.slug for term in self.sectors.all()],
        }

    @cached_property
    def languages_complete(self) -> list[str]:
        """Languages in which the course and every one of its live lessons and quizzes are translated."""
        from courses.selectors import course_languages_complete

        return course_languages_complete(self)

    def serve(self, request, *args, **kwargs):
        from courses.views import course_page_post

        if request.method == "POST":
            return course_page_post(request, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_detail_extras, course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(course=self, user=request.user))
        context.update(course_detail_extras(course=self, user=request.user, progress=context["progress"]))
        return context


class ModulePage(HubPage):
    content_ignores_query_string = True  # core.fragments
    summary = models.TextField(_("summary"), blank=True)

    translated_content_fields = ("summary",)
    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_page_context

        context = super().get_context(request, *args, **kwargs)
        course = CoursePage.objects.ancestor_of(self).first()
        context["course"] = course
        context.update(course_page_context(course=course, user=request.user))
        context["module_progress"] = next(
            (module for module in context["progress"].modules if module.page.pk == self.pk), None
        )
        return context


class LessonPage(SearchablePageMixin, HubPage):
    content_ignores_query_string = True  # core.fragments
    search_type = "lesson"
    search_type_label = _("Lessons")
    search_facet_declarations = COURSE_FACETS
    search_summary_field = "summary"
    search_body_fields = ("body",)

    summary = models.TextField(_("summary"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes to study"), default=15)
    body = StreamField(LessonBodyBlock(), blank=True, verbose_name=_("body"))

    translated_content_fields = ("body",)
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @cached_property
    def course(self) -> CoursePage | None:
        return CoursePage.objects.ancestor_of(self).first()

    def search_facets(self) -> dict[str, list[str]]:
        course = self.course
        facets = course.search_facets() if course else {}
        facets["available_in"] = [code for code in language_codes() if self.is_available_in(code)]
        return facets

    def serve(self, request, *args, **kwargs):
        from courses.views import lesson_page_post

        if request.method == "POST":
            return lesson_page_post(request, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_page_context

        context = super().get_context(request, *args, **kwargs)
        course = self.course
        context["course"] = course
        context.update(course_page_context(course=course, user=request.user, current=self))
        return context


class QuizPage(HubPage):
    """A module's quiz, or the course's final quiz when placed directly under the course."""

    # core.fragments: only `?attempt=` changes the content, and only for the learner
    # who made the attempt; logged-in visitors are never served a stored fragment.
    content_ignores_query_string = True

    intro = models.TextField(_("introduction"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty to use the course's pass mark."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 for unlimited attempts.")
    )
    questions = StreamField(QuestionsBlock(), blank=True, verbose_name=_("questions"))

    translated_content_fields = ("questions",)
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]),
        FieldPanel("questions"),
    ]
    parent_page_types = ["courses.ModulePage", "courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    @cached_property
    def course(self) -> CoursePage | None:
        return CoursePage.objects.ancestor_of(self).first()

    def meta_description(self) -> str:
        """The quiz's introduction, else its course's description (a quiz often has no introduction)."""
        own = super().meta_description()
        if own or self.pk is None:
            return own or (self.course.meta_description() if self.course else "")
        # Cached: the head is rendered even when the main content comes from core.fragments.
        return cached_until_content_changes(
            f"quiz-description:{self.pk}:{get_language()}",
            lambda: self.course.meta_description() if self.course else "",
        )

    @property
    def is_final(self) -> bool:
        return self.depth == self.course.depth + 1 if self.course else False

    def effective_pass_mark(self) -> int:
        if self.pass_mark:
            return self.pass_mark
        return self.course.pass_mark if self.course else 70

    def serve(self, request, *args, **kwargs):
        from courses.views import quiz_page_post

        if request.method == "POST":
            return quiz_page_post(request, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import quiz_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(quiz_page_context(quiz=self, user=request.user, attempt_id=request.GET.get("attempt")))
        return context


# --- Progress ---------------------------------------------------------------


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    started = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrolment_per_course")]
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.user} – {self.course_id}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="one_completion_per_lesson")]

    def __str__(self) -> str:
        return f"{self.user} – {self.lesson_id}"


class QuizAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    # {"<question index>": [<choice index>, ...]}, as submitted and validated
    answers = models.JSONField(_("answers"), default=dict)
    language = models.CharField(_("language"), max_length=10)
    created = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "quiz"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.quiz_id}: {self.score}%"


# --- Certificates -------------------------------------------------------------


@deconstructible
class PrivateMediaStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, never under MEDIA_ROOT and never at a public URL.

    The location is read on each use so that tests (and deployments) can move it.
    """

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no public URL; serve them through a view that checks permissions")


private_storage = PrivateMediaStorage()


class Certificate(models.Model):
    VALID = "valid"
    REVOKED = "revoked"
    STATUSES = [(VALID, _("valid")), (REVOKED, _("revoked"))]

    code = models.CharField(_("code"), max_length=40, unique=True, editable=False)
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    # Kept when the learner deletes their account or the course is removed:
    # the certificate stays verifiable from its own copies of name and title.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    course = models.ForeignKey(CoursePage, null=True, on_delete=models.SET_NULL, related_name="certificates")
    holder_name = models.CharField(_("holder's name"), max_length=200)
    course_titles = models.JSONField(_("course title per language"), default=dict)
    language = models.CharField(_("language of issue"), max_length=10)
    issued_on = models.DateField(_("issued on"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=VALID)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return code_display(self.code)

    @property
    def is_valid(self) -> bool:
        return self.status == self.VALID

    def course_title(self, language: str) -> str:
        return self.course_titles.get(language) or self.course_titles.get(settings.LANGUAGE_CODE, "")


class CertificateFile(models.Model):
    """A rendered certificate PDF, stored once per certificate and language."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(_("file"), storage=private_storage, upload_to="certificates/")
    # courses.pdf.certificate_design_version when the file was made: a new design renders it again.
    template_version = models.CharField(_("template version"), max_length=64)
    created = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "language"], name="one_file_per_certificate_language")
        ]

    def __str__(self) -> str:
        return f"{self.certificate} ({self.language})"


class CoursePack(models.Model):
    """The offline course pack: a course in one language as one stored PDF.

    `content_version` fingerprints the course's live pages (each page's live
    revision), `template_version` the design (courses.pdf.course_pack_design_version);
    a pack whose fingerprints differ from the current ones is out of date and
    is made again (courses.services.course_pack_build).
    """

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="packs")
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(_("file"), storage=private_storage, upload_to="course-packs/")
    size = models.PositiveIntegerField(_("size in bytes"))
    pages = models.PositiveIntegerField(_("pages"))
    content_version = models.CharField(_("content version"), max_length=64)
    template_version = models.CharField(_("template version"), max_length=64)
    created = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course pack")
        verbose_name_plural = _("course packs")
        constraints = [models.UniqueConstraint(fields=["course", "language"], name="one_pack_per_course_language")]

    def __str__(self) -> str:
        return f"{self.course_id} ({self.language})"
