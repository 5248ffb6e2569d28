"""Logging to a rotating file in the user's data folder, so a crash report has something to show."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from designer.io.resources import user_data_dir

LOG_NAME = "dc-designer.log"
MAX_LOG_BYTES = 1_000_000
LOG_BACKUPS = 5
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s]: %(message)s"


def log_path() -> Path:
    """``user_data_dir()/logs/dc-designer.log``."""
    return user_data_dir() / "logs" / LOG_NAME


class _OurFileHandler(RotatingFileHandler):
    """Marks the handler configure_logging added, so calling it twice does not log twice."""


def configure_logging(level: int = logging.INFO) -> Path:
    """Send the root logger to a rotating file (1 MB x 5) and Python warnings with it; returns the log's path.

    When the folder cannot be written, logging goes to stderr instead and the app still starts.
    """
    path = log_path()
    root = logging.getLogger()
    root.setLevel(min(root.level, level) if root.level != logging.NOTSET else level)
    for old in list(root.handlers):
        if isinstance(old, _OurFileHandler):
            root.removeHandler(old)
            old.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _OurFileHandler(
            path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
        )
    except OSError as error:
        print(f"dc-designer: cannot write the log {path}: {error}; logging to stderr", file=sys.stderr)
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    logging.captureWarnings(True)
    from designer import __version__

    logging.getLogger("designer").info("DC Designer %s started (Python %s)", __version__, sys.version.split()[0])
    return path
