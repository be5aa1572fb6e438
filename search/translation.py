from modeltranslation.translator import TranslationOptions, register

from search.models import GlossaryConcept


@register(GlossaryConcept)
class GlossaryConceptTR(TranslationOptions):
    fields = ("terms", "definition")
