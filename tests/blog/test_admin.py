import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from blog.models import Category, Post, Publication
from tests.builders import image_upload, make_category, make_post

pytestmark = pytest.mark.django_db


def post_form(editor, **fields):
    now = timezone.localtime()
    return {
        "title": "A new post",
        "slug": "a-new-post",
        "author": editor.pk,
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
        "is_commenting_open": "on",
        **fields,
    }


def test_editor_writes_and_publishes_a_post_with_a_featured_image(
    editor_client, editor, client
):
    category = make_category(name="Articles")

    response = editor_client.post(
        reverse("admin:blog_post_add"),
        post_form(editor, categories=[category.pk], featured_image=image_upload()),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get(slug="a-new-post")
    assert post.author == editor
    assert post.body_html == "<p>Written in the <em>admin</em>.</p>"
    assert sorted(post.tags.names()) == ["children’s services", "ofsted"]
    assert post.featured_image.name.startswith("posts/")
    home = client.get("/").content.decode()
    assert "A new post" in home
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'src="{post.featured_image.url}"' in page
    assert 'alt="Birmingham council house at dusk"' in page
    image = client.get(post.featured_image.url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_error(
    editor_client, editor
):
    fake = image_upload(name="notes.png")
    fake.file.seek(0)
    fake.file.write(b"this is not a picture at all")
    fake.file.truncate()
    fake.file.seek(0)

    response = editor_client.post(
        reverse("admin:blog_post_add"), post_form(editor, featured_image=fake)
    )

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Post.objects.exists()


def test_slug_must_be_unique(editor_client, editor):
    make_post(slug="a-new-post")

    response = editor_client.post(reverse("admin:blog_post_add"), post_form(editor))

    assert "Post with this Slug already exists." in response.content.decode()
    assert Post.objects.count() == 1


def test_slug_uniqueness_holds_in_the_database():
    make_post(slug="taken")

    with pytest.raises(IntegrityError):
        make_post(slug="taken")


def test_provenance_without_a_publication_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        make_post(first_appeared_url="https://example.com/original")


def test_post_list_in_admin_shows_scheduled_posts_as_scheduled(editor_client):
    make_post(
        title="Coming soon", published_at=timezone.now() + datetime.timedelta(days=1)
    )

    html = editor_client.get(reverse("admin:blog_post_changelist")).content.decode()

    assert "Coming soon" in html
    assert "Scheduled" in html


def test_bulk_publish_and_unpublish_actions(editor_client, client):
    drafts = [make_post(status=Post.Status.DRAFT, title=f"Draft {n}") for n in (1, 2)]
    url = reverse("admin:blog_post_changelist")

    editor_client.post(
        url, {"action": "publish", "_selected_action": [p.pk for p in drafts]}
    )

    assert Post.objects.published().count() == 2
    assert "Draft 1" in client.get("/").content.decode()

    editor_client.post(url, {"action": "unpublish", "_selected_action": [drafts[0].pk]})

    assert list(Post.objects.published()) == [drafts[1]]


def test_bulk_publish_dates_an_old_draft_now_and_keeps_a_scheduled_date(
    editor_client, client
):
    make_post(title="Published yesterday")
    old_draft = make_post(
        status=Post.Status.DRAFT,
        title="Started last month",
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    scheduled = make_post(
        status=Post.Status.DRAFT,
        title="For next week",
        published_at=timezone.now() + datetime.timedelta(days=7),
    )
    client.get("/")

    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish", "_selected_action": [old_draft.pk, scheduled.pk]},
        follow=True,
    )

    assert "2 post(s) published." in response.text
    old_draft.refresh_from_db()
    assert timezone.now() - old_draft.published_at < datetime.timedelta(minutes=1)
    home = client.get("/").text
    assert home.index("Started last month") < home.index("Published yesterday")
    assert "For next week" not in home
    assert Post.objects.scheduled().get() == scheduled


def test_admin_offers_a_preview_link_for_a_draft(editor_client):
    post = make_post(status=Post.Status.DRAFT)

    html = editor_client.get(
        reverse("admin:blog_post_change", args=[post.pk])
    ).content.decode()

    assert f'href="{post.get_absolute_url()}"' in html
    assert ">Preview</a>" in html


@pytest.mark.parametrize("model", ["post", "category", "publication"])
def test_editor_can_add_and_change_blog_content(editor_client, model):
    assert editor_client.get(reverse(f"admin:blog_{model}_add")).status_code == 200


def test_editor_edits_categories_and_publications(editor_client):
    editor_client.post(
        reverse("admin:blog_publication_add"),
        {
            "name": "Local Government Chronicle",
            "slug": "lgc",
            "is_named_with_the": "on",
            "website": "",
        },
    )
    editor_client.post(
        reverse("admin:blog_category_add"),
        {"name": "Articles", "slug": "articles", "description": "Published elsewhere."},
    )

    assert (
        Publication.objects.get().name_in_sentence == "the Local Government Chronicle"
    )
    assert Category.objects.get().description == "Published elsewhere."


def test_editor_cannot_manage_accounts(editor_client, editor):
    assert editor_client.get(reverse("admin:accounts_user_add")).status_code == 403
