"""What every app's demo seed step builds on: create what is missing, never overwrite.

Seeding runs on every `make run`. A page, snippet or picture that exists is
left exactly as it is, so an editor's changes to seeded content survive the
next start; only what is missing is created.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from core.imagery import pattern_png
from core.languages import default_language, language_codes

DEMO_COLLECTION = "Demo pictures"


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def note(self, created: bool, label: str) -> None:
        if created:
            self.created.append(label)


def paragraphs(texts: list[str]) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{escape(text)}</p>"} for text in texts]


def per_language(values: dict[str, object], name: str) -> dict[str, object]:
    """`{"title_en": ..., "title_el": ...}` for the site's languages found in `values`."""
    result = {f"{name}_{code}": values[code] for code in language_codes() if code in values}
    result[name] = values[default_language()]
    return result


def page_values(data: dict, *, fields: tuple[str, ...], key: str) -> dict:
    """Translated page values from seed data (`{"title": {"en": ..., "el": ...}}`) and its slugs."""
    values: dict = {}
    for name in fields:
        values.update(per_language(data[name], name))
    values.update(per_language(data.get("slug", {code: key for code in language_codes()}), "slug"))
    values["slug"] = key
    return values


def page_seed(*, parent: Page, model: type[Page], key: str, values: dict) -> tuple[Page, bool]:
    """The `model` page under `parent` whose default-language slug is `key`, created and published if missing.

    Returns (page, created). An existing page is returned unchanged.
    """
    page = model.objects.child_of(parent).filter(**{f"slug_{default_language()}": key}).first()
    if page is not None:
        return page, False
    page = model(**values)
    page.live = False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def demo_collection() -> Collection:
    collection = Collection.objects.filter(name=DEMO_COLLECTION).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=DEMO_COLLECTION)
    return collection


def demo_image(*, title: str, seed: str, palette: tuple[str, ...]):
    """A generated picture, stored once under `title`."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is None:
        content = pattern_png(seed=seed, palette=palette)
        image = image_model(title=title, collection=demo_collection())
        image.file = ImageFile(io.BytesIO(content), name=f"{seed}.png")
        image.save()
    return image
