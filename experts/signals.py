"""Thin adapters: a changed topic makes the cached topic labels stale."""

from django.db.models.signals import post_delete, post_save

from experts.models import Topic, bump_topic_labels_version


def connect() -> None:
    post_save.connect(bump_topic_labels_version, sender=Topic, dispatch_uid="experts-topic-saved")
    post_delete.connect(bump_topic_labels_version, sender=Topic, dispatch_uid="experts-topic-deleted")
