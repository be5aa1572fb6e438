"""Fields that modeltranslation stores once per language."""

from modeltranslation.translator import TranslationOptions, register

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage


@register(CourseIndexPage)
class CourseIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(CoursePage)
class CoursePageTR(TranslationOptions):
    fields = ("summary", "audience", "outcomes")


@register(ModulePage)
class ModulePageTR(TranslationOptions):
    fields = ("summary",)


@register(LessonPage)
class LessonPageTR(TranslationOptions):
    fields = ("summary", "body")


@register(QuizPage)
class QuizPageTR(TranslationOptions):
    fields = ("intro", "questions")
