"""Serve the built book on 127.0.0.1 as a static host would: gzip for text.

Used by the browser tests (tests/test_browser.py) and the Lighthouse test
(tests/test_lighthouse.py), so what they measure is what a reader on a
static host (GitHub Pages, Netlify, ...) downloads.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# What static hosts compress: text, never images or fonts already compressed.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class _GzipHandler(SimpleHTTPRequestHandler):
    """Files from ``directory``; text gzipped when the client accepts it."""

    def __init__(self, *args: Any, cache: dict[tuple[str, float], bytes], **kwargs: Any) -> None:
        self._cache = cache
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and wants_gzip and ctype.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        key = (str(path), path.stat().st_mtime)
        if key not in self._cache:
            self._cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self._cache[key]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser closing a connection early is not a test failure


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) from a thread; yields
    the base URL, e.g. ``http://127.0.0.1:41234``."""
    handler = functools.partial(_GzipHandler, directory=str(directory), cache={})
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
