"""Site-wide pages: home, about, standard pages, city clusters, and partners."""

from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.facets import CLUSTER_FACET, COUNTRY_FACET
from core.pages import HubPage
from core.registry import cluster_sections, home_sections
from core.searchable import SearchablePageMixin
from hub.blocks import BodyBlock, OfferBlock
from hub.selectors import site_chrome


class HomePage(HubPage):
    content_ignores_query_string = True  # core.fragments
    hero_heading = models.CharField(_("hero heading"), max_length=120)
    intro = models.TextField(_("introduction"), max_length=400)
    offers = StreamField([("offer", OfferBlock())], blank=True, verbose_name=_("what the Hub offers"))

    translated_content_fields = ("hero_heading", "intro")
    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("intro"),
        FieldPanel("offers"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route_by_url_path(self, request, path_components):
        """Find a descendant by its translated URL path in two queries, whatever its depth.

        Wagtail walks the tree one level (two queries) at a time; anything this
        lookup cannot resolve, such as an untranslated slug, goes that way.
        """
        if path_components:
            page = self._descendant_at(path_components)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def _descendant_at(self, path_components: list[str]) -> Page | None:
        language = get_language()
        own_path = getattr(self, f"url_path_{language}", None) or self.url_path
        wanted = own_path + "/".join(path_components) + "/"
        base = (
            Page.objects.filter(path__startswith=self.path, **{f"url_path_{language}": wanted})
            .only("id", "content_type_id")
            .first()
        )
        if base is None:
            return None
        model = ContentType.objects.get_for_id(base.content_type_id).model_class()
        queryset = model.objects.all()
        if getattr(model, "route_select_related", ()):
            queryset = queryset.select_related(*model.route_select_related)
        return queryset.filter(pk=base.pk).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["clusters"] = (
            ClusterPage.objects.visible(getattr(request, "user", None)).child_of(self).order_by("path")
        )
        context["sections"] = home_sections(request=request, page=self)
        return context


class StandardPage(HubPage):
    """A page of text: privacy notice, terms, accessibility statement."""

    content_ignores_query_string = True  # core.fragments

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    translated_content_fields = ("body",)
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["hub.HomePage", "hub.StandardPage"]
    subpage_types = ["hub.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class AboutPage(StandardPage):
    """The INNOMED-UP project, its partners and the EU funding statement."""

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["hub.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("about page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["partners"] = Partner.objects.select_related("cluster").order_by("-is_lead", "sort_order", "acronym")
        return context


class ClusterPage(SearchablePageMixin, HubPage):
    """One of the six city clusters; its slug is the cluster's key in imports."""

    content_ignores_query_string = True  # core.fragments

    search_type = "cluster"
    search_type_label = _("City clusters")
    search_hit_label = _("City cluster")
    # A city page mentions every topic of its case studies without being about them.
    search_weight = 0.5
    search_facet_declarations = (CLUSTER_FACET, COUNTRY_FACET)
    search_summary_field = "intro"
    search_body_fields = ("tagline", "body")

    tagline = models.CharField(_("tagline"), max_length=140, blank=True)
    intro = models.TextField(_("introduction"), max_length=500)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    country = CountryField(_("country"))
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    social_image_field = "image"
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    translated_content_fields = ("intro", "body")
    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("latitude"), FieldPanel("longitude")],
            heading=_("Place"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("tagline"),
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("country"),
    ]
    parent_page_types = ["hub.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("city cluster page")

    @property
    def key(self) -> str:
        """The cluster's stable key (its English slug), used by imports and filters."""
        return self.slug_en or self.slug

    def search_facets(self) -> dict[str, list[str]]:
        return {"cluster": [self.key], "country": [str(self.country)]}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = cluster_sections(request=request, cluster=self)
        chrome = site_chrome(request=request)
        context["partners"] = [partner for partner in chrome.partners if partner.cluster_id == self.pk]
        return context


@register_snippet
class Partner(ClusterableModel):
    """A partner organisation of the INNOMED-UP project."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    is_lead = models.BooleanField(_("lead partner"), default=False)
    cluster = models.ForeignKey(
        ClusterPage,
        verbose_name=_("city cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partners",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("key"),
        FieldPanel("acronym"),
        FieldPanel("name"),
        FieldPanel("region"),
        FieldPanel("country"),
        FieldPanel("website"),
        FieldPanel("is_lead"),
        FieldPanel("cluster"),
        FieldPanel("logo"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["sort_order", "acronym"]

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"
