"""Runs Ralph's LRS app (the Statement API) on 127.0.0.1 with its file-system backend set to
append: Ralph 5.1.0's FS backend writes with the CREATE operation by default, which answers 500
("already exists and overwrite is not allowed") to every POST after the first. Started by the
tests' fixture in its own process: ``python tests/ralph_server.py PORT``; configured through
Ralph's own RALPH_* environment variables (auth file, backend, data folder)."""

from __future__ import annotations

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402  (after the backend is set to append)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
