"""Fields that modeltranslation stores once per language (title_en, title_el, ...)."""

from modeltranslation.translator import TranslationOptions, register

from hub.models import AboutPage, ClusterPage, HomePage, Partner, StandardPage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("hero_heading", "intro", "offers")


@register(StandardPage)
class StandardPageTR(TranslationOptions):
    fields = ("intro", "body")


@register(AboutPage)
class AboutPageTR(TranslationOptions):
    fields = ()


@register(ClusterPage)
class ClusterPageTR(TranslationOptions):
    fields = ("tagline", "intro", "body")


@register(Partner)
class PartnerTR(TranslationOptions):
    fields = ("name", "region")
