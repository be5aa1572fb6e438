"""Fixtures for the training tests: private storage in a temporary folder, a stand-in PDF renderer."""

from types import SimpleNamespace

import pytest

from courses import services


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def renderer(monkeypatch):
    """Stands in for courses/pdf.py (built on another branch); records each render."""
    calls = []

    def render_certificate_pdf(*, data, language):
        calls.append((data, language))
        return f"%PDF-1.7 {data.holder_name} {data.course_title} {data.code} {language}".encode()

    monkeypatch.setattr(
        services, "certificate_renderer", SimpleNamespace(render_certificate_pdf=render_certificate_pdf)
    )
    return calls
