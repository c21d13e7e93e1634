"""A real HTTP server on localhost that plays a Slack-compatible incoming webhook, so
tests exercise the actual POST (headers, JSON body, status codes, redirects)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class WebhookServer:
    url: str
    received: list[dict] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    status: int = 200
    location: str = ""

    @property
    def texts(self) -> list[str]:
        return [body["text"] for body in self.received]


def _handler(hook: WebhookServer):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            hook.content_types.append(self.headers["Content-Type"])
            hook.received.append(json.loads(self.rfile.read(length)))
            self.send_response(hook.status)
            if hook.location:
                self.send_header("Location", hook.location)
            self.end_headers()
            self.wfile.write(b"ok" if hook.status == 200 else b"no_service")

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler


def start_webhook_server() -> tuple[WebhookServer, ThreadingHTTPServer]:
    """A running server at http://127.0.0.1:<port>/services/T000/B000/secret."""
    hook = WebhookServer(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hook))
    hook.url = f"http://127.0.0.1:{server.server_port}/services/T000/B000/secret"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return hook, server
