"""Public views (the contact relay, the application form) and the expert's admin inbox.

Errors never name the expert's address: the relay only says whether the
message was accepted.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from experts.forms import ApplicationForm, ContactForm
from experts.selectors import contact_messages_for, expert_queryset
from experts.services import contact_message_send, contact_rate_limited, expert_application_submit


def _expert(request, pk: int):
    expert = expert_queryset(request.user).filter(pk=pk).select_related("photo").first()
    if expert is None:
        raise Http404
    return expert


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is the sender's to forge.
    return request.META.get("REMOTE_ADDR") or None


@require_http_methods(["GET", "POST"])
def contact(request, pk: int):
    expert = _expert(request, pk)
    form = ContactForm(request.POST or None)
    context = {"expert": expert, "form": form, "rate_limited": False}
    if request.method == "POST":
        if form.is_spam():
            # Look like success to the bot; store and send nothing.
            return redirect("expert_contact_sent", pk=expert.pk)
        if form.is_valid():
            if contact_rate_limited(expert=expert, sender_ip=_client_ip(request)):
                context["rate_limited"] = True
                return render(request, "experts/contact.html", context, status=429)
            contact_message_send(
                expert=expert,
                sender_name=form.cleaned_data["name"],
                sender_email=form.cleaned_data["email"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["message"],
                language=get_language(),
                sender_ip=_client_ip(request),
            )
            return redirect("expert_contact_sent", pk=expert.pk)
        return render(request, "experts/contact.html", context, status=400)
    return render(request, "experts/contact.html", context)


def contact_sent(request, pk: int):
    return render(request, "experts/contact_sent.html", {"expert": _expert(request, pk)})


@require_http_methods(["GET", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam():
            return redirect("expert_application_sent")
        if form.is_valid():
            expert_application_submit(form=form, language=get_language())
            return redirect("expert_application_sent")
        return render(request, "experts/apply.html", {"form": form}, status=400)
    return render(request, "experts/apply.html", {"form": form})


def application_sent(request):
    return render(request, "experts/apply_sent.html")


def admin_messages(request):
    """The admin inbox: an expert's own messages; every message for a superuser; nobody else."""
    if not (request.user.is_superuser or hasattr(request.user, "expert_profile")):
        raise PermissionDenied
    messages = contact_messages_for(user=request.user)[:200]
    return render(request, "experts/admin/messages.html", {"contact_messages": messages})
