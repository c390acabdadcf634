import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import User
from comments.models import Comment
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def commenter(db):
    return builders.make_user(username="jane", display_name="Jane Smith")


@pytest.fixture
def commenter_client(client, commenter):
    client.force_login(commenter)
    return client


def save_profile(client, **fields):
    data = {"display_name": "Jane Smith", "website": "", "bio": "", **fields}
    return client.post(reverse("accounts:profile-edit"), data, follow=True)


def stored_image(field):
    with field.open("rb") as file:
        data = file.read()
    return data, Image.open(io.BytesIO(data))


def close_to(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def test_profile_edit_needs_a_login(client):
    response = client.get(reverse("accounts:profile-edit"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_profile_edit_saves_the_public_details(commenter_client, commenter):
    response = save_profile(
        commenter_client,
        display_name="Jane S.",
        website="https://jane.example.org/",
        bio="Social worker in Leeds.",
    )

    assert "Your profile has been saved" in response.text
    commenter.refresh_from_db()
    assert commenter.display_name == "Jane S."
    assert commenter.website == "https://jane.example.org/"
    assert commenter.bio == "Social worker in Leeds."


def test_an_over_long_bio_is_refused_and_the_typed_text_kept(
    commenter_client, commenter
):
    bio = " ".join(["Social worker in Leeds."] * 50)

    response = save_profile(commenter_client, display_name="Janey", bio=bio)

    assert response.status_code == 400
    assert "Ensure this value has at most 1000 characters" in response.text
    assert f">\n{bio}</textarea>" in response.text
    assert 'value="Janey"' in response.text
    commenter.refresh_from_db()
    assert commenter.bio == ""
    assert commenter.display_name == "Jane Smith"


def test_a_photo_is_turned_upright_squared_and_stripped(commenter_client, commenter):
    upload = builders.photo_upload(orientation=6, camera="SecretCam 3000")

    save_profile(commenter_client, avatar=upload)

    commenter.refresh_from_db()
    data, large = stored_image(commenter.avatar)
    assert large.format == "WEBP"
    assert large.size == (256, 256)
    # Upright: red on top, blue below (sideways it would be red left, blue right).
    assert close_to(large.getpixel((200, 40)), (220, 20, 20))
    assert close_to(large.getpixel((56, 216)), (20, 20, 220))
    assert not large.getexif()
    assert "exif" not in large.info
    assert b"SecretCam" not in data
    small_data, small = stored_image(commenter.avatar_small)
    assert small.size == (64, 64)
    assert b"SecretCam" not in small_data


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_pictures_are_accepted(commenter_client, commenter, image_format):
    upload = builders.image_upload(
        name=f"me.{image_format.lower()}", size=(300, 200), image_format=image_format
    )

    save_profile(commenter_client, avatar=upload)

    commenter.refresh_from_db()
    assert stored_image(commenter.avatar)[1].size == (256, 256)
    assert stored_image(commenter.avatar_small)[1].size == (64, 64)


def test_the_new_picture_is_shown_on_the_profile(client, commenter):
    client.force_login(commenter)
    save_profile(client, avatar=builders.image_upload())
    commenter.refresh_from_db()

    page = client.get(commenter.get_absolute_url())

    assert f'src="{commenter.avatar.url}"' in page.text


def test_a_text_file_is_refused_and_the_typed_details_kept(commenter_client, commenter):
    upload = SimpleUploadedFile("me.jpg", b"not a picture at all", "image/jpeg")

    response = save_profile(commenter_client, display_name="Janey", avatar=upload)

    assert response.status_code == 400
    assert "This file is not an image we can read" in response.text
    assert 'value="Janey"' in response.text
    commenter.refresh_from_db()
    assert commenter.display_name == "Jane Smith"
    assert not commenter.avatar


def test_a_gif_is_refused(commenter_client, commenter):
    upload = builders.image_upload(name="me.gif", image_format="GIF")

    response = save_profile(commenter_client, avatar=upload)

    assert "GIF images are not accepted" in response.text
    commenter.refresh_from_db()
    assert not commenter.avatar


def test_a_file_over_the_size_limit_is_refused(commenter_client, commenter, settings):
    settings.ACCOUNTS_AVATAR_MAX_BYTES = 1024
    photo = builders.photo_upload()
    upload = SimpleUploadedFile("big.jpg", photo.read() + b"\0" * 2048, "image/jpeg")

    response = save_profile(commenter_client, avatar=upload)

    assert "an avatar may be at most 1.0\xa0KB" in response.text
    commenter.refresh_from_db()
    assert not commenter.avatar


def test_a_picture_with_too_many_pixels_is_refused(
    commenter_client, commenter, settings
):
    settings.ACCOUNTS_AVATAR_MAX_PIXELS = 1_000_000
    upload = builders.image_upload(size=(1200, 1000))

    response = save_profile(commenter_client, avatar=upload)

    assert "too many pixels" in response.text
    commenter.refresh_from_db()
    assert not commenter.avatar


def test_a_new_picture_replaces_the_old_files(commenter_client, commenter):
    save_profile(commenter_client, avatar=builders.image_upload())
    commenter.refresh_from_db()
    old = [commenter.avatar.name, commenter.avatar_small.name]

    save_profile(commenter_client, avatar=builders.image_upload())

    commenter.refresh_from_db()
    storage = commenter.avatar.storage
    assert commenter.avatar.name not in old
    assert not any(storage.exists(name) for name in old)


def test_removing_the_picture_brings_back_the_initials(commenter_client, commenter):
    save_profile(commenter_client, avatar=builders.image_upload())
    commenter.refresh_from_db()
    storage, old = commenter.avatar.storage, commenter.avatar.name

    save_profile(commenter_client, remove_avatar="on")

    commenter.refresh_from_db()
    assert not commenter.avatar and not commenter.avatar_small
    assert not storage.exists(old)
    page = commenter_client.get(commenter.get_absolute_url())
    assert reverse("accounts:avatar-placeholder", args=["jane"]) in page.text


def test_placeholder_shows_initials_in_a_colour_of_its_own(client, commenter):
    other = builders.make_user(username="ravi", display_name="Ravi Patel")

    jane = client.get(reverse("accounts:avatar-placeholder", args=["jane"]))
    ravi = client.get(other.placeholder_avatar_url)

    assert jane["Content-Type"] == "image/svg+xml"
    assert ">JS</text>" in jane.text
    assert ">RP</text>" in ravi.text
    fill = 'fill="hsl('
    jane_colour = jane.text.split(fill)[1].split(")")[0]
    assert jane_colour != ravi.text.split(fill)[1].split(")")[0]
    assert client.get(reverse("accounts:avatar-placeholder", args=["jane"])).text == (
        jane.text
    )


def test_placeholder_leaves_out_markup_people_type(client):
    builders.make_user(username="odd", display_name="<script>alert(1)</script> Smith")

    response = client.get(reverse("accounts:avatar-placeholder", args=["odd"]))

    assert "<script" not in response.text
    assert ">S</text>" in response.text


def test_public_profile_shows_the_person(client, commenter):
    User.objects.filter(pk=commenter.pk).update(
        bio="Writes about <b>fostering</b>.", website="https://jane.example.org/"
    )

    page = client.get(commenter.get_absolute_url())

    assert page.status_code == 200
    assert "<h1>Jane Smith</h1>" in page.text
    assert "Writes about &lt;b&gt;fostering&lt;/b&gt;." in page.text
    assert 'href="https://jane.example.org/" rel="nofollow ugc noopener"' in page.text
    assert "jane" + "@" not in page.text


def test_public_profile_of_an_unknown_or_closed_account_is_not_found(client):
    builders.make_user(username="gone", is_active=False)

    assert (
        client.get(reverse("accounts:profile-detail", args=["gone"])).status_code == 404
    )
    assert (
        client.get(reverse("accounts:profile-detail", args=["nobody"])).status_code
        == 404
    )


def test_a_deactivated_account_disappears_wherever_its_profile_does(client):
    writer = builders.make_user(username="writer", display_name="Wendy Writer")
    post = builders.make_post(author=writer)
    builders.make_comment(post=post, user=writer, author_name="", author_email="")
    client.get(post.get_absolute_url())  # its thread and byline are now cached

    # As the admin's change form saves it when "Active" is unticked.
    writer.is_active = False
    writer.save()

    page = client.get(post.get_absolute_url()).text
    assert client.get("/author/writer/").status_code == 404
    assert client.get("/accounts/people/writer/avatar.svg").status_code == 404
    assert client.get("/accounts/people/writer/").status_code == 404
    assert "Wendy Writer" in page
    assert "/author/writer/" not in page
    assert "/accounts/people/writer/" not in page


def test_public_profile_lists_the_persons_approved_comments(client, commenter):
    post = builders.make_post(title="On thresholds")
    builders.make_comment(post=post, user=commenter, body="An approved remark.")
    builders.make_comment(
        post=post, user=commenter, body="A held remark.", status=Comment.Status.PENDING
    )

    page = client.get(commenter.get_absolute_url())

    assert "An approved remark." in page.text
    assert "On thresholds" in page.text
    assert "A held remark." not in page.text


def test_a_members_comment_links_to_their_profile(client, commenter):
    post = builders.make_post()
    builders.make_comment(post=post, user=commenter, author_name="", author_email="")

    page = client.get(post.get_absolute_url())

    assert f'href="{commenter.get_absolute_url()}"' in page.text


def test_the_account_menu_links_to_my_comments_and_profile(commenter_client):
    page = commenter_client.get(reverse("blog:post-list"))

    assert f'href="{reverse("comments:comment-mine")}"' in page.text
    assert f'href="{reverse("accounts:profile-edit")}"' in page.text


@pytest.mark.parametrize("chunk", ["zTXt", "iCCP"])
def test_a_png_whose_chunk_inflates_past_the_limit_is_refused(
    commenter_client, commenter, chunk
):
    upload = builders.png_bomb_upload(chunk)
    assert upload.size < 10_000

    response = save_profile(commenter_client, display_name="Janey", avatar=upload)

    assert response.status_code == 400
    assert "This file is not an image we can read" in response.text
    assert 'value="Janey"' in response.text
    commenter.refresh_from_db()
    assert not commenter.avatar


def test_pictures_over_sixteen_megapixels_are_refused_by_default(
    commenter_client, commenter
):
    # 4,100 × 4,000 of one colour: a few kilobytes, 16.4 megapixels decoded.
    upload = builders.image_upload(size=(4100, 4000))

    response = save_profile(commenter_client, avatar=upload)

    assert response.status_code == 400
    assert "(at most 16 megapixels)" in response.text
    commenter.refresh_from_db()
    assert not commenter.avatar


def test_a_large_photo_still_makes_sharp_full_size_avatars(commenter_client, commenter):
    # Decoded at a reduced scale (JPEG draft mode), not below the avatar's size.
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (200, 30, 30)).save(buffer, "JPEG")
    upload = SimpleUploadedFile("big.jpg", buffer.getvalue(), "image/jpeg")

    save_profile(commenter_client, avatar=upload)

    commenter.refresh_from_db()
    _, large = stored_image(commenter.avatar)
    assert large.size == (256, 256)
    assert close_to(large.getpixel((128, 128)), (200, 30, 30))
