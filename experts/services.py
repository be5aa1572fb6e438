"""Writes of the expert section: the contact relay (a durable outbox), roles and workflow, applications, import."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from casestudies.selectors import taxonomy_terms, term_labels
from casestudies.services import ImportError_, ImportReport
from core.clusters import cluster_key_field, cluster_keys, cluster_model
from core.languages import default_language, language_codes
from core.publishing import page_revision_publish
from experts.imports import EXPERTISE_KINDS, ExpertRecord, ExpertVocabulary, validate_expert_records
from experts.models import (
    ContactMessage,
    ExpertApplication,
    ExpertIndexPage,
    ExpertLanguage,
    ExpertPage,
    GuideIndexPage,
    Topic,
)

logger = logging.getLogger(__name__)

EXPERTS_GROUP = "Experts"
EDITORS_GROUP = "Cluster editors"
WORKFLOW_NAME = "Experts' guides and profiles"
TASK_NAME = "Cluster editors approve"
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(hours=1)
FIRST_RETRY = timedelta(seconds=30)


# --- Contact relay ----------------------------------------------------------


def _count(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def contact_rate_limited(*, expert: ExpertPage, sender_ip: str | None) -> bool:
    """Count one attempt to contact `expert` from `sender_ip`; True when a limit is exceeded.

    Fixed windows in the shared cache: EXPERTS_CONTACT_PER_IP per minute from
    one address (all experts together) and EXPERTS_CONTACT_PER_EXPERT per hour
    to one expert (all senders together).
    """
    now = int(time.time())
    ip_key = f"experts:contact:ip:{sender_ip or 'unknown'}:{now // 60}"
    expert_key = f"experts:contact:expert:{expert.pk}:{now // 3600}"
    over_ip = _count(ip_key, 60) > settings.EXPERTS_CONTACT_PER_IP
    over_expert = _count(expert_key, 3600) > settings.EXPERTS_CONTACT_PER_EXPERT
    return over_ip or over_expert


def contact_message_send(
    *, expert: ExpertPage, sender_name: str, sender_email: str, subject: str, body: str, language: str, sender_ip
) -> ContactMessage:
    """Store a visitor's message to `expert`, and deliver it after the surrounding transaction commits.

    The message is the outbox entry: a failing mail server leaves it pending,
    to be retried by `contact_messages_deliver` (and `manage.py experts_contact_deliver`).
    """
    with transaction.atomic():
        message = ContactMessage.objects.create(
            expert=expert,
            sender_name=sender_name,
            sender_email=sender_email,
            subject=subject,
            body=body,
            language=language,
            sender_ip=sender_ip,
        )
        _schedule_delivery()
    return message


def _deliver_after_commit() -> None:
    contact_messages_deliver()


def _schedule_delivery() -> None:
    connection = transaction.get_connection()
    if any(entry[1] is _deliver_after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(_deliver_after_commit)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def contact_messages_deliver(*, limit: int = 100) -> DeliveryReport:
    """Email due pending messages to their experts; back off and retry the ones that fail.

    A message that fails MAX_ATTEMPTS times is marked failed (kept for the audit
    and visible in the admin). Rows are locked while sent, so two workers never
    send the same message.
    """
    report = DeliveryReport()
    now = timezone.now()
    with transaction.atomic():
        due = list(
            ContactMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=ContactMessage.Status.PENDING, available_at__lte=now)
            .select_related("expert__user")
            .order_by("id")[:limit]
        )
        for message in due:
            try:
                _email(message)
            except Exception as error:  # any mail failure: keep the message and retry later
                message.attempts += 1
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = ContactMessage.Status.FAILED
                    report.failed += 1
                else:
                    message.available_at = now + min(MAX_BACKOFF, FIRST_RETRY * 2 ** (message.attempts - 1))
                    report.retrying += 1
                logger.warning("contact message %s not sent (attempt %d): %s", message.pk, message.attempts, error)
            else:
                message.status = ContactMessage.Status.SENT
                message.sent_at = timezone.now()
                message.last_error = ""
                report.sent += 1
            message.save(update_fields=["status", "attempts", "available_at", "last_error", "sent_at"])
    return report


class NoRelayAddress(Exception):
    pass


def _email(message: ContactMessage) -> None:
    address = message.expert.relay_address()
    if not address:
        raise NoRelayAddress("the expert has no email address")
    with translation.override(message.language if message.language in language_codes() else default_language()):
        text = render_to_string(
            "experts/email/contact_message.txt", {"message": message, "site_url": settings.SITE_URL}
        )
        subject = render_to_string("experts/email/contact_subject.txt", {"message": message}).strip()
    EmailMessage(subject=subject, body=text, to=[address], reply_to=[message.sender_email]).send(fail_silently=False)


# --- Roles and workflow -----------------------------------------------------


def expert_roles_setup() -> tuple[Group, Group]:
    """Create (or complete) the "Experts" and "Cluster editors" groups and the moderation workflow.

    Experts get the "add" permission on the guides section and the directory:
    with Wagtail's page ownership that lets them create pages there and edit
    only the ones they own, and never publish. Cluster editors may edit and
    publish there, and are the reviewers of the workflow that every guide and
    profile goes through. Idempotent; needs both index pages.
    """
    experts, _ = Group.objects.get_or_create(name=EXPERTS_GROUP)
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    experts.permissions.add(access_admin)
    editors.permissions.add(access_admin)
    root = Collection.get_first_root_node()
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for codename in (f"add_{model}", f"choose_{model}"):
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for group in (experts, editors):
                GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(editors)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index in (GuideIndexPage.objects.first(), ExpertIndexPage.objects.first()):
        if index is None:
            continue
        GroupPagePermission.objects.get_or_create(group=experts, page=index, permission=_page_permission("add"))
        for action in ("add", "change", "publish"):
            GroupPagePermission.objects.get_or_create(group=editors, page=index, permission=_page_permission(action))
        WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    return experts, editors


def _page_permission(action: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")


# --- Applications -----------------------------------------------------------


def expert_application_submit(*, form, language: str) -> ExpertApplication:
    """Store a validated application form as a pending application."""
    application = form.save(commit=False)
    application.language = language
    application.save()
    form.save_m2m()
    return application


def expert_application_approve(*, application: ExpertApplication) -> ExpertPage:
    """Create the applicant's account, a draft profile they own, and email an invitation to set a password.

    The account joins the "Experts" group; the profile is a draft until a
    cluster editor approves it through the workflow. Approving twice is refused.
    """
    if application.status != ExpertApplication.Status.PENDING:
        raise ValueError("only pending applications can be approved")
    user_model = get_user_model()
    with transaction.atomic():
        experts, _editors = expert_roles_setup()
        user = user_model.objects.filter(email__iexact=application.email).first()
        if user is None:
            user = user_model(username=application.email.lower()[:150], email=application.email)
            user.set_unusable_password()
            user.first_name = application.name[:150]
            user.save()
        user.groups.add(experts)
        index = ExpertIndexPage.objects.get()
        language = application.language if application.language in language_codes() else default_language()
        values = {"title": application.name, "role": application.role, "bio": application.bio, "city": application.city}
        page = ExpertPage(
            organisation=application.organisation,
            country=application.country,
            cluster=application.cluster,
            user=user,
            owner=user,
            live=False,
            slug=_free_slug(index, application.name),
        )
        for name, value in values.items():
            setattr(page, name, value)
            setattr(page, f"{name}_{default_language()}", value)
            setattr(page, f"{name}_{language}", value)
        page.slug_en = page.slug
        index.add_child(instance=page)
        page.topics.set(application.topics.all())
        page.save_revision(user=user)
        application.status = ExpertApplication.Status.APPROVED
        application.decided_at = timezone.now()
        application.expert = page
        application.save(update_fields=["status", "decided_at", "expert"])
        transaction.on_commit(lambda: _send_invitation(user=user, language=language))
    return page


def _free_slug(index: ExpertIndexPage, name: str) -> str:
    base = slugify(name) or "expert"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _send_invitation(*, user, language: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse("wagtailadmin_password_reset_confirm", args=[uid, token])
    with translation.override(language):
        text = render_to_string(
            "experts/email/invitation.txt", {"user": user, "link": link, "site_url": settings.SITE_URL}
        )
        subject = render_to_string("experts/email/invitation_subject.txt", {}).strip()
    EmailMessage(subject=subject, body=text, to=[user.email]).send(fail_silently=False)


# --- Import -----------------------------------------------------------------


def expert_vocabulary() -> ExpertVocabulary:
    """The slugs an expert import may name: clusters, topics and the case-study taxonomies."""
    terms = term_labels()
    return ExpertVocabulary(
        clusters=cluster_keys(),
        topics=frozenset(Topic.objects.values_list("slug", flat=True)),
        strategies=frozenset(terms.get("strategy", {})),
        materials=frozenset(terms.get("material", {})),
        sectors=frozenset(terms.get("sector", {})),
    )


def expert_import(*, raw_records, dry_run: bool = False) -> ImportReport:
    """Create or update published expert profiles, matched on `external_id`.

    Every record is validated first; on any error nothing is written and the
    report lists them all. Importing the same records again changes nothing.
    With `dry_run` the report says what would change and nothing is written.
    """
    with translation.override(default_language()):
        records, errors = validate_expert_records(raw_records, vocabulary=expert_vocabulary())
        report = ImportReport(dry_run=dry_run)
        index = ExpertIndexPage.objects.first()
        if index is None:
            errors.append(ImportError_("site", "", _("no expert directory page exists: create one in the admin first")))
        if errors:
            report.errors = errors
            return report
        existing = {
            page.external_id: page
            for page in ExpertPage.objects.filter(external_id__in=[record.external_id for record in records])
            .select_related("cluster")
            .prefetch_related("topics", "strategies", "materials", "sectors", "spoken_languages")
        }
        lookups = _lookups()
        with transaction.atomic():
            for record in records:
                page = existing.get(record.external_id)
                if page is None:
                    report.created.append(record.external_id)
                    page = ExpertPage(external_id=record.external_id, slug=_free_slug(index, record.name))
                    page.slug_en = page.slug
                    _apply(page, record, lookups)
                    _set_relations(page, record, lookups)
                    page.live = False
                    index.add_child(instance=page)
                    page.save_revision().publish()
                elif _apply(page, record, lookups):
                    report.updated.append(record.external_id)
                    _set_relations(page, record, lookups)
                    page_revision_publish(page=page)
                else:
                    report.unchanged.append(record.external_id)
            if dry_run:
                transaction.set_rollback(True)
    return report


def _lookups() -> dict[str, dict[str, object]]:
    terms = taxonomy_terms()
    return {
        "cluster": {getattr(page, cluster_key_field()): page for page in cluster_model().objects.all()},
        "topics": {topic.slug: topic for topic in Topic.objects.all()},
        **terms,
    }


def _texts(record: ExpertRecord) -> dict[str, str]:
    values = {"title": record.name, f"title_{default_language()}": record.name}
    for model_field, text_field in (
        ("role", "title"),
        ("bio", "bio"),
        ("city", "city"),
        ("availability", "availability"),
    ):
        for code in language_codes():
            values[f"{model_field}_{code}"] = record.translations.get(code, {}).get(text_field, "")
        default_value = values[f"{model_field}_{default_language()}"] or next(
            (values[f"{model_field}_{code}"] for code in language_codes() if values[f"{model_field}_{code}"]), ""
        )
        values[f"{model_field}_{default_language()}"] = default_value
        values[model_field] = default_value
    return values


def _apply(page: ExpertPage, record: ExpertRecord, lookups) -> bool:
    """Set the record's values on `page`; True when anything differs."""
    values = {
        "cluster_id": lookups["cluster"][record.cluster].pk,
        "country": record.country,
        "organisation": record.organisation,
        "email": record.email,
        **_texts(record),
    }
    changed = page.pk is None
    for attribute, value in values.items():
        current = getattr(page, attribute)
        if attribute == "country":
            current = str(current)
        if current != value:
            setattr(page, attribute, value)
            changed = True
    if page.pk is not None:
        for kind in EXPERTISE_KINDS:
            if {term.slug for term in getattr(page, kind).all()} != set(record.expertise[kind]):
                changed = True
        if [(item.language, item.level) for item in page.spoken_languages.all()] != record.languages:
            changed = True
    return changed


def _set_relations(page: ExpertPage, record: ExpertRecord, lookups) -> None:
    for kind in EXPERTISE_KINDS:
        getattr(page, kind).set([lookups[kind][slug] for slug in record.expertise[kind]])
    page.spoken_languages = [
        ExpertLanguage(language=language, level=level, sort_order=position)
        for position, (language, level) in enumerate(record.languages)
    ]
