"""
manage.py import_wordpress export.xml: a WordPress site's posts, pages,
authors, categories, tags and comments, from its export file (WXR).

Here rather than in blog because it brings both apps' records: the blog's
posts (blog.wordpress) and, record by record, their comments
(comments.wordpress).
"""

import os
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from tqdm import tqdm

from blog.wordpress import wxr
from blog.wordpress.importing import SiteImport
from blog.wordpress.report import ImportReport

from ...wordpress.importing import CommentImport


class Command(BaseCommand):
    help = (
        "Import a WordPress export file (Tools → Export, WXR): posts, pages, "
        "authors, categories, tags and comments. Importing it again changes "
        "nothing; a newer export of the same site updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export file (WXR 1.0 to 1.2)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would be imported, and change nothing",
        )
        parser.add_argument(
            "--with-pings",
            action="store_true",
            help="import pingbacks and trackbacks, marked as such",
        )
        parser.add_argument(
            "--media-dir",
            help="a copy of the site's wp-content/uploads folder, to take "
            "featured images and linked files from",
        )

    def handle(self, *args, file, dry_run, with_pings, media_dir, **options):
        if media_dir and not os.path.isdir(media_dir):
            raise CommandError(f"--media-dir {media_dir} is not a folder.")
        try:
            source = open(file, "rb")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        report = ImportReport()
        cleaned = wxr.CleanedSource(source)
        with source, self.progress(source, options["verbosity"]) as progress:
            try:
                with transaction.atomic():
                    self.import_records(
                        cleaned,
                        progress,
                        report=report,
                        with_pings=with_pings,
                        media_dir=media_dir,
                        is_dry_run=dry_run,
                    )
                    if dry_run:
                        transaction.set_rollback(True)
            except wxr.WXRError as error:
                raise CommandError(f"{file}: {error} Nothing was imported.") from None
        if cleaned.removed:
            report.messages.append(
                f"{cleaned.removed} control character(s), which XML does not "
                "allow, were left out of the text."
            )
        if cleaned.replaced:
            report.messages.append(
                f"{cleaned.replaced} byte(s) that were not UTF-8 were shown as �."
            )
        self.print_report(report, dry_run=dry_run)

    def import_records(self, source, progress, *, report, **options):
        site_import = comment_import = None
        record = None
        try:
            for record in wxr.read(source):
                if isinstance(record, wxr.Site):
                    site_import = SiteImport(
                        record,
                        report=report,
                        media_dir=options["media_dir"],
                        is_dry_run=options["is_dry_run"],
                    )
                    comment_import = CommentImport(
                        report=report,
                        accounts_by_id=site_import.authors.by_id,
                        with_pings=options["with_pings"],
                    )
                elif isinstance(record, wxr.Author):
                    site_import.authors.add(record)
                elif isinstance(record, wxr.Term):
                    site_import.filing.add(record)
                else:
                    post = site_import.add_item(record)
                    if post is not None:
                        comment_import.add(post, record)
                progress.update(source.tell() - progress.n)
            record = None
            comment_import.finish()
            site_import.finish()
        except (DatabaseError, ValueError) as error:
            # A record the checks above let through and the database refused.
            where = getattr(record, "label", None) or "After the last record"
            raise wxr.WXRError(f"{where}: {error}.") from None

    def progress(self, source, verbosity):
        size = os.fstat(source.fileno()).st_size
        columns, lines = shutil.get_terminal_size()
        return tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc="Importing",
            file=sys.stderr,
            # A terminal that does not say its size (a bare pty, some CI
            # runners) counts as 80×24: tqdm would take 0×0 and draw nothing.
            ncols=columns,
            nrows=lines,
            disable=verbosity == 0 or not sys.stderr.isatty(),
        )

    def print_report(self, report, *, dry_run):
        for message in report.messages:
            self.stdout.write(self.style.WARNING(message))
        heading = "Would import (dry run, nothing changed):" if dry_run else "Imported:"
        self.stdout.write(heading)
        for line in report.summary() or ["nothing"]:
            self.stdout.write(f"  {line}")
