from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone

from .models import Post

# The name of the buttons under the post form; each one's value is an action
# of PostAdminForm.BUTTONS.
PUBLISHING = "_publishing"
CANONICAL_NOTE = (
    "When set, the post’s canonical link points to this address: search engines "
    "then credit the original, not this site."
)


def publishing_state(post):
    """'draft', 'scheduled' or 'published': which buttons the post's form shows."""
    if post.is_published:
        return "published"
    if post.is_scheduled:
        return "scheduled"
    return "draft"


class PostAdminForm(forms.ModelForm):
    """
    The admin's post form. The author is chosen from the active staff, so
    that editors need no permission to see the accounts, which would show
    them every commenter's email address. A post keeps its author after they
    leave the staff, so that it can still be saved as it is. PostAdmin
    gives it its model and fields.

    The status is not a field: it follows from the button pressed, named
    PUBLISHING, which clean() turns into the status and the publish date.
    """

    # The buttons for a post in each state, as (action, label), in the order
    # shown. The first is what a browser presses on Enter in a field, and what
    # is assumed when no button is named: it never changes whether readers see
    # the post.
    BUTTONS = {
        "draft": [
            ("draft", "Save draft"),
            ("publish", "Publish now"),
            ("schedule", "Schedule"),
        ],
        "scheduled": [
            ("schedule", "Save"),
            ("publish", "Publish now"),
            ("draft", "Return to draft"),
        ],
        "published": [("update", "Update"), ("draft", "Return to draft")],
    }
    PUBLISH_AT_HELP = {
        "draft": "When “Schedule” makes the post appear. “Publish now” uses the "
        "present time instead.",
        "scheduled": "When the post appears. “Publish now” uses the present time "
        "instead.",
        "published": "The date the post shows, which “Update” keeps unless you "
        "change it.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read before validation changes the instance: the buttons offered
        # are those of the post as saved.
        state = publishing_state(self.instance)
        self.buttons = self.BUTTONS[state]
        if not self.fields:
            return  # for staff who may only view posts, every field is read-only
        authors = Q(is_active=True, is_staff=True)
        if self.instance.author_id is not None:
            authors |= Q(pk=self.instance.author_id)
        field = self.fields["author"]
        field.queryset = field.queryset.filter(authors)
        published_at = self.fields["published_at"]
        # "Publish now" needs no date, and a blank one keeps the saved date.
        published_at.required = False
        published_at.label = "Publish at"
        published_at.help_text = self.PUBLISH_AT_HELP[state]
        if "first_appeared_url" in self.fields:  # pages have no provenance
            self.fields["first_appeared_url"].help_text = CANONICAL_NOTE
        # Django's file input sits in a fieldset whose legend names it, but
        # the input itself has no label for a screen reader to announce.
        self.fields["featured_image"].widget.attrs["aria-label"] = "Featured image"

    def clean(self):
        cleaned_data = super().clean()
        image = cleaned_data.get("featured_image")
        has_image = image or cleaned_data.get("featured_image_url")
        # Every featured image says something: none is decorative here.
        if has_image and cleaned_data.get("featured_image_alt") == "":
            message = "Describe the image for readers who cannot see it."
            if isinstance(image, UploadedFile):
                message += " Then choose the image again: a browser does not keep it."
            self.add_error("featured_image_alt", message)
        action = self.data.get(PUBLISHING, self.buttons[0][0])
        if action not in dict(self.buttons):
            raise ValidationError("Press one of the buttons under the form.")
        now = timezone.now()
        published_at = cleaned_data.get("published_at")
        if action == "publish":
            cleaned_data["published_at"] = now
        elif "published_at" in self.errors:
            pass  # what was typed is not a date, and the field says so
        elif action == "schedule" and (published_at is None or published_at <= now):
            self.add_error(
                "published_at",
                "To schedule the post, give a date and time in the future.",
            )
        elif action == "update" and published_at is not None and published_at > now:
            self.add_error(
                "published_at",
                "A published post cannot move to a future date: return it to "
                "draft, then schedule it.",
            )
        elif published_at is None:
            cleaned_data["published_at"] = self.instance.published_at
        self.action = action
        return cleaned_data

    def save(self, commit=True):
        # Here rather than in clean(): the admin shows the instance again when
        # another field has an error, and it must still be the post as saved.
        if self.action == "draft":
            self.instance.status = Post.Status.DRAFT
        else:
            self.instance.status = Post.Status.PUBLISHED
        return super().save(commit)
