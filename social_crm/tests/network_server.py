"""The scripted server of the connector tests, answering POST requests too and recording their
bodies: it plays the networks' write APIs (Mastodon, Bluesky's PDS, Reddit, X) on 127.0.0.1."""
import email.message
import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from odoo.tests import tagged

from .test_connectors import ConnectorCase, _Handler


@dataclass
class Sent:
    method: str
    path: str
    query: dict
    headers: email.message.Message
    body: bytes

    def json(self):
        return json.loads(self.body)

    def form(self):
        return {key: values[0] for key, values in parse_qs(self.body.decode()).items()}


class _NetworkHandler(_Handler):
    def do_GET(self):
        self._answer("GET")

    def do_POST(self):
        self._answer("POST")

    def _answer(self, method):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append(Sent(method, url.path, parse_qs(url.query), self.headers, body))
        self._send_scripted(url.path)


@tagged("social_crm", "post_install", "-at_install")
class NetworkServerCase(ConnectorCase):
    """A network on 127.0.0.1 that sources and accounts are allowed to reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.RequestHandlerClass = _NetworkHandler
        cls.env["ir.config_parameter"].sudo().set_param("social_crm.allow_private_source_urls", "True")

    def sent(self, path=None, method=None):
        return [request for request in self.server.received
                if (path is None or request.path == path) and (method is None or request.method == method)]
