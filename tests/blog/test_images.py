"""Featured images: renditions made on upload, served in a <picture>."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from blog.forms import PUBLISHING
from blog.models import Post
from tests.builders import (
    image_upload,
    make_post,
    photo_upload,
    png_bomb_upload,
    post_admin_form,
)

pytestmark = pytest.mark.django_db

LARGE = (2000, 1500)


def add_post(client, editor, **fields):
    """The admin's post form sent with a new post, published at once."""
    return client.post(
        reverse("admin:blog_post_add"),
        post_admin_form(editor, **{PUBLISHING: "publish", **fields}),
    )


def change_post(client, post, editor, **fields):
    return client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_admin_form(editor, title=post.title, **fields),
    )


def renditions(media_root):
    """The rendition files in storage, by name, with their width, height and format."""
    found = {}
    for path in sorted((media_root / "renditions").rglob("*.*")):
        with Image.open(path) as image:
            found[path.name] = (image.width, image.height, image.format)
    return found


def modified_times(media_root):
    return {path: path.stat().st_mtime_ns for path in media_root.rglob("*.*")}


def picture_markup(html):
    return re.search(r"<picture.*?</picture>", html, re.DOTALL).group()


def test_an_upload_is_resized_to_each_width_in_its_format_and_webp(
    editor_client, editor, media_root
):
    response = add_post(
        editor_client, editor, featured_image=image_upload("harbour.png", LARGE)
    )

    assert response.status_code == 302
    assert renditions(media_root) == {
        f"harbour-{width}w.{extension}": (width, width * 3 // 4, image_format)
        for width in (480, 800, 1200, 1600)
        for extension, image_format in [("png", "PNG"), ("webp", "WEBP")]
    }


def test_a_jpeg_gets_jpeg_renditions(editor_client, editor, media_root):
    add_post(
        editor_client,
        editor,
        featured_image=image_upload("dusk.jpg", LARGE, image_format="JPEG"),
    )

    formats = {
        name: image_format
        for name, (*_, image_format) in renditions(media_root).items()
    }
    assert formats["dusk-800w.jpg"] == "JPEG"
    assert formats["dusk-800w.webp"] == "WEBP"


def test_an_image_is_never_enlarged(media_root):
    make_post(featured_image=image_upload("narrow.png", (1000, 750)))

    widths = sorted({width for width, _, _ in renditions(media_root).values()})
    assert widths == [480, 800, 1000]


def test_the_post_page_shows_the_renditions_at_the_top(client, media_root):
    post = make_post(
        featured_image=image_upload("harbour.png", LARGE),
        featured_image_alt="Boats in the harbour",
    )

    picture = picture_markup(client.get(post.get_absolute_url()).text)

    webp = re.search(
        r'<source type="image/webp" srcset="([^"]+)" sizes="[^"]+">', picture
    )
    assert [entry.split()[1] for entry in webp.group(1).split(", ")] == [
        "480w",
        "800w",
        "1200w",
        "1600w",
    ]
    assert "/media/renditions/posts/" in webp.group(1)
    img = re.search(r"<img [^>]+>", picture).group()
    assert 'src="/media/renditions/posts/' in img
    assert re.search(r'srcset="[^"]*harbour-480w\.png 480w, [^"]*1600w"', img)
    assert 'sizes="(min-width: 756px) 720px, calc(100vw - 36px)"' in img
    assert 'width="2000" height="1500"' in img
    assert 'alt="Boats in the harbour"' in img
    assert 'decoding="async"' in img
    assert 'loading="eager" fetchpriority="high"' in img


def test_each_list_entry_has_a_small_lazy_image(client):
    make_post(title="With a picture", featured_image=image_upload("a.png", LARGE))
    make_post(title="Without one")

    home = client.get(reverse("blog:post-list")).text

    assert home.count('<picture class="post-summary-image">') == 1
    img = re.search(r"<img [^>]+>", picture_markup(home)).group()
    assert 'sizes="144px"' in img
    assert 'loading="lazy"' in img
    assert "fetchpriority" not in img
    assert 'width="2000" height="1500"' in img


def test_pages_are_rendered_from_the_post_without_reading_storage(client, media_root):
    post = make_post(featured_image=image_upload("harbour.png", LARGE))
    for path in media_root.rglob("*.*"):
        path.unlink()  # had a page read the files, it would now fail or change

    page = client.get(post.get_absolute_url()).text
    home = client.get(reverse("blog:post-list")).text

    assert 'width="2000" height="1500"' in page
    assert "harbour-1600w.webp 1600w" in page
    assert "harbour-480w.webp 480w" in home


def list_queries(client):
    """The queries of a list page whose summaries are not cached yet."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("blog:post-list")).text
    return len(queries), html


def test_images_in_a_list_cost_no_queries(client):
    posts = [make_post() for n in range(3)]
    without_images, _ = list_queries(client)
    for post in posts:
        post.featured_image = image_upload(size=(600, 400))
        post.save()

    with_images, home = list_queries(client)

    assert home.count("<picture") == 3
    assert with_images == without_images


def test_renditions_are_made_once(editor_client, editor, client, media_root):
    post = make_post(
        author=editor,
        featured_image=image_upload("harbour.png", LARGE),
        featured_image_alt="Boats",
    )
    made = modified_times(media_root)

    change_post(editor_client, post, editor, featured_image_alt="Boats at dusk")
    client.get(post.get_absolute_url())
    client.get(reverse("blog:post-list"))

    post.refresh_from_db()
    assert post.featured_image_alt == "Boats at dusk"
    assert modified_times(media_root) == made


def test_the_exif_orientation_is_applied(client, media_root):
    # Stored 60 × 40, sideways: seen upright it is 40 wide, red above blue.
    post = make_post(featured_image=photo_upload(orientation=6, camera="SecretCam"))

    page = client.get(post.get_absolute_url()).text

    assert 'width="40" height="60"' in page
    path = next((media_root / "renditions").rglob("*-40w.jpg"))
    with Image.open(path) as image:
        assert image.size == (40, 60)
        assert image.getpixel((20, 5))[0] > 200  # red at the top
        assert image.getpixel((20, 55))[2] > 200  # blue at the bottom
        assert not image.getexif()  # no camera, no location


def test_a_replaced_image_loses_its_renditions(
    editor_client, editor, media_root, django_capture_on_commit_callbacks
):
    post = make_post(author=editor, featured_image=image_upload("old.png", LARGE))

    with django_capture_on_commit_callbacks(execute=True):
        response = change_post(
            editor_client, post, editor, featured_image=image_upload("new.png", LARGE)
        )

    assert response.status_code == 302
    names = renditions(media_root)
    assert not [name for name in names if name.startswith("old-")]
    assert len([name for name in names if name.startswith("new-")]) == 8


def test_a_cleared_image_loses_its_renditions(
    editor_client, editor, client, media_root, django_capture_on_commit_callbacks
):
    post = make_post(author=editor, featured_image=image_upload("old.png", LARGE))

    with django_capture_on_commit_callbacks(execute=True):
        change_post(editor_client, post, editor, **{"featured_image-clear": "on"})

    assert renditions(media_root) == {}
    assert "<picture" not in client.get(post.get_absolute_url()).text


def test_an_image_needs_alt_text(editor_client, editor):
    response = add_post(
        editor_client,
        editor,
        title="Harbour news",
        featured_image=image_upload(),
        featured_image_alt="",
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["featured_image_alt"] == [
        "Describe the image for readers who cannot see it. Then choose the image "
        "again: a browser does not keep it."
    ]
    assert 'value="Harbour news"' in response.text
    assert not Post.objects.exists()


def test_a_kept_image_without_alt_text_must_be_described(editor_client, editor):
    post = make_post(author=editor, featured_image=image_upload())

    response = change_post(editor_client, post, editor, featured_image_alt="")

    assert response.context["adminform"].form.errors["featured_image_alt"] == [
        "Describe the image for readers who cannot see it."
    ]


def test_an_image_kept_elsewhere_needs_alt_text_too(editor_client, editor):
    response = add_post(
        editor_client,
        editor,
        featured_image_url="https://old.example.org/uploads/harbour.jpg",
        featured_image_alt="",
    )

    assert response.context["adminform"].form.errors["featured_image_alt"] == [
        "Describe the image for readers who cannot see it."
    ]


def test_a_post_without_an_image_needs_no_alt_text(editor_client, editor):
    response = add_post(editor_client, editor, featured_image_alt="")

    assert response.status_code == 302


def test_an_image_with_too_many_pixels_is_refused(
    editor_client, editor, settings, media_root
):
    settings.BLOG_IMAGE_MAX_PIXELS = 2_000_000

    response = add_post(editor_client, editor, featured_image=image_upload(size=LARGE))

    assert response.context["adminform"].form.errors["featured_image"] == [
        "The image has too many pixels to process; upload a smaller one (at most "
        "2 megapixels)."
    ]
    assert not Post.objects.exists()
    assert not (media_root / "renditions").exists()


@pytest.mark.parametrize("chunk", ["zTXt", "iCCP"])
def test_a_png_whose_chunk_inflates_past_the_limit_is_refused(
    editor_client, editor, chunk
):
    response = add_post(editor_client, editor, featured_image=png_bomb_upload(chunk))

    assert "Upload a valid image" in response.text
    assert not Post.objects.exists()


def test_a_truncated_image_is_refused(editor_client, editor):
    content = image_upload("cut.jpg", LARGE, image_format="JPEG").read()
    cut = SimpleUploadedFile("cut.jpg", content[: len(content) // 2], "image/jpeg")

    response = add_post(editor_client, editor, featured_image=cut)

    assert response.context["adminform"].form.errors["featured_image"] == [
        "The image is damaged or incomplete. Upload it again, or another JPEG, PNG "
        "or WebP picture."
    ]
    assert not Post.objects.exists()


def saved_before_renditions(media_root, **fields):
    """A post whose image was uploaded before renditions were made."""
    post = make_post(**fields)
    for path in (media_root / "renditions").rglob("*.*"):
        path.unlink()
    Post.objects.filter(pk=post.pk).update(
        featured_image_renditions={},
        featured_image_width=None,
        featured_image_height=None,
    )
    return post


def test_an_image_without_renditions_is_shown_as_uploaded(client, media_root):
    post = saved_before_renditions(
        media_root, featured_image=image_upload("old.png", LARGE)
    )

    picture = picture_markup(client.get(post.get_absolute_url()).text)

    assert f'<img src="{post.featured_image.url}" alt=""' in picture
    assert "srcset" not in picture


def test_make_renditions_fills_in_those_missing(client, media_root):
    post = saved_before_renditions(
        media_root, featured_image=image_upload("old.png", LARGE)
    )
    client.get(post.get_absolute_url())  # cached as it was
    out = io.StringIO()

    call_command("make_renditions", stdout=out)

    assert "Made the renditions of 1 featured image(s)." in out.getvalue()
    assert len(renditions(media_root)) == 8
    page = client.get(post.get_absolute_url()).text
    assert "old-1600w.webp 1600w" in page
    assert 'width="2000" height="1500"' in page


def test_make_renditions_remakes_files_lost_from_storage(
    media_root, django_capture_on_commit_callbacks
):
    make_post(featured_image=image_upload("old.png", LARGE))
    lost = next((media_root / "renditions").rglob("old-800w.webp"))
    lost.unlink()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", stdout=io.StringIO())

    assert len(renditions(media_root)) == 8
    assert lost.exists()


def test_make_renditions_twice_makes_nothing_the_second_time(media_root):
    saved_before_renditions(media_root, featured_image=image_upload("old.png", LARGE))
    make_post()  # no image
    call_command("make_renditions", stdout=io.StringIO())
    made = modified_times(media_root)
    out = io.StringIO()

    call_command("make_renditions", stdout=out)

    assert "Made the renditions of 0 featured image(s)." in out.getvalue()
    assert modified_times(media_root) == made
