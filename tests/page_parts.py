"""The parts of a page that tests read."""

import feedparser


def main_content(response):
    """
    The page's own content, without the header and footer every page
    repeats (their menu and lists of recent posts name other posts).
    """
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# What the menu and the footer's lists cost on a page rendered while they are
# not cached (blog.navigation, comments.recent): the menu's entries, pages
# and categories; recent posts, categories, months, tags, recent comments.
NAVIGATION_QUERIES = 8


def parsed_feed(client, url):
    """The feed at `url`, as a feed reader reads it, checked to be well formed."""
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed
