"""
A WordPress site's images: featured images, which its attachments describe,
and where its posts show images from (blog.wordpress.importing).
"""

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import strip_tags

from ..models import Post

IMAGE_HOST = re.compile(r"""<img\s[^>]*?src=["'](https?://[^/"']+)""", re.IGNORECASE)


@dataclass
class Attachment:
    url: str
    alt: str = ""
    caption: str = ""
    width: int | None = None
    height: int | None = None


class ImageImport:
    def __init__(self, *, report, media=None):
        self.report = report
        self.media = media  # a MediaLibrary, given --media-dir
        self.attachments = {}  # WordPress id → Attachment
        self.featured = {}  # post pk → its featured attachment's WordPress id
        self.hosts = set()  # where the posts' images are shown from

    def add_attachment(self, item):
        metadata = item.meta.get("_wp_attachment_metadata", "")
        self.attachments[item.wordpress_id] = Attachment(
            url=item.attachment_url or item.guid,
            alt=item.meta.get("_wp_attachment_image_alt", ""),
            caption=unescape(strip_tags(item.excerpt)).strip(),
            width=serialized_integer(metadata, "width"),
            height=serialized_integer(metadata, "height"),
        )

    def add_featured(self, post, item):
        """Note the post's featured image, whose attachment may come later."""
        try:
            self.featured[post.pk] = int(item.meta["_thumbnail_id"])
        except (KeyError, ValueError):
            pass

    def add_body(self, html):
        self.hosts.update(IMAGE_HOST.findall(html))

    def finish(self):
        """Give the posts their featured images, now that every attachment is read."""
        posts = Post.objects.filter(pk__in=self.featured)
        for post in posts.iterator(chunk_size=200):
            attachment = self.attachments.get(self.featured[post.pk])
            if attachment is None:
                self.report.note(
                    "images",
                    f"Post {post.wordpress_id} “{post.title}”: its featured image "
                    f"{self.featured[post.pk]} is not in the file.",
                )
                continue
            before = featured_state(post)
            post.featured_image_url = attachment.url[:500]
            post.featured_image_alt = attachment.alt[:250]
            post.featured_image_caption = attachment.caption[:250]
            if not post.featured_image:
                post.featured_image_width = attachment.width
                post.featured_image_height = attachment.height
            if self.media and not post.featured_image:
                self.media.attach(post, attachment.url)
            if not post.featured_image:
                address = urlsplit(post.featured_image_url)
                self.hosts.add(f"{address.scheme}://{address.netloc}")
            if featured_state(post) != before:
                post.save()
                self.report.count("images", "updated" if before[0] else "created")
            else:
                self.report.count("images", "unchanged")
        self.blocked_hosts_note()

    def blocked_hosts_note(self):
        """Say which image hosts the Content Security Policy would block."""
        allowed = set(settings.SECURE_CSP.get("img-src", []))
        blocked = sorted(self.hosts - allowed)
        if blocked:
            hosts = " ".join(blocked)
            self.report.messages.append(
                f"Images are shown from {', '.join(blocked)}, which browsers "
                "block until the site allows them: set DJANGO_CSP_IMG_SOURCES="
                f'"{hosts}", or import again with --media-dir.'
            )


def featured_state(post):
    return (
        post.featured_image_url,
        post.featured_image_alt,
        post.featured_image_caption,
        post.featured_image_width,
        post.featured_image_height,
        post.featured_image.name,
    )


def serialized_integer(php_serialized, key):
    """A number from WordPress's PHP-serialized metadata: s:5:"width";i:1200;"""
    match = re.search(rf'"{key}";i:(\d+);', php_serialized)
    return int(match[1]) if match else None
