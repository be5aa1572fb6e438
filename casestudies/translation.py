"""Fields that modeltranslation stores once per language."""

from modeltranslation.translator import TranslationOptions, register

from casestudies.models import (
    CaseStudyDocument,
    CaseStudyGalleryImage,
    CaseStudyIndexPage,
    CaseStudyPage,
    Material,
    Sector,
    Strategy,
)


class TermTR(TranslationOptions):
    fields = ("name", "description")


register(Sector)(TermTR)
register(Strategy)(TermTR)
register(Material)(TermTR)


@register(CaseStudyIndexPage)
class CaseStudyIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(CaseStudyPage)
class CaseStudyPageTR(TranslationOptions):
    fields = ("summary", "challenge", "solution", "results")


@register(CaseStudyGalleryImage)
class CaseStudyGalleryImageTR(TranslationOptions):
    fields = ("alt_text", "caption")


@register(CaseStudyDocument)
class CaseStudyDocumentTR(TranslationOptions):
    fields = ("title",)
