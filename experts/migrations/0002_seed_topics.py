"""Load the expertise topics (eco-design, industrial symbiosis, ...).

Reference data, not demo data: imports and directory filters name topics by
these slugs, so every installation needs them. Existing topics are left alone.
"""

import json
from pathlib import Path

from django.db import migrations

TOPICS = Path(__file__).resolve().parent.parent / "seed_data" / "topics.json"


def load_topics(apps, schema_editor):
    topic_model = apps.get_model("experts", "Topic")
    columns = {field.name for field in topic_model._meta.fields}
    for position, term in enumerate(json.loads(TOPICS.read_text(encoding="utf-8"))):
        if topic_model.objects.filter(slug=term["slug"]).exists():
            continue
        fields = {"slug": term["slug"], "sort_order": position, "name": term["name"]["en"]}
        for language, text in term["name"].items():
            if f"name_{language}" in columns:
                fields[f"name_{language}"] = text
        topic_model.objects.create(**fields)


class Migration(migrations.Migration):
    dependencies = [("experts", "0001_initial")]

    operations = [migrations.RunPython(load_topics, migrations.RunPython.noop)]
