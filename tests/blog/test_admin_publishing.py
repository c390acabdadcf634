"""
The buttons under the admin's post form: Save draft, Publish now and Schedule
for a draft; Save, Publish now and Return to draft for a scheduled post;
Update and Return to draft for a published one (PostAdminForm.clean()).
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.forms import PUBLISHING
from blog.models import Post
from tests.builders import make_post, make_user, post_admin_form

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
ADD = reverse("admin:blog_post_add")


def press(client, url, editor, button, **fields):
    """Send the post form with `button` pressed, and follow to the next page."""
    return client.post(
        url, post_admin_form(editor, **{PUBLISHING: button}, **fields), follow=True
    )


def publish_at(moment):
    """The form's two boxes for the publish date, as an editor types them."""
    local = timezone.localtime(moment)
    return {
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


def on_the_public_site(post):
    """What a reader gets at the post's address: its page, or nothing."""
    response = Client().get(post.get_absolute_url())
    return response.status_code == 200 and post.title in response.text


def messages(response):
    return [str(message) for message in response.context["messages"]]


def buttons(response):
    return re.findall(
        r'<button type="submit" name="_publishing"[^>]*>([^<]+)<', response.text
    )


def change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


def whole_seconds(moment):
    """A date the form can show exactly: it has no box for microseconds."""
    return moment.replace(microsecond=0)


def test_a_new_post_offers_save_draft_publish_now_and_schedule(editor_client):
    response = editor_client.get(ADD)

    assert buttons(response) == ["Save draft", "Publish now", "Schedule"]
    assert "Draft" in response.text


def test_save_draft_keeps_a_new_post_from_readers(editor_client, editor):
    response = press(editor_client, ADD, editor, "draft")

    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert response.redirect_chain == [(change_url(post), 302)]
    assert messages(response) == ["Saved as draft."]
    assert not on_the_public_site(post)


def test_publish_now_puts_a_new_post_on_the_site_dated_now(editor_client, editor):
    tomorrow = timezone.now() + 24 * HOUR

    response = press(editor_client, ADD, editor, "publish", **publish_at(tomorrow))

    post = Post.objects.get()
    assert post.status == Post.Status.PUBLISHED
    assert timezone.now() - post.published_at < datetime.timedelta(minutes=1)
    assert response.redirect_chain == [(change_url(post), 302)]
    assert messages(response) == ["Published."]
    assert on_the_public_site(post)
    assert post.title in Client().get("/").text


def test_schedule_publishes_a_new_post_at_the_date_given(editor_client, editor):
    when = whole_seconds(timezone.now() + 3 * HOUR)

    response = press(editor_client, ADD, editor, "schedule", **publish_at(when))

    post = Post.objects.get()
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at == when
    assert post.is_scheduled
    local = timezone.localtime(when)
    assert messages(response) == [f"Scheduled for {local.day} {local:%B %Y, %H:%M}."]
    assert f"Scheduled for {local.day} {local:%B %Y, %H:%M}" in response.text
    assert not on_the_public_site(post)


@pytest.mark.parametrize(
    "date",
    [
        publish_at(timezone.now() - HOUR),
        {"published_at_0": "", "published_at_1": ""},
    ],
    ids=["past", "missing"],
)
def test_schedule_needs_a_date_in_the_future(editor_client, editor, date):
    response = press(
        editor_client, ADD, editor, "schedule", title="Typed with care", **date
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_at"] == [
        "To schedule the post, give a date and time in the future."
    ]
    assert 'value="Typed with care"' in response.text
    assert not Post.objects.exists()


def test_a_scheduled_post_offers_save_publish_now_and_return_to_draft(
    editor_client,
):
    post = make_post(published_at=timezone.now() + HOUR)

    response = editor_client.get(change_url(post))

    assert buttons(response) == ["Save", "Publish now", "Return to draft"]


def test_save_keeps_a_scheduled_post_scheduled_for_its_new_date(editor_client, editor):
    post = make_post(published_at=timezone.now() + HOUR)
    later = whole_seconds(timezone.now() + 5 * HOUR)

    press(editor_client, change_url(post), editor, "schedule", **publish_at(later))

    post.refresh_from_db()
    assert post.is_scheduled
    assert post.published_at == later
    assert not on_the_public_site(post)


def test_publish_now_brings_a_scheduled_post_forward(editor_client, editor):
    post = make_post(published_at=timezone.now() + 24 * HOUR)

    response = press(
        editor_client, change_url(post), editor, "publish", title=post.title
    )

    post.refresh_from_db()
    assert post.is_published
    assert messages(response) == ["Published."]
    assert on_the_public_site(post)


def test_return_to_draft_unschedules_a_post(editor_client, editor):
    post = make_post(published_at=timezone.now() + HOUR)

    response = press(
        editor_client,
        change_url(post),
        editor,
        "draft",
        title=post.title,
        **publish_at(post.published_at),
    )

    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert messages(response) == ["Saved as draft."]
    assert buttons(response) == ["Save draft", "Publish now", "Schedule"]


def test_a_published_post_offers_update_and_return_to_draft(editor_client):
    post = make_post()

    response = editor_client.get(change_url(post))

    assert buttons(response) == ["Update", "Return to draft"]
    local = timezone.localtime(post.published_at)
    assert f"Published on {local.day} {local:%B %Y, %H:%M}" in response.text


def test_update_changes_a_published_post_and_keeps_its_date(editor_client, editor):
    first_published = whole_seconds(timezone.now() - 30 * 24 * HOUR)
    post = make_post(published_at=first_published, title="Family hubs")

    response = press(
        editor_client,
        change_url(post),
        editor,
        "update",
        title="Family hubs",
        slug=post.slug,
        body="Corrected: *twelve* hubs opened.",
        **publish_at(first_published),
    )

    post.refresh_from_db()
    assert post.published_at == first_published
    assert messages(response) == ["Updated."]
    page = Client().get(post.get_absolute_url()).text
    assert "Corrected: <em>twelve</em> hubs opened." in page


def test_update_keeps_the_date_when_its_boxes_are_emptied(editor_client, editor):
    post = make_post(published_at=whole_seconds(timezone.now() - 24 * HOUR))
    published_at = post.published_at

    press(
        editor_client,
        change_url(post),
        editor,
        "update",
        title=post.title,
        slug=post.slug,
        published_at_0="",
        published_at_1="",
    )

    post.refresh_from_db()
    assert post.published_at == published_at
    assert on_the_public_site(post)


def test_update_refuses_to_move_a_published_post_into_the_future(editor_client, editor):
    post = make_post()

    response = press(
        editor_client,
        change_url(post),
        editor,
        "update",
        title=post.title,
        slug=post.slug,
        **publish_at(timezone.now() + HOUR),
    )

    assert "return it to draft, then schedule it" in response.text
    post.refresh_from_db()
    assert on_the_public_site(post)


def test_return_to_draft_takes_a_published_post_off_the_site(editor_client, editor):
    post = make_post()

    response = press(
        editor_client,
        change_url(post),
        editor,
        "draft",
        title=post.title,
        slug=post.slug,
        **publish_at(post.published_at),
    )

    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert messages(response) == ["Saved as draft."]
    assert not on_the_public_site(post)


def test_a_button_the_post_does_not_offer_is_refused(editor_client, editor):
    post = make_post(status=Post.Status.DRAFT)

    response = press(editor_client, change_url(post), editor, "update")

    assert "Press one of the buttons under the form." in response.text
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_an_error_elsewhere_leaves_the_buttons_and_status_as_saved(
    editor_client, editor
):
    post = make_post(status=Post.Status.DRAFT, slug="draft")

    response = press(
        editor_client, change_url(post), editor, "publish", title="", slug="draft"
    )

    assert response.context["adminform"].form.errors["title"]
    assert buttons(response) == ["Save draft", "Publish now", "Schedule"]
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_staff_who_may_only_view_posts_see_one_without_buttons(client):
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(viewer)
    post = make_post(title="Family hubs")

    response = client.get(change_url(post))

    assert response.status_code == 200
    assert "Family hubs" in response.text
    assert buttons(response) == []
    assert "Published on" in response.text
