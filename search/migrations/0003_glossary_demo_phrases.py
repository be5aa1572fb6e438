"""Bring an existing glossary up to search/seed_data/glossary.json: the phrases of the demo content.

Concepts that are missing are created; an existing concept gains the terms
it lacks (appended, one per line) and keeps everything an editor wrote.
"""

import json
from pathlib import Path

from django.db import migrations

GLOSSARY = Path(__file__).resolve().parent.parent / "seed_data" / "glossary.json"


def add_missing_terms(apps, schema_editor):
    concept_model = apps.get_model("search", "GlossaryConcept")
    columns = {field.name for field in concept_model._meta.fields}
    for concept in json.loads(GLOSSARY.read_text(encoding="utf-8"))["concepts"]:
        existing = concept_model.objects.filter(key=concept["key"]).first()
        if existing is None:
            fields = {"key": concept["key"], "terms": "\n".join(concept["terms"]["en"])}
            fields["definition"] = (concept.get("definition") or {}).get("en", "")
            for language, terms in concept["terms"].items():
                if f"terms_{language}" in columns:
                    fields[f"terms_{language}"] = "\n".join(terms)
            for language, text in (concept.get("definition") or {}).items():
                if f"definition_{language}" in columns:
                    fields[f"definition_{language}"] = text
            concept_model.objects.create(**fields)
            continue
        changed = []
        for language, terms in concept["terms"].items():
            column = f"terms_{language}"
            if column not in columns:
                continue
            current = getattr(existing, column) or ""
            known = {line.strip().casefold() for line in current.splitlines() if line.strip()}
            missing = [term for term in terms if term.casefold() not in known]
            if missing:
                setattr(existing, column, "\n".join([current.rstrip("\n"), *missing]).strip("\n"))
                changed.append(column)
        if changed:
            existing.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_seed_glossary")]

    operations = [migrations.RunPython(add_missing_terms, migrations.RunPython.noop)]
