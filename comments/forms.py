import hashlib
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.validators import MaxLengthValidator
from django.utils.safestring import mark_safe

from accounts.names import validate_public_name

from .models import Comment

FORM_SALT = "comments.form"
EMPTY_FORM_SECONDS = 60 * 60 * 24
NOT_THIS_FORM = (
    "This form was not made by this site for this post. Reload the page and "
    "write your comment again."
)


def sign_form(post, seconds_ago=0):
    """
    The hidden token that dates a comment form and ties it to its post; the
    spam wave (bench.spam_wave) dates forms as if shown `seconds_ago`.
    """
    shown_at = time.time() - seconds_ago
    return signing.dumps({"post": post.pk, "at": shown_at}, salt=FORM_SALT)


class CommentForm(forms.ModelForm):
    """
    The comment form, for guests (name and email required) and for signed-in
    accounts (who are who they are signed in as).

    Errors in the hidden fields (`parent`, `timestamp`) mean the request was
    not made by this form as served, and get a 400 page rather than the form
    again; see has_tampered_fields().

    `{{ form }}` renders the fields a person types into; the page renders the
    hidden ones, which differ per visitor, beside it (comments/_form.html).
    """

    HIDDEN_FIELDS = ("parent", "timestamp")
    template_name = "comments/_form_fields.html"

    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    timestamp = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": NOT_THIS_FORM}
    )
    # A honeypot: hidden from people by the stylesheet, filled in by bots.
    subject = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Comment
        fields = [
            "author_name",
            "author_email",
            "author_url",
            "body",
            "is_subscribed_to_replies",
        ]
        labels = {
            "author_name": "Name",
            "author_email": "Email",
            "author_url": "Website",
            "body": "Comment",
            "is_subscribed_to_replies": "Notify me of replies by email",
        }
        help_texts = {
            "author_email": "Never shown publicly.",
            "author_url": "Optional.",
            "is_subscribed_to_replies": "",
        }
        widgets = {
            "author_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "author_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "author_url": forms.URLInput(attrs={"autocomplete": "url"}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, post, user=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.post = post
        if user is not None and user.is_authenticated:
            for name in ("author_name", "author_email", "author_url"):
                del self.fields[name]
        else:
            self.fields["author_name"].required = True
            self.fields["author_email"].required = True
        body = self.fields["body"]
        max_length = settings.COMMENTS_MAX_LENGTH
        body.validators.append(MaxLengthValidator(max_length))
        body.widget.attrs["maxlength"] = max_length
        body.help_text = f"Plain text, up to {max_length:,} characters."
        if not self.is_bound:
            self.initial.setdefault("timestamp", sign_form(post))

    def render(self, template_name=None, context=None, renderer=None):
        """
        The typed-in fields. Empty, they are the same on every post for every
        guest (and for every account), so they are rendered once and cached:
        rendering them took 4 of the 13 ms of a post page.
        """
        if self.is_bound or template_name or context or renderer:
            return super().render(template_name, context, renderer)
        kind = "guest" if "author_name" in self.fields else "account"
        key = f"comments:empty-form:{kind}:{settings.COMMENTS_MAX_LENGTH}"
        html = cache.get(key)
        if html is None:
            html = super().render()
            cache.set(key, html, EMPTY_FORM_SECONDS)
        return mark_safe(html)

    # The base class binds these to its own render(), not to this one.
    __str__ = __html__ = render

    def clean_author_name(self):
        validate_public_name(self.cleaned_data["author_name"])
        return self.cleaned_data["author_name"]

    def clean_parent(self):
        pk = self.cleaned_data["parent"]
        if pk is None:
            return None
        parent = (
            Comment.objects.select_related("parent", "post", "user")
            .filter(pk=pk)
            .first()
        )
        if parent is None:
            raise forms.ValidationError("The comment you replied to does not exist.")
        if parent.post_id != self.post.pk:
            raise forms.ValidationError(
                "The comment you replied to belongs to another post."
            )
        if not parent.is_approved:
            raise forms.ValidationError(
                "The comment you replied to is not published, so it cannot "
                "take replies."
            )
        return parent

    def clean_timestamp(self):
        max_age = settings.COMMENTS_FORM_MAX_AGE
        try:
            data = signing.loads(
                self.cleaned_data["timestamp"], salt=FORM_SALT, max_age=max_age
            )
            rendered_at = float(data["at"])
            is_for_this_post = data["post"] == self.post.pk
        except signing.SignatureExpired:
            raise forms.ValidationError(
                f"This form was loaded more than {max_age.total_seconds() / 3600:g} "
                "hours ago. Reload the page and send your comment again."
            ) from None
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            is_for_this_post = False
        if not is_for_this_post:
            raise forms.ValidationError(NOT_THIS_FORM)
        return rendered_at

    def claim(self):
        """
        Mark this form as used, and say whether it was unused: each form as
        served sends one comment, so a bot cannot fetch one form and replay
        it (nor a browser's back button send a comment twice). Kept in the
        cache until the form expires anyway; with the in-memory cache, each
        process remembers its own.
        """
        token = self.data["timestamp"]
        key = f"comments:form-used:{hashlib.sha256(token.encode()).hexdigest()}"
        return cache.add(key, True, settings.COMMENTS_FORM_MAX_AGE.total_seconds())

    @property
    def seconds_to_submit(self):
        return time.time() - self.cleaned_data["timestamp"]

    @property
    def honeypot_filled(self):
        return bool(self.cleaned_data.get("subject"))

    def has_tampered_fields(self):
        return any(name in self.errors for name in self.HIDDEN_FIELDS)

    def tampered_messages(self):
        return [
            message
            for name in self.HIDDEN_FIELDS
            for message in self.errors.get(name, [])
        ]

    def comment_fields(self):
        """The typed-in fields, as comment_create() takes them."""
        names = ["body", "is_subscribed_to_replies"] + [
            name
            for name in ("author_name", "author_email", "author_url")
            if name in self.fields
        ]
        return {name: self.cleaned_data[name] for name in names}


class CommentEditForm(forms.Form):
    """An author's new text for their comment."""

    body = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 6}), strip=True
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        body, max_length = self.fields["body"], settings.COMMENTS_MAX_LENGTH
        body.validators.append(MaxLengthValidator(max_length))
        body.widget.attrs["maxlength"] = max_length
        body.help_text = f"Plain text, up to {max_length:,} characters."


class ModeratorReplyForm(forms.Form):
    """A moderator's answer from the admin's thread view, to the post or a comment."""

    parent = forms.ModelChoiceField(
        queryset=Comment.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "That comment is not shown on the site; approve it "
            "before replying to it."
        },
    )
    body = forms.CharField(label="Reply", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        max_length = MaxLengthValidator(settings.COMMENTS_MAX_LENGTH)
        self.fields["body"].validators.append(max_length)
        self.fields["parent"].queryset = (
            Comment.objects.for_post(post).approved().select_related("user", "post")
        )


class AddressForm(forms.Form):
    """A guest's address: to follow a post by mail, or to reach their data."""

    email = forms.EmailField(
        label="Your email address",
        error_messages={"required": "Give your email address."},
    )
