"""
What link previews and search engines read of a page: its description,
canonical address, OpenGraph and Twitter card tags and, on posts and the home
page, JSON-LD. base.html gives every page the site's own; the post page and
the lists say more. All are drawn by templates/blog/_sharing_meta.html.

Every address starts with settings.BLOG_SITE_URL, never the request's host.
Times are ISO 8601 to the second: HTML's validator refuses microseconds in
datetimes, and the JSON-LD says the same as the tags.
"""

import json
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import to_locale

from ..addresses import absolute
from ..fragments import FRAGMENT_SECONDS

register = template.Library()

TEMPLATE = "blog/_sharing_meta.html"
# About what search engines show of a description.
DESCRIPTION_LENGTH = 160
# As django.utils.html.json_script escapes: "</script>" or "<!--" in a title
# would otherwise end the script element, or change how the browser reads it.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def site_sharing_meta(context):
    """base.html's: the site's name and tagline, for pages that say no more."""
    return render_to_string(TEMPLATE, page_meta(context.get("request")))


@register.simple_tag(takes_context=True)
def list_sharing_meta(context):
    """A list of posts (blog/post_list.html), named from its context."""
    request = context.get("request")
    page_obj = context.get("page_obj")
    number = page_obj.number if page_obj else 1
    title = context.get("title")
    meta = page_meta(
        request,
        title=title or settings.BLOG_SITE_NAME,
        description=truncated(list_description(context)),
        # Page 1 is the list's own address; ?page=1 is the same page.
        url=page_url(request, q=context.get("query"), page=number if number > 1 else 0),
    )
    if not title and number == 1:
        meta["json_ld"] = json_ld(website_data())
    return render_to_string(TEMPLATE, meta)


@register.simple_tag
def post_sharing_meta(post):
    """
    A post page's (or a standalone page's). The same for every reader, so
    cached as its article is (blog.fragments): the post's version is raised by
    every change to what these show of it. The site's address is in the key,
    as it is in every link.
    """
    key = f"{post.cache_key('sharing-meta')}:{settings.BLOG_SITE_URL}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, post_meta(post))
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)


def page_meta(request, **meta):
    """The tags every page has, with `meta` in place of the site's own."""
    meta = {
        "site_name": settings.BLOG_SITE_NAME,
        "locale": to_locale(settings.LANGUAGE_CODE),
        "type": "website",
        "title": settings.BLOG_SITE_NAME,
        "description": truncated(settings.BLOG_SITE_TAGLINE),
        "url": page_url(request),
        **meta,
    }
    meta.setdefault("canonical", meta["url"])
    return meta


def post_meta(post):
    url = absolute(post.get_absolute_url())
    description = truncated(post.summary) or truncated(settings.BLOG_SITE_TAGLINE)
    image = featured_image(post)
    if post.is_page:
        # Not an article: no date, author or filing that previews would show.
        meta = {"title": post.title, "description": description, "image": image}
        return page_meta(None, url=url, **meta)

    # Fetched already when the article was rendered in this request.
    prefetch_related_objects([post], "categories", "tags")
    author_url = ""
    if post.author.is_active:  # only active accounts have an archive
        author_url = absolute(
            reverse("blog:author-archive", kwargs={"username": post.author.username})
        )
    categories = [category.name for category in post.categories.all()]
    tags = [tag.name for tag in post.tags.all()]
    article = {
        "published_time": iso_time(post.published_at),
        # A post scheduled when it was last saved is newer than that save.
        "modified_time": iso_time(max(post.updated_at, post.published_at)),
        "author": author_url or post.author.public_name,
        "section": categories[0] if categories else "",
        "tags": tags,
    }

    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article["published_time"],
        "dateModified": article["modified_time"],
        "author": {"@type": "Person", "name": post.author.public_name},
        "publisher": site_organization(),
    }
    if author_url:
        data["author"]["url"] = author_url
    if image:
        data["image"] = {"@type": "ImageObject", "url": image["url"]}
        if image["width"] and image["height"]:
            data["image"] |= {"width": image["width"], "height": image["height"]}
    if categories:
        data["articleSection"] = categories
    if tags:
        data["keywords"] = tags
    if post.first_appeared_in:
        data["isBasedOn"] = original_data(post)
        data["creditText"] = post.provenance

    return page_meta(
        None,
        type="article",
        title=post.title,
        description=description,
        url=url,
        # A post written for someone else names their page as the original.
        canonical=post.first_appeared_url or url,
        image=image,
        article=article,
        json_ld=json_ld(data),
    )


def original_data(post):
    """The article the post republishes, where it first appeared."""
    publication = post.first_appeared_in
    publisher = {"@type": "Organization", "name": publication.name}
    if publication.website:
        publisher["url"] = publication.website
    original = {"@type": "Article", "publisher": publisher}
    if post.first_appeared_url:
        original["url"] = post.first_appeared_url
    if post.first_appeared_on:
        original["datePublished"] = post.first_appeared_on.isoformat()
    return original


def list_description(context):
    """A list's category description or author's bio, else a sentence naming it."""
    if category := context.get("category"):
        return category.description or f"Posts filed under {category.name}."
    if author := context.get("author"):
        return author.bio or f"Posts by {author.public_name}."
    if publication := context.get("publication"):
        return f"Posts that first appeared in {publication.name_in_sentence}."
    # The date the month and year archives give their template.
    if month := context.get("month"):
        return f"Posts from {date_format(month, 'F Y')}."
    if year := context.get("year"):
        return f"Posts from {date_format(year, 'Y')}."
    if title := context.get("title"):
        return f"{title}."
    return settings.BLOG_SITE_TAGLINE


def website_data():
    search_url = absolute(reverse("blog:post-search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.BLOG_SITE_NAME,
        "description": settings.BLOG_SITE_TAGLINE,
        "url": absolute(reverse("blog:post-list")),
        "publisher": site_organization(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{search_url}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def site_organization():
    return {
        "@type": "Organization",
        "name": settings.BLOG_SITE_NAME,
        "url": absolute(reverse("blog:post-list")),
    }


def featured_image(post):
    """The post's featured image as previews show it; None without one."""
    image = post.featured_image
    if not image and not post.featured_image_url:
        return None
    # The size blog.images stored when the post was saved, so that no file
    # is read; unknown for a post whose renditions are not made yet.
    return {
        "url": absolute(image.url if image else post.featured_image_url),
        "width": post.featured_image_width,
        "height": post.featured_image_height,
        "alt": post.featured_image_alt,
    }


def page_url(request, **query):
    """The page's own address, with only the parameters given (and set)."""
    if request is None:  # a page Django renders without one (a CSRF failure)
        return ""
    url = settings.BLOG_SITE_URL + escape_uri_path(request.path)
    query = {name: value for name, value in query.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


def iso_time(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def truncated(text, length=DESCRIPTION_LENGTH):
    """`text` on one line, cut at a word to at most `length` characters."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:–—-") + "…"


def json_ld(data):
    return mark_safe(json.dumps(data).translate(JSON_SCRIPT_ESCAPES))
