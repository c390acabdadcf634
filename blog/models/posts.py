from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.validators import validate_image_file_extension
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from taggit.managers import TaggableManager

from ..images import picture, update_renditions, validate_featured_image
from ..markup import excerpt_from_html, render_body, word_count
from .filing import Category, Publication

# The comments app's one-to-one row for each post (comments.Discussion): blog
# never imports comments, but fetches the row with the post for the pages
# that show its comment count or thread.
DISCUSSION = "discussion"


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts the public may see: published, with a publish date now or past."""
        return self.filter(
            status=Post.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def listed(self):
        """
        What the lists, archives, feeds and sitemap show: published posts,
        not standalone pages, which live outside the stream of posts.
        """
        return self.published().filter(kind=Post.Kind.POST)

    def sticky(self):
        """The posts an editor keeps at the top of the home page."""
        return self.filter(is_sticky=True)

    def scheduled(self):
        return self.filter(
            status=Post.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def visible_to(self, user):
        """Everything for those who may preview unpublished posts, else published()."""
        opts = self.model._meta
        if user.is_active and user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        ):
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
        does so. The menu and footer, which list posts, are made anew too.
        """
        from ..navigation import navigation_changed  # it lists posts: imports these

        navigation_changed()
        return self.update(version=F("version") + 1)


class Post(models.Model):
    """
    A post, or a standalone page (About, Contact): WordPress's one table for
    both, so that pages have the same editor, Markdown, images and comments
    as posts. Pages are edited through the Page proxy (blog.models.pages).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"

    class BodyFormat(models.TextChoices):
        MARKDOWN = "markdown", "Markdown"
        # WordPress's: HTML whose blank lines make paragraphs, as imported.
        HTML = "html", "HTML"

    title = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=250,
        unique=True,
        help_text="The post's permanent address; change it only before publishing.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    body = models.TextField()
    body_format = models.CharField(
        "format",
        max_length=10,
        choices=BodyFormat.choices,
        default=BodyFormat.MARKDOWN,
        help_text="HTML is WordPress's: blank lines make paragraphs.",
    )
    body_html = models.TextField(editable=False)
    excerpt = models.TextField(
        blank=True, help_text="Plain text. Left blank, the start of the body is used."
    )
    summary = models.TextField(editable=False, help_text="The excerpt lists show.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_sticky = models.BooleanField(
        "sticky", default=False, help_text="Shown first on the home page."
    )
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.POST, editable=False
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
        validators=[validate_image_file_extension, validate_featured_image],
    )
    # Made from the image by blog.images when it is saved: its size as shown
    # (EXIF orientation applied, which ImageField's width_field ignores) and
    # the renditions pages serve, so that rendering needs no storage call.
    featured_image_width = models.PositiveIntegerField(
        null=True, blank=True, editable=False
    )
    featured_image_height = models.PositiveIntegerField(
        null=True, blank=True, editable=False
    )
    featured_image_renditions = models.JSONField(
        default=dict, blank=True, editable=False
    )
    # An image kept elsewhere (an imported post's, on its old site), shown
    # when no file is uploaded.
    featured_image_url = models.URLField(
        "featured image address",
        max_length=500,
        blank=True,
        help_text="An image elsewhere, shown when none is uploaded.",
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

    # A page's place among the pages: its parent, its order among its
    # siblings, and its address below the site's root ("about/team"), kept
    # with it so that a link to it needs no walk up the hierarchy.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"kind": Kind.PAGE},
    )
    menu_order = models.IntegerField(
        "order", default=0, help_text="Lower numbers come first among pages."
    )
    path = models.CharField(max_length=500, blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)

    # Where an imported post came from (blog.wordpress): the site and the
    # post's id there, which a later import of the same site matches on, and
    # its address there, which redirects here (OldAddress).
    wordpress_site = models.CharField(max_length=200, blank=True, editable=False)
    wordpress_id = models.PositiveBigIntegerField(null=True, editable=False)
    wordpress_url = models.URLField(
        "address on WordPress", max_length=500, blank=True, editable=False
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            # Every public list: listed(), newest first. Partial, so that it
            # holds only what the public sees; with the status and kind in it
            # too, so that SQLite, like PostgreSQL, counts a list from the
            # index alone.
            models.Index(
                fields=["status", "kind", "-published_at", "-id"],
                condition=Q(status="published", kind="post"),
                name="post_listed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_appeared_in__isnull=False)
                | (Q(first_appeared_on__isnull=True) & Q(first_appeared_url="")),
                name="post_provenance_needs_publication",
            ),
            models.UniqueConstraint(
                fields=["path"], condition=Q(kind="page"), name="page_path_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="page") | Q(parent__isnull=True, path=""),
                name="post_not_in_page_hierarchy",
            ),
            models.UniqueConstraint(
                fields=["wordpress_site", "wordpress_id"],
                condition=Q(wordpress_id__isnull=False),
                name="post_wordpress_id_unique",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_markup()
        if self._state.adding:
            super().save(*args, **kwargs)
            update_renditions(self)
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
        kwargs["update_fields"] = {
            *update_fields,
            "body_html",
            "summary",
            "word_count",
        } - {"version"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            update_renditions(self)
            Post.objects.filter(pk=self.pk).mark_changed()
        self.refresh_from_db(fields=["version"])

    def get_absolute_url(self):
        if self.is_page:
            return reverse("blog:page-detail", kwargs={"path": self.path})
        return reverse("blog:post-detail", kwargs={"slug": self.slug})

    def render_markup(self):
        """Store the body's HTML and the summary lists show; save() calls this."""
        self.body_html = render_body(self.body, self.body_format)
        self.summary = self.excerpt.strip() or excerpt_from_html(self.body_html)
        self.word_count = word_count(self.body_html)

    def cache_key(self, fragment):
        """
        Where HTML of this post is cached, as of its current version. The
        creation time tells it apart from an earlier post that had its id.
        """
        return f"post:{fragment}:{self.pk}:{self.version}:{self.created_at.timestamp()}"

    @property
    def featured_picture(self):
        """The featured image as pages show it (blog.images.Picture), or None."""
        return picture(self)

    @property
    def is_page(self):
        return self.kind == self.Kind.PAGE

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
