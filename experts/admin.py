"""Staff review applications in the Django admin; approving one creates the account and a draft profile."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from experts.models import ExpertApplication
from experts.services import expert_application_approve


@admin.register(ExpertApplication)
class ExpertApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "cluster", "country", "status", "created_at")
    list_filter = ("status", "cluster")
    search_fields = ("name", "organisation")
    readonly_fields = ("status", "created_at", "decided_at", "expert", "language")
    actions = ["approve"]

    @admin.action(description=_("Approve: create the account, a draft profile and send the invitation"))
    def approve(self, request, queryset):
        approved = 0
        for application in queryset.filter(status=ExpertApplication.Status.PENDING):
            expert_application_approve(application=application)
            approved += 1
        self.message_user(
            request,
            ngettext("%(count)d application approved.", "%(count)d applications approved.", approved)
            % {"count": approved},
            messages.SUCCESS,
        )
