"""The PDF render worker: a separate process; when it fails, callers get a clear error and never a broken PDF."""

import os
import signal
import textwrap

import pytest

from courses import pdf
from courses.models import CertificateFile, CoursePage
from courses.pdf import PdfRenderError, RenderWorker, render_certificate_pdf
from courses.services import certificate_issue, enrolment_create
from tests.courses.test_certificate_pdf import certificate_data
from tests.factories import UserFactory

# Answers one request with a header saying "ok" and bytes that are not a PDF.
NOT_A_PDF = textwrap.dedent(
    """
    import json, struct, sys
    frame = struct.Struct(">Q")
    (length,) = frame.unpack(sys.stdin.buffer.read(8))
    sys.stdin.buffer.read(length)
    out = sys.stdout.buffer
    for body in (json.dumps({"ok": True, "pages": 1}).encode(), b"<html>oops</html>"):
        out.write(frame.pack(len(body)) + body)
    out.flush()
    """
)


@pytest.fixture
def worker_script(monkeypatch, tmp_path):
    """Run `source` as the render worker of a fresh handle."""

    def install(source: str):
        script = tmp_path / "worker.py"
        script.write_text(source)
        monkeypatch.setattr(pdf, "WORKER_SCRIPT", script)
        worker = RenderWorker()
        monkeypatch.setattr(pdf, "render_worker", worker)
        return worker

    yield install
    pdf.render_worker.stop()


def test_a_worker_that_cannot_start_is_reported_plainly(worker_script):
    worker_script("import sys; sys.exit('weasyprint is not installed')")
    with pytest.raises(PdfRenderError, match="stopped without answering"):
        render_certificate_pdf(data=certificate_data("en"))


def test_an_answer_that_is_not_a_pdf_is_refused(worker_script):
    worker_script(NOT_A_PDF)
    with pytest.raises(PdfRenderError, match="not a whole PDF"):
        render_certificate_pdf(data=certificate_data("en"))


def test_a_render_that_hangs_is_stopped(worker_script, monkeypatch):
    worker = worker_script("import time; time.sleep(60)")
    monkeypatch.setattr(pdf, "CERTIFICATE_TIMEOUT_SECONDS", 1)
    with pytest.raises(PdfRenderError, match="more than 1 s"):
        render_certificate_pdf(data=certificate_data("en"))
    assert worker.pid is None  # stopped, not left running


def test_a_worker_that_died_is_started_again():
    assert render_certificate_pdf(data=certificate_data("en")).startswith(b"%PDF-")
    first = pdf.render_worker.pid
    os.kill(first, signal.SIGKILL)
    os.waitpid(first, 0)
    assert render_certificate_pdf(data=certificate_data("ar")).startswith(b"%PDF-")
    assert pdf.render_worker.pid not in (None, first)


def test_the_web_process_does_not_load_weasyprint():
    # The point of the worker: WeasyPrint's memory stays out of the web process.
    import subprocess
    import sys

    code = (
        "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hub.settings'); django.setup();"
        "import courses.views, courses.services, courses.pdf; print('weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.django_db
def test_download_says_the_pdf_is_unavailable_and_stores_nothing(client, worker_script):
    worker_script(NOT_A_PDF)
    learner = UserFactory()
    course = CoursePage.objects.get(slug_en="circular-business-models")
    certificate = certificate_issue(enrolment=enrolment_create(user=learner, course=course), language="en")
    client.force_login(learner)
    response = client.get(f"/en/certificates/{certificate.display_code}/pdf/en/")
    assert response.status_code == 503
    assert b"cannot be made right now" in response.content
    assert not CertificateFile.objects.filter(certificate=certificate).exists()
