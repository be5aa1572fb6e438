"""Learner actions (POST forms that work without JavaScript), the dashboard and certificate views."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.languages import language_codes
from courses.models import CoursePage, LessonPage, QuizPage
from courses.pdf import PdfRenderError
from courses.selectors import certificate_by_code, certificate_stored_file, learner_dashboard, quiz_questions
from courses.services import (
    certificate_file,
    course_pack_build,
    enrolment_create,
    lesson_complete,
    quiz_attempt_submit,
)

logger = logging.getLogger(__name__)


def _page_url(request, page) -> str:
    return page.get_url(request=request)


def _login_first(request, page):
    return redirect_to_login(_page_url(request, page))


def course_page_post(request, course: CoursePage):
    if not request.user.is_authenticated:
        return _login_first(request, course)
    if request.POST.get("action") == "enrol":
        enrolment_create(user=request.user, course=course)
        messages.success(request, _("You are enrolled. Start with the first lesson when you are ready."))
    return HttpResponseRedirect(_page_url(request, course))


def lesson_page_post(request, lesson: LessonPage):
    if not request.user.is_authenticated:
        return _login_first(request, lesson)
    if request.POST.get("action") == "complete":
        lesson_complete(user=request.user, lesson=lesson, language=translation.get_language())
        messages.success(request, _("Lesson marked as done."))
        following = request.POST.get("next")
        if following and following.startswith("/") and not following.startswith("//"):
            return HttpResponseRedirect(following)
    return HttpResponseRedirect(_page_url(request, lesson))


def quiz_page_post(request, quiz: QuizPage):
    if not request.user.is_authenticated:
        return _login_first(request, quiz)
    try:
        attempt = quiz_attempt_submit(
            user=request.user, quiz=quiz, data=request.POST, language=translation.get_language()
        )
    except ValidationError as error:
        # Show the quiz again with the message; nothing was recorded.
        response = quiz.serve(_as_get(request))
        response.context_data["form_errors"] = error.messages
        response.context_data["questions"] = quiz_questions(quiz, submitted=request.POST)
        response.status_code = 400
        return response
    return HttpResponseRedirect(f"{_page_url(request, quiz)}?attempt={attempt.pk}#result")


def _as_get(request):
    request.method = "GET"
    return request


@login_required
def dashboard(request):
    return render(request, "courses/dashboard.html", {"dashboard": learner_dashboard(user=request.user)})


def certificate_verify(request, code: str):
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "courses/certificate_invalid.html", {"code": code[:80]}, status=404)
    language = translation.get_language()
    return render(
        request,
        "courses/certificate_verify.html",
        {"certificate": certificate, "course_title": certificate.course_title(language)},
    )


@require_GET
def certificate_api(request, code: str):
    certificate = certificate_by_code(code)
    if certificate is None:
        return JsonResponse({"error": "not a valid certificate"}, status=404)
    data = {
        "code": certificate.display_code,
        "status": certificate.status,
        "holder": certificate.holder_name,
        "course": certificate.course_title(certificate.language),
        "course_titles": certificate.course_titles,
        "issued_on": certificate.issued_on.isoformat(),
        "language": certificate.language,
        "hours": str(certificate.hours),
    }
    if not certificate.is_valid:
        data["revoked_on"] = certificate.revoked_at.date().isoformat() if certificate.revoked_at else None
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def certificate_pdf(request, code: str, language: str):
    """The stored PDF, for its holder (while valid) and staff; everyone else gets a 404."""
    if language not in language_codes():
        raise Http404
    # One query when the PDF is already stored (the usual case: downloads are frequent, renders once).
    stored = certificate_stored_file(code=code, language=language)
    certificate = stored.certificate if stored is not None else certificate_by_code(code)
    if certificate is None:
        raise Http404
    is_holder = certificate.user_id == request.user.pk and certificate.is_valid
    if not (is_holder or request.user.is_staff):
        raise Http404
    return _pdf_download(
        request,
        lambda: certificate_file(certificate=certificate, language=language, stored=stored),
        filename=f"certificate-{certificate.display_code}-{language}.pdf",
        failure=f"certificate {certificate.display_code}: no PDF in {language}",
    )


def course_pack(request, course_id: int, language: str):
    """The offline course pack, for whoever may see the course (anonymous readers: public courses only); else 404.

    Packs are made ahead (on publish by `course_packs worker`, by seed_demo and
    `course_packs build`); one that is missing or out of date is made now,
    which takes a few seconds, once.
    """
    course = CoursePage.objects.visible(request.user).filter(pk=course_id).first()
    if course is None or language not in language_codes():
        raise Http404
    return _pdf_download(
        request,
        lambda: course_pack_build(course=course, language=language),
        filename=f"{course.slug}-{language}.pdf",
        failure=f"course {course.pk}: no course pack in {language}",
    )


def _pdf_download(request, stored_pdf, *, filename: str, failure: str):
    """The PDF record `stored_pdf()` returns (made now if need be) as a download; a 503 page if none can be made."""
    try:
        stored = stored_pdf()
    except PdfRenderError:
        logger.exception(failure)
        return render(request, "courses/pdf_unavailable.html", status=503)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
