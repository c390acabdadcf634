from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Post


class LatestPostsFeed(Feed):
    """
    The latest posts. Every address in it is built from BLOG_SITE_URL:
    Django's default, the request's Host header, would let a request to
    another allowed host or port decide the links that readers store.
    """

    description_template = "blog/feed_description.html"
    item_count = 20
    url_name = "blog:post-feed"

    def title(self):
        return settings.BLOG_SITE_NAME

    def description(self):
        return settings.BLOG_SITE_TAGLINE

    def link(self):
        return settings.BLOG_SITE_URL + reverse("blog:post-list")

    def feed_url(self):
        return settings.BLOG_SITE_URL + reverse(self.url_name)

    def item_link(self, post):
        return settings.BLOG_SITE_URL + post.get_absolute_url()

    def items(self):
        return Post.objects.published().select_related("author")[: self.item_count]

    def item_title(self, post):
        return post.title

    def item_author_name(self, post):
        return post.author.public_name

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
    url_name = "blog:post-feed-atom"
    subtitle = LatestPostsFeed.description
