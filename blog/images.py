"""
Featured images: the upload checked, and the renditions pages serve instead
of it, resized to a few widths in the original's format and in WebP.

Renditions are made once, when a post is saved with a new image (or by the
make_renditions command, for images saved before renditions existed), and
recorded on the post with their sizes, so that a page is rendered without a
storage call. Files are reached only through the field's storage, so that
they may live in object storage as well as on disk.
"""

import io
import posixpath
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

# The widths made of an image at least as wide; a narrower image gets those
# below its width and one at its own width, never an enlargement.
WIDTHS = (480, 800, 1200, 1600)
# The formats browsers without WebP get: the original's when it is one of
# these, else PNG for an image with transparency and JPEG for one without.
FALLBACK_FORMATS = {"JPEG", "PNG"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Kept beside the uploads, in a tree of their own: renditions/posts/2026/05/….
FOLDER = "renditions"
# EXIF orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}

# What Pillow raises for a file it refuses to read: a truncated or malformed
# file (OSError, SyntaxError, EOFError) or a chunk that would decompress past
# its limits, such as a PNG's zTXt or iCCP (ValueError).
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, EOFError, ValueError)


@dataclass(frozen=True)
class Picture:
    """What a <picture> needs of a featured image; see _featured_image.html."""

    src: str
    srcset: str = ""
    webp_srcset: str = ""
    width: int | None = None
    height: int | None = None


def validate_featured_image(file):
    """
    Refuse a new upload that has more pixels than BLOG_IMAGE_MAX_PIXELS or
    that cannot be decoded to the end (a truncated or damaged file passes
    the form field's check, which reads only the header).
    """
    if file._committed:
        return  # stored already: checked when it was uploaded
    limit = settings.BLOG_IMAGE_MAX_PIXELS
    too_many_pixels = ValidationError(
        "The image has too many pixels to process; upload a smaller one (at most "
        f"{limit / 1_000_000:g} megapixels).",
        code="too_many_pixels",
    )
    file.seek(0)
    try:
        image = Image.open(file)
        if image.width * image.height > limit:
            raise too_many_pixels
        image.draft(None, (WIDTHS[-1], WIDTHS[-1]))
        image.load()
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except UNREADABLE:
        raise ValidationError(
            "The image is damaged or incomplete. Upload it again, or another "
            "JPEG, PNG or WebP picture.",
            code="damaged_image",
        ) from None
    finally:
        file.seek(0)


def picture(post):
    """
    The post's featured image as pages show it, from what is recorded on the
    post (no storage call); None without an image. An image whose renditions
    are not made yet is shown as uploaded.
    """
    image = post.featured_image
    if not image:
        if not post.featured_image_url:
            return None
        return Picture(
            src=post.featured_image_url,
            width=post.featured_image_width,
            height=post.featured_image_height,
        )
    record = post.featured_image_renditions
    if record.get("source") != image.name:
        return Picture(src=image.url)
    fallback = [file for file in record["files"] if file["type"] != "image/webp"]
    webp = [file for file in record["files"] if file["type"] == "image/webp"]
    return Picture(
        # For the rare client that ignores srcset: the largest, not the upload,
        # which may be many times larger and still carry its EXIF.
        src=image.storage.url(fallback[-1]["name"]),
        srcset=srcset(image.storage, fallback),
        webp_srcset=srcset(image.storage, webp),
        width=post.featured_image_width,
        height=post.featured_image_height,
    )


def srcset(storage, files):
    return ", ".join(f"{storage.url(file['name'])} {file['width']}w" for file in files)


def update_renditions(post, *, remake=False):
    """
    Make the renditions of the post's featured image if it changed since
    they were made (or if `remake`), record them and the image's size on the
    post, and delete the renditions they replace once the change is
    committed. Post.save() calls this. Returns whether anything changed.
    """
    image = post.featured_image
    record = post.featured_image_renditions or {}
    if record.get("source", "") == (image.name or "") and not remake:
        return False
    storage = image.storage
    if image:
        width, height, files = make_renditions(storage, image.name)
        post.featured_image_renditions = {"source": image.name, "files": files}
    else:
        width = height = None
        post.featured_image_renditions = {}
    post.featured_image_width, post.featured_image_height = width, height
    type(post)._base_manager.filter(pk=post.pk).update(
        featured_image_width=width,
        featured_image_height=height,
        featured_image_renditions=post.featured_image_renditions,
    )
    kept = {file["name"] for file in post.featured_image_renditions.get("files", [])}
    replaced = [file["name"] for file in record.get("files", [])]
    replaced = [name for name in replaced if name not in kept]
    if replaced:
        # After the commit: until then, the post as saved still shows them.
        transaction.on_commit(partial(delete_files, storage, replaced))
    return True


def renditions_missing(post):
    """
    Whether the post's featured image lacks renditions, on the post or in
    storage: one storage call per rendition, for the make_renditions command.
    """
    if not post.featured_image:
        return False
    record = post.featured_image_renditions or {}
    if record.get("source") != post.featured_image.name:
        return True
    storage = post.featured_image.storage
    return not all(storage.exists(file["name"]) for file in record["files"])


def make_renditions(storage, name):
    """
    Resize the image stored as `name` to each width, in its fallback format
    and in WebP, and store the results. Returns the image's width and height
    as shown (its EXIF orientation applied) and the renditions, narrowest
    first, as [{"name", "width", "height", "type"}].
    """
    with storage.open(name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    width, height = image.size
    if image.getexif().get(ExifTags.Base.Orientation) in QUARTER_TURNS:
        width, height = height, width
    fallback = fallback_format(image)
    # A JPEG decodes at 1/2, 1/4 or 1/8 scale for a fraction of the time and
    # memory, and still at least as large as the widest rendition.
    image.draft(None, (WIDTHS[-1], WIDTHS[-1]))
    icc_profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if has_transparency(image) else "RGB")
    stem = posixpath.join(FOLDER, posixpath.splitext(name)[0])
    files = []
    widest = min(width, WIDTHS[-1])
    # Widest first, each made from the one before: a quarter of the time of
    # making each from the whole image, and no visible difference.
    for target in [widest, *(w for w in reversed(WIDTHS) if w < widest)]:
        size = (target, max(1, round(height * target / width)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        for image_format in (fallback, "WEBP"):
            buffer = io.BytesIO()
            # Colour profile kept, so that colours look as in the original;
            # EXIF (a camera's serial number, a location) dropped.
            image.save(
                buffer,
                format=image_format,
                icc_profile=icc_profile,
                **SAVE_OPTIONS[image_format],
            )
            saved = storage.save(
                f"{stem}-{target}w.{EXTENSIONS[image_format]}",
                ContentFile(buffer.getvalue()),
            )
            files.insert(
                0,
                {
                    "name": saved,
                    "width": size[0],
                    "height": size[1],
                    "type": MEDIA_TYPES[image_format],
                },
            )
    return width, height, files


def fallback_format(image):
    if image.format in FALLBACK_FORMATS:
        return image.format
    return "PNG" if has_transparency(image) else "JPEG"


def has_transparency(image):
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def delete_files(storage, names):
    for name in names:
        storage.delete(name)
