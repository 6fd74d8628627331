"""Noto Sans Malayalam as TrueType files that fpdf2 and HarfBuzz can read.

The font comes from npm (`@fontsource/noto-sans-malayalam`, installed at set-up, never
committed). Fontsource ships it as WOFF files split by unicode range: one file for the
Malayalam block, one for basic Latin and one for Latin Extended, per weight. PDF embedding
wants plain TrueType (sfnt), so each WOFF file is unwrapped once with fontTools into
`VAR_DIR/fonts/` and read from there afterwards.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont

# The unicode-range subsets fontsource publishes, in the order a fallback search should try
# them: most text on a certificate is Latin or Malayalam, Latin Extended is rare.
SUBSETS = ("latin", "malayalam", "latin-ext")
# Regular and Bold, as fpdf2 names the styles.
WEIGHTS = {"": 400, "B": 700}


@dataclass(frozen=True)
class FontFile:
    """One TrueType file and the fpdf2 family and style it is registered under."""

    family: str
    style: str
    path: Path


def source_dir() -> Path:
    return Path(settings.NODE_MODULES) / "@fontsource" / "noto-sans-malayalam" / "files"


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "fonts"


def family_name(subset: str) -> str:
    """fpdf2 family key for a subset; fpdf2 lower-cases and strips these, so keep them plain."""
    return "noto-" + subset


def ttf_path(subset: str, weight: int) -> Path:
    """The cached TrueType file for one subset and weight, converting the WOFF file if needed.

    The cache file name carries a digest of the WOFF bytes, so an upgraded npm package gets
    converted afresh instead of silently reusing the old glyphs. Raises FileNotFoundError
    when the npm package is not installed (`make setup` installs it).
    """
    source = source_dir() / f"noto-sans-malayalam-{subset}-{weight}-normal.woff"
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    target = cache_dir() / f"{source.stem}-{digest}.ttf"
    if not target.exists():
        _convert(source, target)
    return target


def _convert(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    font = TTFont(source)
    font.flavor = None  # drop the WOFF wrapper: the tables are saved as a plain sfnt
    # Write next to the target and rename: the rename is atomic on one file system, so a
    # second process converting at the same moment, or a reader, never sees half a font.
    # Both writers produce the same bytes, so whichever rename lands last is fine.
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            font.save(tmp)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)  # mkstemp creates 0600; the web and worker users both read it
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def font_faces() -> tuple[FontFile, ...]:
    """Every subset in both weights, converted and ready for `FPDF.add_font`."""
    return tuple(
        FontFile(family=family_name(subset), style=style, path=ttf_path(subset, weight))
        for subset in SUBSETS
        for style, weight in WEIGHTS.items()
    )
