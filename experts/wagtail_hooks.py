"""How experts and guides join the site: sections, URLs, API, admin inbox, the demo seed."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import registry
from experts import views
from experts.api import ExpertsAPIViewSet
from experts.demo import seed_experts
from experts.selectors import cluster_experts, expert_featured
from experts.services import EDITORS_GROUP, EXPERTS_GROUP, expert_import

HOME_FEATURED = 4


@hooks.register(registry.HOME_SECTIONS)
def featured_experts_section(*, request, page):
    experts = expert_featured(limit=HOME_FEATURED, user=getattr(request, "user", None))
    if not experts:
        return None
    return registry.Section(
        key="experts", template="experts/sections/home.html", order=30, context={"experts": experts}
    )


@hooks.register(registry.CLUSTER_SECTIONS)
def cluster_experts_section(*, request, cluster):
    experts = cluster_experts(cluster=cluster, user=getattr(request, "user", None))
    return registry.Section(
        key="experts",
        template="experts/sections/cluster.html",
        order=30,
        context={"experts": experts, "cluster": cluster},
    )


@hooks.register(registry.API_ENDPOINTS)
def expert_api_endpoints():
    return [("experts", ExpertsAPIViewSet)]


@hooks.register(registry.I18N_URLS)
def expert_urls():
    return [
        path("experts/<int:pk>/contact/", views.contact, name="expert_contact"),
        path("experts/<int:pk>/contact/sent/", views.contact_sent, name="expert_contact_sent"),
        path("become-an-expert/", views.apply, name="expert_apply"),
        path("become-an-expert/sent/", views.application_sent, name="expert_application_sent"),
    ]


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("experts/messages/", views.admin_messages, name="experts_admin_messages")]


class MessagesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or hasattr(request.user, "expert_profile")


@hooks.register("register_admin_menu_item")
def messages_menu_item():
    return MessagesMenuItem(
        _("Contact messages"), reverse("experts_admin_messages"), icon_name="mail", order=250, name="expert-messages"
    )


# What an expert needs in the admin: pages, images, documents, their messages.
EXPERT_HIDDEN_MENU_ITEMS = {"reports", "snippets", "settings", "help", "workflows"}


@hooks.register("construct_main_menu")
def simplify_expert_menu(request, menu_items):
    user = request.user
    if user.is_superuser:
        return
    names = set(user.groups.values_list("name", flat=True))
    if EXPERTS_GROUP in names and EDITORS_GROUP not in names:
        menu_items[:] = [item for item in menu_items if item.name not in EXPERT_HIDDEN_MENU_ITEMS]


@hooks.register(registry.IMPORTERS)
def expert_importer():
    return registry.Importer(key="experts", run=expert_import, order=30)


hooks.register(registry.SEED_STEPS, seed_experts, order=30)
