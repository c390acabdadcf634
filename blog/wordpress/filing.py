"""A WordPress site's categories and tags (blog.wordpress.importing)."""

from html import unescape
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from ..models import Category, Post

BATCH_SIZE = 1000


class FilingImport:
    """
    Categories and tags, matched on their slugs as WordPress's own importer
    does, with the categories' hierarchy and the archives' old addresses.
    """

    def __init__(self, *, report, home, old_addresses):
        self.report = report
        self.home = home  # the site's own path, which its addresses start with
        self.old_addresses = old_addresses
        self.categories = {}  # WordPress slug → Category
        self.category_parents = {}  # WordPress slug → its parent's
        self.category_ids = {}  # WordPress slug → WordPress term id
        self.tags = {}  # WordPress slug → Tag
        self.new_links = []  # new posts' categories and tags, to be saved

    def add(self, term):
        if term.taxonomy == "category":
            self.category_for(
                term.slug,
                term.name,
                description=term.description,
                wordpress_id=term.wordpress_id,
            )
            if term.parent_slug:
                self.category_parents[term.slug] = term.parent_slug
        elif term.taxonomy == "post_tag":
            self.tag_for(term.slug, term.name)
        else:
            self.report.count(f"terms of {term.taxonomy or 'no taxonomy'}", "skipped")

    def category_for(self, slug, name, *, description=None, wordpress_id=None):
        """
        The category a WordPress slug names: matched on the slug, created if
        new; its name and description updated when the file gives them.
        """
        if slug in self.categories:
            return self.categories[slug]
        name = unescape(name).strip() or unquote(slug)
        if description is not None:
            description = unescape(description).strip()
        our_slug = slugify(unquote(slug))[:100] or slugify(name)[:100]
        if not our_slug:
            our_slug = f"category-{wordpress_id or len(self.categories) + 1}"
        category = Category.objects.filter(slug=our_slug).first()
        if category is None:
            category = Category.objects.create(
                name=name[:100], slug=our_slug, description=description or ""
            )
            self.report.count("categories", "created")
        elif description is not None and (
            category.name != name[:100] or category.description != description
        ):
            category.name, category.description = name[:100], description
            category.save()
            self.report.count("categories", "updated")
        else:
            self.report.count("categories", "unchanged")
        self.categories[slug] = category
        if wordpress_id is not None:
            self.category_ids[slug] = wordpress_id
        return category

    def tag_for(self, slug, name):
        if slug in self.tags:
            return self.tags[slug]
        name = unescape(name).strip()[:100] or unquote(slug)[:100]
        our_slug = slugify(unquote(slug), allow_unicode=True)[:100] or slugify(
            name, allow_unicode=True
        )
        tag = (
            Tag.objects.filter(slug=our_slug).first()
            or Tag.objects.filter(name=name).first()
        )
        if tag is None:
            tag = Tag.objects.create(name=name, slug=our_slug or None)
            self.report.count("tags", "created")
        else:
            self.report.count("tags", "unchanged")
        self.tags[slug] = tag
        return tag

    # Items

    def file_new_post(self, post, categories, tags):
        """
        File a post the import has just made, in bulk with others: taggit
        links tags one query at a time, and each link raises the version of
        a post that nothing can have cached yet. For 1,000 posts this took
        6.2 s of a 26 s import (bench/importing.py).
        """
        self.new_links += [
            Post.categories.through(post_id=post.pk, category_id=pk)
            for pk in {category.pk for category in categories}
        ]
        self.new_links += [
            TaggedItem(content_type=post_type(), object_id=post.pk, tag_id=pk)
            for pk in {tag.pk for tag in tags}
        ]
        if len(self.new_links) >= BATCH_SIZE:
            self.save_new_links()

    def save_new_links(self):
        for model in (Post.categories.through, TaggedItem):
            model.objects.bulk_create(
                [link for link in self.new_links if isinstance(link, model)],
                batch_size=BATCH_SIZE,
            )
        self.new_links = []

    def finish(self):
        """Once every record is read: parents, which may come later, and addresses."""
        self.save_new_links()
        self.place_categories()
        self.add_old_addresses()

    def place_categories(self):
        for slug, parent_slug in self.category_parents.items():
            category, parent = self.categories[slug], self.categories.get(parent_slug)
            if parent is None:
                self.report.note(
                    "categories",
                    f"Category {slug}: its parent “{parent_slug}” is not in the "
                    "file; left at the top.",
                )
                continue
            if category.parent_id == parent.pk:
                continue
            category.parent = parent
            try:
                category.clean()
            except ValidationError:
                self.report.note(
                    "categories",
                    f"Category {slug}: placing it under “{parent_slug}” would put "
                    "it inside itself; left where it was.",
                )
                category.parent_id = None
                continue
            category.save()

    def add_old_addresses(self):
        for slug, category in self.categories.items():
            path, parent = [slug], self.category_parents.get(slug)
            while parent and parent not in path and len(path) < 20:
                path.insert(0, parent)
                parent = self.category_parents.get(parent)
            self.old_addresses.add(
                f"{self.home}/category/{unquote('/'.join(path))}/", category=category
            )
            if slug in self.category_ids:
                self.old_addresses.add(
                    f"{self.home}/?cat={self.category_ids[slug]}", category=category
                )
        for slug, tag in self.tags.items():
            self.old_addresses.add(f"{self.home}/tag/{unquote(slug)}/", tag=tag)
            self.old_addresses.add(f"{self.home}/?tag={unquote(slug)}", tag=tag)


def post_type():
    """The content type taggit files posts' tags under (cached by Django)."""
    return ContentType.objects.get_for_model(Post)
