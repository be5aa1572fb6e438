"""Reading and validating the "experts" part of an import_content JSON file.

Validation never writes: it turns raw records into `ExpertRecord`s or a list
of `ImportError_`s naming the record and the field path. The error type is
the case studies' one (reached through their services), so a file with both
parts reports its problems in one list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django_countries import countries

from casestudies.services import ImportError_
from core.languages import default_language, language_codes
from experts.models import SPOKEN_LANGUAGES, Level

TEXT_FIELDS = ("name", "title", "bio", "city", "availability")
MAX_TEXT = {"name": 255, "title": 200, "city": 100, "availability": 200}
EXPERTISE_KINDS = ("topics", "strategies", "materials", "sectors")


@dataclass(frozen=True)
class ExpertVocabulary:
    """The slugs an import may name; read from the database by the caller."""

    clusters: frozenset[str]
    topics: frozenset[str]
    strategies: frozenset[str]
    materials: frozenset[str]
    sectors: frozenset[str]

    def kind_of(self, slug: str) -> str | None:
        """Which vocabulary an expertise slug belongs to (topics first), or None."""
        return next((kind for kind in EXPERTISE_KINDS if slug in getattr(self, kind)), None)


@dataclass
class ExpertRecord:
    external_id: str
    cluster: str
    country: str
    organisation: str = ""
    email: str = ""
    expertise: dict[str, list[str]] = field(default_factory=dict)
    languages: list[tuple[str, str]] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        default = self.translations.get(default_language(), {}).get("name")
        return default or next(texts["name"] for texts in self.translations.values() if texts.get("name"))


def validate_expert_records(
    raw_records, *, vocabulary: ExpertVocabulary
) -> tuple[list[ExpertRecord], list[ImportError_]]:
    """Check every record; return the clean records and every error found."""
    if not isinstance(raw_records, list):
        return [], [ImportError_("experts", "", _("expected a list of experts"))]
    records: list[ExpertRecord] = []
    errors: list[ImportError_] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(raw_records):
        record, record_errors = _validate(position, raw, vocabulary=vocabulary, seen=seen)
        errors.extend(record_errors)
        if record is not None:
            records.append(record)
    return records, errors


def _validate(position: int, raw, *, vocabulary: ExpertVocabulary, seen: dict[str, int]):
    label = f"experts[{position}]"
    problems: list[tuple[str, str]] = []

    def error(path: str, message: str) -> None:
        problems.append((path, message))

    if not isinstance(raw, dict):
        return None, [ImportError_(label, "", _("expected an object"))]
    external_id = raw.get("external_id")
    if not isinstance(external_id, str) or not external_id.strip():
        error("external_id", _("missing external_id"))
        external_id = ""
    else:
        external_id = external_id.strip()
        label = f"{label} ({external_id})"
        if len(external_id) > 100:
            error("external_id", _("longer than 100 characters"))
        if external_id in seen:
            error("external_id", _("duplicate of experts[%(index)d]") % {"index": seen[external_id]})
        seen.setdefault(external_id, position)

    cluster = raw.get("cluster")
    if not isinstance(cluster, str) or cluster.strip() not in vocabulary.clusters:
        error("cluster", _('unknown cluster "%(value)s"') % {"value": cluster})
        cluster = ""
    country = raw.get("country")
    if not isinstance(country, str) or country.strip().upper() not in dict(countries):
        error("country", _('"%(value)s" is not an ISO 3166 country code') % {"value": country})
        country = ""
    organisation = raw.get("organisation", "") or ""
    if not isinstance(organisation, str) or len(organisation) > 200:
        error("organisation", _("organisation must be text of at most 200 characters"))
        organisation = ""
    email = raw.get("email", "") or ""
    try:
        if email:
            validate_email(email)
    except (ValidationError, TypeError):
        # The address itself is private: the message does not repeat it.
        error("email", _("not a valid email address"))
        email = ""

    expertise: dict[str, list[str]] = {kind: [] for kind in EXPERTISE_KINDS}
    raw_expertise = raw.get("expertise", [])
    if not isinstance(raw_expertise, list):
        error("expertise", _("expected a list of slugs"))
        raw_expertise = []
    for index, slug in enumerate(raw_expertise):
        kind = vocabulary.kind_of(slug.strip()) if isinstance(slug, str) else None
        if kind is None:
            error(f"expertise[{index}]", _('unknown expertise "%(value)s"') % {"value": slug})
        elif slug.strip() not in expertise[kind]:
            expertise[kind].append(slug.strip())

    languages: list[tuple[str, str]] = []
    raw_languages = raw.get("languages", [])
    if not isinstance(raw_languages, list):
        error("languages", _("expected a list of {language, level} objects"))
        raw_languages = []
    for index, item in enumerate(raw_languages):
        if not isinstance(item, dict) or item.get("language") not in SPOKEN_LANGUAGES:
            error(f"languages[{index}].language", _("unknown language"))
        elif item.get("level") not in Level.values:
            error(f"languages[{index}].level", _("level must be basic, intermediate, fluent or native"))
        elif item["language"] not in {code for code, _level in languages}:
            languages.append((item["language"], item["level"]))

    translations: dict[str, dict[str, str]] = {}
    raw_translations = raw.get("translations")
    if not isinstance(raw_translations, dict):
        error("translations", _("expected an object keyed by language code"))
        raw_translations = {}
    for language, texts in raw_translations.items():
        path = f"translations.{language}"
        if language not in language_codes():
            error(path, _('unknown language "%(code)s"') % {"code": language})
            continue
        if not isinstance(texts, dict):
            error(path, _("expected an object of texts"))
            continue
        clean = {}
        for key, value in texts.items():
            if key not in TEXT_FIELDS:
                error(f"{path}.{key}", _("unknown field"))
            elif value is not None and not isinstance(value, str):
                error(f"{path}.{key}", _("must be text"))
            elif value and value.strip():
                if key in MAX_TEXT and len(value.strip()) > MAX_TEXT[key]:
                    error(f"{path}.{key}", _("longer than %(limit)d characters") % {"limit": MAX_TEXT[key]})
                clean[key] = value.strip()
        if clean:
            translations[language] = clean
    for required in ("name", "title", "bio"):
        if not any(required in texts for texts in translations.values()):
            error("translations", _("missing %(field)s: give it in at least one language") % {"field": required})

    if problems:
        return None, [ImportError_(label, path, message) for path, message in problems]
    return (
        ExpertRecord(
            external_id=external_id,
            cluster=cluster.strip(),
            country=country.strip().upper(),
            organisation=organisation.strip(),
            email=email.strip(),
            expertise=expertise,
            languages=languages,
            translations=translations,
        ),
        [],
    )
