"""Reading WordPress export files record by record (blog.wordpress.wxr)."""

import tracemalloc
from pathlib import Path

from blog.wordpress import wxr

SITE_FILE = Path(__file__).parents[1] / "comments" / "data" / "wordpress-site.xml"

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Big</title><link>https://big.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
"""
ITEM = """<item><title>Post {number}</title><dc:creator>alice</dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{number}</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status>
<wp:comment><wp:comment_id>{number}</wp:comment_id>
<wp:comment_content><![CDATA[{body}]]></wp:comment_content></wp:comment>
</item>
"""


def test_the_records_come_in_the_files_order_with_their_fields():
    records = list(wxr.read(SITE_FILE))
    site = records[0]
    assert (site.title, site.wxr_version, site.key) == (
        "The Old Blog",
        "1.2",
        "oldblog.example.org",
    )
    kinds = [type(record).__name__ for record in records[1:]]
    assert kinds == ["Author"] * 2 + ["Term"] * 6 + ["Item"] * 17
    first = next(r for r in records if getattr(r, "wordpress_id", None) == 101)
    assert first.post_type == "post"
    assert first.is_sticky
    assert first.meta["_thumbnail_id"] == "301"
    assert ("post_tag", "sch%c3%bcler", "Schüler") in first.terms
    assert len(first.comments) == 18
    assert first.comments[15].parent_id == 1
    assert first.date.isoformat() == "2016-01-28T12:00:00+00:00"


def test_a_site_moved_to_https_keeps_its_key():
    assert wxr.Site(base_blog_url="http://Example.org/blog/").key == (
        wxr.Site(base_blog_url="https://example.org/blog").key
    )


def test_a_large_file_is_read_in_the_memory_of_one_item(tmp_path):
    """
    A 25 MB export read through: the parser keeps only the item at hand, so
    the memory it needs stays that of a few items, not of the file.
    """
    path = tmp_path / "big.xml"
    body = "A paragraph of text. " * 400  # 8 KB
    with path.open("w") as file:
        file.write(HEAD)
        for number in range(1, 1501):
            file.write(ITEM.format(number=number, body=body))
        file.write("</channel></rss>\n")
    assert path.stat().st_size > 24_000_000
    tracemalloc.start()
    try:
        items = sum(1 for record in wxr.read(path) if isinstance(record, wxr.Item))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert items == 1500
    assert peak < 2_000_000
