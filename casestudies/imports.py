"""Reading and validating partners' case-study files (JSON and CSV).

Parsing never touches the database's content: it turns a file into
`CaseStudyRecord`s or a list of `ImportError_`s, each naming the record and the
field path, so that a partner can fix every problem in one pass.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django_countries import countries

from core.languages import language_codes

TEXT_FIELDS = ("title", "summary", "challenge", "solution", "results")
# A language version is published only with these in its own language; the rest may be left out.
REQUIRED_TEXT_FIELDS = ("title", "summary")
METRICS = ("waste_diverted_kg", "co2e_avoided_kg", "jobs_created", "smes_involved")
LIST_SEPARATOR = ";"
MAX_METRIC = 2_147_483_647  # PositiveIntegerField's upper bound on every database
MAX_TEXT = {"title": 255, "summary": 600}
YEAR_RANGE = (1990, 2100)


@dataclass(frozen=True)
class ImportError_:
    """One problem in an import file: where it is and what is wrong."""

    record: str
    path: str
    message: str

    def __str__(self) -> str:
        location = f"{self.record}: {self.path}" if self.path else self.record
        return f"{location}: {self.message}"


@dataclass
class CaseStudyRecord:
    external_id: str
    cluster: str
    country: str
    sector: str
    strategies: list[str]
    materials: list[str]
    year: int
    organisation: str = ""
    impact: dict[str, int | None] = field(default_factory=dict)
    latitude: float | None = None
    longitude: float | None = None
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """The slugs an import may name; read from the database by the caller."""

    clusters: frozenset[str]
    sectors: frozenset[str]
    strategies: frozenset[str]
    materials: frozenset[str]

    def slugs(self, facet: str) -> frozenset[str]:
        """The known slugs of a facet named as in filters: cluster, sector, strategy or material."""
        return {
            "cluster": self.clusters,
            "sector": self.sectors,
            "strategy": self.strategies,
            "material": self.materials,
        }[facet]


class ImportFileError(Exception):
    def __init__(self, errors: list[ImportError_]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def read_file(path: Path) -> list[dict]:
    """Raw records from a .json or .csv file; raises ImportFileError on malformed input."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError([ImportError_(name, "", _("file not found"))]) from None
    except UnicodeDecodeError as error:
        raise ImportFileError(
            [ImportError_(name, "", _("not UTF-8 text (byte %(position)d)") % {"position": error.start})]
        ) from None
    if path.suffix.lower() == ".csv":
        return records_from_csv(text, name=name)
    if path.suffix.lower() == ".json":
        return records_from_json(text, name=name)
    raise ImportFileError([ImportError_(name, "", _("unsupported file type: use .json or .csv"))])


def records_from_json(text: str, *, name: str = "file") -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            [
                ImportError_(
                    name,
                    "",
                    _("malformed JSON at line %(line)d, column %(column)d: %(problem)s")
                    % {"line": error.lineno, "column": error.colno, "problem": error.msg},
                )
            ]
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("case_studies"), list):
        raise ImportFileError([ImportError_(name, "case_studies", _('expected an object with a list "case_studies"'))])
    return data["case_studies"]


def records_from_csv(text: str, *, name: str = "file") -> list[dict]:
    """One row per case study; `title_el`-style columns hold translations, lists use ';'."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "external_id" not in reader.fieldnames:
        raise ImportFileError([ImportError_(name, "", _("the first row must name the columns, including external_id"))])
    records = []
    for row in reader:
        row = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        record: dict = {
            key: row.get(key, "") for key in ("external_id", "cluster", "country", "sector", "organisation")
        }
        record["year"] = row.get("year", "")
        for key in ("strategies", "materials"):
            record[key] = [item.strip() for item in row.get(key, "").split(LIST_SEPARATOR) if item.strip()]
        record["impact"] = {metric: row[metric] for metric in METRICS if row.get(metric)}
        if row.get("lat") or row.get("lon"):
            record["location"] = {"lat": row.get("lat", ""), "lon": row.get("lon", "")}
        translations: dict[str, dict[str, str]] = {}
        for column, value in row.items():
            text_field, _sep, language = column.rpartition("_")
            if text_field in TEXT_FIELDS and value:
                translations.setdefault(language, {})[text_field] = value
        record["translations"] = translations
        records.append(record)
    return records


def _number(value, *, integer: bool):
    """Numbers from JSON, or numeric strings from CSV; None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip()) if value.strip() else None
        except ValueError:
            return None
    if not isinstance(value, int | float) or value != value:  # rejects NaN
        return None
    if integer:
        return int(value) if float(value).is_integer() else None
    return float(value)


def validate_records(raw_records: list, *, vocabulary: Vocabulary) -> tuple[list[CaseStudyRecord], list[ImportError_]]:
    """Check every record; return the clean records and every error found."""
    records: list[CaseStudyRecord] = []
    errors: list[ImportError_] = []
    seen_ids: dict[str, int] = {}
    languages = language_codes()
    for position, raw in enumerate(raw_records):
        record, record_errors = _validate_record(
            position, raw, vocabulary=vocabulary, seen_ids=seen_ids, languages=languages
        )
        errors.extend(record_errors)
        if record is not None:
            records.append(record)
    return records, errors


def _validate_record(
    position: int, raw, *, vocabulary: Vocabulary, seen_ids: dict[str, int], languages: list[str]
) -> tuple[CaseStudyRecord | None, list[ImportError_]]:
    """One record's clean form, or None and every error found in it."""
    label = f"case_studies[{position}]"
    record_errors: list[ImportError_] = []

    def error(path: str, message: str) -> None:
        record_errors.append(ImportError_(label, path, message))

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
        if external_id in seen_ids:
            error("external_id", _("duplicate of case_studies[%(index)d]") % {"index": seen_ids[external_id]})
        seen_ids.setdefault(external_id, position)

    def slug(key: str, allowed: frozenset[str], kind: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            error(key, _("missing %(kind)s") % {"kind": kind})
            return ""
        if value.strip() not in allowed:
            error(key, _('unknown %(kind)s "%(value)s"') % {"kind": kind, "value": value})
        return value.strip()

    def slugs(key: str, allowed: frozenset[str], kind: str) -> list[str]:
        values = raw.get(key)
        if not isinstance(values, list) or not values:
            error(key, _("give at least one %(kind)s as a list") % {"kind": kind})
            return []
        result = []
        for index, value in enumerate(values):
            if not isinstance(value, str) or value.strip() not in allowed:
                error(f"{key}[{index}]", _('unknown %(kind)s "%(value)s"') % {"kind": kind, "value": value})
            elif value.strip() not in result:
                result.append(value.strip())
        return result

    cluster = slug("cluster", vocabulary.clusters, _("cluster"))
    sector = slug("sector", vocabulary.sectors, _("sector"))
    strategies = slugs("strategies", vocabulary.strategies, _("strategy"))
    materials = slugs("materials", vocabulary.materials, _("material"))

    country = raw.get("country")
    if not isinstance(country, str) or not country.strip():
        error("country", _("missing country"))
        country = ""
    else:
        country = country.strip().upper()
        if country not in dict(countries):
            error("country", _('"%(value)s" is not an ISO 3166 country code') % {"value": raw.get("country")})

    year = _number(raw.get("year"), integer=True)
    if year is None or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        error(
            "year",
            _("year must be a whole number from %(low)d to %(high)d") % {"low": YEAR_RANGE[0], "high": YEAR_RANGE[1]},
        )

    organisation = raw.get("organisation", "") or ""
    if not isinstance(organisation, str) or len(organisation) > 200:
        error("organisation", _("organisation must be text of at most 200 characters"))
        organisation = ""

    impact: dict[str, int | None] = {}
    raw_impact = raw.get("impact", {}) or {}
    if not isinstance(raw_impact, dict):
        error("impact", _("expected an object of metrics"))
        raw_impact = {}
    for metric in raw_impact:
        if metric not in METRICS:
            error(f"impact.{metric}", _("unknown metric"))
    for metric in METRICS:
        value = raw_impact.get(metric)
        if value is None or value == "":
            impact[metric] = None
            continue
        number = _number(value, integer=True)
        if number is None:
            error(f"impact.{metric}", _("must be a whole number"))
        elif number < 0:
            error(f"impact.{metric}", _("must not be negative"))
        elif number > MAX_METRIC:
            error(f"impact.{metric}", _("is too large"))
        impact[metric] = number

    latitude = longitude = None
    location = raw.get("location")
    if location not in (None, {}):
        if not isinstance(location, dict):
            error("location", _("expected an object with lat and lon"))
        else:
            latitude = _number(location.get("lat"), integer=False)
            longitude = _number(location.get("lon"), integer=False)
            if latitude is None or not -90 <= latitude <= 90:
                error("location.lat", _("latitude must be a number from -90 to 90"))
            if longitude is None or not -180 <= longitude <= 180:
                error("location.lon", _("longitude must be a number from -180 to 180"))

    translations: dict[str, dict[str, str]] = {}
    raw_translations = raw.get("translations")
    if not isinstance(raw_translations, dict):
        error("translations", _("expected an object keyed by language code"))
        raw_translations = {}
    for language, texts in raw_translations.items():
        path = f"translations.{language}"
        if language not in languages:
            error(path, _('unknown language "%(code)s"') % {"code": language})
            continue
        if not isinstance(texts, dict):
            error(path, _("expected an object of texts"))
            continue
        clean: dict[str, str] = {}
        for key, value in texts.items():
            if key not in TEXT_FIELDS:
                error(f"{path}.{key}", _("unknown field"))
            elif value is not None and not isinstance(value, str):
                error(f"{path}.{key}", _("must be text"))
            elif value and value.strip():
                if key in MAX_TEXT and len(value.strip()) > MAX_TEXT[key]:
                    error(
                        f"{path}.{key}",
                        _("longer than %(limit)d characters") % {"limit": MAX_TEXT[key]},
                    )
                clean[key] = value.strip()
        if clean:
            missing = {
                "title": _("missing title"),
                "summary": _("missing summary: give one in this language, or leave the language out"),
            }
            for required in REQUIRED_TEXT_FIELDS:
                if required not in clean:
                    error(f"{path}.{required}", missing[required])
            translations[language] = clean
    if not translations and not any(item.path.startswith("translations.") for item in record_errors):
        error("translations", _("missing title: give a title in at least one language"))

    if record_errors:
        return None, record_errors
    return (
        CaseStudyRecord(
            external_id=external_id,
            cluster=cluster,
            country=country,
            sector=sector,
            strategies=strategies,
            materials=materials,
            year=year,
            organisation=organisation.strip(),
            impact=impact,
            latitude=latitude,
            longitude=longitude,
            translations=translations,
        ),
        [],
    )
