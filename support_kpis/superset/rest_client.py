"""A small client for Superset's REST API: log in, check the version, import a bundle, read things back.

Every failure a user can cause (a URL that is no Superset's, server unreachable,
a TLS failure, an answer that is not Superset's JSON, wrong credentials, a
database password missing, an unsupported version, a rejected bundle) becomes a
one-line UserError.
"""

from __future__ import annotations

import html
import ipaddress
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import prison
import requests

from support_kpis.errors import UserError

# The bundle's YAML keys are the ones these releases all accept (see documents.ALLOWED_KEYS).
SUPPORTED_VERSIONS = "4.1, 5.0 and 6.1"
_MINIMUM = (4, 1)
_BELOW = (7, 0)
_VERSION_PATTERN = re.compile(r'version_string"\s*:\s*"(\d+)\.(\d+)[^"]*"')
# What the operating system said, inside urllib3's wrapping: "[Errno 111] Connection refused".
_OS_ERROR = re.compile(r"\[Errno -?\d+\] ([^'\"()]+)")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def checked_url(url: str, *, allow_insecure: bool = False) -> str:
    """`url` as a Superset base URL (no trailing slash), or a UserError saying what is wrong with it.

    Unless `allow_insecure`, plain http is refused for any host but this machine's: the login sends the
    Superset password, and an import the database password, in the request body.
    """
    example = "give its base URL, e.g. https://superset.example.com or http://localhost:8088"
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # parsed lazily: a port that is not a number raises here
    except ValueError as exc:
        raise UserError(f"{url!r} is not a usable Superset URL ({exc}): {example}") from None
    if parts.scheme not in ("http", "https"):
        reason = f"{parts.scheme}:// is not http(s)" if parts.scheme and "://" in url else "no http(s)://"
        raise UserError(f"{url!r} is not a usable Superset URL ({reason}): {example}")
    if not parts.hostname:
        raise UserError(f"{url!r} is not a usable Superset URL (no host): {example}")
    if parts.query or parts.fragment:
        raise UserError(f"{url!r} is not a usable Superset URL (it has a ?query or #fragment): {example}")
    if parts.scheme == "http" and not allow_insecure and not _is_loopback(parts.hostname):
        where = f"{parts.hostname}:{port}" if port else parts.hostname
        raise UserError(
            f"refusing plain http to {where}: the Superset and database passwords would cross the network "
            "unencrypted; use https:// (or pass --allow-insecure if the network is trusted)"
        )
    return url.strip().rstrip("/")


def _cause(error: requests.RequestException) -> str:
    """The innermost reason, in one line (urllib3 wraps it in "Max retries exceeded ... Caused by ...")."""
    inner: object = error.args[0] if error.args else error
    inner = getattr(inner, "reason", inner)
    text = " ".join(str(inner).split())
    return text[:300] or type(error).__name__


def parse_version(text: str) -> tuple[int, int] | None:
    match = _VERSION_PATTERN.search(html.unescape(text))
    return (int(match.group(1)), int(match.group(2))) if match else None


def is_supported(version: tuple[int, int]) -> bool:
    return _MINIMUM <= version < _BELOW


class SupersetClient:
    def __init__(self, url: str, *, timeout: float = 120.0) -> None:
        # Whether plain http is acceptable is the caller's policy (the import command's; a local server's is).
        self.url = checked_url(url, allow_insecure=True)
        self.timeout = timeout
        self.session = requests.Session()

    # ------------------------------------------------------------ plumbing

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(method, f"{self.url}{path}", timeout=self.timeout, **kwargs)
        # SSLError and ConnectTimeout are ConnectionErrors too: the more specific reason first.
        except requests.exceptions.SSLError as exc:
            raise UserError(f"TLS with {self.url} failed: {_cause(exc)}") from None
        except requests.Timeout:
            raise UserError(f"Superset at {self.url} did not answer within {self.timeout:.0f}s") from None
        except requests.ConnectionError as exc:
            match = _OS_ERROR.search(str(exc))
            cause = f"{match.group(1).strip()}; " if match else ""
            raise UserError(
                f"cannot reach Superset at {self.url} ({cause}is it running, and is the URL right?)"
            ) from None
        except requests.RequestException as exc:  # redirect loops, broken chunked answers, invalid headers...
            raise UserError(f"talking to Superset at {self.url} failed: {_cause(exc)}") from None

    def _json(self, response: requests.Response, path: str) -> dict[str, Any]:
        """The body of a 200 answer; a web server that is not Superset's API answers HTML, or other JSON."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise UserError(
                f"{self.url}{path} did not answer with Superset's JSON API (is {self.url} a Superset's base URL?)"
            )
        return body

    @staticmethod
    def _message(response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text.strip().splitlines()[0][:300] if response.text.strip() else str(response.reason)
        message = (body.get("message") or body.get("errors") or body) if isinstance(body, dict) else body
        return json.dumps(message)[:500] if not isinstance(message, str) else " ".join(message.split())[:500]

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self._request("GET", path, params=params)
        if response.status_code != 200:
            raise UserError(f"GET {path} failed ({response.status_code}): {self._message(response)}")
        return self._json(response, path)

    def post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self._request("POST", path, json=body)
        if response.status_code != 200:
            raise UserError(f"POST {path} failed ({response.status_code}): {self._message(response)}")
        return self._json(response, path)

    # ------------------------------------------------------------ session

    def version(self) -> tuple[int, int] | None:
        """Superset's major.minor from the login page's bootstrap data (no REST endpoint returns it)."""
        response = self._request("GET", "/login/")
        return parse_version(response.text) if response.ok else None

    def check_version(self) -> tuple[int, int] | None:
        version = self.version()
        if version is not None and not is_supported(version):
            raise UserError(
                f"Superset {version[0]}.{version[1]} at {self.url} is not supported: the bundle is made for "
                f"Superset {SUPPORTED_VERSIONS} (use --skip-version-check to try anyway)"
            )
        return version

    def login(self, username: str, password: str) -> None:
        """JWT for the API, plus the CSRF token that writes need (tied to this session's cookie)."""
        response = self._request(
            "POST",
            "/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": False},
        )
        if response.status_code == 401:
            raise UserError(f"Superset at {self.url} refused the login: wrong username or password for {username!r}")
        if response.status_code != 200:
            raise UserError(f"login to {self.url} failed ({response.status_code}): {self._message(response)}")
        token = self._json(response, "/api/v1/security/login").get("access_token")
        if not isinstance(token, str):
            raise UserError(f"login to {self.url} answered without an access token (is it Superset's API?)")
        self.session.headers["Authorization"] = f"Bearer {token}"
        csrf = self._request("GET", "/api/v1/security/csrf_token/")
        if csrf.status_code == 200:
            csrf_token = self._json(csrf, "/api/v1/security/csrf_token/").get("result")
            if not isinstance(csrf_token, str):
                raise UserError(f"{self.url} answered a CSRF token request without a token (is it Superset's API?)")
            self.session.headers["X-CSRFToken"] = csrf_token
            self.session.headers["Referer"] = self.url
        elif csrf.status_code != 404:  # 404: CSRF protection is off on this server
            raise UserError(f"could not get a CSRF token from {self.url} ({csrf.status_code})")

    # ------------------------------------------------------------ assets

    def import_bundle(self, zip_path: Path, passwords: dict[str, str] | None = None) -> None:
        """POST /api/v1/assets/import/: creates or overwrites (by uuid) everything in the bundle."""
        form = {"overwrite": "true"}
        if passwords:
            form["passwords"] = json.dumps(passwords)
        with zip_path.open("rb") as handle:
            response = self._request(
                "POST",
                "/api/v1/assets/import/",
                files={"bundle": (zip_path.name, handle, "application/zip")},
                data=form,
            )
        if response.status_code == 200:
            return
        message = self._message(response)
        if "password" in message.lower() and "database" in message.lower():
            raise UserError(
                f"Superset at {self.url} needs the database password: pass --database-password (it is never "
                "written into the bundle)"
            )
        if response.status_code in (401, 403):
            raise UserError(f"user may not import assets into {self.url} ({response.status_code}): {message}")
        if response.status_code >= 500:
            # Superset 6 reports validation failures as a bare 500; the reason is in its own log.
            raise UserError(
                f"Superset at {self.url} failed to import the bundle ({response.status_code}); its log names the "
                "reason (a database needing --database-password, or a version it does not support?)"
            )
        raise UserError(f"Superset at {self.url} rejected the bundle ({response.status_code}): {message}")

    def has_database(self, uuid: str) -> bool:
        return self.count("database", [{"col": "uuid", "opr": "eq", "value": uuid}]) > 0

    def count(self, resource: str, filters: list[dict[str, Any]] | None = None) -> int:
        """How many charts / dashboards / datasets / databases exist (optionally filtered)."""
        query = {"page_size": 1, "filters": filters or []}
        return int(self.get_json(f"/api/v1/{resource}/", {"q": prison.dumps(query)})["count"])

    def list_all(self, resource: str, columns: list[str], filters: list[dict[str, Any]] | None = None) -> list[dict]:
        rows: list[dict[str, Any]] = []
        page = 0
        while True:
            query = {"page": page, "page_size": 100, "columns": columns, "filters": filters or []}
            result = self.get_json(f"/api/v1/{resource}/", {"q": prison.dumps(query)})["result"]
            rows += result
            if len(result) < 100:
                return rows
            page += 1
