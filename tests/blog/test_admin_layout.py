"""What the post admin's list and form show an editor."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders import make_category, make_post

pytestmark = pytest.mark.django_db


def column_headings(html):
    """The post list's column headings, as the editor reads them."""
    head = re.search(r"<thead>(.*?)</thead>", html, re.S)[1]
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_post_list_shows_title_status_date_categories_and_comments(editor_client):
    make_post(
        title="Coming soon",
        published_at=timezone.make_aware(datetime.datetime(2031, 3, 9, 10, 0)),
        categories=[make_category(name="Articles")],
    )

    html = editor_client.get(reverse("admin:blog_post_changelist")).text

    assert column_headings(html)[1:] == [
        "Title",
        "Status",
        "Date",
        "Categories",
        "Comments",
    ]
    row = re.search(r"<tr>.*?Coming soon.*?</tr>", html, re.S)[0]
    assert "Scheduled" in row
    assert "9 Mar 2031" in row
    assert "Articles" in row


def test_original_url_says_it_becomes_the_canonical_link(editor_client):
    html = editor_client.get(reverse("admin:blog_post_add")).text

    assert (
        "When set, the post’s canonical link points to this address: search "
        "engines then credit the original, not this site." in html
    )
