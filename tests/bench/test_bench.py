import json
from pathlib import Path

import pytest

from bench import data as benchdata
from bench.run import BenchError, main
from blog.models import Post
from comments.models import Comment
from tests import builders
from tests.builders import comment_count

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
# Made with the reference generator: `thread.py 50 42 > thread-50-seed-42.json`.
REFERENCE = DATA / "thread-50-seed-42.json"


def tree_of(post):
    """Each comment's place in the tree, with tree ids counted from the first."""
    rows = list(
        Comment.objects.filter(post=post)
        .order_by("tree_id", "lft")
        .values_list("pk", "parent_id", "tree_id", "lft", "rght", "level")
    )
    first = rows[0][2]
    return [
        (pk, parent, tree - first, lft, rght, lv)
        for pk, parent, tree, lft, rght, lv in rows
    ]


def test_generator_reproduces_the_reference_thread_exactly():
    rows = benchdata.generate_thread(50, seed=42)

    assert json.dumps(rows, ensure_ascii=False) == REFERENCE.read_text()


def test_generator_gives_the_same_thread_for_a_seed_and_another_for_another():
    assert benchdata.generate_thread(300, seed=7) == benchdata.generate_thread(
        300, seed=7
    )
    assert benchdata.generate_thread(300, seed=7) != benchdata.generate_thread(
        300, seed=8
    )


def test_generator_shape_is_a_tenth_top_level_up_to_8_deep_with_15_to_120_words():
    rows = benchdata.generate_thread(3000, seed=1)
    depth = {row["id"]: row["depth"] for row in rows}

    top_level = sum(row["parent"] is None for row in rows) / len(rows)
    words = [len(row["body"].split()) for row in rows]
    assert 0.07 < top_level < 0.13
    assert max(depth.values()) == 8
    assert min(words) == 15 and max(words) == 120
    for row in rows:
        if row["parent"] is not None:
            assert row["parent"] < row["id"]
            assert row["depth"] == depth[row["parent"]] + 1


def test_bulk_loaded_thread_is_the_tree_rebuild_makes():
    other = builders.make_post()
    Comment.objects.create(post=other, body="Already here.", status="approved")
    post = builders.make_post()
    benchdata.thread_bulk_create(post=post, rows=benchdata.generate_thread(400, seed=3))
    loaded = tree_of(post)

    Comment.objects.rebuild()

    assert tree_of(post) == loaded
    assert len(loaded) == 400


def test_bulk_loaded_thread_is_the_tree_saving_one_by_one_makes():
    rows = benchdata.generate_thread(80, seed=5)
    saved_post, bulk_post = builders.make_post(), builders.make_post()
    saved = {}
    for row in rows:
        saved[row["id"]] = Comment.objects.create(
            post=saved_post,
            parent=saved.get(row["parent"]),
            body=row["body"],
            status="approved",
        )

    benchdata.thread_bulk_create(post=bulk_post, rows=rows)

    def shape(post):
        return [
            (tree, lft, rght, level) for _, _, tree, lft, rght, level in tree_of(post)
        ]

    assert shape(bulk_post) == shape(saved_post)


def test_bulk_loaded_thread_keeps_pending_comments_and_counts_the_approved():
    post = builders.make_post()

    benchdata.thread_bulk_create(
        post=post, rows=benchdata.generate_thread(30, seed=2), pending=[4, 9]
    )

    assert comment_count(post) == 28
    assert Comment.objects.for_post(post).pending().count() == 2


def test_bench_refuses_a_thread_file_whose_reply_comes_before_its_parent(tmp_path):
    rows = benchdata.generate_thread(5, seed=1)
    rows[1]["parent"] = 5
    path = tmp_path / "thread.json"
    path.write_text(json.dumps(rows))

    with pytest.raises(BenchError, match="replies to 5, which does not come before"):
        main(["--thread", str(path), "--no-load"])


@pytest.mark.django_db(transaction=True)
def test_bench_measures_every_page_in_a_scratch_database(tmp_path, capsys, monkeypatch):
    # Pages of 5 threads, so that the 200-comment thread (about 20) is paged;
    # the benchmark's process reads the site's settings from the environment.
    monkeypatch.setenv("COMMENTS_PER_PAGE", "5")
    output = tmp_path / "results.json"

    main(["--quick", "--no-load", "--requests", "3", "--output", str(output)])

    results = json.loads(output.read_text())
    keys = {row["key"] for row in results["measurements"]}
    assert keys >= {
        "post-20-cold",
        "post-20-warm",
        "post-200-cold",
        "post-200-warm",
        "home",
        "category",
        "queue",
        "reply",
        "feed",
    }
    for row in results["measurements"]:
        assert row["requests"] == 3
        assert row["median_ms"] > 0 and row["queries"] > 0
        assert row["x_floor"] == round(row["median_ms"] / row["floor_ms"], 2)
    assert set(results["floors"]) == {"20", "200"}
    by_key = {row["key"]: row for row in results["measurements"]}
    assert by_key["post-20-cold"]["floor_ms"] == results["floors"]["20"]["median_ms"]
    # Pages other than a thread's are measured against the largest thread's.
    assert by_key["home"]["floor_ms"] == results["floors"]["200"]["median_ms"]
    assert by_key["post-200-cold"]["target_queries"] == 8
    assert by_key["post-200-warm"]["target_queries"] == 1
    # The largest thread in pages: its first and last, cold and warm; cold,
    # a page may read the threads' ids as well (unless the footer's links to
    # the latest comments, made first, have read them).
    for label in ("first", "last"):
        cold = by_key[f"post-200-paged-{label}-cold"]
        assert cold["target_queries"] == 9
        assert cold["queries"] <= by_key["post-200-cold"]["queries"] + 1
        assert by_key[f"post-200-paged-{label}-warm"]["queries"] == 1
    assert results["data_set"]["pending"] == 20
    assert results["environment"]["database"].startswith(("SQLite", "PostgreSQL"))
    printed = capsys.readouterr().out
    assert "median ms" in printed and "× floor" in printed
    # The site's own database was left alone.
    assert not Post.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_bench_measures_the_post_page_on_a_given_thread_file(tmp_path):
    output = tmp_path / "results.json"

    main(
        [
            "--thread",
            str(REFERENCE),
            "--posts",
            "30",
            "--queue-comments",
            "300",
            "--requests",
            "1",
            "--no-load",
            "--output",
            str(output),
        ]
    )

    results = json.loads(output.read_text())
    keys = {row["key"] for row in results["measurements"]}
    assert {"post-50-cold", "post-50-warm"} <= keys
    assert results["data_set"]["thread_file"] == str(REFERENCE)
