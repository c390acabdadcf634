"""
A guest's own data: they give the address they commented with, follow the
link mailed to it, and from its page download their comments as JSON or
erase them (comments.personal_data). The page says the same whether or not
the address wrote anything, so that it tells nobody who comments here.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .forms import AddressForm
from .moderation import is_rate_limited
from .notifications import link_mail_send, signed_value
from .personal_data import guest_comments, personal_data_erase, personal_data_export
from .views import bad_request, too_many_requests

DATA_SALT = "comments.personal-data"


@require_http_methods(["GET", "HEAD", "POST"])
def data_request(request):
    """Ask for the link to a guest's data, by the address they commented with."""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_rate_limited(request.META.get("REMOTE_ADDR")):
            return too_many_requests(request)
        email = form.cleaned_data["email"].lower()
        data_link_send(email)
        messages.info(
            request,
            f"If comments were written here with {email}, a link to them is on "
            f"its way there.",
        )
        return redirect(request.path)
    status = 400 if request.method == "POST" else 200
    return render(request, "comments/data_request.html", {"form": form}, status=status)


def data_link_send(email):
    """Mail the link, if the address has comments here."""
    if not guest_comments(email).exists():
        return
    token = signing.dumps({"email": email}, salt=DATA_SALT)
    link_mail_send(
        email,
        subject=f"Your comments at {settings.BLOG_SITE_NAME}",
        template="comments/email/data_link.txt",
        path=reverse("comments:data", kwargs={"token": token}),
    )


def email_of(token):
    data = signed_value(
        token, salt=DATA_SALT, max_age=settings.COMMENTS_CONFIRMATION_MAX_AGE
    )
    email = (data or {}).get("email")
    return email if isinstance(email, str) else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def data(request, token):
    """The page the mailed link opens: download, or erase after a tick."""
    email = email_of(token)
    if email is None:
        return bad_request(
            request, "This link is not valid or has expired. Ask for a new one."
        )
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            return bad_request(request, "Tick the box to erase your comments.")
        deleted, kept = personal_data_erase(email=email)
        context = {"email": email, "deleted": deleted, "kept": kept}
        return render(request, "comments/data_erased.html", context)
    context = {"email": email, "token": token, "count": guest_comments(email).count()}
    return render(request, "comments/data.html", context)


@never_cache
@require_safe
def data_download(request, token):
    email = email_of(token)
    if email is None:
        return bad_request(
            request, "This link is not valid or has expired. Ask for a new one."
        )
    body = json.dumps(personal_data_export(email), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-comments.json"'
    return response
