"""A small HTTP client that uses goalsapp as a browser does: log in, carry the CSRF token, post rows.

For the load run, the crash test and the two-server test, which talk to real servers (gunicorn) over loopback.
"""
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid


class WebClient:
    def __init__(self, base: str, timeout: float = 10):
        self.base, self.timeout, self.token = base.rstrip("/"), timeout, ""
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, method: str, path: str, data: dict | None = None, htmx: bool = False) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        return self._send(urllib.request.Request(self.base + path, data=body, method=method), htmx)

    def upload(self, path: str, filename: str, content: bytes, fields: dict | None = None) -> tuple[int, str]:
        """Post a file as a form's file input does (multipart), with the form's other fields."""
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in (fields or {}).items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     f'Content-Type: application/octet-stream\r\n\r\n'.encode() + content + f"\r\n--{boundary}--\r\n".encode())
        request = urllib.request.Request(self.base + path, data=b"".join(parts), method="POST")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        return self._send(request)

    def elsewhere(self, base: str) -> "WebClient":
        """The same browser (its cookies, its form token) talking to another server."""
        other = WebClient(base, self.timeout)
        other.opener, other.token = self.opener, self.token
        return other

    def _send(self, request: urllib.request.Request, htmx: bool = False) -> tuple[int, str]:
        if self.token:
            request.add_header("X-CSRFToken", self.token)
        if htmx:
            request.add_header("HX-Request", "true")
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        self.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, page = self.request("POST", "/login", {"username": username, "password": password, "csrf_token": self.token})
        if "退出" not in page:
            raise RuntimeError(f"login failed ({status})")
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    def add_row(self, sheet_id: int, name: str) -> int:
        row = {"level1": "产出指标", "level2": "数量指标", "name": name, "value": "1个", "standard": "计划标准"}
        status, _ = self.request("POST", f"/sheets/{sheet_id}/indicators", row, htmx=True)
        return status
