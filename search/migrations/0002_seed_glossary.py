"""Load the circular-economy glossary (reference data, editable afterwards in the admin).

Existing concepts are left alone, so editors' changes survive.
"""

import json
from pathlib import Path

from django.db import migrations

GLOSSARY = Path(__file__).resolve().parent.parent / "seed_data" / "glossary.json"


def load_glossary(apps, schema_editor):
    concept_model = apps.get_model("search", "GlossaryConcept")
    columns = {field.name for field in concept_model._meta.fields}
    for concept in json.loads(GLOSSARY.read_text(encoding="utf-8"))["concepts"]:
        if concept_model.objects.filter(key=concept["key"]).exists():
            continue
        fields = {
            "key": concept["key"],
            "terms": "\n".join(concept["terms"]["en"]),
            "definition": concept["definition"]["en"],
        }
        for language, terms in concept["terms"].items():
            if f"terms_{language}" in columns:
                fields[f"terms_{language}"] = "\n".join(terms)
        for language, text in concept["definition"].items():
            if f"definition_{language}" in columns:
                fields[f"definition_{language}"] = text
        concept_model.objects.create(**fields)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(load_glossary, migrations.RunPython.noop)]
