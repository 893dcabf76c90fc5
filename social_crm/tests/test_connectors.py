"""The connectors against a real HTTP server on 127.0.0.1 serving recorded payloads, through the real requests.

The payloads in ``payloads/`` follow each network's public API documentation. Connectors run with a
recording ``sleep``, so retry waits are asserted instead of slept.
"""
import email.message
import email.utils
import json
import logging
import os
import shutil
import ssl
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from odoo.tests import TransactionCase, common, tagged
from odoo.tests.common import BlockedRequest

from odoo.addons.social_crm.connectors import (
    ConnectorError,
    Page,
    PinnedAddressAdapter,
    RssConnector,
    check_url_allowed,
    is_public_address,
)

PAYLOADS = Path(__file__).parent / "payloads"
X_TOKEN = "AAAAAAAAAAAAAAAAAAAAAsecret%2Ftoken%3Dtest"


@dataclass
class Reply:
    """One scripted answer of the test server."""

    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


def payload(name):
    return (PAYLOADS / name).read_bytes()


def json_reply(body, status=200, headers=None, delay=0.0):
    """A JSON answer: ``body`` is a payload file name (``*.json``) or the JSON text itself."""
    content = payload(body) if body.endswith(".json") else body.encode()
    return Reply(status, content, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, delay)


@dataclass
class Received:
    path: str
    query: dict
    headers: email.message.Message  # case-insensitive get()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlsplit(self.path)
        self.server.received.append(Received(url.path, parse_qs(url.query), self.headers))
        self._send_scripted(url.path)

    def _send_scripted(self, path):
        """Answer with the next scripted reply of ``path``."""
        reply = self.server.next_reply(path)
        time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in {"Content-Length": str(len(reply.body)), **reply.headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, *args):
        """Keep the test output clean."""


class _ScriptedServer(ThreadingHTTPServer):
    """Answers each path with its scripted replies in turn, the last one repeated, and records the requests."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = {}
        self.received = []
        self.lock = threading.Lock()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def next_reply(self, path):
        with self.lock:
            replies = self.script.get(path) or [Reply(404, b'{"error": "Record not found"}')]
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def handle_error(self, request, client_address):
        """The timeout tests' clients hang up before the answer: a broken pipe is expected there."""


def start_server(add_cleanup):
    server = _ScriptedServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    add_cleanup(thread.join)  # cleanups run last in, first out: shutdown, close, join
    add_cleanup(server.server_close)
    add_cleanup(server.shutdown)
    return server


@tagged("social_crm", "post_install", "-at_install")
class ConnectorCase(TransactionCase):
    """A scripted server shared by the tests of a class; each test writes its own script."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = start_server(cls.addClassCleanup)

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """Send requests to 127.0.0.1 as they are; anything else stays blocked by Odoo's test handler.

        The default handler raises every timeout below 10 s to 10 s (and fails on (connect, read)
        tuples), while these tests set their own timeouts.
        """
        if urlsplit(r.url).hostname != "127.0.0.1":
            return super()._request_handler(s, r, **kw)
        return common._super_send(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.server.script.clear()
        self.server.received.clear()
        self.waits = []

    def serve(self, path, *replies):
        self.server.script[path] = list(replies)

    def connector_class(self, source_type):
        """The connector class of ``source_type``, as sources find it."""
        return self.env["social.source"].new({"source_type": source_type})._get_connector_class()

    def connector(self, source_type, config, **options):
        """A connector allowed to reach 127.0.0.1, recording its waits instead of sleeping."""
        return self.connector_class(source_type)(
            config, **{"allow_private": True, "sleep": self.waits.append, **options})

    def run_source(self, make_connector, cursor=None):
        """Fetch pages up to the end, each with a new connector, as runs resuming from a saved cursor would."""
        items = []
        for _page in range(10):
            page = make_connector().fetch_page(cursor)
            items += page.items
            cursor = page.next_cursor
            if not page.has_more:
                return items, cursor
        self.fail("the source never reached its end")

    def assertNoDuplicates(self, items):
        ids = [item["id"] for item in items]
        self.assertEqual(len(ids), len(set(ids)), ids)


class TestSsrfGuard(ConnectorCase):
    def test_refuses_internal_addresses_and_other_schemes(self):
        for url in (
            "http://127.0.0.1/feed",
            "http://localhost:8069/web",
            "http://10.1.2.3/feed.xml",
            "http://192.168.0.10/",
            "http://169.254.169.254/latest/meta-data/",
            "http://0.0.0.0/",
            "http://224.0.0.1/",
            "http://[::1]/",
            "http://[::ffff:10.0.0.1]/",
            "file:///etc/passwd",
            "ftp://93.184.216.34/feed",
            "http:///no-host",
        ):
            with self.subTest(url=url), self.assertRaisesRegex(ConnectorError, "^Refused URL"):
                check_url_allowed(url)

    def test_address_classification_is_an_allow_list_of_global_addresses(self):
        refused = {
            "100.100.100.200": "cloud metadata behind carrier-grade NAT",
            "100.64.0.1": "carrier-grade NAT",
            "169.254.169.254": "link-local metadata",
            "127.0.0.1": "loopback",
            "10.0.0.1": "private",
            "172.16.5.4": "private",
            "192.168.1.1": "private",
            "192.0.2.10": "documentation",
            "198.18.0.1": "benchmarking",
            "0.0.0.0": "unspecified",
            "224.0.0.1": "multicast",
            "255.255.255.255": "broadcast",
            "::1": "IPv6 loopback",
            "::": "IPv6 unspecified",
            "fd00::1": "unique local",
            "fe80::1%eth0": "link-local with a zone",
            "ff02::1": "IPv6 multicast",
            "::ffff:10.0.0.1": "IPv4-mapped private",
            "::ffff:127.0.0.1": "IPv4-mapped loopback",
            "2002:c0a8::1": "6to4 of 192.168.0.0",
            "2002:7f00:1::1": "6to4 of 127.0.0.1",
            "2002:6440:1::1": "6to4 of 100.64.0.1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2": "Teredo",
            "2001:0:5db8:d822:0:f53f:3fff:fffe": "Teredo with a private client",
            "64:ff9b::a00:1": "NAT64 of 10.0.0.1",
            "64:ff9b::6464:64c8": "NAT64 of 100.100.100.200",
            "::7f00:1": "IPv4-compatible 127.0.0.1",
            "2001:db8::1": "documentation",
            "not an address": "garbage",
        }
        for address, why in refused.items():
            with self.subTest(address=address, why=why):
                self.assertFalse(is_public_address(address))
        for address in ("93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e",
                        "::ffff:93.184.216.34", "2002:5db8:d822::1", "64:ff9b::5db8:d822"):
            with self.subTest(address=address):
                self.assertTrue(is_public_address(address))

    def test_refusal_names_the_database_wide_setting(self):
        for url in ("http://100.100.100.200/latest/meta-data/", "http://[2002:c0a8::1]/", "http://[::ffff:10.0.0.1]/"):
            with self.subTest(url=url), self.assertRaises(ConnectorError) as caught:
                check_url_allowed(url)
            message = str(caught.exception)
            self.assertIn("non-public address", message)
            self.assertIn("all sources of the database", message)
            self.assertIn("social_crm.allow_private_source_urls", message)
            self.assertNotIn("for this source", message)

    def test_check_answers_the_addresses_to_connect_to(self):
        self.assertEqual(check_url_allowed("https://93.184.216.34/feed.xml"), ["93.184.216.34"])
        self.assertEqual(check_url_allowed("http://[2606:4700:4700::1111]:8080/"), ["2606:4700:4700::1111"])
        self.assertEqual(check_url_allowed("http://feed.test/", resolve=lambda host, port: ["8.8.4.4"]), ["8.8.4.4"])
        with self.assertRaisesRegex(ConnectorError, "non-public address 10.0.0.7"):
            check_url_allowed("http://feed.test/", resolve=lambda host, port: ["8.8.4.4", "10.0.0.7"])
        with self.assertRaisesRegex(ConnectorError, "cannot be resolved"):
            check_url_allowed("http://feed.test/", resolve=lambda host, port: [])

    def test_allows_public_addresses_and_private_ones_when_told(self):
        check_url_allowed("https://93.184.216.34/feed.xml")
        check_url_allowed("http://10.1.2.3/feed.xml", allow_private=True)
        with self.assertRaises(ConnectorError):
            check_url_allowed("file:///etc/passwd", allow_private=True)

    def test_message_hides_credentials(self):
        with self.assertRaises(ConnectorError) as caught:
            check_url_allowed("http://user:pa55@10.0.0.1/feed?key=s3cret")
        self.assertIn("http://10.0.0.1/feed", str(caught.exception))
        self.assertNotIn("pa55", str(caught.exception))
        self.assertNotIn("s3cret", str(caught.exception))

    def test_connectors_do_not_reach_the_local_server(self):
        self.serve("/feed.xml", Reply(body=payload("feed_rss2.xml")))
        self.serve("/api/v1/timelines/tag/acme", json_reply("mastodon_tag_page1.json"))
        for source_type, config in (
            ("rss", {"url": f"{self.server.url}/feed.xml"}),
            ("mastodon", {"base_url": self.server.url, "hashtag": "acme"}),
        ):
            with self.subTest(source_type=source_type), self.assertRaisesRegex(ConnectorError, "non-public address"):
                self.connector(source_type, config, allow_private=False).fetch_page(None)
        self.assertEqual(self.server.received, [])

    def test_redirects_are_checked_hop_by_hop(self):
        self.serve("/moved", Reply(301, headers={"Location": "/feed.xml"}))
        self.serve("/feed.xml", Reply(body=payload("feed_rss2.xml")))
        self.serve("/trap", Reply(302, headers={"Location": "file:///etc/passwd"}))
        self.serve("/loop", Reply(302, headers={"Location": "/loop"}))
        page = self.connector("rss", {"url": f"{self.server.url}/moved"}).fetch_page(None)
        self.assertEqual(len(page.items), 3)
        with self.assertRaisesRegex(ConnectorError, r"Refused URL file:///etc/passwd"):
            self.connector("rss", {"url": f"{self.server.url}/trap"}).fetch_page(None)
        with self.assertRaisesRegex(ConnectorError, "redirected more than 5 times"):
            self.connector("rss", {"url": f"{self.server.url}/loop"}).fetch_page(None)

    def test_redirect_to_another_host_drops_the_token(self):
        other = start_server(self.addCleanup)
        other.script["/2/tweets/search/recent"] = [json_reply("x_search_empty.json")]
        self.serve("/2/tweets/search/recent", Reply(307, headers={"Location": f"{other.url}/2/tweets/search/recent"}))
        x = self.connector("x", {"base_url": self.server.url, "query": "acme", "bearer_token": X_TOKEN})
        self.assertEqual(x.fetch_page(None).items, [])
        self.assertEqual(self.server.received[0].headers.get("Authorization"), f"Bearer {X_TOKEN}")
        self.assertIsNone(other.received[0].headers.get("Authorization"))


def self_signed_certificate(directory, host_name):
    """A certificate and key for ``host_name`` valid from yesterday to tomorrow; answers (cert path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1(), default_backend())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_name)])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host_name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256(), default_backend())
    )
    cert_path, key_path = Path(directory, f"{host_name}.pem"), Path(directory, f"{host_name}.key")
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def start_tls_server(add_cleanup, cert_path, key_path):
    """The scripted server over TLS on 127.0.0.1; ``server.sni`` records the names clients asked for."""
    server = start_server(add_cleanup)
    server.sni = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    context.sni_callback = lambda _socket, name, _context: server.sni.append(name)
    # the handshake runs in the request's thread, on its first read
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    return server


class SteeredAdapter(PinnedAddressAdapter):
    """The real pinning adapter, whose resolver answers the addresses a test scripts.

    ``opened`` records the address of every connection pool it takes. As Odoo's tests do for
    requests, it opens nothing beyond 127.0.0.1: another address is recorded, then blocked.
    """

    def __init__(self, answers, **kwargs):
        super().__init__(**kwargs)
        self.answers = list(answers)
        self.resolved, self.opened = [], []

    def resolve(self, host, port):
        self.resolved.append(host)
        return [self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]]

    def get_connection(self, url, proxies=None):
        pool = super().get_connection(url, proxies)
        self.opened.append(pool.host)
        if pool.host != "127.0.0.1":
            raise BlockedRequest(f"no connection to {pool.host} in tests")
        return pool


class TestAddressPinning(ConnectorCase):
    """Each request connects to the address its check accepted, with the host name kept for HTTP and TLS."""

    HOST = "feed.test"  # a reserved name: only the steered resolver knows it

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """Let the names of the steered resolver reach the adapter, which opens nothing beyond 127.0.0.1."""
        if urlsplit(r.url).hostname == cls.HOST:
            return common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def rss(self, url, answers, **options):
        connector = self.connector("rss", {"url": url}, **options)
        adapter = SteeredAdapter(answers, allow_private=connector.allow_private)
        connector.session.mount("http://", adapter)
        connector.session.mount("https://", adapter)
        return connector, adapter

    def test_rebinding_to_loopback_after_the_check_is_never_reached(self):
        # The check sees a public address; every later resolution answers 127.0.0.1.
        self.serve("/feed.xml", Reply(body=payload("feed_rss2.xml")))
        port = self.server.server_address[1]
        connector, adapter = self.rss(f"http://{self.HOST}:{port}/feed.xml", ["93.184.216.34", "127.0.0.1"],
                                      allow_private=False, max_retries=1)
        with self.assertRaisesRegex(ConnectorError, "non-public address 127.0.0.1"):
            connector.fetch_page(None)
        self.assertEqual(adapter.opened, ["93.184.216.34"], "the first attempt went to the address it checked")
        self.assertEqual(adapter.resolved, [self.HOST, self.HOST], "one resolution per attempt, checked each time")
        self.assertEqual(self.server.received, [], "nothing reached the loopback server")

    def test_connection_goes_to_the_checked_address_with_the_host_name(self):
        # Resolving a second time would answer an address where nothing listens.
        self.serve("/feed.xml", Reply(body=payload("feed_rss2.xml")))
        port = self.server.server_address[1]
        connector, adapter = self.rss(f"http://{self.HOST}:{port}/feed.xml", ["127.0.0.1", "127.0.0.9"])
        self.assertEqual(len(connector.fetch_page(None).items), 3)
        self.assertEqual((adapter.resolved, adapter.opened), ([self.HOST], ["127.0.0.1"]))
        self.assertEqual(self.server.received[0].headers.get("Host"), f"{self.HOST}:{port}")

    def test_redirect_hops_are_checked_and_pinned_each(self):
        self.serve("/moved", Reply(301, headers={"Location": "/feed.xml"}))
        self.serve("/feed.xml", Reply(body=payload("feed_rss2.xml")))
        port = self.server.server_address[1]
        connector, adapter = self.rss(f"http://{self.HOST}:{port}/moved", ["93.184.216.34", "127.0.0.1"],
                                      allow_private=False, max_retries=0)
        with self.assertRaises(ConnectorError):
            connector.fetch_page(None)
        self.assertEqual(adapter.opened, ["93.184.216.34"])
        self.assertEqual(self.server.received, [])
        # allowed to reach private addresses, each hop resolved once and pinned
        connector, adapter = self.rss(f"http://{self.HOST}:{port}/moved", ["127.0.0.1"])
        self.assertEqual(len(connector.fetch_page(None).items), 3)
        self.assertEqual((adapter.resolved, adapter.opened), ([self.HOST] * 2, ["127.0.0.1"] * 2))
        self.assertEqual([r.path for r in self.server.received], ["/moved", "/feed.xml"])

    def test_https_keeps_sni_and_verifies_the_certificate_of_the_host_name(self):
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        cert_path, key_path = self_signed_certificate(directory, self.HOST)
        server = start_tls_server(self.addCleanup, cert_path, key_path)
        server.script["/feed.xml"] = [Reply(body=payload("feed_rss2.xml"))]
        url = f"https://{self.HOST}:{server.server_address[1]}/feed.xml"
        connector, adapter = self.rss(url, ["127.0.0.1"])
        connector.session.trust_env = False  # else REQUESTS_CA_BUNDLE of the environment replaces our CA
        connector.session.verify = cert_path
        self.assertEqual(len(connector.fetch_page(None).items), 3)
        self.assertEqual(adapter.opened, ["127.0.0.1"])
        self.assertEqual(server.sni, [self.HOST], "TLS names the host, not the address")
        self.assertEqual(server.received[0].headers.get("Host"), f"{self.HOST}:{server.server_address[1]}")
        # a trusted certificate of another name is refused: it is checked against the host name
        other_cert, other_key = self_signed_certificate(directory, "other.test")
        impostor = start_tls_server(self.addCleanup, other_cert, other_key)
        impostor.script["/feed.xml"] = [Reply(body=payload("feed_rss2.xml"))]
        connector, adapter = self.rss(f"https://{self.HOST}:{impostor.server_address[1]}/feed.xml", ["127.0.0.1"],
                                      max_retries=0)
        connector.session.trust_env = False
        connector.session.verify = other_cert
        with self.assertRaisesRegex(ConnectorError, r"could not be reached \(SSLError\)"):
            connector.fetch_page(None)
        self.assertEqual(impostor.sni, [self.HOST])
        self.assertEqual(impostor.received, [], "no request was sent over the unverified connection")


class _ProxyHandler(BaseHTTPRequestHandler):
    """A forward proxy's side of the conversation: records the request line's target and answers
    every GET with a feed itself (what a proxy reaching an internal server would bring back)."""

    def do_GET(self):
        self.server.requests.append(("GET", self.path, self.headers.get("Host")))
        body = payload("feed_rss2.xml")
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_CONNECT(self):
        self.server.requests.append(("CONNECT", self.path, self.headers.get("Host")))
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        """Keep the test output clean."""


def start_proxy(add_cleanup):
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _ProxyHandler)
    proxy.daemon_threads = True
    proxy.requests = []
    proxy.url = f"http://127.0.0.1:{proxy.server_address[1]}"
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    add_cleanup(thread.join)
    add_cleanup(proxy.server_close)
    add_cleanup(proxy.shutdown)
    return proxy


@contextmanager
def environment_proxies(url):
    """``HTTP_PROXY``, ``HTTPS_PROXY`` and ``ALL_PROXY`` set to ``url`` (no ``NO_PROXY``), as on a
    server behind a proxy; the environment is restored afterwards."""
    names = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
    names += tuple(name.lower() for name in names)
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    os.environ.update({name: url for name in names if "no_" not in name.lower()})
    try:
        yield
    finally:
        for name in names:
            os.environ.pop(name, None)
        os.environ.update(saved)


class TestProxies(ConnectorCase):
    """Proxies of the environment are not used: a proxy resolves the host again, out of the check's
    reach. A proxy set by an administrator is, once the target is checked."""

    HOST = TestAddressPinning.HOST

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """As in TestAddressPinning: the steered adapter opens nothing beyond 127.0.0.1."""
        if urlsplit(r.url).hostname == cls.HOST:
            return common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.proxy = start_proxy(self.addCleanup)
        self.serve("/feed.xml", Reply(body=payload("feed_rss2.xml")))
        self.feed_url = f"http://{self.HOST}:{self.server.server_address[1]}/feed.xml"

    def rss(self, url, answers, **options):
        connector = self.connector("rss", {"url": url}, **options)
        adapter = SteeredAdapter(answers, allow_private=connector.allow_private, proxy=options.get("proxy"))
        connector.session.mount("http://", adapter)
        connector.session.mount("https://", adapter)
        return connector, adapter

    def test_environment_proxies_are_ignored(self):
        with environment_proxies(self.proxy.url):
            self.assertEqual(requests.utils.get_environ_proxies(self.feed_url)["http"], self.proxy.url,
                             "requests alone would send through the proxy")
            connector, adapter = self.rss(self.feed_url, ["127.0.0.1"])
            self.assertEqual(len(connector.fetch_page(None).items), 3)
            # refused before anything is sent, whatever the proxy could reach
            refused, _adapter = self.rss(self.feed_url, ["10.0.0.7"], allow_private=False, max_retries=0)
            with self.assertRaisesRegex(ConnectorError, "non-public address 10.0.0.7"):
                refused.fetch_page(None)
            tls, _adapter = self.rss(self.feed_url.replace("http:", "https:"), ["10.0.0.7"],
                                     allow_private=False, max_retries=0)
            with self.assertRaisesRegex(ConnectorError, "non-public address 10.0.0.7"):
                tls.fetch_page(None)
        self.assertEqual(self.proxy.requests, [], "nothing went through the environment's proxy")
        self.assertEqual((adapter.resolved, adapter.opened), ([self.HOST], ["127.0.0.1"]))
        self.assertEqual([r.path for r in self.server.received], ["/feed.xml"], "the checked address was reached")

    def test_proxy_set_by_the_administrator_is_used_once_the_target_is_checked(self):
        connector, adapter = self.rss(self.feed_url, ["10.0.0.7"], allow_private=False, max_retries=0,
                                      proxy=self.proxy.url)
        with self.assertRaisesRegex(ConnectorError, "non-public address 10.0.0.7"):
            connector.fetch_page(None)
        self.assertEqual((self.proxy.requests, adapter.opened), ([], []), "refused before reaching the proxy")
        connector, adapter = self.rss(self.feed_url, ["93.184.216.34"], allow_private=False, proxy=self.proxy.url)
        self.assertEqual(len(connector.fetch_page(None).items), 3)
        port = self.server.server_address[1]
        self.assertEqual(self.proxy.requests, [("GET", self.feed_url, f"{self.HOST}:{port}")])
        self.assertEqual(adapter.opened, ["127.0.0.1"], "the connection went to the proxy")
        self.assertEqual(self.server.received, [])
        with self.assertRaisesRegex(ConnectorError, "only http and https"):
            self.connector("rss", {"url": self.feed_url}, proxy="socks5://127.0.0.1:1080")

    def test_sources_are_polled_through_the_proxy_setting_only(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("social_crm.allow_private_source_urls", "True")
        source = self.env["social.source"].create({
            "name": "Proxied feed", "source_type": "rss", "url": f"{self.server.url}/feed.xml"})
        with environment_proxies(self.proxy.url):
            self.assertIsNone(source._source_proxy())
            self.assertEqual(source._poll(sleep=self.waits.append)["created"], 3)
            self.assertEqual(self.proxy.requests, [], "the environment's proxy is not the setting")
            params.set_param("social_crm.source_proxy", f" {self.proxy.url} ")
            self.assertEqual(source._source_proxy(), self.proxy.url)
            source.cursor = False
            self.assertEqual(source._poll(sleep=self.waits.append)["duplicates"], 3)
        self.assertEqual(self.proxy.requests, [("GET", f"{self.server.url}/feed.xml", self.server.url[7:])])
        self.assertEqual([r.path for r in self.server.received], ["/feed.xml"], "the first poll only")


class TestConnectorHttp(ConnectorCase):
    """Retries, back-off, rate limits and bad answers, shown on the Mastodon and RSS connectors."""

    PATH = "/api/v1/timelines/tag/acme"

    def mastodon(self, **options):
        return self.connector("mastodon", {"base_url": self.server.url, "hashtag": "acme"}, **options)

    def test_429_waits_retry_after_seconds(self):
        self.serve(self.PATH, json_reply('{"error": "Too many requests"}', status=429, headers={"Retry-After": "7"}),
                   json_reply("mastodon_tag_page1.json"))
        page = self.mastodon().fetch_page(None)
        self.assertEqual(len(page.items), 2)
        self.assertEqual(self.waits, [7.0])

    def test_429_waits_retry_after_http_date(self):
        retry_at = email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(seconds=120), usegmt=True)
        self.serve(self.PATH, json_reply("{}", status=429, headers={"Retry-After": retry_at}),
                   json_reply("mastodon_tag_page1.json"))
        self.mastodon().fetch_page(None)
        self.assertEqual(len(self.waits), 1)
        self.assertTrue(100 <= self.waits[0] <= 120, self.waits)

    def test_429_wait_is_capped(self):
        self.serve(self.PATH, json_reply("{}", status=429, headers={"Retry-After": "3600"}),
                   json_reply("mastodon_tag_page1.json"))
        self.mastodon(max_wait=30).fetch_page(None)
        self.assertEqual(self.waits, [30])

    def test_429_without_retry_after_backs_off(self):
        self.serve(self.PATH, json_reply("{}", status=429), json_reply("mastodon_tag_page1.json"))
        self.mastodon(backoff=0.5).fetch_page(None)
        self.assertEqual(self.waits, [0.5])

    def test_server_errors_then_success(self):
        self.serve(self.PATH, Reply(500, b"Internal Server Error"), Reply(503, b"busy"),
                   json_reply("mastodon_tag_page1.json"))
        page = self.mastodon().fetch_page(None)
        self.assertEqual(len(page.items), 2)
        self.assertEqual(self.waits, [1.0, 2.0])  # exponential back-off

    def test_server_errors_give_up(self):
        self.serve(self.PATH, Reply(502, b"<html><body>Bad gateway</body></html>", {"Content-Type": "text/html"}))
        with self.assertRaisesRegex(ConnectorError, r"/api/v1/timelines/tag/acme answered HTTP 502 .*3 attempts"):
            self.mastodon(max_retries=2).fetch_page(None)
        self.assertEqual(len(self.server.received), 3)
        self.assertEqual(self.waits, [1.0, 2.0])

    def test_timeout_retries_then_fails(self):
        self.serve(self.PATH, json_reply("mastodon_tag_page1.json", delay=1.0))
        started = time.monotonic()
        with self.assertRaisesRegex(ConnectorError, "did not answer in time; gave up after 2 attempts"):
            self.mastodon(timeout=(2, 0.2), max_retries=1).fetch_page(None)
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertEqual(len(self.server.received), 2)
        self.assertEqual(self.waits, [1.0])

    def test_client_error_is_not_retried(self):
        self.serve(self.PATH, json_reply('{"error": "This method requires an authenticated user"}', status=401))
        with self.assertRaises(ConnectorError) as caught:
            self.mastodon().fetch_page(None)
        message = str(caught.exception)
        self.assertIn(f"{self.server.url}{self.PATH} answered HTTP 401 Unauthorized", message)
        self.assertIn("This method requires an authenticated user", message)
        self.assertIn("Check the credentials", message)
        self.assertEqual(len(self.server.received), 1)
        self.assertEqual(self.waits, [])

    def test_html_instead_of_json(self):
        self.serve(self.PATH, Reply(body=payload("not_a_feed.html"), headers={"Content-Type": "text/html"}))
        with self.assertRaisesRegex(ConnectorError, "answered an HTML page instead of JSON"):
            self.mastodon().fetch_page(None)

    def test_truncated_json(self):
        body = payload("mastodon_tag_page1.json")
        self.serve(self.PATH, Reply(body=body[: len(body) // 2], headers={"Content-Type": "application/json"}))
        with self.assertRaisesRegex(ConnectorError, "answered invalid or truncated JSON"):
            self.mastodon().fetch_page(None)

    def test_json_of_another_shape(self):
        self.serve(self.PATH, json_reply('{"statuses": []}'))
        with self.assertRaisesRegex(ConnectorError, "unexpected shape"):
            self.mastodon().fetch_page(None)

    def test_oversized_answer(self):
        self.serve(self.PATH, json_reply("mastodon_tag_page1.json"))
        connector = self.mastodon()
        connector.max_body_bytes = 1000
        with self.assertRaisesRegex(ConnectorError, "answered more than 1000 bytes"):
            connector.fetch_page(None)

    def test_html_instead_of_feed(self):
        self.serve("/feed.xml", Reply(body=payload("not_a_feed.html"), headers={"Content-Type": "text/html"}))
        with self.assertRaises(ConnectorError) as caught:
            self.connector("rss", {"url": f"{self.server.url}/feed.xml?key=s3cret"}).fetch_page(None)
        self.assertEqual(
            str(caught.exception), f"{self.server.url}/feed.xml answered an HTML page instead of an RSS or Atom feed."
        )

    def test_configuration_errors(self):
        with self.assertRaisesRegex(ConnectorError, "needs a value for 'url'"):
            self.connector("rss", {"url": "  "})
        with self.assertRaisesRegex(ConnectorError, "needs a hashtag or an account id"):
            self.connector("mastodon", {"base_url": "https://mastodon.social"})
        with self.assertRaisesRegex(ConnectorError, "not a valid subreddit name"):
            self.connector("reddit", {"subreddit": "../../api"})
        with self.assertRaisesRegex(ConnectorError, "needs a value for 'bearer_token'"):
            self.connector("x", {"query": "acme"})
        with self.assertRaisesRegex(ConnectorError, "cursor .* is not valid"):
            self.mastodon().fetch_page("not json")

    def test_connector_of_each_source_type(self):
        Source = self.env["social.source"]
        classes = {source_type: getattr(self.connector_class(source_type), "__name__", None)
                   for source_type in ("rss", "mastodon", "reddit", "bluesky", "x", "webhook", "csv")}
        self.assertEqual(classes, {
            "rss": "RssConnector", "mastodon": "MastodonConnector", "reddit": "RedditConnector",
            "bluesky": "BlueskyConnector", "x": "XConnector", "webhook": None, "csv": None})
        self.assertEqual(set(Source._polled_source_types()) & set(classes),
                         {"rss", "mastodon", "reddit", "bluesky", "x"})
        webhook = Source.create({"name": "Pushed", "source_type": "webhook", "network": "forum"})
        with self.assertRaisesRegex(ConnectorError, "no connector for sources of type 'webhook'"):
            webhook._get_connector()
        x_source = Source.create({"name": "X", "source_type": "x", "query": "acme", "bearer_token": "t0ken"})
        connector = x_source._get_connector(max_retries=1)
        self.assertEqual((type(connector).__name__, connector.query, connector.max_retries),
                         ("XConnector", "acme", 1))
        self.assertEqual((x_source.network, webhook.network), ("x", "forum"), "the network of an API is its own")


class TestRssConnector(ConnectorCase):
    def rss(self, path="/feed.xml", **config):
        return self.connector("rss", {"url": f"{self.server.url}{path}", **config})

    def test_normalises_rss2(self):
        self.serve("/feed.xml", Reply(body=payload("feed_rss2.xml"), headers={"Content-Type": "application/rss+xml"}))
        page = self.rss(network="review").fetch_page(None)
        self.assertIsInstance(page, Page)
        self.assertFalse(page.has_more)
        self.assertEqual(page.items[0], {
            "id": "review-9012",
            "network": "review",
            "author": {"handle": None, "account_id": None, "name": "Ann Fan", "url": None, "followers": None,
                       "email": None, "phone": None},
            "text": "Five stars for the X2\n\nGreat phone & great support.\n\nWould buy again.",
            "url": "https://reviews.example.com/acme/x2/review-9012",
            "posted_at": "2024-11-01T10:00:00Z",
            "lang": "en-us",
            "parent_id": None,
        })
        self.assertEqual(page.items[1]["author"]["email"], "bob@example.net")
        self.assertEqual(page.items[1]["author"]["name"], "Bob Builder")
        self.assertEqual(
            page.items[1]["text"], "Screen cracked after a week\n\nNot happy, the screen cracked on its own."
        )
        self.assertEqual(page.items[2]["id"], "https://reviews.example.com/acme/questions/301")  # no guid: the link
        self.assertIsNone(page.items[2]["posted_at"])
        self.assertEqual(self.server.received[0].headers.get("User-Agent")[:19], "Odoo-Social-CRM/18.")

    def test_normalises_atom(self):
        self.serve("/feed.atom", Reply(body=payload("feed_atom.xml"), headers={"Content-Type": "application/atom+xml"}))
        items = self.rss("/feed.atom").fetch_page(None).items
        self.assertEqual(items[0], {
            "id": "tag:forum.example.fr,2024:post-812",
            "network": "other",
            "author": {"handle": None, "account_id": None, "name": "Léo", "url": "https://forum.example.fr/u/leo",
                       "followers": None, "email": "leo@example.fr", "phone": None},
            "text": "Le X2 chauffe\n\nMon X2 chauffe pendant la charge.\n\nNormal ?",
            "url": "https://forum.example.fr/t/le-x2-chauffe/812",
            "posted_at": "2024-11-01T10:15:00Z",
            "lang": "fr",
            "parent_id": None,
        })
        self.assertEqual(items[1]["posted_at"], "2024-11-01T09:00:00Z")  # no <published>: <updated>

    def test_next_fetch_returns_only_new_entries(self):
        validators = {"ETag": '"v1"', "Last-Modified": "Fri, 01 Nov 2024 11:00:00 GMT"}
        self.serve("/feed.xml", Reply(body=payload("feed_rss2.xml"), headers=validators), Reply(304),
                   Reply(body=payload("feed_rss2_updated.xml"), headers={"ETag": '"v2"'}))
        first = self.rss().fetch_page(None)
        self.assertEqual(len(first.items), 3)
        unchanged = self.rss().fetch_page(first.next_cursor)
        self.assertEqual(unchanged, Page([], first.next_cursor, False))
        conditional = self.server.received[1].headers
        self.assertEqual(conditional.get("If-None-Match"), '"v1"')
        self.assertEqual(conditional.get("If-Modified-Since"), "Fri, 01 Nov 2024 11:00:00 GMT")
        updated = self.rss().fetch_page(unchanged.next_cursor)
        self.assertEqual([item["id"] for item in updated.items], ["review-9020"])
        self.assertFalse(updated.has_more)
        self.assertNoDuplicates(first.items + updated.items)


class TestMastodonConnector(ConnectorCase):
    PATH = "/api/v1/timelines/tag/acme"

    def mastodon(self):
        return self.connector("mastodon", {"base_url": self.server.url, "hashtag": "#acme", "page_size": 2})

    def test_normalises_statuses(self):
        self.serve(self.PATH, json_reply("mastodon_tag_page1.json"))
        items = self.mastodon().fetch_page(None).items
        self.assertEqual(items[0], {
            "id": "113401234567890200",
            "network": "mastodon",
            "author": {"handle": "acme_fan@mastodon.social", "account_id": None, "name": "Ann Fan",
                       "url": "https://mastodon.social/@acme_fan", "followers": 1200, "email": None, "phone": None},
            "text": "Loving my new #acme phone! Thanks @acme & team\n\nReview: https://example.com/review",
            "url": "https://mastodon.social/@acme_fan/113401234567890200",
            "posted_at": "2024-11-01T10:00:00Z",
            "lang": "en",
            "parent_id": None,
            "visibility": "public",  # a reply keeps it
        })
        remote = items[1]
        self.assertEqual(remote["author"]["handle"], "bernd@fosstodon.org")
        self.assertEqual(remote["author"]["name"], "bernd")
        self.assertEqual(remote["text"], "Phone rant\n\nMein #acme Akku hält keinen Tag.\nWer kennt das?")
        self.assertEqual(self.server.received[0].query, {"limit": ["2"]})

    def test_empty_settings_as_read_from_odoo_fields(self):
        self.serve(self.PATH, json_reply("[]"))
        config = {"base_url": self.server.url, "hashtag": "acme", "mastodon_account_id": False, "page_size": 0,
                  "query": False}
        self.assertEqual(self.connector("mastodon", config).fetch_page(None), Page([], "{}", False))
        self.assertEqual(self.server.received[0].query, {"limit": ["40"]})
        self.assertEqual(RssConnector({"url": "https://example.com/feed", "network": False}).network, "other")

    def test_account_statuses(self):
        self.serve("/api/v1/accounts/109876543210/statuses", json_reply("mastodon_tag_page2.json"))
        config = {"base_url": self.server.url, "mastodon_account_id": "109876543210"}
        item = self.connector("mastodon", config).fetch_page(None).items[0]
        self.assertEqual(item["parent_id"], "113401234567890100")
        self.assertEqual(self.server.received[0].query, {"exclude_reblogs": ["true"], "limit": ["40"]})

    def test_pages_resume_and_next_run_gets_only_newer(self):
        self.serve(self.PATH, json_reply("mastodon_tag_page1.json"), json_reply("mastodon_tag_page2.json"),
                   json_reply("[]"), json_reply("mastodon_tag_newer.json"), json_reply("[]"))
        first = self.mastodon().fetch_page(None)
        self.assertTrue(first.has_more)
        # the run stops after the first committed page; the next one resumes from the saved cursor
        rest, end_cursor = self.run_source(self.mastodon, first.next_cursor)
        self.assertEqual([item["id"] for item in first.items + rest],
                         ["113401234567890200", "113401234567890190", "113401234567890150"])
        self.assertEqual(self.server.received[1].query["max_id"], ["113401234567890190"])
        self.assertEqual(self.server.received[2].query["max_id"], ["113401234567890150"])
        newer, _cursor = self.run_source(self.mastodon, end_cursor)
        self.assertEqual([item["id"] for item in newer], ["113401234567890300"])
        self.assertEqual(self.server.received[3].query, {"limit": ["2"], "since_id": ["113401234567890200"]})
        self.assertEqual(self.server.received[4].query["max_id"], ["113401234567890300"])
        self.assertNoDuplicates(first.items + rest + newer)


class TestRedditConnector(ConnectorCase):
    PATH = "/r/acme/search.json"

    def reddit(self):
        return self.connector(
            "reddit", {"base_url": self.server.url, "subreddit": "r/acme", "query": "acme x2", "page_size": 2}
        )

    def test_normalises_posts(self):
        self.serve(self.PATH, json_reply("reddit_search_page1.json"))
        items = self.reddit().fetch_page(None).items
        self.assertEqual(items[0], {
            "id": "t3_1gh2abc",
            "network": "reddit",
            "author": {"handle": "PhoneNerd42", "account_id": None, "name": "PhoneNerd42",
                       "url": f"{self.server.url}/user/PhoneNerd42", "followers": None, "email": None, "phone": None},
            "text": "Is the Acme X2 worth it?\n\nThinking about buying one. How much is it in the UK & where's best to"
                    " buy?\n\nThanks!",
            "url": f"{self.server.url}/r/acme/comments/1gh2abc/is_the_acme_x2_worth_it/",
            "posted_at": "2024-11-01T10:00:00Z",
            "lang": None,
            "parent_id": None,
        })
        deleted = items[1]
        self.assertEqual(deleted["author"], {"handle": None, "account_id": None, "name": None, "url": None,
                                             "followers": None, "email": None, "phone": None})
        self.assertEqual(deleted["text"], "Acme support ignored me for a week")
        request = self.server.received[0]
        self.assertEqual(request.query, {"q": ["acme x2"], "restrict_sr": ["on"], "sort": ["new"], "type": ["link"],
                                         "limit": ["2"], "raw_json": ["1"]})
        self.assertTrue(request.headers.get("User-Agent").startswith("odoo:social_crm:"))

    def test_pages_resume_and_next_run_gets_only_newer(self):
        self.serve(self.PATH, json_reply("reddit_search_page1.json"), json_reply("reddit_search_page2.json"),
                   json_reply("reddit_search_newer.json"))
        first = self.reddit().fetch_page(None)
        self.assertTrue(first.has_more)
        rest, end_cursor = self.run_source(self.reddit, first.next_cursor)
        self.assertEqual([item["id"] for item in first.items + rest], ["t3_1gh2abc", "t3_1gh29zz", "t3_1gh1xyz"])
        self.assertEqual(self.server.received[1].query["after"], ["t3_1gh29zz"])
        # the newer listing ends with a post already returned: it is left out and the run stops there
        newer = self.reddit().fetch_page(end_cursor)
        self.assertEqual([item["id"] for item in newer.items], ["t3_1gh3def"])
        self.assertFalse(newer.has_more)
        self.assertNotIn("after", self.server.received[2].query)
        self.assertNoDuplicates(first.items + rest + newer.items)


class TestBlueskyConnector(ConnectorCase):
    PATH = "/xrpc/app.bsky.feed.searchPosts"

    def bluesky(self):
        return self.connector("bluesky", {"base_url": self.server.url, "query": "acme x2", "page_size": 2})

    def test_normalises_posts(self):
        self.serve(self.PATH, json_reply("bluesky_search_page1.json"))
        items = self.bluesky().fetch_page(None).items
        self.assertEqual(items[0], {
            "id": "at://did:plc:4x2nv3sz7dk5nkhn7aozwbyl/app.bsky.feed.post/3l7wqa2v2ck2a",
            "network": "bluesky",
            "author": {"handle": "ann.bsky.social", "account_id": "did:plc:4x2nv3sz7dk5nkhn7aozwbyl", "name": "Ann",
                       "url": "https://bsky.app/profile/ann.bsky.social", "followers": None, "email": None,
                       "phone": None},
            "text": "Loving my new Acme X2 phone! @acme.com https://acme.com/x2",
            "url": "https://bsky.app/profile/ann.bsky.social/post/3l7wqa2v2ck2a",
            "posted_at": "2024-11-01T10:00:05Z",
            "lang": "en",
            "parent_id": None,
            "cid": "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5vcabw6bmxz5gze",  # kept to answer it
        })
        reply = items[1]
        self.assertEqual(reply["author"]["name"], "leo.example.org")  # no display name: the handle
        self.assertEqual(reply["lang"], "fr")
        self.assertEqual(reply["parent_id"], "at://did:plc:4x2nv3sz7dk5nkhn7aozwbyl/app.bsky.feed.post/3l7wq7ybmb22p")
        self.assertEqual(self.server.received[0].query, {"q": ["acme x2"], "sort": ["latest"], "limit": ["2"]})

    def test_pages_resume_and_next_run_gets_only_newer(self):
        self.serve(self.PATH, json_reply("bluesky_search_page1.json"), json_reply("bluesky_search_page2.json"),
                   json_reply("bluesky_search_newer.json"))
        first = self.bluesky().fetch_page(None)
        rest, end_cursor = self.run_source(self.bluesky, first.next_cursor)
        self.assertEqual(len(first.items + rest), 3)
        self.assertEqual(self.server.received[1].query["cursor"], ["2"])
        self.assertEqual(json.loads(end_cursor)["since"]["at"], "2024-11-01T10:00:05Z")
        # newer answer: a new post, the two already returned, and a new one from the same second as those
        newer = self.bluesky().fetch_page(end_cursor)
        self.assertEqual([item["id"].rsplit("/", 1)[1] for item in newer.items], ["3l7wtdmfrgs2c", "3l7wqa1xxbk2d"])
        self.assertFalse(newer.has_more)
        self.assertNoDuplicates(first.items + rest + newer.items)


class TestXConnector(ConnectorCase):
    PATH = "/2/tweets/search/recent"

    def x(self, **options):
        config = {"base_url": self.server.url, "query": "@acme -is:retweet", "bearer_token": X_TOKEN, "page_size": 2}
        return self.connector("x", config, **options)

    def test_normalises_posts(self):
        self.serve(self.PATH, json_reply("x_search_page1.json"), json_reply("x_search_page2.json"))
        items = self.x().fetch_page(None).items
        self.assertEqual(items[0], {
            "id": "1852318210447016113",
            "network": "x",
            "author": {"handle": "acme_fan", "account_id": "1424213012458618882", "name": "Ann",
                       "url": "https://x.com/acme_fan",
                       "followers": 1200, "email": None, "phone": None},
            "text": "Loving my new @acme phone! https://t.co/aBcD3fGh1J",
            "url": "https://x.com/acme_fan/status/1852318210447016113",
            "posted_at": "2024-11-01T10:00:00Z",
            "lang": "en",
            "parent_id": None,
        })
        reply = items[1]
        self.assertEqual(reply["text"], "@acme how much is the X2 & does it ship to Canada?")
        self.assertEqual(reply["author"]["name"], "Bob <Builder>")
        self.assertEqual(reply["parent_id"], "1852301100022213401")
        request = self.server.received[0]
        self.assertEqual(request.headers.get("Authorization"), f"Bearer {X_TOKEN}")
        self.assertEqual(request.query, {
            "query": ["@acme -is:retweet"],
            "max_results": ["10"],  # the API's minimum
            "expansions": ["author_id"],
            "user.fields": ["username,name,public_metrics,url"],
            "tweet.fields": ["created_at,lang,conversation_id,referenced_tweets,public_metrics,note_tweet"],
        })
        long_post = self.x().fetch_page(None).items[0]
        self.assertTrue(long_post["text"].endswith("with 5G on, impressive."))  # the full note_tweet text
        self.assertIsNone(long_post["lang"])  # "und": undetermined
        self.assertIsNone(long_post["parent_id"])  # a quote is not a reply

    def test_author_missing_from_includes_known_by_author_id(self):
        self.serve(self.PATH, json_reply("x_search_authors_missing.json"))
        items = self.x().fetch_page(None).items
        self.assertEqual(items[1]["author"], {
            "handle": None, "account_id": "99887766554433", "name": None,
            "url": "https://x.com/i/user/99887766554433", "followers": None, "email": None, "phone": None})
        self.assertEqual(items[1]["url"], "https://x.com/i/web/status/1852400000000000310")
        self.assertEqual((items[0]["author"]["handle"], items[0]["author"]["account_id"]),
                         ("lu_charges", "1424213012458618882"))

    def test_pages_resume_and_next_run_gets_only_newer(self):
        self.serve(self.PATH, json_reply("x_search_page1.json"), json_reply("x_search_page2.json"),
                   json_reply("x_search_newer.json"), json_reply("x_search_empty.json"))
        first = self.x().fetch_page(None)
        rest, end_cursor = self.run_source(self.x, first.next_cursor)
        self.assertEqual(len(first.items + rest), 3)
        self.assertEqual(self.server.received[1].query["next_token"], ["b26v89c19zqg8o3frr3pwzc4f8s9e3nqe2e4jchdaotc"])
        newer, newer_cursor = self.run_source(self.x, end_cursor)
        self.assertEqual([item["id"] for item in newer], ["1852330000000000001"])
        self.assertEqual(self.server.received[2].query["since_id"], ["1852318210447016113"])
        self.assertNotIn("next_token", self.server.received[2].query)
        nothing, last_cursor = self.run_source(self.x, newer_cursor)
        self.assertEqual(nothing, [])
        self.assertEqual(self.server.received[3].query["since_id"], ["1852330000000000001"])
        self.assertEqual(last_cursor, newer_cursor)
        self.assertNoDuplicates(first.items + rest + newer)

    def test_rate_limit_reset_header(self):
        reset = str(int(time.time()) + 60)
        self.serve(self.PATH, json_reply('{"title": "Too Many Requests"}', status=429,
                                         headers={"x-rate-limit-reset": reset}), json_reply("x_search_empty.json"))
        self.x().fetch_page(None)
        self.assertEqual(len(self.waits), 1)
        self.assertTrue(55 <= self.waits[0] <= 60, self.waits)

    def test_token_never_in_messages_or_logs(self):
        echo = json.dumps({"title": "Unauthorized", "type": "about:blank", "status": 401,
                           "detail": f"Invalid token Bearer {X_TOKEN}"})
        self.serve(self.PATH, Reply(503, b"busy"), json_reply(echo, status=401))
        # logging.INFO, not "INFO": Odoo names its level 25 "INFO" too
        with self.assertLogs("odoo.addons.social_crm.connectors", logging.INFO) as logs, \
                self.assertRaises(ConnectorError) as caught:
            self.x().fetch_page(None)
        message = str(caught.exception)
        self.assertIn("HTTP 401", message)
        self.assertIn("Invalid token Bearer ***", message)
        self.assertNotIn(X_TOKEN, message)
        self.assertNotIn(X_TOKEN, "\n".join(logs.output))
