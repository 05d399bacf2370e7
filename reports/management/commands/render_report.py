"""render_report SLUG --out FILE.pdf: the inspection report as PDF (the interface contract, "Reports")."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.models import Inspection
from reports.pdf import page_count
from reports.publishing import TamperedPublication, verify
from reports.rendering import render_report_pdf


class Command(BaseCommand):
    help = (
        "Render the inspection report to PDF: marked DRAFT on every page unless the report is published; "
        "a published report renders its frozen snapshot (the latest published version)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="the inspection's slug")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument(
            "--stored",
            action="store_true",
            help="for a published report, write the PDF bytes stored when it was published instead of rendering",
        )
        parser.add_argument(
            "--draft", action="store_true", help="render the live data as a draft even if a version is published"
        )

    def handle(self, *args, slug: str, out: str, stored: bool, draft: bool, **options) -> None:
        inspection = Inspection.objects.select_related("area", "framework").filter(slug=slug).first()
        if inspection is None:
            raise CommandError(f"{slug}: there is no inspection with this slug", returncode=2)
        path = Path(out)
        # Refuse an unwritable destination before spending seconds on the rendering.
        problem = _unwritable(path)
        if problem:
            raise CommandError(f"{out}: {problem}", returncode=2)
        published = None if draft else inspection.published_reports.order_by("-version").first()
        if stored and published is None:
            raise CommandError(f"{slug}: the report is not published, so there is no stored PDF", returncode=2)
        started = time.monotonic()
        verified = None
        if published is not None:
            # Every use of a published version checks its PDF and snapshot against the recorded hashes.
            try:
                verified = verify(published)
            except TamperedPublication as error:
                raise CommandError(str(error), returncode=3) from None
        if verified is not None and stored:
            pdf = verified.pdf
            pages = page_count(pdf)
        else:
            # A published version renders its frozen snapshot (never DRAFT); otherwise the live draft.
            pdf, pages = render_report_pdf(inspection, snapshot=verified.snapshot if verified else None)
        _write(path, pdf)
        state = f"published version {published.version}" if published else "DRAFT"
        self.stdout.write(f"{out}: {pages} pages, {state}, {len(pdf) // 1024} KB in {time.monotonic() - started:.1f} s")


def _unwritable(path: Path) -> str:
    if path.is_dir():
        return "is a directory"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"the folder {folder} does not exist"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "cannot be written (permission denied)"
    return ""


def _write(path: Path, pdf: bytes) -> None:
    """Write through a temporary file so a failure never leaves half a PDF behind."""
    folder = path.parent if str(path.parent) else Path(".")
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(pdf)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a report is an ordinary file
        os.replace(temporary, path)
    except OSError as error:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
        raise CommandError(f"{path}: cannot be written ({error.strerror or error})", returncode=2) from error
