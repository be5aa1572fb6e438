"""Case-study cards carry a small responsive WebP picture with alt text (issue 12, item 14)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from casestudies.models import CaseStudyIndexPage

pytestmark = pytest.mark.django_db


def test_index_cards_offer_small_webp_renditions_with_widths_sizes_and_alt(client):
    index = CaseStudyIndexPage.objects.get()
    with translation.override("ar"):
        response = client.get(index.get_url())
    soup = BeautifulSoup(response.content, "html.parser")
    images = soup.select(".results .card img.card__image")
    assert len(images) == len(soup.select(".results .card")) > 0
    for image in images:
        widths = [int(width) for width in re.findall(r"\.webp (\d+)w", image["srcset"])]
        assert widths == [360, 540, 720], image["srcset"]
        assert image["src"].endswith(".webp") and "360x225" in image["src"]
        assert image["sizes"] and image["loading"] == "lazy"
        assert image["alt"].strip() and image["width"] and image["height"]
    with translation.override("ar"):
        assert images[0]["alt"] != ""


def test_cards_without_a_picture_have_no_image(client):
    """A case study without gallery pictures gets a card without an empty <img>."""
    from tests.factories import CaseStudyPageFactory

    page = CaseStudyPageFactory(title="No pictures here")
    response = client.get("/en/")
    soup = BeautifulSoup(response.content, "html.parser")
    card = soup.find("a", string="No pictures here").find_parent("article")
    assert card.select_one("img") is None
    assert page.card_image is None
