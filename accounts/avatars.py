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
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if has_transparency(image) else "RGB")
    name = secrets.token_hex(8)
    return Avatar(
        large=encode(image, SIZES["large"], f"{name}-{SIZES['large']}.webp"),
        small=encode(image, SIZES["small"], f"{name}-{SIZES['small']}.webp"),
    )


def open_image(upload):
    not_an_image = ValidationError(
        "This file is not an image we can read. Upload a JPEG, PNG or WebP picture.",
        code="invalid_image",
    )
    too_many_pixels = ValidationError(
        "The picture has too many pixels to process; upload a smaller one "
        f"(at most {settings.ACCOUNTS_AVATAR_MAX_PIXELS // 1_000_000} megapixels).",
        code="too_many_pixels",
    )
    upload.seek(0)
    try:
        # Opening reads only the header, so the size is known before the
        # pixels are decoded.
        image = Image.open(upload)
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError):
        raise not_an_image from None
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"{image.format} images are not accepted. Upload a JPEG, PNG or WebP "
            "picture.",
            code="unsupported_format",
        )
    width, height = image.size
    if width * height > settings.ACCOUNTS_AVATAR_MAX_PIXELS:
        raise too_many_pixels
    try:
        image.load()
    except (OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return image


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
    words = [word for word in name.split() if word[:1].isalnum()]
    initials = "".join(word[0] for word in words[:2]).upper() or "?"
    hue = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % 360
    return {"initials": initials, "background": f"hsl({hue} 45% 38%)"}
