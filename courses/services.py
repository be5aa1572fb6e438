"""Changes of state in training: enrol, complete a lesson, submit a quiz, issue and revoke certificates.

Every function is keyword-only. Progress is recorded per user and page, never
per language. Completing the last required item issues the certificate
(`course_completion_check`).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.languages import default_language, language_codes
from courses.certificates import code_generate
from courses.models import (
    Certificate,
    CertificateFile,
    CoursePack,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
    QuizAttempt,
    QuizPage,
)
from courses.pdf import (
    CertificateData,
    CoursePackData,
    CoursePackLesson,
    CoursePackModule,
    CoursePackQuestion,
    CoursePackQuiz,
    certificate_design_version,
    course_pack_design_version,
    render_certificate_pdf,
    render_course_pack,
)
from courses.selectors import attempts_left, course_pack_content_version, course_pack_pages, course_progress

# --- Enrolment and progress -------------------------------------------------


def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Enrol `user` in `course`; enrolling twice returns the existing enrolment."""
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
    return enrolment


def lesson_complete(*, user, lesson: LessonPage, language: str | None = None) -> LessonCompletion:
    """Mark `lesson` done for `user` (enrolling them in its course) and check the course's completion.

    The completion holds no language: it counts in every language.
    """
    course = lesson.course
    enrolment = enrolment_create(user=user, course=course)
    try:
        with transaction.atomic():
            completion, _created = LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:  # a double click raced us
        completion = LessonCompletion.objects.get(user=user, lesson=lesson)
    course_completion_check(enrolment=enrolment, language=language or translation.get_language())
    return completion


def quiz_answers_parse(*, quiz: QuizPage, data: Mapping) -> dict[str, list[int]]:
    """The learner's answers from form data (`q<n>` → choice positions), validated against `quiz`.

    Raises ValidationError with a translated message when a question is
    unanswered, names an unknown choice, or has several answers where one is asked.
    Anything else in `data` is ignored.
    """
    answers: dict[str, list[int]] = {}
    getlist = data.getlist if hasattr(data, "getlist") else lambda key: data.get(key, [])
    for index, block in enumerate(quiz.questions):
        raw = getlist(f"q{index}")
        if isinstance(raw, str):
            raw = [raw]
        choices = block.value["choices"]
        positions = set()
        for value in raw:
            if not isinstance(value, str) or not value.isdigit() or int(value) >= len(choices):
                raise ValidationError(
                    _("Question %(number)s: that answer is not one of the choices.") % {"number": index + 1}
                )
            positions.add(int(value))
        if not positions:
            raise ValidationError(
                _("Please answer every question (question %(number)s has no answer).") % {"number": index + 1}
            )
        if len(positions) > 1 and not block.value["multiple"]:
            raise ValidationError(_("Question %(number)s takes only one answer.") % {"number": index + 1})
        answers[str(index)] = sorted(positions)
    return answers


def quiz_score(*, quiz: QuizPage, answers: dict[str, list[int]]) -> int:
    """Percentage of questions answered exactly right (every correct choice and no other)."""
    questions = list(quiz.questions)
    if not questions:
        return 0
    right = 0
    for index, block in enumerate(questions):
        correct = {position for position, choice in enumerate(block.value["choices"]) if choice["correct"]}
        if set(answers.get(str(index), [])) == correct:
            right += 1
    return round(100 * right / len(questions))


def quiz_attempt_submit(*, user, quiz: QuizPage, data: Mapping, language: str | None = None) -> QuizAttempt:
    """Score the learner's answers on the server and record the attempt.

    Raises ValidationError (nothing recorded) when the answers are incomplete
    or invalid, when the quiz is already passed, or when no attempt is left.
    A passing attempt may complete the course and issue its certificate.
    """
    language = language or translation.get_language() or default_language()
    course = quiz.course
    with transaction.atomic():
        # Lock the learner's row so that two simultaneous submissions cannot both use the last attempt.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz))
        if any(attempt.passed for attempt in attempts):
            raise ValidationError(_("You have already passed this quiz."))
        if attempts_left(quiz=quiz, attempts=attempts) == 0:
            raise ValidationError(_("You have used every attempt allowed for this quiz."))
        answers = quiz_answers_parse(quiz=quiz, data=data)
        score = quiz_score(quiz=quiz, answers=answers)
        attempt = QuizAttempt.objects.create(
            user=user,
            quiz=quiz,
            score=score,
            passed=score >= quiz.effective_pass_mark(),
            answers=answers,
            language=language,
        )
        enrolment = enrolment_create(user=user, course=course)
    if attempt.passed:
        course_completion_check(enrolment=enrolment, language=language)
    return attempt


def course_completion_check(*, enrolment: Enrolment, language: str) -> Certificate | None:
    """Mark the enrolment complete and issue the certificate when every required lesson and quiz is done.

    Returns the certificate issued (or already held), or None while the course is incomplete.
    """
    existing = enrolment.certificates.filter(status=Certificate.VALID).first()
    if existing is not None:
        return existing
    progress = course_progress(user=enrolment.user, course=enrolment.course)
    if not progress.complete:
        return None
    if enrolment.completed_at is None:
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
    return certificate_issue(enrolment=enrolment, language=language)


# --- Certificates -------------------------------------------------------------


def holder_name_of(user) -> str:
    """The name printed on a certificate: the learner's full name, else their user name."""
    return (user.get_full_name() or "").strip() or user.get_username()


def certificate_issue(*, enrolment: Enrolment, language: str) -> Certificate:
    """Issue a certificate for a completed enrolment, copying the holder's name and the course's titles.

    `language` is the language the learner completed the course in; the PDF
    exists in every language. Returns the enrolment's valid certificate if it has one.
    """
    existing = enrolment.certificates.filter(status=Certificate.VALID).first()
    if existing is not None:
        return existing
    course = enrolment.course
    titles = {code: getattr(course, f"title_{code}") or course.title_en for code in language_codes()}
    return Certificate.objects.create(
        code=code_generate(),
        enrolment=enrolment,
        user=enrolment.user,
        course=course,
        holder_name=holder_name_of(enrolment.user),
        course_titles=titles,
        language=language if language in language_codes() else default_language(),
        issued_on=timezone.localdate(enrolment.completed_at or timezone.now()),
        hours=course.estimated_hours,
    )


def certificate_revoke(*, certificate: Certificate, reason: str, by) -> Certificate:
    """Revoke a certificate; the verification page and API then say so, with the date.

    Raises ValidationError when no reason is given.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking the certificate."))
    certificate.status = Certificate.REVOKED
    certificate.revoked_reason = reason
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.save(update_fields=["status", "revoked_reason", "revoked_at", "revoked_by"])
    return certificate


def certificate_reissue(*, certificate: Certificate, by) -> Certificate:
    """A new certificate with a new code replacing `certificate`, which is revoked.

    The holder's name is copied again from the account (if it still exists).
    """
    with transaction.atomic():
        if certificate.is_valid:
            certificate_revoke(certificate=certificate, reason=_("Replaced by a reissued certificate."), by=by)
        replacement = Certificate.objects.create(
            code=code_generate(),
            enrolment=certificate.enrolment,
            user=certificate.user,
            course=certificate.course,
            holder_name=holder_name_of(certificate.user) if certificate.user else certificate.holder_name,
            course_titles=certificate.course_titles,
            language=certificate.language,
            issued_on=timezone.localdate(),
            hours=certificate.hours,
        )
        certificate.replaced_by = replacement
        certificate.save(update_fields=["replaced_by"])
    return replacement


def certificate_verify_url(*, certificate: Certificate, language: str) -> str:
    with translation.override(language):
        path = reverse("certificate_verify", kwargs={"code": certificate.display_code})
    return settings.SITE_URL + path


def certificate_data(*, certificate: Certificate, language: str) -> CertificateData:
    """What the PDF in `language` prints: the holder and course as issued, the code and the verification address."""
    return CertificateData(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title(language),
        completion_date=certificate.issued_on,
        hours=certificate.hours,
        code=certificate.display_code,
        verification_url=certificate_verify_url(certificate=certificate, language=language),
        language=language,
    )


def certificate_file(
    *, certificate: Certificate, language: str, stored: CertificateFile | None = None
) -> CertificateFile:
    """The stored PDF of `certificate` in `language`, rendered now if missing or made from an older template.

    `stored`: the file record if the caller already read it (saves a query).
    Raises courses.pdf.PdfRenderError when no PDF can be made; nothing is stored then.
    """
    version = certificate_design_version(language=language)
    if stored is None:
        stored = CertificateFile.objects.filter(certificate=certificate, language=language).first()
    if stored is not None and stored.template_version == version and _has_file(stored):
        return stored
    content = render_certificate_pdf(data=certificate_data(certificate=certificate, language=language))
    stored = stored or CertificateFile(certificate=certificate, language=language)
    stored.template_version = version
    _replace_file(stored, f"{certificate.code}-{language}.pdf", content)
    stored.save()
    return stored


def _has_file(stored) -> bool:
    """Whether a stored PDF record's file is really there (storage can lose it)."""
    return bool(stored.file) and stored.file.storage.exists(stored.file.name)


def _replace_file(stored, name: str, content: bytes) -> None:
    """Put `content` in `stored`'s file field in place of any old file (the record itself is not saved)."""
    if stored.file:
        stored.file.delete(save=False)
    stored.file.save(name, ContentFile(content), save=False)


# --- Offline course packs -------------------------------------------------------


def _pack_quiz(quiz: QuizPage) -> CoursePackQuiz:
    # Question text and choice text only: which choice is right and the feedback never reach the pack.
    return CoursePackQuiz(
        title=quiz.title,
        questions=tuple(
            CoursePackQuestion(
                text=block.value["text"], choices=tuple(choice["text"] for choice in block.value["choices"])
            )
            for block in quiz.questions
        ),
    )


def _pack_lesson(lesson: LessonPage, language: str) -> CoursePackLesson:
    body = lesson.body.render_as_block(context={"print_version": True, "site_url": settings.SITE_URL})
    if not lesson.is_available_in(language):
        # Shown in the default language: marked so, as the lesson page marks it.
        fallback = default_language()
        direction = "rtl" if translation.get_language_info(fallback)["bidi"] else "ltr"
        body = f'<div lang="{fallback}" dir="{direction}">{body}</div>'
    return CoursePackLesson(title=lesson.title, body_html=str(body))


def course_pack_data(*, course: CoursePage, language: str) -> CoursePackData:
    """The whole course in `language` as the pack prints it: live modules, lessons and quizzes, no answers."""
    with translation.override(language):
        pages = course_pack_pages(course=course)
        modules: list[tuple[ModulePage, list, list]] = []
        final_quiz = None
        for page in pages:
            if isinstance(page, ModulePage) and page.depth == course.depth + 1:
                modules.append((page, [], []))
            elif isinstance(page, LessonPage) and modules and page.path.startswith(modules[-1][0].path):
                modules[-1][1].append(_pack_lesson(page, language))
            elif isinstance(page, QuizPage):
                if page.depth == course.depth + 1:
                    final_quiz = final_quiz or _pack_quiz(page)
                elif modules and page.path.startswith(modules[-1][0].path):
                    modules[-1][2].append(_pack_quiz(page))
        return CoursePackData(
            title=course.title,
            summary=course.summary,
            language=language,
            modules=tuple(
                CoursePackModule(title=module.title, lessons=tuple(lessons), quiz=quizzes[0] if quizzes else None)
                for module, lessons, quizzes in modules
            ),
            final_quiz=final_quiz,
            hours=course.estimated_hours,
            # Readable on paper: an Arabic or Greek slug printed as letters, not %D8%A5...
            course_url=unquote(settings.SITE_URL + course.get_url()),
        )


def course_pack_build(*, course: CoursePage, language: str, force: bool = False) -> CoursePack:
    """The stored pack of `course` in `language`, made now if missing or older than the content or the design.

    Raises courses.pdf.PdfRenderError when no PDF can be made; the stored pack
    (if any) is then left as it was.
    """
    content_version = course_pack_content_version(course=course)
    design_version = course_pack_design_version(language=language)
    stored = CoursePack.objects.filter(course=course, language=language).first()
    if (
        not force
        and stored is not None
        and stored.content_version == content_version
        and stored.template_version == design_version
        and _has_file(stored)
    ):
        return stored
    rendered = render_course_pack(data=course_pack_data(course=course, language=language))
    stored = stored or CoursePack(course=course, language=language)
    stored.content_version = content_version
    stored.template_version = design_version
    stored.size = len(rendered.content)
    stored.pages = rendered.pages
    _replace_file(stored, f"{course.slug}-{language}.pdf", rendered.content)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:  # another process stored the same pack meanwhile: keep theirs
        stored.file.delete(save=False)
        return CoursePack.objects.get(course=course, language=language)
    return stored


def course_packs_refresh(*, courses=None, languages=None, force: bool = False) -> list[tuple[CoursePage, str, bool]]:
    """Make every missing or out-of-date pack of `courses` (default: every live course) in `languages`.

    Returns (course, language, made) for each pack looked at. A pack that fails
    to render raises PdfRenderError after the packs before it were stored.
    """
    courses = list(courses if courses is not None else CoursePage.objects.live().order_by("path"))
    results = []
    for course in courses:
        for language in languages or language_codes():
            stored = CoursePack.objects.filter(course=course, language=language)
            before = stored.values_list("created", flat=True).first()
            pack = course_pack_build(course=course, language=language, force=force)
            results.append((course, language, pack.created != before))
    return results
