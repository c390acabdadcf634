import io
import json
from pathlib import Path

import pytest

from bench import data as benchdata
from bench import wxr as benchwxr
from bench.importing import main
from bench.run import BenchError
from blog.wordpress import wxr

# Made with the reference generator: `thread.py 50 42 > thread-50-seed-42.json`.
REFERENCE = Path(__file__).parent / "data" / "thread-50-seed-42.json"


def items_of(path, post_type):
    return [
        record
        for record in wxr.read(path)
        if isinstance(record, wxr.Item) and record.post_type == post_type
    ]


def shape(comments):
    """Each comment's parent as its place in the list, None at the top."""
    places = {comment.wordpress_id: place for place, comment in enumerate(comments)}
    return [places.get(comment.parent_id) for comment in comments]


def generator_shape(rows):
    places = {row["id"]: place for place, row in enumerate(rows)}
    return [places.get(row["parent"]) for row in rows]


@pytest.mark.django_db(transaction=True)
def test_import_bench_imports_the_export_twice_and_the_second_changes_nothing(
    tmp_path,
):
    output = tmp_path / "results.json"
    stdout = io.StringIO()

    main(
        ["--posts", "100", "--comments", "500", "--keep-file", "--output", str(output)],
        stdout=stdout,
    )

    results = json.loads(output.read_text())
    kept = Path(results["export"]["path"])
    try:
        posts, pages = items_of(kept, "post"), items_of(kept, "page")
    finally:
        kept.unlink()
    first, second = results["imports"]
    assert first["summary"]["posts"] == {"created": 100}
    assert first["summary"]["pages"] == {"created": 2}
    assert first["summary"]["comments"] == {"created": 500}
    assert second["summary"]["posts"] == {"unchanged": 100}
    assert second["summary"]["comments"] == {"unchanged": 500}
    assert second["changed"] == []
    assert results["database"] == {
        "posts": 100,
        "drafts": 1,
        "pages": 2,
        "comments": 500,
        "pending_comments": 5,
    }
    assert (len(posts), len(pages)) == (100, 2)
    assert sum(len(item.comments) for item in posts) == 500
    printed = stdout.getvalue()
    for row in (first, second):
        assert row["seconds"] > 0 and row["peak_mb"] > 0
        assert f"{row['seconds']:.2f} {row['peak_mb']:>8.1f}" in printed
    assert "unchanged ok" in printed
    assert "as in the file, ok" in printed


def test_export_gives_each_post_the_generators_thread_with_ids_unique_in_the_file(
    tmp_path,
):
    path = tmp_path / "export.xml"

    contents = benchwxr.write_export(path, posts=3, comments=32)

    posts = items_of(path, "post")
    assert [len(item.comments) for item in posts] == [11, 11, 10]
    for number, item in enumerate(posts, 1):
        rows = benchdata.generate_thread(len(item.comments), seed=number)
        assert shape(item.comments) == generator_shape(rows)
        assert [comment.content for comment in item.comments[:1]] == [rows[0]["body"]]
    ids = [comment.wordpress_id for item in posts for comment in item.comments]
    assert sorted(ids) == list(range(1, 33))
    assert contents.comments == 32


def test_export_has_authors_nested_categories_and_tags(tmp_path):
    path = tmp_path / "export.xml"

    benchwxr.write_export(path, posts=1, comments=0)

    records = list(wxr.read(path))
    terms = [record for record in records if isinstance(record, wxr.Term)]
    categories = {term.slug: term for term in terms if term.taxonomy == "category"}
    assert len([r for r in records if isinstance(r, wxr.Author)]) == 5
    assert len(categories) == 20
    assert categories["news-budget"].parent_slug == "news"
    assert len([term for term in terms if term.taxonomy == "post_tag"]) == 50


def test_export_with_a_thread_file_gives_every_post_that_thread(tmp_path):
    path = tmp_path / "export.xml"
    rows = benchdata.read_thread(REFERENCE)

    contents = benchwxr.write_export(path, posts=2, comments=0, thread=rows)

    posts = items_of(path, "post")
    assert [shape(item.comments) for item in posts] == [generator_shape(rows)] * 2
    assert contents.comments == 100


def test_import_bench_refuses_comments_beside_a_thread():
    with pytest.raises(BenchError, match="exclude each other"):
        main(["--thread", str(REFERENCE), "--comments", "10"])
