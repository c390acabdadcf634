"""
Avatars: uploads checked and turned into two clean squares, and the
placeholder drawn for people without one.

Every upload is decoded and re-encoded, so what is stored is an image made
here: no EXIF (location, camera serial), no colour profile, nothing a crafted
file could smuggle through.
"""

import hashlib
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
SIZES = {"large": 256, "small": 64}


@dataclass(frozen=True)
class Avatar:
    large: ContentFile
    small: ContentFile


# What Pillow raises for a file it refuses to read: a truncated or malformed
# file (OSError, SyntaxError, EOFError) or a chunk that would decompress past
# its limits, such as a PNG's zTXt or iCCP (ValueError).
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, EOFError, ValueError)


def avatar_from_upload(upload):
    """
    Check an uploaded file and make the two avatar sizes from it, or raise
    ValidationError with a message for the person who uploaded it.
    """
    max_bytes = settings.ACCOUNTS_AVATAR_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; an avatar may be at most "
            f"{filesizeformat(max_bytes)}.",
            code="too_large",
        )
    image = open_image(upload)
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except UNREADABLE:
        raise not_an_image() from None
    image = image.convert("RGBA" if has_transparency(image) else "RGB")
    name = secrets.token_hex(8)
    return Avatar(
        large=encode(image, SIZES["large"], f"{name}-{SIZES['large']}.webp"),
        small=encode(image, SIZES["small"], f"{name}-{SIZES['small']}.webp"),
    )


def open_image(upload):
    """The upload's image, its header read and checked, its pixels not decoded."""
    too_many_pixels = ValidationError(
        "The picture has too many pixels to process; upload a smaller one "
        f"(at most {settings.ACCOUNTS_AVATAR_MAX_PIXELS // 1_000_000} megapixels).",
        code="too_many_pixels",
    )
    upload.seek(0)
    try:
        # Opening reads only the header (and, for a PNG, the chunks before
        # the pixels), so the size is known before the pixels are decoded.
        image = Image.open(upload)
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except UNREADABLE:
        raise not_an_image() from None
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"{image.format} images are not accepted. Upload a JPEG, PNG or WebP "
            "picture.",
            code="unsupported_format",
        )
    width, height = image.size
    if width * height > settings.ACCOUNTS_AVATAR_MAX_PIXELS:
        raise too_many_pixels
    # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale for almost nothing: a
    # 12-megapixel photo then takes a sixteenth of the time and memory, and
    # is still larger than the largest avatar.
    image.draft(None, (SIZES["large"], SIZES["large"]))
    return image


def not_an_image():
    return ValidationError(
        "This file is not an image we can read. Upload a JPEG, PNG or WebP picture.",
        code="invalid_image",
    )


def has_transparency(image):
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def encode(image, size, name):
    square = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # Pillow writes EXIF, XMP or a colour profile to WebP only when given
    # them, so the file holds the pixels and nothing else.
    square.save(buffer, format="WEBP", quality=85, method=4)
    return ContentFile(buffer.getvalue(), name=name)


def placeholder(name, seed):
    """Initials and a colour for a person without an avatar, both from their names."""
    return {
        "initials": initials(name),
        "background": f"hsl({hue_of(seed) * HUE_STEP} 45% 30%)",
    }


# The placeholders' colours: a few hues, so that a page can name each by a
# class (CSS, no inline style) as well as an SVG can fill it; dark enough
# (lightness 30%) that white initials have 5.3:1 contrast on the lightest.
HUES = 12
HUE_STEP = 360 // HUES


def initials(name):
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def hue_of(seed):
    """Which of the HUES a person's placeholder has, the same on every page."""
    return int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % HUES
