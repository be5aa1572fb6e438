from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from casestudies.models import CaseStudyIndexPage
from casestudies.selectors import case_study_queryset

FEED_SIZE = 30


class TextAtomFeed(Atom1Feed):
    """Atom whose summaries are plain text (`type="text"`), as the case studies' are.

    Django writes `<summary type="html">`, so markup inside an imported summary
    would become live HTML in a feed reader; as text it shows as written.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestCaseStudiesFeed(Feed):
    """Atom feed of newly published case studies, in the language of the URL."""

    feed_type = TextAtomFeed

    def title(self):
        return _("New case studies · INNOMED-UP Knowledge Hub")

    def subtitle(self):
        return _("Circular-economy case studies from creative SMEs in six Mediterranean cities.")

    def link(self):
        index = CaseStudyIndexPage.objects.live().first()
        return index.get_url() if index else "/"

    def author_name(self):
        return _("INNOMED-UP partnership")

    def items(self):
        return case_study_queryset().select_related("cluster").order_by("-first_published_at", "-id")[:FEED_SIZE]

    def item_author_name(self, item):
        """The city cluster that documented the case study."""
        return _("%(city)s cluster") % {"city": item.cluster.title}

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
