"""How learner accounts join the site: their URLs under /<lang>/accounts/ and the demo learner."""

from wagtail import hooks

from accounts.demo import seed_demo_learner
from accounts.urls import urlpatterns
from core import registry


@hooks.register(registry.I18N_URLS)
def account_urls():
    return urlpatterns


hooks.register(registry.SEED_STEPS, seed_demo_learner, order=5)
