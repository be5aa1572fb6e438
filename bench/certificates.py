"""Certificate benchmark: new PDF certificates through courses.pdf, and stored ones through the download view.

New certificates: the web process renders the HTML and courses/pdf_worker.py, a
separate long-lived process that imports only WeasyPrint, makes the PDF. Two
memory figures are reported, each labelled: the worker's peak RSS (the process
that generates the PDF, as it reports getrusage after each render) and how much
the web process's resident memory grew across the renders. The first render
starts the worker and loads fonts and stylesheets and is reported apart; the
timed renders after it are the cost of each new certificate (round trip to the
worker included). CPU time of the web process is printed beside wall time.

Stored certificates: one certificate of a learner, rendered and stored once,
then downloaded by its holder through the view that checks permission
(django.test.Client, logged in: session, user and certificate lookups, the
stored file read and streamed).
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from bench.environment import sandbox
from bench.measure import median, percentile
from bench.results import record

RENDERS = 30
DOWNLOADS = 200
TARGET_MEDIAN_MS = 150
TARGET_PEAK_RSS_MB = 150
TARGET_DOWNLOAD_MS = 10
HOLDERS = {
    "en": ("Maria Papadopoulou", "", "Upcycling textile waste"),
    "el": ("Νικόλαος Αντωνίου", "", "Κυκλικός σχεδιασμός για τη χειροτεχνία"),
    "it": ("Giulia Esposito", "", "Modelli di business circolari per le PMI creative"),
    "ar": ("Leila Ben Salah", "ليلى بن صالح", "إعادة تدوير نفايات المنسوجات"),
}


def run() -> bool:
    """Print the certificate benchmark; False when a target is missed."""
    print("== Certificates: new PDFs through courses.pdf and its render worker; stored PDFs through the view ==")
    with sandbox("certificates") as box:
        print(f"database: {box.database_label}")
        renders = _new_certificates()
        downloads, download_cpu = _stored_downloads(box.folder)
    record(
        "certificates",
        median_ms=median(renders["wall_ms"]),
        median_cpu_ms=median(renders["cpu_ms"]) + median(renders["worker_cpu_ms"]),
        worker_peak_rss_mb=renders["worker_peak_mb"],
        web_rss_growth_mb=renders["web_growth_mb"],
        download_median_ms=median(downloads),
        download_p95_ms=percentile(downloads, 0.95),
    )
    wall_ms, cpu_ms = renders["wall_ms"], renders["cpu_ms"]
    print(f"renders: 1 first (starts the worker, loads fonts and stylesheets), then {RENDERS} timed, en el it ar")
    print(f"first render: {renders['first_ms']:.0f} ms")
    print(
        f"per new certificate: median {median(wall_ms):.0f} ms wall, p95 {percentile(wall_ms, 0.95):.0f} ms,"
        f" min {min(wall_ms):.0f} ms; CPU median {median(cpu_ms):.0f} ms in the web process (HTML, QR code)"
        f" + {median(renders['worker_cpu_ms']):.0f} ms in the worker (layout, fonts, PDF);"
        f" PDF {renders['size_kib']:.0f} KiB"
    )
    print(
        f"peak RSS of the process that generates the PDF (render worker, pid {renders['worker_pid']}):"
        f" {renders['worker_peak_mb']:.0f} MB"
    )
    print(
        f"web process RSS: {renders['web_before_mb']:.0f} MB before the first render (Django, Wagtail, the apps,"
        f" after migrate), {renders['web_after_mb']:.0f} MB after; growth {renders['web_growth_mb']:+.1f} MB"
        f" (WeasyPrint loaded in the web process: {'yes' if renders['weasyprint_in_web'] else 'no'})"
    )
    print(
        f"stored certificate download (holder, through the permission-checking view), {DOWNLOADS} requests:"
        f" median {median(downloads):.2f} ms, p95 {percentile(downloads, 0.95):.2f} ms, min {min(downloads):.2f} ms"
        f" wall; CPU median {median(download_cpu):.2f} ms, p95 {percentile(download_cpu, 0.95):.2f} ms"
    )
    checks = [
        (f"median new certificate <= {TARGET_MEDIAN_MS} ms", median(wall_ms) <= TARGET_MEDIAN_MS),
        (f"peak RSS of the PDF process <= {TARGET_PEAK_RSS_MB} MB", renders["worker_peak_mb"] <= TARGET_PEAK_RSS_MB),
        (f"stored download median <= {TARGET_DOWNLOAD_MS} ms", median(downloads) <= TARGET_DOWNLOAD_MS),
    ]
    for label, passed in checks:
        print(f"{'ok    ' if passed else 'MISSED'} {label}")
    return all(passed for _label, passed in checks)


def _new_certificates() -> dict:
    import sys

    from courses.pdf import render_certificate_pdf, render_worker

    languages = list(HOLDERS)
    web_before = _current_rss_mb()
    start = time.perf_counter()
    render_certificate_pdf(data=_certificate(0, languages[0]))
    first_ms = (time.perf_counter() - start) * 1000
    wall_ms, cpu_ms, worker_cpu_ms, sizes = [], [], [], []
    for number in range(1, RENDERS + 1):
        data = _certificate(number, languages[number % len(languages)])
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        pdf = render_certificate_pdf(data=data)
        cpu_ms.append((time.process_time() - cpu_start) * 1000)
        worker_cpu_ms.append(render_worker.last_cpu_ms)
        wall_ms.append((time.perf_counter() - wall_start) * 1000)
        sizes.append(len(pdf))
    web_after = _current_rss_mb()
    return {
        "first_ms": first_ms,
        "wall_ms": wall_ms,
        "cpu_ms": cpu_ms,
        "worker_cpu_ms": worker_cpu_ms,
        "size_kib": median(sizes) / 1024,
        "worker_pid": render_worker.pid,
        "worker_peak_mb": render_worker.peak_rss_kb / 1024,
        "web_before_mb": web_before,
        "web_after_mb": web_after,
        "web_growth_mb": web_after - web_before,
        "weasyprint_in_web": "weasyprint" in sys.modules,
    }


def _stored_downloads(folder) -> tuple[list[float], list[float]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone, translation

    from courses.certificates import code_generate
    from courses.models import Certificate
    from courses.services import certificate_file

    settings.PRIVATE_MEDIA_ROOT = folder / "private"
    learner = get_user_model().objects.create_user("bench-learner", "learner@bench.example", "x")
    certificate = Certificate.objects.create(
        code=code_generate(),
        user=learner,
        holder_name="Maria Papadopoulou",
        course_titles={"en": "Upcycling textile waste"},
        language="en",
        issued_on=timezone.localdate(),
        hours=8,
    )
    certificate_file(certificate=certificate, language="en")  # stored once, as the first download would
    client = Client()
    client.force_login(learner)
    with translation.override("en"):
        url = reverse("certificate_pdf", kwargs={"code": certificate.display_code, "language": "en"})
    samples, cpu = [], []
    for number in range(DOWNLOADS + 5):
        start, cpu_start = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = b"".join(response.streaming_content)
        response.close()
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200 and body.startswith(b"%PDF-"), f"download failed: {response.status_code}"
        if number >= 5:  # the first few warm the URL resolver and the session
            samples.append(elapsed)
            cpu.append((time.process_time() - cpu_start) * 1000)
    return samples, cpu


def _certificate(number: int, language: str):
    from courses.pdf import CertificateData, CertificatePartner

    holder, holder_arabic, course = HOLDERS[language]
    # A new code and URL each time: no render can reuse the previous QR code.
    code = f"{number:04d}-{language.upper()}XY-K7QM-3TXV-9PLA-RW2C-6B"
    return CertificateData(
        holder_name=holder,
        holder_name_arabic=holder_arabic,
        course_title=course,
        completion_date=date(2026, 1, 1) + timedelta(days=number),
        hours=8 + number % 5,
        code=code,
        verification_url=f"https://hub.example.org/{language}/certificates/verify/{code}/",
        language=language,
        partners=(
            CertificatePartner(acronym="NTUA", name="National Technical University of Athens"),
            CertificatePartner(acronym="MoP", name="Municipality of Prato"),
        ),
    )


def _current_rss_mb() -> float:
    # VmRSS: resident now (ru_maxrss would only give the peak so far).
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
