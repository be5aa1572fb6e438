"""Load the reference taxonomies (sectors, 10R strategies, materials).

They are reference data, not demo data: imports and filter URLs name terms by
these slugs, so every installation needs them. Existing terms are left alone.
"""

import json
from pathlib import Path

from django.db import migrations

TAXONOMIES = Path(__file__).resolve().parent.parent / "seed_data" / "taxonomies.json"
MODELS = {"sector": "Sector", "strategy": "Strategy", "material": "Material"}


def load_taxonomies(apps, schema_editor):
    data = json.loads(TAXONOMIES.read_text(encoding="utf-8"))
    for vocabulary, model_name in MODELS.items():
        model = apps.get_model("casestudies", model_name)
        columns = {field.name for field in model._meta.fields}
        for position, term in enumerate(data[vocabulary]):
            if model.objects.filter(slug=term["slug"]).exists():
                continue
            fields = {"slug": term["slug"], "sort_order": position}
            if "rung" in term:
                fields["rung"] = term["rung"]
            for field in ("name", "description"):
                translations = term.get(field, {})
                fields[field] = translations.get("en", "")
                for language, text in translations.items():
                    if f"{field}_{language}" in columns:
                        fields[f"{field}_{language}"] = text
            model.objects.create(**fields)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0002_initial")]

    operations = [migrations.RunPython(load_taxonomies, migrations.RunPython.noop)]
