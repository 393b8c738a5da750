"""Reading a rendered PDF back with poppler's command-line tools (tests skip without them)."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from cope_desktop.reports.render_pdf import write_pdf


def render(document: Mapping[str, Any]) -> bytes:
    buffer = io.BytesIO()
    write_pdf(document, buffer)
    return buffer.getvalue()


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return found


def page_texts(data: bytes, tmp_path: Path, *, layout: bool = True) -> list[str]:
    """The text of each page; poppler writes narrow no-break spaces as plain spaces."""
    source = tmp_path / "report.pdf"
    source.write_bytes(data)
    options = ["-layout"] if layout else []
    result = subprocess.run(
        [tool("pdftotext"), *options, "-enc", "UTF-8", str(source), "-"],
        check=True,
        capture_output=True,
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return [page for page in pages if page.strip()]


def rendered_pages(data: bytes, tmp_path: Path) -> list[Path]:
    source = tmp_path / "pages.pdf"
    source.write_bytes(data)
    subprocess.run(
        [tool("pdftoppm"), "-png", "-r", "30", str(source), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    return sorted(tmp_path.glob("page*.png"))
