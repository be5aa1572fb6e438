"""The six city clusters as feature apps see them, without importing the site layer.

The cluster page model lives in the site layer (`hub.ClusterPage`); apps
reach it like Django's user model, through a setting (`HUB_CLUSTER_MODEL`)
and `cluster_model()`. Contract of that model: a page with `slug_<default
language>` as its stable key, a translated `title` and a `country`.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

from core.languages import default_language


def cluster_model():
    return apps.get_model(settings.HUB_CLUSTER_MODEL)


def cluster_key_field() -> str:
    """The column holding a cluster's stable key (its default-language slug)."""
    return f"slug_{default_language()}"


def cluster_keys() -> frozenset[str]:
    """Every cluster's key, live or not: what imports may name."""
    return frozenset(cluster_model().objects.values_list(cluster_key_field(), flat=True))


def cluster_labels() -> dict[str, str]:
    """`{key: title in the active language}` of the live clusters, in tree order."""
    return {
        getattr(cluster, cluster_key_field()): cluster.title
        for cluster in cluster_model().objects.live().order_by("path")
    }
