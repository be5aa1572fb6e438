"""Several writers at once on the embedded SQLite database: two imports and an
admin publish started together all succeed (issue 11, finding 4).

The seeded test database is copied to a file (SQLite's serialize()) and three
processes write to it at the same moment, as gunicorn threads and a
`manage.py import_content` run would.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
DEMO = ROOT / "casestudies" / "fixtures" / "demo_case_studies.json"

PUBLISH = """
import django, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from casestudies.models import CaseStudyPage
editor = get_user_model().objects.filter(is_superuser=True).first()
page = CaseStudyPage.objects.get(external_id="prato-001").specific
for round in range(5):
    # What the admin's Publish does: one transaction saving and publishing a revision.
    with transaction.atomic():
        page.title_en = f"Edited by an editor, round {round}"
        revision = page.save_revision(user=editor)
        revision.publish(user=editor)
print("published")
"""

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite's locking"
)


def batch(prefix: str) -> dict:
    records = json.loads(DEMO.read_text())["case_studies"]  # the 18 demo case studies
    for number, record in enumerate(records):
        record["external_id"] = f"{prefix}-{number:03d}"
        for language, fields in record["translations"].items():
            fields["title"] = f"{fields['title']} ({prefix} {number}, {language})"
    return {"case_studies": records}


@pytest.mark.django_db
def test_two_imports_and_an_admin_publish_at_once_all_succeed(tmp_path):
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    database.write_bytes(connection.connection.serialize())
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "EMBEDDED_SEARCH_PATH": str(tmp_path / "index.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for name in ("CACHE_URL", "ELASTICSEARCH_URL"):
        env.pop(name, None)
    files = []
    for prefix in ("north", "south"):
        path = tmp_path / f"{prefix}.json"
        path.write_text(json.dumps(batch(prefix)))
        files.append(path)

    commands = [[sys.executable, "manage.py", "import_content", str(path)] for path in files]
    commands.append([sys.executable, "-c", PUBLISH])
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command in commands
    ]
    results = [(process.wait(timeout=300), *process.communicate()) for process in processes]

    for returncode, stdout, stderr in results:
        assert returncode == 0, stdout + stderr[-3000:]
    with sqlite3.connect(database) as check:
        imported = check.execute(
            "SELECT COUNT(*) FROM casestudies_casestudypage"
            " WHERE external_id LIKE 'north-%' OR external_id LIKE 'south-%'"
        ).fetchone()[0]
        title = check.execute(
            "SELECT p.title_en FROM wagtailcore_page p JOIN casestudies_casestudypage c ON c.page_ptr_id = p.id"
            " WHERE c.external_id = 'prato-001'"
        ).fetchone()[0]
    assert imported == 2 * len(batch("any")["case_studies"])
    assert title == "Edited by an editor, round 4"
