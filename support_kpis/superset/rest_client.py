"""A small client for Superset's REST API: log in, check the version, import a bundle, read things back.

Every failure a user can cause (server unreachable, wrong credentials, a database
password missing, an unsupported version, a rejected bundle) becomes a one-line
UserError.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import prison
import requests

from support_kpis.errors import UserError

# The bundle's YAML keys are the ones these releases all accept (see documents.ALLOWED_KEYS).
SUPPORTED_VERSIONS = "4.1, 5.0 and 6.1"
_MINIMUM = (4, 1)
_BELOW = (7, 0)
_VERSION_PATTERN = re.compile(r'version_string"\s*:\s*"(\d+)\.(\d+)[^"]*"')


def parse_version(text: str) -> tuple[int, int] | None:
    match = _VERSION_PATTERN.search(html.unescape(text))
    return (int(match.group(1)), int(match.group(2))) if match else None


def is_supported(version: tuple[int, int]) -> bool:
    return _MINIMUM <= version < _BELOW


class SupersetClient:
    def __init__(self, url: str, *, timeout: float = 120.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    # ------------------------------------------------------------ plumbing

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(method, f"{self.url}{path}", timeout=self.timeout, **kwargs)
        except requests.ConnectionError:
            raise UserError(f"cannot reach Superset at {self.url} (is it running, and is the URL right?)") from None
        except requests.Timeout:
            raise UserError(f"Superset at {self.url} did not answer within {self.timeout:.0f}s") from None

    @staticmethod
    def _message(response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text.strip().splitlines()[0][:300] if response.text.strip() else response.reason
        message = body.get("message") or body.get("errors") or body
        return json.dumps(message)[:500] if not isinstance(message, str) else message

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self._request("GET", path, params=params)
        if response.status_code != 200:
            raise UserError(f"GET {path} failed ({response.status_code}): {self._message(response)}")
        return dict(response.json())

    def post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self._request("POST", path, json=body)
        if response.status_code != 200:
            raise UserError(f"POST {path} failed ({response.status_code}): {self._message(response)}")
        return dict(response.json())

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
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        csrf = self._request("GET", "/api/v1/security/csrf_token/")
        if csrf.status_code == 200:
            self.session.headers["X-CSRFToken"] = csrf.json()["result"]
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

