from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.core.validators import validate_image_file_extension
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from taggit.managers import TaggableManager

from .markup import excerpt_from_html, render_markdown

# The comments app's one-to-one row for each post (comments.Discussion): blog
# never imports comments, but fetches the row with the post for the pages
# that show its comment count or thread.
DISCUSSION = "discussion"


class Publication(models.Model):
    """Where a post first appeared, when it was written for someone else."""

    name = models.CharField(max_length=200, help_text="e.g. Local Government Chronicle")
    slug = models.SlugField(max_length=200, unique=True)
    is_named_with_the = models.BooleanField(
        "name takes “the”",
        default=True,
        help_text="Say “first appeared in the Local Government Chronicle”.",
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:publication-archive", kwargs={"slug": self.slug})

    @property
    def name_in_sentence(self):
        return f"the {self.name}" if self.is_named_with_the else self.name


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="category_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category-archive", kwargs={"slug": self.slug})

    def clean(self):
        # The database refuses only a category that is its own parent; a
        # longer loop would send every walk up the hierarchy round forever.
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {
                        "parent": "A category cannot be inside itself: "
                        f"“{self.parent}” is “{self}” or one of its subcategories."
                    }
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts the public may see: published, with a publish date now or past."""
        return self.filter(
            status=Post.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def scheduled(self):
        return self.filter(
            status=Post.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def visible_to(self, user):
        """Everything for those who may preview unpublished posts, else published()."""
        if user.is_active and user.has_perm("blog.change_post"):
            return self.all()
        return self.published()

    def search(self, query):
        """
        Posts matching the words of `query`, best first. PostgreSQL ranks by
        full-text relevance with English stemming (title above excerpt above
        body); other databases match every word anywhere in title or body.
        """
        if connection.vendor == "postgresql":
            vector = (
                SearchVector("title", weight="A", config="english")
                + SearchVector("summary", weight="B", config="english")
                + SearchVector("body", weight="C", config="english")
            )
            terms = SearchQuery(query, search_type="websearch", config="english")
            return (
                self.annotate(document=vector, rank=SearchRank(vector, terms))
                .filter(document=terms)
                .order_by("-rank", "-published_at", "-pk")
            )
        matches = self
        for word in query.split():
            matches = matches.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return matches

    def for_page(self):
        """
        What the post page shows of a post besides its body, fetched with it:
        the author, the publication, and the comments app's discussion row
        (its comment count and the version its thread is cached under).
        """
        return self.select_related("author", "first_appeared_in", DISCUSSION)

    def for_listing(self):
        """What a list of posts shows for each post, fetched up front."""
        return (
            self.for_page()
            .prefetch_related("categories", "tags")
            .defer("body", "body_html")
        )

    def publish(self):
        """
        Publish the drafts among these posts; returns how many. A draft dated
        in the past (by default, when it was started) is dated now, so that it
        appears at the top of the lists rather than among older posts; one
        dated in the future is scheduled for then.
        """
        now = timezone.now()
        drafts = self.filter(status=Post.Status.DRAFT)
        with transaction.atomic():
            # First, while the filter still matches them.
            drafts.mark_changed()
            drafts.filter(published_at__lt=now).update(published_at=now)
            return drafts.update(status=Post.Status.PUBLISHED, updated_at=now)

    def unpublish(self):
        """Return these posts to draft; returns how many were published."""
        published = self.exclude(status=Post.Status.DRAFT)
        with transaction.atomic():
            published.mark_changed()
            return published.update(status=Post.Status.DRAFT, updated_at=timezone.now())

    def mark_changed(self):
        """
        What readers see of these posts changed: raise their versions, so
        that HTML cached for them is made anew. The one place the blog app
        does so.
        """
        return self.update(version=F("version") + 1)


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=250,
        unique=True,
        help_text="The post's permanent address; change it only before publishing.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False)
    excerpt = models.TextField(
        blank=True, help_text="Plain text. Left blank, the start of the body is used."
    )
    summary = models.TextField(editable=False, help_text="The excerpt lists show.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        "publish date",
        default=timezone.now,
        help_text="A published post with a date in the future appears then.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    featured_image = models.ImageField(
        upload_to="posts/%Y/%m/",
        blank=True,
        validators=[validate_image_file_extension],
    )
    featured_image_alt = models.CharField(
        "featured image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for readers who cannot see it.",
    )
    featured_image_caption = models.CharField(
        "featured image caption or credit", max_length=250, blank=True
    )

    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    tags = TaggableManager(blank=True)
    # Raised by every change to what the post's pages show of it: the post
    # itself (save()), its categories, tags, author and publication
    # (blog.signals), always through PostQuerySet.mark_changed(). HTML cached
    # for the post is keyed on it: a column, not a cache entry, so that every
    # process and host sees the same value at once. Its comments have a
    # version of their own, kept by the comments app.
    version = models.PositiveIntegerField(default=0, editable=False)

    first_appeared_in = models.ForeignKey(
        Publication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    first_appeared_on = models.DateField(null=True, blank=True)
    first_appeared_url = models.URLField("original URL", max_length=500, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            # Every public list: published(), newest first. Partial, so that it
            # holds only what the public sees; with the status in it too, so
            # that SQLite, like PostgreSQL, counts a list from the index alone.
            models.Index(
                fields=["status", "-published_at", "-id"],
                condition=Q(status="published"),
                name="post_published_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_appeared_in__isnull=False)
                | (Q(first_appeared_on__isnull=True) & Q(first_appeared_url="")),
                name="post_provenance_needs_publication",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_markup()
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        # The version is raised by others with update() while an editor has
        # the post open: saving the value read then would put an old one back.
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            update_fields = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "version"
            ]
        kwargs["update_fields"] = {*update_fields, "body_html", "summary"} - {"version"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            Post.objects.filter(pk=self.pk).mark_changed()
        self.refresh_from_db(fields=["version"])

    def get_absolute_url(self):
        return reverse("blog:post-detail", kwargs={"slug": self.slug})

    def render_markup(self):
        """Store the body's HTML and the summary lists show; save() calls this."""
        self.body_html = render_markdown(self.body)
        self.summary = self.excerpt.strip() or excerpt_from_html(self.body_html)

    def cache_key(self, fragment):
        """
        Where HTML of this post is cached, as of its current version. The
        creation time tells it apart from an earlier post that had its id.
        """
        return f"post:{fragment}:{self.pk}:{self.version}:{self.created_at.timestamp()}"

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED and self.published_at > timezone.now()
        )

    @property
    def provenance(self):
        """'This article first appeared in the … on 21 January 2016', or ''."""
        if not self.first_appeared_in:
            return ""
        sentence = (
            f"This article first appeared in {self.first_appeared_in.name_in_sentence}"
        )
        if self.first_appeared_on:
            sentence += f" on {date_format(self.first_appeared_on, 'j F Y')}"
        return sentence
