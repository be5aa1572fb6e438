"""Factories for expert profiles, guides and expert accounts."""

import factory
from django.contrib.auth.models import Group

from experts.models import ExpertIndexPage, ExpertPage, GuideIndexPage, GuidePage
from experts.services import EDITORS_GROUP, EXPERTS_GROUP
from hub.models import ClusterPage
from tests.factories import HubPageFactory, UserFactory


def expert_user(username: str, *, group: str = EXPERTS_GROUP):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def editor_user(username: str = "editor-test"):
    return expert_user(username, group=EDITORS_GROUP)


class ExpertPageFactory(HubPageFactory):
    class Meta:
        model = ExpertPage

    role = "Circular design adviser"
    bio = factory.LazyAttribute(lambda page: f"{page.title} advises creative SMEs.")
    cluster = factory.LazyFunction(lambda: ClusterPage.objects.order_by("path").first())
    country = "GR"
    email = factory.LazyAttribute(lambda page: f"{page.slug}@private.example.net")

    @classmethod
    def default_parent(cls):
        return ExpertIndexPage.objects.get()


class GuidePageFactory(HubPageFactory):
    class Meta:
        model = GuidePage

    summary = factory.LazyAttribute(lambda page: f"How to {page.title}.")

    @classmethod
    def default_parent(cls):
        return GuideIndexPage.objects.get()
