"""
A copy of a WordPress site's uploads (wp-content/uploads, or WordPress.com's
files) on this machine, from which an import takes the files its posts show:
no file is fetched over the network.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.core.files.storage import default_storage

# Where the copies go in the site's storage: wordpress/2016/01/photo.jpg.
STORAGE_FOLDER = "wordpress"
LINKED_FILE = re.compile(
    r"""(?P<attribute>\b(?:src|href)=)(?P<quote>["'])(?P<url>[^"']+)(?P=quote)"""
)


class MediaLibrary:
    def __init__(self, folder, *, report, is_dry_run=False):
        self.folder = Path(folder).resolve()
        self.report = report
        self.is_dry_run = is_dry_run
        self.stored = {}  # URL → its address here

    def find(self, url):
        """
        The copy of the file at `url`: the longest end of its path that exists
        below the folder, so that /wp-content/uploads/2016/01/a.jpg,
        /wp-content/uploads/sites/2/2016/01/a.jpg and WordPress.com's
        /2016/01/a.jpg are all found in a copy of the uploads folder.
        """
        parts = [part for part in unquote(urlsplit(url).path).split("/") if part]
        for start in range(len(parts)):
            candidate = self.folder.joinpath(*parts[start:]).resolve()
            if candidate.is_relative_to(self.folder) and candidate.is_file():
                return candidate, "/".join(parts[start:])
        return None, ""

    def stored_url(self, url):
        """The file's address in the site's storage, copying it there once."""
        if url not in self.stored:
            path, relative = self.find(url)
            if path is None:
                self.stored[url] = None
            else:
                name = f"{STORAGE_FOLDER}/{relative}"
                if not self.is_dry_run and not default_storage.exists(name):
                    with path.open("rb") as file:
                        name = default_storage.save(name, File(file))
                    self.report.count("files", "created")
                else:
                    self.report.count("files", "unchanged")
                self.stored[url] = default_storage.url(name)
        return self.stored[url]

    def rewrite(self, html):
        """`html` with the links to uploaded files that have a copy pointing here."""

        def replace(match):
            url = match["url"]
            if not url.startswith(("http://", "https://", "/")):
                return match[0]
            stored = self.stored_url(url)
            if stored is None:
                return match[0]
            return f"{match['attribute']}{match['quote']}{stored}{match['quote']}"

        return LINKED_FILE.sub(replace, html)

    def attach(self, post, url):
        """Upload the copy of the image at `url` as the post's featured image."""
        path, relative = self.find(url)
        if path is None:
            self.report.note(
                "images",
                f"Post {post.wordpress_id} “{post.title}”: {url} is not in "
                f"{self.folder}; the post shows it from its old address.",
            )
            return
        if self.is_dry_run:
            return
        with path.open("rb") as file:
            post.featured_image.save(Path(relative).name, File(file), save=False)
