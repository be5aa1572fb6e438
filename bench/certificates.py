"""Certificate benchmark: PDF certificates rendered in the four languages by courses.pdf.

Renders need no database, so this benchmark loads Django without the sandbox's
migrate: its peak memory is that of a process that renders certificates, not
one that also built a demo site. The first render loads the fonts and
stylesheets (once per process) and is reported apart; the timed renders after
it are the cost of each new certificate. CPU time is printed beside wall time
because other work on a shared machine inflates wall time only.
"""

from __future__ import annotations

import os
import resource
import time
from datetime import date, timedelta

from bench.measure import median, percentile
from bench.results import record

RENDERS = 30
TARGET_MEDIAN_MS = 150
TARGET_PEAK_RSS_MB = 150
HOLDERS = {
    "en": ("Maria Papadopoulou", "", "Upcycling textile waste"),
    "el": ("Νικόλαος Αντωνίου", "", "Κυκλικός σχεδιασμός για τη χειροτεχνία"),
    "it": ("Giulia Esposito", "", "Modelli di business circolari per le PMI creative"),
    "ar": ("Leila Ben Salah", "ليلى بن صالح", "إعادة تدوير نفايات المنسوجات"),
}


def run() -> bool:
    """Print the certificate benchmark; False when a target is missed."""
    print("== Certificates: new PDF certificates through courses.pdf ==")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django

    django.setup()
    baseline_mb = _peak_rss_mb()
    from courses.pdf import render_certificate_pdf

    languages = list(HOLDERS)
    start = time.perf_counter()
    render_certificate_pdf(data=_certificate(0, languages[0]))
    first_ms = (time.perf_counter() - start) * 1000

    wall_ms, cpu_ms, sizes = [], [], []
    for number in range(1, RENDERS + 1):
        data = _certificate(number, languages[number % len(languages)])
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        pdf = render_certificate_pdf(data=data)
        cpu_ms.append((time.process_time() - cpu_start) * 1000)
        wall_ms.append((time.perf_counter() - wall_start) * 1000)
        sizes.append(len(pdf))
    peak_mb = _peak_rss_mb()
    record("certificates", median_ms=median(wall_ms), median_cpu_ms=median(cpu_ms), peak_rss_mb=peak_mb)

    print(f"renders: 1 first (loads fonts and stylesheets), then {RENDERS} timed, languages {', '.join(languages)}")
    print(f"first render: {first_ms:.0f} ms")
    print(
        f"per certificate: median {median(wall_ms):.0f} ms wall ({median(cpu_ms):.0f} ms CPU),"
        f" p95 {percentile(wall_ms, 0.95):.0f} ms wall ({percentile(cpu_ms, 0.95):.0f} ms CPU),"
        f" min {min(wall_ms):.0f} ms; PDF {median(sizes) / 1024:.0f} KiB"
    )
    print(
        f"peak RSS: {peak_mb:.0f} MB (Django and Wagtail loaded: {baseline_mb:.0f} MB;"
        f" WeasyPrint, fonts and renders: +{peak_mb - baseline_mb:.0f} MB)"
    )
    checks = [
        (f"median <= {TARGET_MEDIAN_MS} ms", median(wall_ms) <= TARGET_MEDIAN_MS),
        (f"peak RSS <= {TARGET_PEAK_RSS_MB} MB", peak_mb <= TARGET_PEAK_RSS_MB),
    ]
    for label, passed in checks:
        print(f"{'ok    ' if passed else 'MISSED'} {label}")
    return all(passed for _label, passed in checks)


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


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
