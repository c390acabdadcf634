"""The parts of a page that tests read."""


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
