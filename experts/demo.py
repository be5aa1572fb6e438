"""The experts' demo seed step: directory and guides sections, 12 experts, 8 guides, two demo logins."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model

from casestudies.selectors import case_study_ids
from casestudies.services import case_study_name_page
from core.imagery import PALETTES
from core.languages import default_language, language_codes
from core.seeding import SeedReport, demo_image, page_seed, page_values, per_language
from experts.models import ExpertIndexPage, ExpertPage, GuideIndexPage, GuidePage, GuideRelatedPage, Topic
from experts.services import expert_import, expert_roles_setup

SEED_DATA = Path(__file__).resolve().parent / "seed_data"
DEMO_EXPERT = ("expert@example.org", "innomed-expert", "exp-ath-01")
DEMO_EDITOR = ("editor@example.org", "innomed-editor")


def _load(name: str):
    return json.loads((SEED_DATA / name).read_text(encoding="utf-8"))


def seed_experts(*, home, report: SeedReport) -> None:
    """Create whatever of the expert section is missing; never overwrite."""
    sections = _load("index.json")
    values = page_values(sections["experts"], fields=("title", "intro"), key="experts")
    values["show_in_menus"] = True
    _directory, created = page_seed(parent=home, model=ExpertIndexPage, key="experts", values=values)
    report.note(created, "expert directory")
    values = page_values(sections["guides"], fields=("title", "intro"), key="guides")
    values["show_in_menus"] = True
    guides, created = page_seed(parent=home, model=GuideIndexPage, key="guides", values=values)
    report.note(created, "guide index")
    experts_group, editors_group = expert_roles_setup()

    records = _load("demo_experts.json")["experts"]
    existing = set(ExpertPage.objects.values_list("external_id", flat=True))
    missing = [record for record in records if record["external_id"] not in existing]
    if missing:
        result = expert_import(raw_records=missing)
        if result.errors:
            raise ValueError("demo experts do not validate:\n" + "\n".join(map(str, result.errors)))
        report.created.extend(f"expert {key}" for key in result.created)
        for page in ExpertPage.objects.filter(external_id__in=result.created).select_related("cluster"):
            page.photo = demo_image(
                title=f"Expert {page.external_id}",
                seed=f"expert-{page.external_id}",
                palette=PALETTES.get(page.cluster.key, PALETTES["athens"]),
            )
            page.save_revision().publish()
            # Case studies name the experts of their cluster: related content both ways.
            case_study_name_page(external_id=f"{page.cluster.key}-00{page.external_id[-1]}", page=page)

    _seed_accounts(report, experts_group=experts_group, editors_group=editors_group)
    _seed_guides(guides, report)


def _seed_accounts(report: SeedReport, *, experts_group, editors_group) -> None:
    user_model = get_user_model()
    email, password, external_id = DEMO_EXPERT
    expert = user_model.objects.filter(username=email).first()
    if expert is None:
        expert = user_model.objects.create_user(email, email, password, first_name="Eleni", last_name="Papadaki")
        report.created.append(f"user {email}")
    expert.groups.add(experts_group)
    profile = ExpertPage.objects.filter(external_id=external_id, user__isnull=True).first()
    if profile is not None and not hasattr(expert, "expert_profile"):
        # The account owns its profile: Wagtail's ownership is what lets the expert edit it.
        ExpertPage.objects.filter(pk=profile.pk).update(user=expert, owner=expert)
    report.logins.append(("expert", email, password))

    email, password = DEMO_EDITOR
    editor = user_model.objects.filter(username=email).first()
    if editor is None:
        editor = user_model.objects.create_user(email, email, password, first_name="Cluster", last_name="Editor")
        report.created.append(f"user {email}")
    editor.groups.add(editors_group)
    report.logins.append(("cluster editor", email, password))


def _steps(steps: list[dict], code: str) -> list[dict]:
    return [
        {"type": "step", "value": {"heading": step[code][0], "text": f"<p>{step[code][1]}</p>", "image": None}}
        for step in steps
    ]


def _seed_guides(index: GuideIndexPage, report: SeedReport) -> None:
    authors = {page.external_id: page for page in ExpertPage.objects.filter(external_id__isnull=False)}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    existing = set(GuidePage.objects.child_of(index).values_list(f"slug_{default_language()}", flat=True))
    for data in _load("demo_guides.json")["guides"]:
        if data["key"] in existing:
            continue
        values = page_values(data, fields=("title", "summary"), key=data["key"])
        values.update(per_language({code: _steps(data["steps"], code) for code in language_codes()}, "steps"))
        author = authors.get(data["author"])
        page = GuidePage(
            **values,
            difficulty=data["difficulty"],
            reading_time=data["reading_time"],
            author=author,
            owner=author.user if author is not None and author.user_id else None,
        )
        page.topics = [topics[slug] for slug in data["topics"] if slug in topics]
        page.related_pages = [
            GuideRelatedPage(target_id=page_id) for page_id in case_study_ids(external_ids=data["case_studies"])
        ]
        page.live = False
        index.add_child(instance=page)
        page.save_revision().publish()
        report.created.append(f"guide {data['key']}")
