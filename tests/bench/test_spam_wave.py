"""The spam wave's comments: 500, of each kind as many as bench/README.md says."""

import random
from collections import Counter

from bench.spam_wave import wave


def test_the_wave_is_the_same_mix_on_every_run():
    posts = ["first", "second"]

    first = wave(random.Random(1), posts)
    again = wave(random.Random(1), posts)

    assert [c[0] for c in first] == [c[0] for c in again]
    assert len(first) == 500
    kinds = Counter(kind for kind, *_ in first)
    assert kinds["bot filling every field"] == 150
    assert kinds["banned range"] == 30
    assert all(
        address.startswith("203.0.113.")
        for kind, _, _, address, _ in first
        if kind == "banned range"
    )
    assert all(
        seconds < 2 for kind, *_, seconds in first if kind == "bot posting at once"
    )
