"""The addresses an imported site had, sent on to what now stands there."""

from urllib.parse import unquote

from ..models import OldAddress

BATCH_SIZE = 500


class OldAddresses:
    """
    The old addresses an import finds, saved together at its end: 2,110 for
    1,000 posts took 2.1 s saved one by one (bench/importing.py), and were
    written again on every import of the same file.
    """

    def __init__(self, *, report):
        self.report = report
        # path → ("post_id", pk), ("category_id", pk) or ("tag_id", pk): ids,
        # not the posts, whose bodies would fill the memory of a large import.
        self.wanted = {}

    def add(self, path, **target):
        """
        Send requests for `path` on to the post, page, category or tag given,
        unless it is the thing's address here already.
        """
        address = OldAddress(path=path[:500], **target)
        if path in ("", "/") or path == unquote(address.target_url()):
            return
        ((name, target),) = target.items()
        self.wanted[address.path] = (f"{name}_id", target.pk)

    def save(self):
        paths = list(self.wanted)
        created, changed = [], []
        for start in range(0, len(paths), BATCH_SIZE):
            batch = paths[start : start + BATCH_SIZE]
            existing = OldAddress.objects.in_bulk(batch, field_name="path")
            for path in batch:
                name, pk = self.wanted[path]
                address = existing.get(path)
                targets = {"post_id": None, "category_id": None, "tag_id": None}
                targets[name] = pk
                if address is None:
                    created.append(OldAddress(path=path, **targets))
                    self.report.count("old addresses", "created")
                elif any(getattr(address, key) != targets[key] for key in targets):
                    for key, value in targets.items():
                        setattr(address, key, value)
                    changed.append(address)
                    self.report.count("old addresses", "updated")
                else:
                    self.report.count("old addresses", "unchanged")
        OldAddress.objects.bulk_create(created, batch_size=BATCH_SIZE)
        OldAddress.objects.bulk_update(
            changed, ["post", "category", "tag"], batch_size=BATCH_SIZE
        )
