"""The `import_content` file: every app's part of it, validated together, written together or not at all.

A JSON file holds one list per part (`{"case_studies": [...], "experts": [...]}`);
each app registers the importer of its part (`core.registry.IMPORTERS`). A CSV
file holds case studies only. All parts are imported in one transaction:
when any part reports an error, every part is rolled back.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from casestudies.imports import ImportError_
from casestudies.services import ImportReport, case_study_import_file
from core.registry import importers


def content_import_file(*, path: Path, dry_run: bool = False) -> dict[str, ImportReport]:
    """Import a .json (any registered parts) or .csv (case studies) file; `{part: report}`.

    Nothing is written when any part has an error (the reports say which) or
    with `dry_run`.
    """
    if path.suffix.lower() != ".json":
        return {"case_studies": case_study_import_file(path=path, dry_run=dry_run)}
    parts = {importer.key: importer for importer in importers()}
    try:
        data = _read_json(path)
    except _FileProblem as problem:
        return {"file": ImportReport(errors=[ImportError_(str(path), problem.path, problem.message)], dry_run=dry_run)}
    unknown = sorted(set(data) - set(parts))
    present = [key for key in parts if key in data]
    if unknown or not present:
        message = _("expected an object with the lists %(names)s") % {"names": ", ".join(f'"{key}"' for key in parts)}
        return {"file": ImportReport(errors=[ImportError_(str(path), ", ".join(unknown), message)], dry_run=dry_run)}
    reports: dict[str, ImportReport] = {}
    with transaction.atomic():
        for key in present:
            reports[key] = parts[key].run(raw_records=data[key], dry_run=dry_run)
            if reports[key].errors:
                break
        if any(report.errors for report in reports.values()):
            transaction.set_rollback(True)
    return reports


class _FileProblem(Exception):
    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.message = message
        self.path = path


def _read_json(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _FileProblem(_("file not found")) from None
    except UnicodeDecodeError as error:
        raise _FileProblem(_("not UTF-8 text (byte %(position)d)") % {"position": error.start}) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _FileProblem(
            _("malformed JSON at line %(line)d, column %(column)d: %(problem)s")
            % {"line": error.lineno, "column": error.colno, "problem": error.msg}
        ) from None
    if not isinstance(data, dict):
        raise _FileProblem(_("expected an object of lists"))
    return data
