"""Staff views in the Wagtail admin: per course, enrolments, completions and certificates; CSV; revoke and reissue."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import Certificate, CoursePage
from courses.selectors import course_certificates, course_enrolments, course_lesson_counts, course_progress
from courses.services import certificate_reissue, certificate_revoke

VIEW_PERMISSION = "courses.view_enrolment"
CHANGE_PERMISSION = "courses.change_certificate"


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class CourseReportListView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Training reports")
    template_name = "courses/admin/course_list.html"

    def dispatch(self, request, *args, **kwargs):
        _require(request, VIEW_PERMISSION)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["courses"] = CoursePage.objects.order_by("path")
        return context


class CourseReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "courses/admin/course_report.html"

    def dispatch(self, request, *args, **kwargs):
        _require(request, VIEW_PERMISSION)
        self.course = get_object_or_404(CoursePage, pk=kwargs["course_id"])
        if request.GET.get("export") in ("enrolments", "certificates"):
            return self.export_csv(request.GET["export"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Training report: %(course)s") % {"course": self.course.title}

    def rows(self):
        total = course_progress(user=None, course=self.course)
        lesson_total = len(total.lesson_ids)
        counts = course_lesson_counts(course=self.course)
        return [
            {
                "enrolment": enrolment,
                "user": enrolment.user,
                "lessons_done": counts.get(enrolment.user_id, 0),
                "lessons_total": lesson_total,
            }
            for enrolment in course_enrolments(course=self.course)
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            course=self.course,
            rows=self.rows(),
            certificates=course_certificates(course=self.course),
            can_change=self.request.user.has_perm(CHANGE_PERMISSION),
        )
        return context

    def export_csv(self, kind: str) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="course-{self.course.pk}-{kind}.csv"'
        response.write("\ufeff")  # spreadsheet programs read UTF-8 (Greek, Arabic) only with a BOM
        writer = csv.writer(response)
        if kind == "enrolments":
            writer.writerow(["username", "email", "started", "completed_at", "lessons_done", "lessons_total"])
            for row in self.rows():
                enrolment = row["enrolment"]
                writer.writerow(
                    [
                        _csv_safe(row["user"].get_username()),
                        _csv_safe(row["user"].email),
                        enrolment.started.isoformat(),
                        enrolment.completed_at.isoformat() if enrolment.completed_at else "",
                        row["lessons_done"],
                        row["lessons_total"],
                    ]
                )
        else:
            writer.writerow(["code", "holder", "issued_on", "language", "hours", "status", "revoked_reason"])
            for certificate in course_certificates(course=self.course):
                writer.writerow(
                    [
                        certificate.display_code,
                        _csv_safe(certificate.holder_name),
                        certificate.issued_on.isoformat(),
                        certificate.language,
                        certificate.hours,
                        certificate.status,
                        _csv_safe(certificate.revoked_reason),
                    ]
                )
        return response


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_POST
def certificate_revoke_view(request, certificate_id: int):
    _require(request, CHANGE_PERMISSION)
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    try:
        certificate_revoke(certificate=certificate, reason=request.POST.get("reason", ""), by=request.user)
        messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate.display_code})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to_report(certificate)


@require_POST
def certificate_reissue_view(request, certificate_id: int):
    _require(request, CHANGE_PERMISSION)
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    replacement = certificate_reissue(certificate=certificate, by=request.user)
    messages.success(request, _("Certificate reissued as %(code)s.") % {"code": replacement.display_code})
    return _back_to_report(certificate)


def _back_to_report(certificate: Certificate):
    if certificate.course_id:
        return HttpResponseRedirect(reverse("courses_admin:report", args=[certificate.course_id]))
    return HttpResponseRedirect(reverse("courses_admin:list"))
