"""StreamField blocks shared by the site's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class OfferBlock(blocks.StructBlock):
    """One thing the Hub offers, shown as a card on the home page."""

    heading = blocks.CharBlock(label=_("heading"), max_length=80)
    text = blocks.TextBlock(label=_("text"), max_length=300)
    link = blocks.PageChooserBlock(label=_("link"), required=False)

    class Meta:
        icon = "pick"
        label = _("Offer")
        template = "components/offer_card.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", max_length=120)
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"])
    list = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("List"))
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))

    class Meta:
        template = "components/body.html"
