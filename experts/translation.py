"""Fields that modeltranslation stores once per language. The private email and the name are not among them."""

from modeltranslation.translator import TranslationOptions, register

from experts.models import ExpertIndexPage, ExpertPage, GuideIndexPage, GuidePage, GuideTemplate, Topic


@register(Topic)
class TopicTR(TranslationOptions):
    fields = ("name",)


@register(ExpertIndexPage)
class ExpertIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(ExpertPage)
class ExpertPageTR(TranslationOptions):
    fields = ("role", "city", "bio", "availability")


@register(GuideIndexPage)
class GuideIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(GuidePage)
class GuidePageTR(TranslationOptions):
    fields = ("summary", "steps")


@register(GuideTemplate)
class GuideTemplateTR(TranslationOptions):
    fields = ("title",)
