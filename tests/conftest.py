"""Shared fixtures: where the read-only shared corpus lives, and skipping cleanly without it."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("CONFLICT_TRENDS_SHARED", ROOT.parent / "shared"))


def shared_path(relative: str) -> Path:
    """Return a path inside ../shared, or skip the calling test with a clear message."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared corpus not found: {path} (place the shared folder beside the project)")
    return path


@pytest.fixture
def shared():
    return shared_path
