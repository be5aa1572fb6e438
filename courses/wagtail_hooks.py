"""How training joins the site: URLs, home section, related pages, API endpoint, admin reports, demo seed."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import registry
from courses import admin_views, views
from courses.api import CoursesAPIViewSet
from courses.demo import seed_course_experts, seed_course_packs, seed_courses
from courses.selectors import cluster_courses, course_featured, course_index, courses_naming

HOME_FEATURED = 3


@hooks.register(registry.I18N_URLS)
def course_i18n_urls():
    # Printed in certificates' QR codes: these addresses must never change.
    return [
        path("dashboard/", views.dashboard, name="learner_dashboard"),
        path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
        path("certificates/<str:code>/pdf/<str:language>/", views.certificate_pdf, name="certificate_pdf"),
        path("course-packs/<int:course_id>/<str:language>/", views.course_pack, name="course_pack"),
        # LocaleMiddleware redirects an unprefixed 404 (an unknown code at /api/certificates/…)
        # to /<lang>/api/certificates/…; this answers there with the same JSON 404.
        path("api/certificates/<str:code>/", views.certificate_api, name="certificate_api_prefixed"),
    ]


@hooks.register(registry.URLS)
def course_urls():
    return [path("api/certificates/<str:code>/", views.certificate_api, name="certificate_api")]


@hooks.register(registry.HOME_SECTIONS)
def featured_courses_section(*, request, page):
    courses = course_featured(user=getattr(request, "user", None), limit=HOME_FEATURED)
    if not courses:
        return None
    return registry.Section(
        key="featured-courses",
        template="courses/sections/featured.html",
        order=20,
        context={"courses": courses, "index": course_index()},
    )


@hooks.register(registry.CLUSTER_SECTIONS)
def cluster_courses_section(*, request, cluster):
    courses = cluster_courses(cluster=cluster, user=getattr(request, "user", None))
    if not courses:
        return None
    return registry.Section(
        key="courses",
        template="courses/sections/cluster.html",
        order=20,
        context={"courses": courses, "cluster": cluster},
    )


@hooks.register(registry.RELATED_PAGES)
def courses_naming_the_page(*, page, user):
    return courses_naming(page=page, user=user)


@hooks.register(registry.API_ENDPOINTS)
def course_api_endpoints():
    return [("courses", CoursesAPIViewSet)]


@hooks.register("register_admin_urls")
def course_admin_urls():
    urls = [
        path("", admin_views.CourseReportListView.as_view(), name="list"),
        path("<int:course_id>/", admin_views.CourseReportView.as_view(), name="report"),
        path("certificates/<int:certificate_id>/revoke/", admin_views.certificate_revoke_view, name="revoke"),
        path("certificates/<int:certificate_id>/reissue/", admin_views.certificate_reissue_view, name="reissue"),
    ]
    return [path("training/", include((urls, "courses_admin"), namespace="courses_admin"))]


class TrainingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def training_menu_item():
    return TrainingMenuItem(_("Training reports"), reverse("courses_admin:list"), icon_name="list-ul", order=900)


hooks.register(registry.SEED_STEPS, seed_courses, order=20)
# After the experts' own step (order 30).
hooks.register(registry.SEED_STEPS, seed_course_experts, order=40)
# Last: packs print the courses as the steps before left them.
hooks.register(registry.SEED_STEPS, seed_course_packs, order=90)
