"""Expert profiles and their directory, how-to guides, the contact relay and applications.

An expert's email address is private: it is stored here (or taken from the
expert's account) and read only by the contact relay when it sends a message.
No template, API field, search document or error message names it.
"""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from casestudies.selectors import SHARED_FACETS
from core.facets import CLUSTER_FACET, COUNTRY_FACET
from core.pages import HubPage
from core.searchable import SearchablePageMixin, SearchFacet

# Languages an expert may say they speak: the Mediterranean's and Europe's most asked-for.
SPOKEN_LANGUAGES = ("ar", "el", "en", "it", "fr", "es", "de", "tr", "he", "pt")


def spoken_language_labels() -> dict[str, str]:
    """`{code: language name in the active language}`; Django's catalogue translates the names."""
    return {code: gettext(LANG_INFO[code]["name"]) for code in SPOKEN_LANGUAGES}


class Level(models.TextChoices):
    BASIC = "basic", _("basic")
    INTERMEDIATE = "intermediate", _("intermediate")
    FLUENT = "fluent", _("fluent")
    NATIVE = "native", _("native")


@register_snippet
class Topic(models.Model):
    """A field of expertise beyond the case-study taxonomies (eco-design, funding...)."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("slug"), FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("expertise topic")
        verbose_name_plural = _("expertise topics")

    def __str__(self) -> str:
        return self.name


TOPIC_LABELS_VERSION = "experts:topics:version"


def bump_topic_labels_version(**kwargs) -> None:
    """Forget the cached topic labels (after a topic changes)."""
    try:
        cache.incr(TOPIC_LABELS_VERSION)
    except ValueError:
        cache.set(TOPIC_LABELS_VERSION, 2, None)


def topic_labels() -> dict[str, str]:
    """`{slug: name in the active language}` of every topic, cached: every search page labels them."""
    key = f"experts:topics:{cache.get_or_set(TOPIC_LABELS_VERSION, 1, None)}:{get_language()}"
    labels = cache.get(key)
    if labels is None:
        labels = {topic.slug: topic.name for topic in Topic.objects.all()}
        cache.set(key, labels, 3600)
    return labels


EXPERTISE_FACET = SearchFacet("expertise", _("Expertise"), topic_labels)
SPOKEN_FACET = SearchFacet("speaks", _("Language spoken"), spoken_language_labels)


class ExpertIndexPage(HubPage):
    """The directory: combinable facets with counts, a search box, pagination."""

    intro = models.TextField(_("introduction"), blank=True)

    translated_content_fields = ("intro",)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["experts.ExpertPage"]
    max_count = 1

    class Meta:
        verbose_name = _("expert directory")

    def fragment_query_params(self) -> tuple[str, ...]:
        from experts.selectors import BROWSE_PARAMS

        return BROWSE_PARAMS

    def get_context(self, request, *args, **kwargs):
        from experts.selectors import expert_browse

        context = super().get_context(request, *args, **kwargs)
        context["browse"] = expert_browse(params=request.GET, user=getattr(request, "user", None))
        return context


class ExpertPage(SearchablePageMixin, HubPage):
    """One expert's public profile. The page title is the expert's name."""

    content_ignores_query_string = True  # core.fragments

    search_type = "expert"
    search_type_label = _("Experts")
    search_facet_declarations = (
        CLUSTER_FACET,
        COUNTRY_FACET,
        SHARED_FACETS["sector"],
        SHARED_FACETS["strategy"],
        SHARED_FACETS["material"],
        EXPERTISE_FACET,
        SPOKEN_FACET,
    )
    search_summary_field = "role"
    search_body_fields = ("bio", "city")

    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The partner's own identifier; imports match records on it."),
    )
    role = models.CharField(_("professional title"), max_length=200)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"))
    cluster = models.ForeignKey(
        settings.HUB_CLUSTER_MODEL, verbose_name=_("city cluster"), on_delete=models.PROTECT, related_name="experts"
    )
    bio = models.TextField(_("biography"))
    strategies = ParentalManyToManyField(
        "casestudies.Strategy", verbose_name=_("10R strategies"), blank=True, related_name="experts"
    )
    materials = ParentalManyToManyField(
        "casestudies.Material", verbose_name=_("materials"), blank=True, related_name="experts"
    )
    sectors = ParentalManyToManyField(
        "casestudies.Sector", verbose_name=_("creative sectors"), blank=True, related_name="experts"
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="experts")
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("For example: two days a month, remote or on site.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    email = models.EmailField(
        _("private email"),
        blank=True,
        help_text=_("Never shown publicly; the contact form relays messages to it. Empty: the account's email."),
    )

    translated_content_fields = ("role", "bio")
    language_neutral_fields = ("title",)
    route_select_related = ("cluster", "photo")
    social_image_field = "photo"
    description_fields = ("bio", "role")
    content_panels = [
        FieldPanel("title", heading=_("Name")),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("cluster"),
                FieldPanel("availability"),
            ],
            heading=_("Where and when"),
        ),
        MultiFieldPanel(
            [FieldPanel("topics"), FieldPanel("strategies"), FieldPanel("materials"), FieldPanel("sectors")],
            heading=_("Expertise"),
        ),
        InlinePanel("spoken_languages", label=_("Languages spoken")),
        InlinePanel("links", label=_("Links")),
    ]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("external_id", permission="experts.view_private_email"),
        FieldPanel("user", permission="experts.view_private_email"),
        FieldPanel("email", permission="experts.view_private_email"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("role"),
        index.SearchField("bio"),
        index.SearchField("organisation"),
        index.FilterField("country"),
    ]
    # Never `email` or `user`: the API is public.
    api_fields = [
        APIField("external_id"),
        APIField("role"),
        APIField("organisation"),
        APIField("city"),
        APIField("country_code"),
        APIField("cluster_key"),
        APIField("expertise"),
        APIField("languages_spoken"),
        APIField("availability"),
        APIField("bio"),
    ]
    parent_page_types = ["experts.ExpertIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        permissions = [("view_private_email", _("Can see experts' private email addresses"))]

    @property
    def name(self) -> str:
        return self.title

    @property
    def country_code(self) -> str:
        return str(self.country)

    @property
    def cluster_key(self) -> str:
        return self.cluster.key

    @property
    def expertise(self) -> dict[str, list[str]]:
        return {
            "topics": [term.slug for term in self.topics.all()],
            "strategies": [term.slug for term in self.strategies.all()],
            "materials": [term.slug for term in self.materials.all()],
            "sectors": [term.slug for term in self.sectors.all()],
        }

    @property
    def languages_spoken(self) -> list[dict[str, str]]:
        return [{"language": item.language, "level": item.level} for item in self.spoken_languages.all()]

    def relay_address(self) -> str:
        """Where the contact relay delivers: the private email, else the account's. Never rendered."""
        if self.email:
            return self.email
        return self.user.email if self.user_id and self.user.email else ""

    @classmethod
    def search_queryset(cls):
        return (
            super()
            .search_queryset()
            .select_related("cluster")
            .prefetch_related("topics", "strategies", "materials", "sectors", "spoken_languages")
        )

    def search_facets(self) -> dict[str, list[str]]:
        return {
            "cluster": [self.cluster.key],
            "country": [str(self.country)],
            "sector": [term.slug for term in self.sectors.all()],
            "strategy": [term.slug for term in self.strategies.all()],
            "material": [term.slug for term in self.materials.all()],
            "expertise": [term.slug for term in self.topics.all()],
            "speaks": [item.language for item in self.spoken_languages.all()],
        }

    def search_text(self, language: str) -> tuple[str, str, str] | None:
        # The name is the same in every language; a profile counts as translated when its bio is.
        if not getattr(self, f"bio_{language}", ""):
            return None
        title = self.title_en or self.title
        role = getattr(self, f"role_{language}", "") or ""
        city = getattr(self, f"city_{language}", "") or ""
        bio = getattr(self, f"bio_{language}", "") or ""
        return title, role, f"{self.organisation} {city} {bio}"

    def get_context(self, request, *args, **kwargs):
        from experts.forms import ContactForm
        from experts.selectors import expert_profile_related

        context = super().get_context(request, *args, **kwargs)
        context["related"] = expert_profile_related(expert=self, user=getattr(request, "user", None))
        context["contact_form"] = ContactForm()
        # The directory is the parent; its address is ours less the last segment.
        context["index_url"] = self.get_url(request=request).rstrip("/").rsplit("/", 1)[0] + "/"
        return context

    def is_available_in(self, language: str) -> bool:
        # The title is the expert's name, written once; only the texts need translating.
        return all((getattr(self, f"{name}_{language}", "") or "").strip() for name in self.translated_content_fields)


class ExpertLanguage(Orderable):
    page = ParentalKey(ExpertPage, on_delete=models.CASCADE, related_name="spoken_languages")
    language = models.CharField(
        _("language"), max_length=8, choices=[(code, LANG_INFO[code]["name"]) for code in SPOKEN_LANGUAGES]
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)

    panels = [FieldRowPanel([FieldPanel("language"), FieldPanel("level")])]

    def language_label(self) -> str:
        return gettext(LANG_INFO[self.language]["name"])

    def native_name(self) -> str:
        return LANG_INFO[self.language]["name_local"]


class ExpertLink(Orderable):
    page = ParentalKey(ExpertPage, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=80)
    url = models.URLField(_("address"))

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("url")])]


# --- Guides ---------------------------------------------------------------


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", _("beginner")
    INTERMEDIATE = "intermediate", pgettext_lazy("difficulty", "intermediate")
    ADVANCED = "advanced", _("advanced")


class StepBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock(label=_("image"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class GuideIndexPage(HubPage):
    """The guides section. Experts hold the "add" permission here: they write and edit their own guides."""

    content_ignores_query_string = True  # core.fragments

    intro = models.TextField(_("introduction"), blank=True)

    translated_content_fields = ("intro",)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["experts.GuidePage"]
    max_count = 1

    class Meta:
        verbose_name = _("guide index")

    def get_context(self, request, *args, **kwargs):
        from experts.selectors import guide_list

        context = super().get_context(request, *args, **kwargs)
        context["guides"] = guide_list(user=getattr(request, "user", None))
        return context


class GuidePage(SearchablePageMixin, HubPage):
    content_ignores_query_string = True  # core.fragments
    search_type = "guide"
    search_type_label = _("Guides")
    search_facet_declarations = (CLUSTER_FACET, EXPERTISE_FACET)
    search_summary_field = "summary"
    search_body_fields = ("steps",)

    summary = models.TextField(_("summary"), max_length=400)
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    difficulty = models.CharField(_("difficulty"), max_length=12, choices=Difficulty.choices, default="beginner")
    reading_time = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=5)
    author = models.ForeignKey(
        ExpertPage, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL, related_name="guides"
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="guides")

    translated_content_fields = ("summary", "steps")
    route_select_related = ("author",)
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("difficulty"), FieldPanel("reading_time")]),
        FieldPanel("author"),
        FieldPanel("topics"),
        FieldPanel("steps"),
        InlinePanel("templates", label=_("Downloadable templates")),
        InlinePanel("related_pages", label=_("Related case studies and courses")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    api_fields = [APIField("summary"), APIField("difficulty"), APIField("reading_time")]
    parent_page_types = ["experts.GuideIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    @classmethod
    def search_queryset(cls):
        return super().search_queryset().select_related("author__cluster").prefetch_related("topics")

    def search_facets(self) -> dict[str, list[str]]:
        facets = {"expertise": [term.slug for term in self.topics.all()]}
        if self.author_id:
            facets["cluster"] = [self.author.cluster.key]
        return facets

    def get_context(self, request, *args, **kwargs):
        from experts.selectors import guide_related

        context = super().get_context(request, *args, **kwargs)
        context.update(guide_related(guide=self, user=getattr(request, "user", None)))
        return context


class GuideTemplate(Orderable):
    """A downloadable template (worksheet, checklist) that goes with a guide."""

    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="templates")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)

    panels = [FieldPanel("document"), FieldPanel("title")]


class GuideRelatedPage(Orderable):
    """A case study or course a guide draws on; any page, so courses plug in without a schema change."""

    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="related_pages")
    target = models.ForeignKey("wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("target")]


# --- Contact relay --------------------------------------------------------


class ContactMessage(models.Model):
    """A visitor's message to an expert, stored before it is sent (the audit record and the outbox).

    The relay sends it after the commit and retries with back-off until it
    is delivered or gives up; nothing is lost while the mail server is down.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    expert = models.ForeignKey(
        ExpertPage, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="contact_messages"
    )
    sender_name = models.CharField(_("name"), max_length=120)
    sender_email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=8)
    sender_ip = models.GenericIPAddressField(_("sender IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return self.subject


# --- Applications ---------------------------------------------------------


class ExpertApplication(models.Model):
    """Someone's request to join the directory; staff approve it in the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    role = models.CharField(_("professional title"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"))
    cluster = models.ForeignKey(
        settings.HUB_CLUSTER_MODEL,
        verbose_name=_("city cluster"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    bio = models.TextField(_("biography"), max_length=3000)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("For example: Arabic (native), English (fluent)")
    )
    motivation = models.TextField(_("motivation"), max_length=3000)
    language = models.CharField(_("language of the application"), max_length=8, default="en")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    expert = models.OneToOneField(
        ExpertPage, verbose_name=_("profile"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expert application")
        verbose_name_plural = _("expert applications")

    def __str__(self) -> str:
        return self.name
