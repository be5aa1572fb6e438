"""Circular-economy case studies and the taxonomies that classify them."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from casestudies.imports import TEXT_FIELDS
from core import registry
from core.facets import CLUSTER_FACET, COUNTRY_FACET
from core.languages import language_codes
from core.pages import HubPage
from core.searchable import SearchablePageMixin, SearchFacet
from core.visibility import page_is_visible

IMPACT_METRICS = {
    "waste_diverted_kg": (_("waste diverted"), "kg"),
    "co2e_avoided_kg": (_("CO₂e avoided"), "kg"),
    "jobs_created": (_("jobs created"), ""),
    "smes_involved": (_("SMEs involved"), ""),
}


class Term(models.Model):
    """A translatable taxonomy term whose slug is its stable key in imports and URLs."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("slug"), FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name


@register_snippet
class Sector(Term):
    class Meta(Term.Meta):
        verbose_name = _("creative sector")
        verbose_name_plural = _("creative sectors")


@register_snippet
class Strategy(Term):
    """A rung of the 10R ladder, from refuse (R0) to recover (R9)."""

    rung = models.PositiveSmallIntegerField(
        _("rung"),
        unique=True,
        validators=[MaxValueValidator(9)],
        help_text=_("0 for R0 (refuse) to 9 for R9 (recover)"),
    )

    panels = [FieldPanel("slug"), FieldPanel("rung"), FieldPanel("name"), FieldPanel("description")]

    class Meta(Term.Meta):
        ordering = ["rung"]
        verbose_name = _("10R strategy")
        verbose_name_plural = _("10R strategies")

    def __str__(self) -> str:
        return f"R{self.rung} {self.name}"

    @property
    def code(self) -> str:
        return f"R{self.rung}"


@register_snippet
class Material(Term):
    class Meta(Term.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")


def sector_labels() -> dict[str, str]:
    return {term.slug: term.name for term in Sector.objects.all()}


def strategy_labels() -> dict[str, str]:
    return {term.slug: f"{term.code} {term.name}" for term in Strategy.objects.all()}


def material_labels() -> dict[str, str]:
    return {term.slug: term.name for term in Material.objects.all()}


SECTOR_FACET = SearchFacet("sector", _("Creative sector"), sector_labels)
STRATEGY_FACET = SearchFacet("strategy", _("10R strategy"), strategy_labels)
MATERIAL_FACET = SearchFacet("material", _("Material"), material_labels)


class CaseStudyIndexPage(HubPage):
    """Lists case studies with combinable facets, sorting and pagination."""

    intro = models.TextField(_("introduction"), blank=True)

    translated_content_fields = ("intro",)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["casestudies.CaseStudyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("case study index")

    def fragment_query_params(self) -> tuple[str, ...]:
        from casestudies.selectors import BROWSE_PARAMS

        return BROWSE_PARAMS

    def get_context(self, request, *args, **kwargs):
        from casestudies.selectors import case_study_browse

        context = super().get_context(request, *args, **kwargs)
        context["browse"] = case_study_browse(params=request.GET)
        return context


class CaseStudyPage(SearchablePageMixin, HubPage):
    content_ignores_query_string = True  # core.fragments
    fragment_context_names = ("json_ld",)
    search_type = "casestudy"
    search_type_label = _("Case studies")
    search_facet_declarations = (CLUSTER_FACET, COUNTRY_FACET, SECTOR_FACET, STRATEGY_FACET, MATERIAL_FACET)
    search_summary_field = "summary"
    search_body_fields = ("challenge", "solution", "results")

    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The partner's own identifier; imports match records on it."),
    )
    summary = models.TextField(_("summary"), max_length=600)
    challenge = models.TextField(_("challenge"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    results = models.TextField(_("results"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # An import copies a record's original texts into the empty default-language
    # columns (Wagtail requires them); this says which language those copies are in.
    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the case study was first written in. Leave empty for the default language."),
    )
    cluster = models.ForeignKey(
        settings.HUB_CLUSTER_MODEL,
        verbose_name=_("city cluster"),
        on_delete=models.PROTECT,
        related_name="case_studies",
    )
    country = CountryField(_("country"))
    sector = models.ForeignKey(
        Sector, verbose_name=_("creative sector"), on_delete=models.PROTECT, related_name="case_studies"
    )
    strategies = ParentalManyToManyField(Strategy, verbose_name=_("10R strategies"), related_name="case_studies")
    materials = ParentalManyToManyField(Material, verbose_name=_("materials"), related_name="case_studies")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    waste_diverted_kg = models.PositiveIntegerField(_("waste diverted (kg)"), null=True, blank=True)
    co2e_avoided_kg = models.PositiveIntegerField(_("CO₂e avoided (kg)"), null=True, blank=True)
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    smes_involved = models.PositiveIntegerField(_("SMEs involved"), null=True, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    related_case_studies = ParentalManyToManyField(
        "self", verbose_name=_("related case studies"), blank=True, symmetrical=False
    )

    translated_content_fields = ("summary",)
    route_select_related = ("cluster", "sector")
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("challenge"),
        FieldPanel("solution"),
        FieldPanel("results"),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("original_language"),
                FieldPanel("year"),
                FieldPanel("cluster"),
                FieldPanel("country"),
                FieldPanel("sector"),
                FieldPanel("strategies"),
                FieldPanel("materials"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("waste_diverted_kg"), FieldPanel("co2e_avoided_kg")]),
                FieldRowPanel([FieldPanel("jobs_created"), FieldPanel("smes_involved")]),
            ],
            heading=_("Impact"),
        ),
        InlinePanel("gallery_images", label=_("Gallery")),
        InlinePanel("documents", label=_("Documents")),
        MultiFieldPanel(
            [FieldPanel("related_case_studies"), InlinePanel("related_pages", label=_("Related courses and experts"))],
            heading=_("Related"),
        ),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Location")),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("external_id")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("challenge"),
        index.SearchField("solution"),
        index.SearchField("results"),
        index.SearchField("organisation"),
        index.FilterField("country"),
        index.FilterField("year"),
    ]
    api_fields = [
        APIField("external_id"),
        APIField("organisation"),
        APIField("classification"),
        APIField("impact_metrics"),
        APIField("location"),
        APIField("translations"),
    ]
    parent_page_types = ["casestudies.CaseStudyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @classmethod
    def search_queryset(cls):
        return super().search_queryset().select_related("cluster", "sector").prefetch_related("strategies", "materials")

    def search_facets(self) -> dict[str, list[str]]:
        return {
            "cluster": [self.cluster.key],
            "country": [str(self.country)],
            "sector": [self.sector.slug],
            "strategy": [term.slug for term in self.strategies.all()],
            "material": [term.slug for term in self.materials.all()],
        }

    @property
    def card_image(self):
        """The first gallery picture for a card, when a selector loaded them (`case_study_card_images`); no query."""
        images = getattr(self, "card_images", None)
        return images[0] if images else None

    def search_text(self, language: str) -> tuple[str, str, str] | None:
        text = super().search_text(language)
        if text is not None and self.organisation:
            text = (text[0], text[1], f"{self.organisation} {text[2]}")
        return text

    @property
    def translations(self) -> dict[str, dict[str, str]]:
        """Every language's texts, as entered (no fallback), for the open-data API."""
        return {
            code: {name: getattr(self, f"{name}_{code}") or "" for name in TEXT_FIELDS} for code in language_codes()
        }

    @property
    def classification(self) -> dict:
        return {
            "cluster": self.cluster.key,
            "country": str(self.country),
            "sector": self.sector.slug,
            "strategies": [term.slug for term in self.strategies.all()],
            "materials": [term.slug for term in self.materials.all()],
            "year": self.year,
        }

    @property
    def impact_metrics(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key in IMPACT_METRICS}

    @property
    def location(self) -> dict | None:
        if self.latitude is None:
            return None
        return {"lat": self.latitude, "lon": self.longitude}

    def impact(self) -> list[dict]:
        """The metrics this case study measured, in display order."""
        return [
            {"key": key, "label": label, "unit": unit, "value": getattr(self, key)}
            for key, (label, unit) in IMPACT_METRICS.items()
            if getattr(self, key) is not None
        ]

    def social_image(self):
        """The first gallery picture: no query when get_context loaded the gallery (`card_images`)."""
        gallery = getattr(self, "card_images", None)
        if gallery is None:
            gallery = list(self.gallery_images.select_related("image"))
        return gallery[0].image if gallery else None

    def get_context(self, request, *args, **kwargs):
        from casestudies.selectors import case_study_card_images, case_study_prefetch, case_study_related

        context = super().get_context(request, *args, **kwargs)
        case_study_prefetch(self)
        user = getattr(request, "user", None)
        context["related"] = case_study_related(case_study=self, user=user)
        # The gallery and the related cards' pictures in one query; renditions come from Wagtail's cache once warm.
        if getattr(request, "is_preview", False):
            # A preview shows the editor's unsaved gallery, held in memory by modelcluster.
            case_study_card_images(context["related"])
            self.card_images = list(self.gallery_images.all())
        else:
            case_study_card_images([self, *context["related"]])
        context["related_pages"] = [
            link.target for link in self.related_pages.all() if page_is_visible(link.target, user)
        ]
        # Pages of other apps that name this case study (courses), through the plug-in hook.
        context["related_pages"] += [
            page for page in registry.related_pages(page=self, user=user) if page not in context["related_pages"]
        ]
        context["json_ld"] = self.json_ld(request)
        # The index is the parent; its address is ours less the last segment.
        context["index_url"] = self.get_url(request=request).rstrip("/").rsplit("/", 1)[0] + "/"
        return context

    def json_ld(self, request) -> str:
        """schema.org description of the case study, safe to embed in a script tag."""
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.summary,
            "inLanguage": get_language(),
            # The canonical address of this request's site, as <link rel="canonical"> says.
            "url": request.build_absolute_uri(self.get_url(request=request)),
            "about": {"@type": "Thing", "name": self.sector.name},
            "keywords": [strategy.name for strategy in self.strategies.all()]
            + [material.name for material in self.materials.all()],
            "contentLocation": {
                "@type": "Place",
                "name": self.cluster.title,
                "address": {"@type": "PostalAddress", "addressCountry": str(self.country)},
            },
        }
        if self.latitude is not None:
            data["contentLocation"]["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": self.latitude,
                "longitude": self.longitude,
            }
        if self.organisation:
            data["author"] = {"@type": "Organization", "name": self.organisation}
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.date().isoformat()
        # Escaping <, > and & keeps "</script>" in content from closing the tag.
        return (
            json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        )


class CaseStudyGalleryImage(Orderable):
    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("alternative text"), max_length=250, help_text=_("What the image shows, for people who cannot see it.")
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]


class CaseStudyDocument(Orderable):
    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)

    panels = [FieldPanel("document"), FieldPanel("title")]


class CaseStudyRelatedPage(Orderable):
    """A course, lesson, expert or guide related to a case study.

    Points at any page so that the training and expert sections plug in
    without a schema change here.
    """

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="related_pages")
    target = models.ForeignKey("wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("target")]
