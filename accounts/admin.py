from django.contrib import admin

from accounts.models import SMEProfile


@admin.register(SMEProfile)
class SMEProfileAdmin(admin.ModelAdmin):
    list_display = ("organisation", "city", "country", "size", "user")
    list_filter = ("size", "country")
    search_fields = ("organisation", "city", "user__email")
    raw_id_fields = ("user",)
