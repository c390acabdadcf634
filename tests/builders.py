"""Objects for tests, with defaults that make a valid, public thing."""

import datetime
import io
import itertools

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from blog.models import Category, Post, Publication

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
    user.groups.add(Group.objects.get(name="Editors"))
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


def image_upload(name="photo.png", size=(40, 30), image_format="PNG"):
    """A real image file, as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=image_format)
    content_type = f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
