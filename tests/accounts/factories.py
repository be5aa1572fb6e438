"""Learners as allauth makes them: a verified primary email address and an SME profile."""

import factory
from allauth.account.models import EmailAddress

from accounts.models import SMEProfile
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


class SMEProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SMEProfile

    organisation = factory.Sequence(lambda number: f"Atelier {number}")
    city = "Valencia"
    country = "ES"
    sector = factory.LazyFunction(lambda: SMEProfile._meta.get_field("sector").related_model.objects.first())
    size = SMEProfile.Size.SMALL
    preferred_language = "en"


class LearnerFactory(UserFactory):
    username = factory.Sequence(lambda number: f"learner{number}")

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    @factory.post_generation
    def profile(user, create, extracted, **kwargs):
        if create and extracted is not False:
            SMEProfileFactory(user=user)
