"""A real learning record store and a tiny LMS for the cmi5 and xAPI package tests.

Ralph (``ralph-malph``, France Université Numérique) is the LRS: its Statement API on
127.0.0.1, file-system backend set to append (tests/ralph_server.py), with one account, the
LMS's. Ralph has no State API, so the LMS below serves one.

The LMS (``Lms``) does what an LMS does for a cmi5 launch: it imports a package (the zip
unpacked, ``cmi5.xml`` validated against cmi5's CourseStructure.xsd), writes ``LMS.LaunchData``
into its State API, hands each launch a one-time ``fetch`` URL that answers one POST with the
session's auth token, serves the package's files, and forwards the statements the AU sends,
with the session's token checked, to Ralph under the LMS's own account. For an xAPI (Tin Can)
launch it passes ``auth`` in the query string as such LMSs do. The package never sees Ralph's
credentials.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import secrets
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .conftest import REPO, free_port

CMI5_XSD = REPO / "tests" / "standards" / "cmi5" / "CourseStructure.xsd"
CMI5_NS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
PUBLISHER = "https://lms.example.com/publisher/"
RALPH_USER = ("lms", secrets.token_hex(12))


@dataclass
class Ralph:
    """A running Ralph: its base URL and the LMS's account there."""

    url: str
    process: subprocess.Popen[bytes]

    def statements(self, **query: str) -> list[dict[str, Any]]:
        """Every statement matching ``query`` (xAPI GET parameters), oldest first."""
        import requests

        found: list[dict[str, Any]] = []
        params: dict[str, str] = {"limit": "500", **query}
        url = f"{self.url}/xAPI/statements"
        while url:
            response = requests.get(
                url,
                params=params,
                auth=RALPH_USER,
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=10,
            )
            response.raise_for_status()
            body = response.json()
            found += body["statements"]
            more = body.get("more")
            url, params = (urllib.parse.urljoin(self.url, more), {}) if more else ("", {})
        return sorted(found, key=lambda s: (s["timestamp"], s["stored"]))


def start_ralph(folder: Path) -> Ralph:
    """Ralph on a free port of 127.0.0.1, its data under ``folder``; waits until it answers."""
    import bcrypt
    import requests

    folder.mkdir(parents=True, exist_ok=True)
    hashed = bcrypt.hashpw(RALPH_USER[1].encode(), bcrypt.gensalt(4)).decode()
    account = {"username": RALPH_USER[0], "hash": hashed, "scopes": ["all"]}
    account["agent"] = {"mbox": "mailto:lms@example.com"}
    (folder / "auth.json").write_text(json.dumps([account]), "utf-8")
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(folder),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
    }
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "ralph_server.py"), str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "ralph.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((folder / "ralph.log").read_text("utf-8", "replace")[-2000:])
        try:
            if requests.get(f"{url}/__heartbeat__", timeout=1).status_code == 200:
                return Ralph(url, process)
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    process.kill()
    raise RuntimeError("Ralph did not start within 60 s")


def stop_ralph(ralph: Ralph) -> None:
    ralph.process.terminate()
    try:
        ralph.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        ralph.process.kill()


@dataclass
class Course:
    """A package imported by the LMS: where its files are and what its manifest says."""

    kind: str  # "cmi5" or "xapi"
    folder: Path
    url: str  # the AU's (the activity's) launch page, in the package
    activity: str
    mastery: float | None = None
    move_on: str | None = None


def import_package(zip_path: Path, folder: Path) -> Course:
    """Unpack a package and read its manifest; a cmi5.xml must be valid against the XSD."""
    import xml.etree.ElementTree as ET

    from lxml import etree

    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    if (folder / "cmi5.xml").is_file():
        schema = etree.XMLSchema(etree.parse(str(CMI5_XSD)))
        document = etree.parse(str(folder / "cmi5.xml"))
        schema.assertValid(document)
        au = ET.parse(folder / "cmi5.xml").getroot().find(f"{CMI5_NS}au")
        assert au is not None
        mastery = au.get("masteryScore")
        return Course(
            "cmi5",
            folder,
            au.findtext(f"{CMI5_NS}url", ""),
            au.get("id", ""),
            float(mastery) if mastery else None,
            au.get("moveOn"),
        )
    ns = "{http://projecttincan.com/tincan.xsd}"
    activity = ET.parse(folder / "tincan.xml").getroot().find(f"{ns}activities/{ns}activity")
    assert activity is not None
    return Course("xapi", folder, activity.findtext(f"{ns}launch", ""), activity.get("id", ""))


@dataclass
class Lms:
    """The LMS: packages by name, State API documents, sessions, and what happened."""

    ralph: Ralph
    courses: dict[str, Course] = field(default_factory=dict)
    state: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # fetch id -> auth token
    auths: set[str] = field(default_factory=set)  # Authorization values of live sessions
    fetches: list[str] = field(default_factory=list)  # every POST to a fetch URL
    refused: list[str] = field(default_factory=list)  # requests with a wrong Authorization
    statements_down: bool = False  # answer 503 to statements, as an LRS out of reach would
    url: str = ""

    def launch(
        self,
        name: str,
        learner: str,
        registration: str,
        mode: str = "Normal",
        drop: str = "",
    ) -> str:
        """A launch URL of package ``name`` for ``learner`` (a new session); ``drop`` leaves out
        one launch parameter, as a broken LMS link would."""
        course = self.courses[name]
        actor = {"objectType": "Agent", "name": learner, "mbox": f"mailto:{learner}@example.com"}
        session = str(uuid.uuid4())
        token = base64.b64encode(f"session-{session}:{secrets.token_hex(8)}".encode()).decode()
        activity = course.activity
        if course.kind == "cmi5":
            fetch_id = secrets.token_hex(8)
            self.tokens[fetch_id] = token
            data = {
                "contextTemplate": {
                    "contextActivities": {"grouping": [{"id": PUBLISHER + name}]},
                    "extensions": {SESSION_ID: session},
                },
                "launchMode": mode,
                "launchMethod": "AnyWindow",
                "moveOn": course.move_on,
                "returnURL": f"{self.url}/return?from={name}",
            }
            if course.mastery is not None:
                data["masteryScore"] = course.mastery
            key = (activity, _agent_key(actor), registration, "LMS.LaunchData")
            self.state[key] = json.dumps(data).encode()
            params = {
                "endpoint": f"{self.url}/lrs/",
                "fetch": f"{self.url}/fetch/{fetch_id}",
                "actor": json.dumps(actor),
                "registration": registration,
                "activityId": activity,
            }
        else:
            self.auths.add(f"Basic {token}")
            params = {
                "endpoint": f"{self.url}/lrs/",
                "auth": f"Basic {token}",
                "actor": json.dumps(actor),
                "registration": registration,
                "activity_id": activity,
            }
        params.pop(drop, None)
        return f"{self.url}/packages/{name}/{course.url}?{urllib.parse.urlencode(params)}"


def _agent_key(agent: dict[str, Any]) -> str:
    return str(agent.get("mbox", ""))


class _LmsHandler(http.server.BaseHTTPRequestHandler):
    lms: Lms

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") in self.lms.auths:
            return True
        self.lms.refused.append(f"{self.command} {self.path}")
        self._send(401, b'{"error": "unauthorised"}')
        return False

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path.startswith("/packages/"):
            return self._file(path)
        if path == "/return":
            return self._send(
                200,
                b"<!DOCTYPE html><title>LMS</title><h1>Back in the LMS</h1>",
                "text/html; charset=utf-8",
            )
        if path == "/lrs/activities/state" and self._authorised():
            found = self.lms.state.get(self._state_key(query))
            return self._send(200, found) if found is not None else self._send(404)
        if path == "/lrs/statements" and self._authorised():
            return self._forward("GET", query, b"")
        return None

    def do_POST(self) -> None:
        path, _, query = self.path.partition("?")
        body = self._body()
        if path.startswith("/fetch/"):
            fetch_id = path.rsplit("/", 1)[1]
            self.lms.fetches.append(fetch_id)
            token = self.lms.tokens.pop(fetch_id, None)
            if token is None:  # cmi5 8.2.3: 200, with an error code
                return self._send(200, b'{"error-code": "1", "error-text": "Already in use"}')
            self.lms.auths.add(f"Basic {token}")
            return self._send(200, json.dumps({"auth-token": token}).encode())
        if path == "/lrs/statements" and self._authorised():
            if self.lms.statements_down:
                return self._send(503, b'{"error": "down"}')
            return self._forward("POST", query, body)
        if path == "/lrs/activities/state" and self._authorised():
            self.lms.state[self._state_key(query)] = body
            return self._send(204)
        return None

    def do_PUT(self) -> None:
        path, _, query = self.path.partition("?")
        body = self._body()
        if path == "/lrs/activities/state" and self._authorised():
            self.lms.state[self._state_key(query)] = body
            return self._send(204)
        if path == "/lrs/statements" and self._authorised():
            return self._forward("PUT", query, body)
        return None

    def _state_key(self, query: str) -> tuple[str, str, str, str]:
        q = urllib.parse.parse_qs(query)
        agent = json.loads(q["agent"][0])
        return (
            q["activityId"][0],
            _agent_key(agent),
            q.get("registration", [""])[0],
            q["stateId"][0],
        )

    def _forward(self, method: str, query: str, body: bytes) -> None:
        import requests

        response = requests.request(
            method,
            f"{self.lms.ralph.url}/xAPI/statements" + (f"?{query}" if query else ""),
            data=body,
            auth=RALPH_USER,
            headers={"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"},
            timeout=20,
        )
        self._send(response.status_code, response.content)

    def _file(self, path: str) -> None:
        name, _, rest = path.removeprefix("/packages/").partition("/")
        course = self.lms.courses.get(name)
        target = (course.folder / urllib.parse.unquote(rest)).resolve() if course else None
        if not course or not target or not target.is_file() or course.folder not in target.parents:
            return self._send(404, b"not found", "text/plain")
        kinds = {
            ".html": "text/html; charset=utf-8",
            ".js": "text/javascript",
            ".css": "text/css",
            ".xml": "application/xml",
        }
        self._send(200, target.read_bytes(), kinds.get(target.suffix, "application/octet-stream"))


def serve_lms(lms: Lms) -> Iterator[Lms]:
    """Run the LMS on a free port of 127.0.0.1 while the caller uses it."""
    handler = type("Handler", (_LmsHandler,), {"lms": lms})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    lms.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield lms
    finally:
        server.shutdown()
