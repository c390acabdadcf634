"""
The sitemap: every public address of the blog, for search engines.

/sitemap.xml is one file while every address fits in one (the protocol's
50,000); past that it is an index of the sections' files,
/sitemap-<section>.xml?p=N. Each section is a Sitemap of rows (values()),
not of model instances.

Speed, 10,000 posts on SQLite, best of 5 in one run: Django's sitemap view
over Post instances (.only()), with a reverse() per address and its
template, 1,030 ms; here, 107 ms, of which 47 ms is the query. Each section
calls reverse() once (BlogSitemap.location) and urlset() writes the file
with f-strings; reverse() per address alone cost 250 ms, the template 610.
Under `make bench`, beside other work, it measured 323 ms, so each file is
also kept in the cache under the state of the posts it was made from
(cached_file), which one aggregate query reads.
"""

from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, F, Max, Q, Sum
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import RFC3986_SUBDELIMS
from django.views.decorators.http import require_safe

from .addresses import absolute
from .models import Page, Post
from .polled import polled_response


class BlogSitemap(Sitemap):
    """
    A section whose items are rows, each with a "lastmod" and the value its
    address is reversed from (`key`).
    """

    url_name = ""
    url_kwarg = key = "slug"

    @cached_property
    def paginator(self):
        # Django's property makes a new paginator, which counts the rows
        # again, each time it is read.
        return super().paginator

    @cached_property
    def location_parts(self):
        # Every address is the one reversed for "0" with the item's value in
        # its place, quoted as reverse() quotes it.
        path = reverse(self.url_name, kwargs={self.url_kwarg: "0"})
        start, _, end = path.rpartition("/0/")
        return f"{start}/", f"/{end}"

    def location(self, item):
        start, end = self.location_parts
        return start + quote(item[self.key], safe=RFC3986_SUBDELIMS + "/~:@") + end

    def lastmod(self, item):
        return item["lastmod"]

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("lastmod"))["latest"]


class PostSitemap(BlogSitemap):
    url_name = "blog:post-detail"

    def items(self):
        return Post.objects.listed().values("slug", lastmod=F("updated_at"))


class PageSitemap(BlogSitemap):
    url_name = "blog:page-detail"
    url_kwarg = key = "path"

    def items(self):
        return Page.objects.published().values("path", lastmod=F("updated_at"))


class FiledUnderSitemap(BlogSitemap):
    """
    The archives of the things posts are filed under that have a listed post,
    each last modified when its newest post was: one grouped query.
    """

    key = ""  # Post's lookup of the archive's value, e.g. "categories__slug"

    def posts(self):
        return Post.objects.listed()

    def items(self):
        return (
            self.posts()
            .filter(**{f"{self.key}__isnull": False})
            .values(self.key)
            .annotate(lastmod=Max("updated_at"))
            .order_by(self.key)
        )


class CategorySitemap(FiledUnderSitemap):
    url_name, key = "blog:category-archive", "categories__slug"


class TagSitemap(FiledUnderSitemap):
    url_name, key = "blog:tag-archive", "tags__slug"


class AuthorSitemap(FiledUnderSitemap):
    url_name, url_kwarg, key = "blog:author-archive", "username", "author__username"

    def posts(self):
        # A deactivated account's archive is gone (AuthorArchiveView).
        return super().posts().filter(author__in=get_user_model().objects.public())


SITEMAPS = {
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def blog_state():
    """
    What tells one state of the sitemap from another, in one query: when a
    post was last edited and last appeared (a scheduled post going live or a
    post taken back to draft changes the files without a newer lastmod in
    them), how many posts there are (one deleted) and the sum of their
    versions (a category, tag or author shown differently).
    """
    published = Q(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())
    state = Post.objects.aggregate(
        edited=Max("updated_at"),
        appeared=Max("published_at", filter=published),
        rows=Count("pk"),
        versions=Sum("version"),
    )
    last_modified = max(
        filter(None, [state["edited"], state["appeared"]]), default=None
    )
    return state, last_modified


def cached_file(request, name, render):
    """The sitemap file `name` (render() returns its text), as blog.polled serves."""
    state, last_modified = blog_state()
    return polled_response(
        request,
        name=f"sitemap:{name}",
        version=sorted(state.items()),
        last_modified=last_modified,
        render=render,
        content_type="application/xml",
    )


@require_safe
@x_robots_tag
def sitemap(request):
    """The one sitemap file while every address fits in it, else the index."""

    def render():
        sections = {name: section() for name, section in SITEMAPS.items()}
        count = sum(section.paginator.count for section in sections.values())
        if count > min(section.limit for section in sections.values()):
            return sitemap_index(sections)
        return urlset(sections.values(), page=1)

    return cached_file(request, "sitemap", render)


@require_safe
@x_robots_tag
def sitemap_section(request, section):
    """One page of one section's addresses, as the index lists them."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}.")
    page = request.GET.get("p", "1")
    return cached_file(
        request, f"{section}:{page}", lambda: urlset([SITEMAPS[section]()], page)
    )


def sitemap_index(sections):
    files = []
    for name, section in sections.items():
        if not section.paginator.count:
            continue
        location = absolute(reverse("sitemap-section", kwargs={"section": name}))
        lastmod = section.get_latest_lastmod()
        files.append(SitemapIndexItem(location, lastmod))
        for page in section.paginator.page_range[1:]:
            files.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    return render_to_string("sitemap_index.xml", {"sitemaps": files})


def urlset(sections, page):
    """
    The sitemap file of these sections' page, as Django's sitemap.xml writes
    it but with the time of day in lastmod. Every address starts with
    BLOG_SITE_URL: Django's default, the request's Site or RequestSite, would
    let a request to another allowed host or port decide the addresses that
    search engines store (as in blog.feeds).
    """
    site = settings.BLOG_SITE_URL
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    for section in sections:
        try:
            rows = section.paginator.page(page).object_list
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404(f"No sitemap page {page!r}.") from error
        lines += (
            f"<url><loc>{escape(site + section.location(row))}"
            f"</loc><lastmod>{section.lastmod(row).isoformat(timespec='seconds')}"
            "</lastmod></url>\n"
            for row in rows
        )
    lines.append("</urlset>\n")
    return "".join(lines)
