import datetime
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from blog.forms import PUBLISHING
from blog.models import Category, Post, Publication
from blog.roles import EDITOR
from tests.builders import (
    category_admin_form,
    image_upload,
    make_category,
    make_editor,
    make_post,
    make_user,
    post_admin_form,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_editor_writes_and_publishes_a_post_with_a_featured_image(
    editor_client, editor, client
):
    category = make_category(name="Articles")

    response = editor_client.post(
        reverse("admin:blog_post_add"),
        post_admin_form(
            editor,
            categories=[category.pk],
            featured_image=image_upload(),
            **{PUBLISHING: "publish"},
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get(slug="a-new-post")
    assert post.is_published
    assert post.author == editor
    assert post.body_html == "<p>Written in the <em>admin</em>.</p>"
    assert sorted(post.tags.names()) == ["children’s services", "ofsted"]
    assert post.featured_image.name.startswith("posts/")
    home = client.get("/").content.decode()
    assert "A new post" in home
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'src="{post.featured_picture.src}"' in page
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
        reverse("admin:blog_post_add"), post_admin_form(editor, featured_image=fake)
    )

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Post.objects.exists()


def test_slug_must_be_unique(editor_client, editor):
    make_post(slug="a-new-post")

    response = editor_client.post(
        reverse("admin:blog_post_add"), post_admin_form(editor)
    )

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


def add_forms(editor):
    """For each model an editor adds: a complete admin form, and what it makes."""
    return {
        Post: (post_admin_form(editor), {"slug": "a-new-post", "author": editor}),
        Category: (
            category_admin_form(),
            {"slug": "articles", "parent": None},
        ),
        Publication: (
            {"name": "Community Care", "slug": "community-care", "website": ""},
            {"slug": "community-care", "is_named_with_the": False},
        ),
    }


@pytest.mark.parametrize("model", [Post, Category, Publication])
def test_editor_adds_blog_content_through_the_admin(editor_client, editor, model):
    form, expected = add_forms(editor)[model]
    url = reverse(f"admin:blog_{model._meta.model_name}_add")
    assert editor_client.get(url).status_code == 200

    response = editor_client.post(url, form)

    assert response.status_code == 302
    assert model.objects.filter(**expected).count() == 1


def change_post(client, post, editor, **fields):
    return client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_admin_form(editor, title=post.title, **fields),
    )


def test_a_published_posts_slug_cannot_be_changed(editor_client, editor):
    post = make_post(slug="permalink", author=editor)
    url = reverse("admin:blog_post_change", args=[post.pk])

    page = editor_client.get(url).text
    response = change_post(editor_client, post, editor, slug="another-address")

    assert 'name="slug"' not in page
    assert "permalink" in page
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.slug == "permalink"
    assert editor_client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "unpublished",
    [{"status": Post.Status.DRAFT}, {"published_at": timezone.now() + DAY}],
    ids=["draft", "scheduled"],
)
def test_an_unpublished_posts_slug_can_be_changed(editor_client, editor, unpublished):
    post = make_post(slug="first-idea", author=editor, **unpublished)
    url = reverse("admin:blog_post_change", args=[post.pk])

    page = editor_client.get(url).text
    response = change_post(
        editor_client,
        post,
        editor,
        slug="better-idea",
        published_at_0=timezone.localtime(post.published_at).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(post.published_at).strftime("%H:%M:%S"),
    )

    assert 'name="slug"' in page
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.slug == "better-idea"


def test_featured_image_preview_is_a_thumbnail(editor_client, editor):
    post = make_post(
        featured_image=image_upload(size=(1200, 800)), featured_image_alt="A view"
    )

    page = editor_client.get(reverse("admin:blog_post_change", args=[post.pk])).text

    assert (
        f'<img src="{post.featured_image.url}" alt="A view" width="240" '
        'height="160" class="featured-image-preview">' in page
    )


def test_a_small_featured_image_is_previewed_at_its_own_size(editor_client):
    post = make_post(featured_image=image_upload(size=(40, 30)))

    page = editor_client.get(reverse("admin:blog_post_change", args=[post.pk])).text

    assert 'width="40" height="30" class="featured-image-preview"' in page


def test_categories_cannot_form_a_loop(editor_client):
    outer = make_category(name="Outer", slug="outer")
    inner = make_category(name="Inner", slug="inner", parent=outer)

    response = editor_client.post(
        reverse("admin:blog_category_change", args=[outer.pk]),
        category_admin_form(name="Outer", slug="outer", parent=inner.pk),
    )

    assert response.status_code == 200
    assert (
        "A category cannot be inside itself: “Inner” is “Outer” or one of its "
        "subcategories." in response.text
    )
    outer.refresh_from_db()
    assert outer.parent is None


def test_a_category_moves_under_another_that_is_not_inside_it(editor_client):
    outer = make_category(name="Outer", slug="outer")
    other = make_category(name="Other", slug="other", parent=outer)
    moved = make_category(name="Moved", slug="moved")

    response = editor_client.post(
        reverse("admin:blog_category_change", args=[moved.pk]),
        category_admin_form(name="Moved", slug="moved", parent=other.pk),
    )

    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.parent == other


def test_editors_group_has_exactly_the_blog_permissions():
    editors = EDITOR.group()

    permissions = set(
        editors.permissions.values_list("content_type__app_label", "codename")
    )

    assert permissions == {
        ("blog", "add_post"),
        ("blog", "change_post"),
        ("blog", "delete_post"),
        ("blog", "view_post"),
        ("blog", "add_page"),
        ("blog", "change_page"),
        ("blog", "delete_page"),
        ("blog", "view_page"),
        ("blog", "add_menuitem"),
        ("blog", "change_menuitem"),
        ("blog", "delete_menuitem"),
        ("blog", "view_menuitem"),
        ("blog", "add_oldaddress"),
        ("blog", "change_oldaddress"),
        ("blog", "delete_oldaddress"),
        ("blog", "view_oldaddress"),
        ("blog", "add_category"),
        ("blog", "change_category"),
        ("blog", "delete_category"),
        ("blog", "view_category"),
        ("blog", "add_publication"),
        ("blog", "change_publication"),
        ("blog", "delete_publication"),
        ("blog", "view_publication"),
        ("taggit", "add_tag"),
        ("taggit", "change_tag"),
        ("taggit", "delete_tag"),
        ("taggit", "view_tag"),
    }


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
        category_admin_form(description="Published elsewhere."),
    )

    assert (
        Publication.objects.get().name_in_sentence == "the Local Government Chronicle"
    )
    assert Category.objects.get().description == "Published elsewhere."


def test_editor_cannot_manage_accounts(editor_client, editor):
    assert editor_client.get(reverse("admin:accounts_user_add")).status_code == 403


@pytest.mark.parametrize("page", ["changelist", "change"])
def test_editor_cannot_see_the_accounts(editor_client, page):
    commenter = make_user(email="reader@example.org")
    args = [commenter.pk] if page == "change" else []

    response = editor_client.get(reverse(f"admin:accounts_user_{page}", args=args))

    assert response.status_code == 403
    assert "reader@example.org" not in response.text


def test_editor_cannot_search_the_accounts_for_an_author(editor_client):
    make_user(username="reader", email="reader@example.org")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "blog", "model_name": "post", "field_name": "author"},
    )

    assert response.status_code == 403


def author_choices(response):
    """The names the post form's author list offers."""
    select = re.search(r'<select name="author".*?</select>', response.text, re.S)
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select[0])


def test_author_list_offers_active_staff_by_name_and_no_commenter(
    editor_client, editor
):
    make_editor(display_name="Mark Rogers")
    make_editor(display_name="Gone Away", is_active=False)
    make_user(display_name="Ada Reader", email="ada@example.org")

    response = editor_client.get(reverse("admin:blog_post_add"))

    assert sorted(author_choices(response)) == sorted(
        [editor.public_name, "Mark Rogers"]
    )
    assert "ada@example.org" not in response.text


def test_editor_publishes_a_post_under_a_colleagues_name(editor_client, editor):
    colleague = make_editor(display_name="Mark Rogers")

    response = editor_client.post(
        reverse("admin:blog_post_add"), post_admin_form(editor, author=colleague.pk)
    )

    assert response.status_code == 302
    assert Post.objects.get(slug="a-new-post").author == colleague


def test_editor_cannot_make_a_commenter_a_posts_author(editor_client, editor):
    commenter = make_user(display_name="Ada Reader")

    response = editor_client.post(
        reverse("admin:blog_post_add"), post_admin_form(editor, author=commenter.pk)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["author"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Post.objects.exists()


def test_a_post_keeps_its_author_after_they_leave_the_staff(editor_client, editor):
    former = make_user(display_name="Former Editor")
    post = make_post(author=former, status=Post.Status.DRAFT, slug="a-new-post")
    url = reverse("admin:blog_post_change", args=[post.pk])

    choices = author_choices(editor_client.get(url))
    response = change_post(editor_client, post, editor, author=former.pk)

    assert "Former Editor" in choices
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.author == former
    assert "Former Editor" not in author_choices(
        editor_client.get(reverse("admin:blog_post_add"))
    )


def test_post_list_filters_by_the_authors_of_posts_only(editor_client):
    # Two authors: the admin leaves out a filter with a single choice.
    make_post(author=make_user(display_name="Andy Howell"))
    make_post(author=make_user(display_name="Mark Rogers"))
    make_user(display_name="Ada Reader")

    html = editor_client.get(reverse("admin:blog_post_changelist")).text

    author_filter = html[html.index("By author") :]
    assert "Andy Howell" in author_filter
    assert "Mark Rogers" in author_filter
    assert "Ada Reader" not in html
