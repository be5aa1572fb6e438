from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Site")

    def ready(self):
        from hub import checks  # noqa: F401  (checks register on import)
        from hub.models import HomePage

        # wagtail-modeltranslation replaces `route` on every page model when it
        # starts (before this app); put the home page's one-query routing back.
        HomePage.route = HomePage.route_by_url_path
