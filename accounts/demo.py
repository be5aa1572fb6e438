"""Demo seed step: the demo learner, learner@example.org, with a verified address and an SME profile."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import SMEProfile
from accounts.services import profile_save
from core.seeding import SeedReport

DEMO_LEARNER_EMAIL = "learner@example.org"
DEMO_LEARNER_USERNAME = "learner"
LEARNERS_GROUP = "Learners"


def seed_demo_learner(*, home, report: SeedReport) -> None:
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=DEMO_LEARNER_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(
            DEMO_LEARNER_USERNAME,
            DEMO_LEARNER_EMAIL,
            settings.DEMO_LEARNER_PASSWORD,
            first_name="Leila",
            last_name="Haddad",
        )
        report.created.append(f"user {DEMO_LEARNER_EMAIL}")
    EmailAddress.objects.get_or_create(
        user=user, email=DEMO_LEARNER_EMAIL, defaults={"verified": True, "primary": True}
    )
    group, _created = Group.objects.get_or_create(name=LEARNERS_GROUP)
    user.groups.add(group)
    if not SMEProfile.objects.filter(user=user).exists():
        sector_model = SMEProfile._meta.get_field("sector").related_model
        profile_save(
            user=user,
            values={
                "organisation": "Atelier Demo",
                "city": "Heraklion",
                "country": "GR",
                "sector": sector_model.objects.order_by("pk").first(),
                "size": SMEProfile.Size.MICRO,
                "preferred_language": "en",
            },
        )
        report.created.append(f"SME profile of {DEMO_LEARNER_EMAIL}")
    report.logins.append(("learner", DEMO_LEARNER_EMAIL, settings.DEMO_LEARNER_PASSWORD))
