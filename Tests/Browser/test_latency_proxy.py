"""The verifying proxy of Tests/TestSupport/emulator as a latency instrument: a call is dated by
the kernel's receive time, not by when a handler thread got Python's interpreter lock to read it,
and many connections opened at once are all taken. In process, on real loopback sockets; no
emulator, browser or binary needed."""

import http.server
import select
import socket
import sys
import threading
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "TestSupport" / "emulator"))

import verifying_proxy  # noqa: E402
from emulator import signed_sts_call  # noqa: E402  (Tests/Browser/support, on the path from conftest.py)

REQUEST = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n\r\nbody"


def connected_handler():
    """A ProxyHandler set up on one end of a real TCP connection, as the server would, and the
    client's end; nothing read yet."""
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    server_end, _ = listener.accept()
    listener.close()
    handler = verifying_proxy.ProxyHandler.__new__(verifying_proxy.ProxyHandler)
    handler.request, handler.connection = server_end, server_end
    handler.server = types.SimpleNamespace(state=types.SimpleNamespace(latency_ms=40))
    handler.setup()
    return handler, client


def read_request(handler):
    """What handle_one_request does before do_request: the request line, headers and body."""
    handler.raw_requestline = handler.rfile.readline()
    assert handler.parse_request()
    return handler._read_body()


def test_a_call_is_dated_when_the_kernel_received_it_not_when_a_thread_read_it():
    handler, client = connected_handler()
    client.sendall(REQUEST)
    sent = time.monotonic()
    time.sleep(0.3)  # the handler thread waiting for the interpreter lock
    handler.waiting = handler._peek_next_request()
    body = read_request(handler)
    assert body == b"body"
    arrived = handler._arrival(body)
    assert abs(arrived - sent) < 0.1, f"dated {arrived - sent:.3f} s after it was sent"


def test_a_body_still_arriving_when_peeked_is_dated_once_read():
    handler, client = connected_handler()
    head, rest = REQUEST[:-2], REQUEST[-2:]
    client.sendall(head)
    time.sleep(0.05)
    handler.waiting = handler._peek_next_request()
    time.sleep(0.3)
    client.sendall(rest)
    body = read_request(handler)
    assert body == b"body"
    assert handler._arrival(body) >= time.monotonic() - 0.05, "a call is never dated before all of it arrived"


def test_a_request_already_buffered_is_not_waited_for():
    """A client that pipelines: the second request sits in the handler's buffer, and peeking
    the socket for it would wait for bytes that never come."""
    handler, client = connected_handler()
    client.sendall(REQUEST + REQUEST)
    handler.waiting = handler._peek_next_request()
    read_request(handler)
    peeked = []
    peeking = threading.Thread(target=lambda: peeked.append(handler._peek_next_request()), daemon=True)
    peeking.start()
    peeking.join(timeout=2)
    try:
        assert not peeking.is_alive(), "waited on the socket for a request already read into the buffer"
        assert peeked == [(None, b"")]
        assert read_request(handler) == b"body"
    finally:
        client.close()


def test_many_connections_opened_at_once_are_all_taken():
    """socketserver's backlog of five dropped the sixth and later connections' SYNs, which
    the client sends again only a second later."""
    server = verifying_proxy.ProxyServer(("127.0.0.1", 0), verifying_proxy.ProxyHandler)
    clients = []
    try:
        for _ in range(20):
            client = socket.socket()
            client.setblocking(False)
            client.connect_ex(server.server_address)
            clients.append(client)
        deadline = time.monotonic() + 0.5
        pending = list(clients)
        while pending and time.monotonic() < deadline:
            _, writable, _ = select.select([], pending, [], 0.05)
            pending = [c for c in pending if c not in writable]
        assert not pending, f"{len(pending)} of 20 connections not taken (no accept loop runs: the backlog alone holds them)"
    finally:
        for client in clients:
            client.close()
        server.server_close()


class Upstream(http.server.BaseHTTPRequestHandler):
    """moto's stand-in: answers every call at once."""

    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b"<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class SlowToRead(verifying_proxy.ProxyHandler):
    """A handler thread that gets to each request 0.3 s after it could, as one waiting for the
    interpreter lock while other calls are being handled."""

    def handle_one_request(self):
        time.sleep(0.3)
        super().handle_one_request()


def test_a_call_read_late_is_answered_its_latency_after_it_was_sent():
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    proxy = verifying_proxy.ProxyServer(("127.0.0.1", 0), SlowToRead)
    proxy.state = verifying_proxy.ProxyState(f"http://127.0.0.1:{upstream.server_address[1]}", latency_ms=1000)
    for server in (upstream, proxy):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        # The call goes out at once after connecting: the kernel must date a connection's first bytes too.
        client = socket.create_connection(proxy.server_address, timeout=5)
        call = signed_sts_call("127.0.0.1", proxy.server_address[1])
        sent = time.monotonic()
        client.sendall(call)
        answer = client.recv(65536)
        elapsed = time.monotonic() - sent
        assert answer.startswith(b"HTTP/1.1 200"), answer
        # Dated when read, it would be answered at 1.3 s or later.
        assert 0.99 <= elapsed < 1.25, f"answered {elapsed:.3f} s after it was sent; the latency is 1 s, the late read 0.3 s"
        client.close()
    finally:
        for server in (upstream, proxy):
            server.shutdown()
            server.server_close()
