"""System checks for deployment settings Django does not know about."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache_in_production(app_configs, **kwargs):
    """Cached navigation and private-section lists must be shared by every web process.

    The local-memory cache is private to one process: after a change, other
    processes would keep their copy until it expires.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [
            Warning(
                "The default cache is local memory, private to each process.",
                hint="Set CACHE_URL=redis://… when more than one process serves the site.",
                id="hub.W001",
            )
        ]
    return []
