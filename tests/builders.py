"""Objects for tests, with defaults that make a valid, public thing."""

import datetime
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, PngImagePlugin

from accounts.models import User
from blog.models import Category, MenuItem, Page, Post, Publication
from blog.roles import EDITOR
from comments.models import Comment, ConfirmedAddress, Discussion
from comments.roles import MODERATOR
from comments.services import discussions_recount

sequence = itertools.count(1)


def make_user(**fields):
    n = next(sequence)
    fields.setdefault("username", f"user{n}")
    fields.setdefault("email", f"user{n}@example.org")
    password = fields.pop("password", None)
    user = User(**fields)
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    return user


def make_editor(**fields):
    fields.setdefault("is_staff", True)
    user = make_user(**fields)
    user.groups.add(EDITOR.group())
    return user


def make_category(**fields):
    n = next(sequence)
    fields.setdefault("name", f"Category {n}")
    fields.setdefault("slug", f"category-{n}")
    return Category.objects.create(**fields)


def make_publication(**fields):
    n = next(sequence)
    fields.setdefault("name", f"Publication {n}")
    fields.setdefault("slug", f"publication-{n}")
    return Publication.objects.create(**fields)


def make_post(*, categories=(), tags=(), **fields):
    """A published post dated a day ago, unless told otherwise."""
    n = next(sequence)
    fields.setdefault("title", f"Post {n}")
    fields.setdefault("slug", f"post-{n}")
    fields.setdefault("body", f"The body of post {n}.")
    fields.setdefault("status", Post.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=1))
    if "author" not in fields:
        fields["author"] = make_user()
    post = Post.objects.create(**fields)
    post.categories.set(categories)
    post.tags.set(list(tags))
    return post


def make_page(**fields):
    """A published top-level page dated a day ago, unless told otherwise."""
    n = next(sequence)
    fields.setdefault("title", f"Page {n}")
    fields.setdefault("slug", f"page-{n}")
    fields.setdefault("body", f"The body of page {n}.")
    fields.setdefault("status", Post.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=1))
    if "author" not in fields:
        fields["author"] = make_user()
    return Page.objects.create(**fields)


def make_menu_item(**fields):
    return MenuItem.objects.create(**fields)


def page_admin_form(editor, **fields):
    """The admin's page form, filled in as an editor publishing now would."""
    return {
        "title": "About",
        "slug": "about",
        "author": editor.pk,
        "body_format": "markdown",
        "body": "Who writes *here*.",
        "excerpt": "",
        "published_at_0": "",
        "published_at_1": "",
        "parent": "",
        "menu_order": "0",
        "featured_image_alt": "",
        "featured_image_caption": "",
        "_publishing": "publish",
        # The comments app's inline: comments closed, as a new page's are.
        "discussion-TOTAL_FORMS": "1",
        "discussion-INITIAL_FORMS": "0",
        "discussion-MIN_NUM_FORMS": "1",
        "discussion-MAX_NUM_FORMS": "1",
        **fields,
    }


def image_upload(name="photo.png", size=(40, 30), image_format="PNG"):
    """A real image file, as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=image_format)
    content_type = f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def png_bomb_upload(chunk):
    """
    A PNG of 3 KB whose zTXt or iCCP chunk inflates to 3 MB of zeros, past
    the 1 MB Pillow allows such a chunk.
    """
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), "red")
    if chunk == "zTXt":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "\0" * 3_000_000, zip=True)
        image.save(buffer, "PNG", pnginfo=info)
    else:
        image.save(buffer, "PNG", icc_profile=b"\0" * 3_000_000)
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def photo_upload(*, orientation=1, camera="Example Camera", name="photo.jpg"):
    """
    A 60 × 40 JPEG as a phone takes it: pixels stored sideways with an EXIF
    orientation tag, and a camera name in the EXIF. The stored left half is
    red and the right half blue, so with orientation 6 (turn 90° clockwise)
    the picture as seen is red on top and blue below.
    """
    image = Image.new("RGB", (60, 40), (220, 20, 20))
    image.paste((20, 20, 220), (30, 0, 60, 40))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = camera
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def post_admin_form(editor, **fields):
    """The post form of the admin, filled in as an editor publishing now would."""
    now = timezone.localtime()
    return {
        "title": "A new post",
        "slug": "a-new-post",
        "author": editor.pk,
        "body_format": "markdown",
        "body": "Written in the *admin*.",
        "excerpt": "",
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": (now - datetime.timedelta(minutes=1)).strftime("%H:%M:%S"),
        "tags": "children’s services, ofsted",
        "featured_image_alt": "Birmingham council house at dusk",
        "featured_image_caption": "Photo: a reader",
        "first_appeared_on": "",
        "first_appeared_url": "",
        # The comments app's inline: comments open, as a new post's are.
        "discussion-TOTAL_FORMS": "1",
        "discussion-INITIAL_FORMS": "0",
        "discussion-MIN_NUM_FORMS": "1",
        "discussion-MAX_NUM_FORMS": "1",
        "discussion-0-is_open": "on",
        **fields,
    }


def category_admin_form(**fields):
    """A category's admin form: its fields, and no comment rules of its own."""
    return {
        "name": "Articles",
        "slug": "articles",
        "description": "",
        # The comments app's inline of the category's rules, left empty.
        "discussion_rules-TOTAL_FORMS": "0",
        "discussion_rules-INITIAL_FORMS": "0",
        "discussion_rules-MIN_NUM_FORMS": "0",
        "discussion_rules-MAX_NUM_FORMS": "1",
        **fields,
    }


def comment_admin_form(**fields):
    """A comment admin page's POST: its fields and its inlines' management forms."""
    empty_inline = {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0}
    management = {
        f"{prefix}-{key}": value
        for prefix in ("revisions", "moderation_events")
        for key, value in empty_inline.items()
    }
    return {**management, **fields}


def make_moderator(**fields):
    fields.setdefault("is_staff", True)
    user = make_user(**fields)
    user.groups.add(MODERATOR.group())
    return user


def make_comment(*, post=None, parent=None, **fields):
    """
    An approved guest comment, unless told otherwise, inserted into its tree
    as the site inserts one, with the post's comment count kept right.
    """
    n = next(sequence)
    if post is None:
        post = parent.post if parent else make_post()
    fields.setdefault("author_name", f"Commenter {n}")
    fields.setdefault("author_email", f"commenter{n}@example.org")
    fields.setdefault("body", f"Comment number {n}.")
    fields.setdefault("status", Comment.Status.APPROVED)
    if fields["status"] == Comment.Status.REMOVED:
        fields.setdefault("removal", Comment.Removal.MODERATOR)
    comment = Comment(post=post, parent=parent, **fields)
    comment.save()
    discussions_recount([post.pk])
    return comment


def confirm_address(email):
    """A guest's address, confirmed as following the link mailed to it does."""
    return ConfirmedAddress.objects.get_or_create(email=email.lower())[0]


def make_known_guest(post, email="ada@example.org"):
    """
    An approved comment by a guest whose address is confirmed, so that their
    next comments skip the first-comment hold.
    """
    confirm_address(email)
    return make_comment(post=post, author_email=email)


def comment_count(post):
    """The post's count of approved comments, as the site keeps it for lists."""
    return (
        Discussion.objects.filter(post=post)
        .values_list("comment_count", flat=True)
        .first()
        or 0
    )


def close_comments(post):
    """Close the post to comments, as an editor does in the admin."""
    Discussion.objects.update_or_create(post=post, defaults={"is_open": False})
