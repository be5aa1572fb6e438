"""The blocks lessons are written in and quiz questions are made of."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(label=_("alternative text"), max_length=250)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/figure.html"


class VideoBlock(blocks.StructBlock):
    # Shown as a link: an embedded player would send every reader to a third party.
    video = EmbedBlock(label=_("video address"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    transcript = blocks.RichTextBlock(label=_("transcript"), required=False, features=["bold", "italic", "link"])

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), max_length=200)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/download.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"), choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Warning"))], default="tip"
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        template = "courses/blocks/callout.html"


class ExerciseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    instructions = blocks.RichTextBlock(label=_("instructions"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "pick"
        template = "courses/blocks/exercise.html"


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    image = FigureBlock(label=_("image"))
    video = VideoBlock(label=_("video"))
    download = DownloadBlock(label=_("downloadable document"))
    callout = CalloutBlock(label=_("callout"))
    exercise = ExerciseBlock(label=_("exercise"))


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.CharBlock(label=_("feedback"), max_length=500, required=False)


class QuestionBlock(blocks.StructBlock):
    """A single- or multiple-choice question.

    Learners answer by position (question n, choice m), so every language's
    version of a quiz must list the same questions and choices in the same order.
    """

    text = blocks.CharBlock(label=_("question"), max_length=500)
    multiple = blocks.BooleanBlock(
        label=_("several answers are correct"), required=False, help_text=_("Learners tick every correct answer.")
    )
    choices = blocks.ListBlock(ChoiceBlock(), label=_("answers"), min_num=2)


class QuestionsBlock(blocks.StreamBlock):
    question = QuestionBlock(label=_("question"))
