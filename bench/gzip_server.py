"""A static file server that compresses text with gzip, as any static host does.

Lighthouse judges a site as it is served: without compression it measures a host nobody uses.
``python bench/gzip_server.py SITE_DIR --port 8000`` serves SITE_DIR on 127.0.0.1; HTML, CSS,
JavaScript, JSON, SVG and XML go out gzip-compressed (level 6) to clients that accept it, with
``Content-Length`` and ``Vary: Accept-Encoding``. Nothing else: no caching headers, no HTTP/2.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import socketserver
import threading
from pathlib import Path

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler whose text responses are gzip-compressed when accepted."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> io.BytesIO | None:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # type: ignore[return-value]
            path = path / "index.html"
        kind = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not accepts or not kind.startswith(COMPRESSIBLE):
            return super().send_head()  # type: ignore[return-value]
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve(folder: Path, port: int = 0) -> tuple[str, socketserver.TCPServer]:
    """Serve ``folder`` on 127.0.0.1 in a background thread; returns its address and server."""
    handler = functools.partial(GzipHandler, directory=str(folder))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="the built site")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    url, server = serve(args.folder, args.port)
    print(f"serving {args.folder} with gzip on {url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
