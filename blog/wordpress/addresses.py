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
        self.wanted = {}  # path → {"post": …} or {"category": …} or {"tag": …}

    def add(self, path, **target):
        """
        Send requests for `path` on to the post, page, category or tag given,
        unless it is the thing's address here already.
        """
        address = OldAddress(path=path[:500], **target)
        if path in ("", "/") or path == unquote(address.target_url()):
            return
        self.wanted[address.path] = target

    def save(self):
        paths = list(self.wanted)
        created, changed = [], []
        for start in range(0, len(paths), BATCH_SIZE):
            batch = paths[start : start + BATCH_SIZE]
            existing = OldAddress.objects.in_bulk(batch, field_name="path")
            for path in batch:
                ((name, target),) = self.wanted[path].items()
                address = existing.get(path)
                if address is None:
                    created.append(OldAddress(path=path, **{name: target}))
                    self.report.count("old addresses", "created")
                elif getattr(address, f"{name}_id") != target.pk or not all(
                    getattr(address, f"{other}_id") is None
                    for other in ("post", "category", "tag")
                    if other != name
                ):
                    address.post = address.category = address.tag = None
                    setattr(address, name, target)
                    changed.append(address)
                    self.report.count("old addresses", "updated")
                else:
                    self.report.count("old addresses", "unchanged")
        OldAddress.objects.bulk_create(created, batch_size=BATCH_SIZE)
        OldAddress.objects.bulk_update(
            changed, ["post", "category", "tag"], batch_size=BATCH_SIZE
        )
