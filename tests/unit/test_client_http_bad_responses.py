"""Answers no Katapult server should give (proxies, portals, broken gateways), over real HTTP
from a small scripted server on 127.0.0.1: each becomes a clear typed error."""
from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from plugin.api import errors as E  # noqa: N812
from plugin.api.client import KatapultClient
from plugin.api.pacing import Governor

KEY = "bad-responses-key-777"
META = '"meta":{"token_count":50,"last_refill_time":1790000000000}'

# path -> (status, content type, body, extra headers); "truncate" sends less than promised
SCRIPT = {
    "/api/v3/html": (200, "text/html", "<html><head><title>Proxy Login Required</title></head>"
                     "<body>Please sign in</body></html>", {}),
    "/api/v3/text": (200, "text/plain", "hello, world", {}),
    "/api/v3/empty": (200, "application/json", "", {}),
    "/api/v3/list": (200, "application/json", "[1, 2, 3]", {}),
    "/api/v3/nostatus": (200, "application/json", '{"data": {"id": "x"}}', {}),
    "/api/v3/ok-error": (200, "application/json", '{"status":"error","type":"not_found",'
                         '"message":"Gone",' + META + '}', {}),
    "/api/v3/ok-middleware": (200, "application/json", '{"error":"INVALID API KEY"}', {}),
    "/api/v3/fail-success": (500, "application/json", '{"status":"success","data":{},' + META
                             + '}', {}),
    "/api/v3/redirect": (302, "text/html", "", {"Location": "https://login.example/?next=%2F"
                                                            "api%2Fv3%3Fapi_key%3D" + KEY}),
    "/api/v3/gateway": (502, "text/html", "<html><title>502 Bad Gateway</title></html>", {}),
    "/api/v3/plain429": (429, "text/plain", "slow down", {}),
    "/api/v3/truncate": (200, "application/json", '{"status":"success","data":{"id":"abc"},'
                         + META + '}', {"truncate": True}),
    "/api/v3/half": (200, "application/json", '{"status":"success","data":{"id":"a', {}),
    "/api/v3/ok": (200, "application/json", '{"status":"success","data":{"id":"fine"},'
                   + META + '}', {}),
    "/api/v3/latin1": (200, "application/json", b'{"status":"success","data":"\xe9"}', {}),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    hits: dict = {}

    def log_message(self, *args):
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        _Handler.hits[path] = _Handler.hits.get(path, 0) + 1
        status, ctype, body, extra = SCRIPT.get(path, (404, "text/plain", "no", {}))
        payload = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        truncate = extra.get("truncate")
        self.send_header("Content-Length", str(len(payload) + (100 if truncate else 0)))
        for k, v in extra.items():
            if k != "truncate":
                self.send_header(k, v)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        if truncate:
            self.close_connection = True

    do_GET = do_POST = do_DELETE = _answer


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api/v3"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def client(server):
    _Handler.hits.clear()
    gov = Governor(min_interval_s=0.0, backoff_base_s=0.001, backoff_max_s=0.01)
    with KatapultClient(server, KEY, governor=gov, max_retries=2,
                        configure_session=lambda s: setattr(s, "trust_env", False)) as c:
        yield c


def _check_sentence(err: E.KatapultError) -> str:
    text = str(err)
    assert KEY not in text and KEY not in repr(err)
    assert text[0].isupper() and text.rstrip().endswith(".")
    return text


def test_html_proxy_page(client):
    with pytest.raises(E.ProtocolError) as info:
        client.request("GET", "/html")
    text = _check_sentence(info.value)
    assert "HTML page" in text and "Proxy Login Required" in text and "proxy" in text.lower()
    assert _Handler.hits["/api/v3/html"] == 1  # not retried: a portal does not go away


@pytest.mark.parametrize("path,words", [
    ("/text", "not valid JSON"), ("/empty", "empty"), ("/list", "not a Katapult"),
    ("/nostatus", "no 'status'"), ("/latin1", "not valid JSON"),
])
def test_not_katapult_json(client, path, words):
    with pytest.raises(E.ProtocolError) as info:
        client.request("GET", path)
    assert words in _check_sentence(info.value)


def test_200_with_status_error(client):
    with pytest.raises(E.ProtocolError) as info:
        client.request("GET", "/ok-error")
    err = info.value
    assert (err.status, err.type, err.server_message) == (200, "not_found", "Gone")
    assert err.meta == {"token_count": 50, "last_refill_time": 1790000000000}
    with pytest.raises(E.ProtocolError):
        client.request("GET", "/ok-middleware")
    with pytest.raises(E.ProtocolError, match="failed over HTTP"):
        client.request("GET", "/fail-success")


def test_redirect_not_followed(client):
    with pytest.raises(E.ProtocolError) as info:
        client.request("GET", "/redirect")
    text = _check_sentence(info.value)
    assert "redirected" in text and "login.example" in text


def test_gateway_html_retried_for_get_not_for_create(client):
    with pytest.raises(E.ServerError) as info:
        client.request("GET", "/gateway")
    assert "502 Bad Gateway" in _check_sentence(info.value)
    assert _Handler.hits["/api/v3/gateway"] == 3       # 1 + max_retries
    with pytest.raises(E.UnknownOutcomeError) as info:
        client.request("POST", "/gateway", json={"x": 1})
    assert _Handler.hits["/api/v3/gateway"] == 4       # a plain create: once
    assert info.value.status == 502


def test_plain_text_429_is_general_rate_limit(client):
    with pytest.raises(E.RateLimitError) as info:
        client.request("GET", "/plain429")
    assert info.value.kind == "general"
    assert client.governor.stats.rate_limited_general == 3


def test_truncated_body(client):
    with pytest.raises(E.ProtocolError):
        client.request("GET", "/truncate")
    assert _Handler.hits["/api/v3/truncate"] == 3      # a GET is retried
    with pytest.raises(E.UnknownOutcomeError) as info:
        client.request("POST", "/truncate", json={})
    assert info.value.reason == "truncated"
    assert _Handler.hits["/api/v3/truncate"] == 4
    with pytest.raises(E.ProtocolError, match="not valid JSON"):
        client.request("GET", "/half")
    with pytest.raises(E.UnknownOutcomeError) as info:
        client.request("POST", "/half", json={})
    assert info.value.reason == "truncated" and info.value.status == 200
    assert client.request("GET", "/ok") == {"id": "fine"}  # the pool recovered


def test_tls_failure_is_reported_as_tls(server):
    # https:// to a plain-HTTP port: the TLS handshake fails
    url = server.replace("http://", "https://")
    with KatapultClient(url, KEY, governor=Governor(min_interval_s=0.0), max_retries=3,
                        configure_session=lambda s: setattr(s, "trust_env", False)) as c:
        with pytest.raises(E.TransportError) as info:
            c.request("GET", "/ok")
    assert info.value.reason == "tls" and "certificate" in _check_sentence(info.value)


def test_connection_refused_is_retried_then_unreachable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gov = Governor(min_interval_s=0.0, backoff_base_s=0.001, backoff_max_s=0.01)
    with KatapultClient(f"http://127.0.0.1:{port}/api/v3", KEY, governor=gov, max_retries=2,
                        configure_session=lambda s: setattr(s, "trust_env", False)) as c:
        with pytest.raises(E.TransportError) as info:
            c.create_node("-NsomeJob00000000000", {"latitude": 1, "longitude": 2})
    err = info.value
    # never sent, so even a plain create may be retried; the outcome is known (not applied)
    assert not isinstance(err, E.UnknownOutcomeError) and err.reason == "unreachable"
    assert gov.stats.calls == 3 and err.__cause__ is None
    _check_sentence(err)


def test_bad_base_urls():
    for url in ("katapultpro.com/api/v3", "ftp://x/api", "", "https://x/api?api_key=1"):
        with pytest.raises(ValueError):
            KatapultClient(url, KEY)
    with pytest.raises(ValueError):
        KatapultClient("http://127.0.0.1:1/api/v3", KEY).request("GET", "/", params={
            "api_key": "x"})
