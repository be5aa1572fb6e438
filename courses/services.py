"""Changes of state in training: enrol, complete a lesson, submit a quiz, issue and revoke certificates.

Every function is keyword-only. Progress is recorded per user and page, never
per language. Completing the last required item issues the certificate
(`course_completion_check`).
"""

from __future__ import annotations

from collections.abc import Mapping

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
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
    QuizPage,
)
from courses.pdf import CertificateData, certificate_design_version, render_certificate_pdf
from courses.selectors import attempts_left, course_progress

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


def certificate_file(*, certificate: Certificate, language: str) -> CertificateFile:
    """The stored PDF of `certificate` in `language`, rendered now if missing or made from an older template."""
    version = certificate_design_version(language=language)
    stored = CertificateFile.objects.filter(certificate=certificate, language=language).first()
    if (
        stored is not None
        and stored.template_version == version
        and stored.file
        and stored.file.storage.exists(stored.file.name)
    ):
        return stored
    content = render_certificate_pdf(data=certificate_data(certificate=certificate, language=language))
    if stored is None:
        stored = CertificateFile(certificate=certificate, language=language)
    elif stored.file:
        stored.file.delete(save=False)
    stored.template_version = version
    stored.file.save(f"{certificate.code}-{language}.pdf", ContentFile(content), save=False)
    stored.save()
    return stored
