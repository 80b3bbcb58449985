"""Crash injection for the fault tests: GOVREPORTS_CRASH_AFTER names a step (glob patterns
allowed: `indicators:2021`, `temp:datasets/indicators/*`) at which the process dies at once,
as a killed worker would (no cleanup, no finally blocks)."""

from __future__ import annotations

import fnmatch
import os


def crash_point(step: str) -> None:
    want = os.environ.get("GOVREPORTS_CRASH_AFTER")
    if want and fnmatch.fnmatchcase(step, want):
        os._exit(75)
