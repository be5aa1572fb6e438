"""factory_boy factories for objects tests create beyond the demo site."""

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from casestudies.models import CaseStudyIndexPage, CaseStudyPage, Sector
from hub.models import ClusterPage, HomePage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda number: f"user{number}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class HubPageFactory(factory.Factory):
    """Creates a published page under `parent` (keyword), with its default-language title and slug.

    The pattern for every page type: courses and experts add theirs beside these.
    """

    class Meta:
        abstract = True

    title = factory.Sequence(lambda number: f"Test page {number}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        kwargs.setdefault("title_en", kwargs["title"])
        kwargs.setdefault("slug_en", kwargs["slug"])
        page = model_class(*args, **kwargs)
        page.live = False
        (parent or cls.default_parent()).add_child(instance=page)
        page.save_revision().publish()
        # Publishing saves a copy made from the revision; hand back the live page.
        return model_class.objects.get(pk=page.pk)

    @classmethod
    def default_parent(cls):
        return HomePage.objects.get()


class ClusterPageFactory(HubPageFactory):
    class Meta:
        model = ClusterPage

    intro = "A city cluster made for a test."
    country = "GR"
    latitude = 38.0
    longitude = 23.7


class CaseStudyPageFactory(HubPageFactory):
    class Meta:
        model = CaseStudyPage

    summary = factory.LazyAttribute(lambda page: f"What {page.title} did.")
    cluster = factory.LazyFunction(lambda: ClusterPage.objects.order_by("path").first())
    country = "GR"
    sector = factory.LazyFunction(lambda: Sector.objects.order_by("sort_order").first())
    year = 2024

    @classmethod
    def default_parent(cls):
        return CaseStudyIndexPage.objects.get()
