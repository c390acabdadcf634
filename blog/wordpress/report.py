"""What an import did, per kind of record, and what it has to tell."""

from collections import Counter, defaultdict

OUTCOMES = ["created", "updated", "unchanged", "skipped", "reported"]
# The order the summary gives them in; other kinds (skipped post types) follow.
KINDS = ["authors", "categories", "tags", "posts", "pages", "comments", "images"]


class ImportReport:
    def __init__(self):
        self.counts = defaultdict(Counter)
        self.messages = []

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def note(self, kind, message):
        """Something the person importing should know, about a named record."""
        self.counts[kind]["reported"] += 1
        self.messages.append(message)

    def summary(self):
        """One line per kind: "posts: 12 created, 3 updated, 1 reported"."""
        lines = []
        kinds = sorted(
            self.counts,
            key=lambda kind: (
                kind not in KINDS,
                KINDS.index(kind) if kind in KINDS else 0,
            ),
        )
        for kind in kinds:
            counts = self.counts[kind]
            figures = ", ".join(
                f"{counts[outcome]} {outcome}"
                for outcome in OUTCOMES
                if counts[outcome]
            )
            lines.append(f"{kind}: {figures}")
        return lines
