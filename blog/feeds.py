from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Post


class LatestPostsFeed(Feed):
    description_template = "blog/feed_description.html"
    item_count = 20

    def title(self):
        return settings.BLOG_SITE_NAME

    def description(self):
        return settings.BLOG_SITE_TAGLINE

    def link(self):
        return reverse("blog:post-list")

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
    subtitle = LatestPostsFeed.description
