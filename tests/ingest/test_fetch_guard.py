"""The fetch guard: no feed, page or redirect reaches a loopback, private, link-local, multicast, reserved
or metadata address unless the user allows it (fetch_allow_hosts). Only 127.0.0.1 ever gets traffic here:
for every other address the guard's decision is checked, and it decides before any connection."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.errors import FetchError
from assistant.ingest.feeds.http import Fetcher, FetchGuard, pinned

from ..feedserver import FeedServer, Route, page

INTERNAL = [
    "http://127.0.0.1/", "http://localhost/", "http://[::1]/", "http://0x7f000001/", "http://2130706433/",
    "http://127.1/", "http://0177.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://10.1.2.3/",
    "http://172.16.0.5/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/",
    "http://[fd00:ec2::254]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://224.0.0.1/", "http://240.0.0.1/",
    "https://[::]/", "http://[::ffff:a9fe:a9fe]/",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_every_spelling_of_an_internal_address_is_refused_by_default(url):
    with pytest.raises(FetchError, match="fetch_allow_hosts"):
        FetchGuard().address_for(url)


@pytest.mark.parametrize("url", ["http://93.184.216.34/", "https://[2606:2800:220:1:248:1893:25c8:1946]/a"])
def test_a_public_address_is_allowed_and_pinned(url):
    address = FetchGuard().address_for(url)
    target, headers, extensions = pinned(url, address)
    assert address in target and headers["Host"] in url and extensions["sni_hostname"] in url


def test_the_user_may_allow_hosts_and_networks():
    guard = FetchGuard.of("127.0.0.1, intranet.invalid, 10.0.0.0/8")
    assert guard.address_for("http://127.0.0.1:8080/feed") == "127.0.0.1"
    assert guard.address_for("http://0x7f000001/") == "127.0.0.1"  # the same address, however spelt
    assert guard.address_for("http://10.9.8.7/") == "10.9.8.7"
    for refused in ("http://[::1]/", "http://192.168.1.1/", "http://169.254.169.254/"):
        with pytest.raises(FetchError, match="fetch_allow_hosts"):
            guard.address_for(refused)


def test_the_request_goes_to_the_checked_address_with_the_name_kept():
    target, headers, extensions = pinned("https://news.example:8443/feed?x=1", "203.0.113.9")
    assert target == "https://203.0.113.9:8443/feed?x=1"
    assert headers == {"Host": "news.example:8443"} and extensions == {"sni_hostname": "news.example"}
    assert pinned("http://a.example/", "2001:db8::1")[0] == "http://[2001:db8::1]/"


@pytest.fixture
def web():
    server = FeedServer()
    yield server
    server.close()


def test_a_local_server_is_refused_unless_allowed_and_every_redirect_hop_is_checked(web):
    web.routes["/admin"] = Route(page("Admin", "The admin password is hunter2."))
    web.routes["/to-admin"] = Route(status=302, location=web.url("/admin"))
    web.routes["/to-metadata"] = Route(status=302, location="http://169.254.169.254/latest/meta-data/")
    web.routes["/to-loopback-v6"] = Route(status=302, location="http://[::1]/admin")
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address .*fetch_allow_hosts"):
        Fetcher("t").get(web.url("/to-admin"))
    assert web.requests == []  # refused before a connection was made
    allowed = Fetcher("t", guard=FetchGuard(("127.0.0.1",)))
    assert b"hunter2" in allowed.get(web.url("/to-admin")).body
    for hop in ("/to-metadata", "/to-loopback-v6"):
        with pytest.raises(FetchError, match="fetch_allow_hosts"):
            allowed.get(web.url(hop))


def test_adding_a_link_to_an_internal_page_is_refused_with_the_setting_named(tmp_path, web, monkeypatch):
    monkeypatch.delenv("ASSISTANT_FETCH_ALLOW_HOSTS", raising=False)
    web.routes["/admin"] = Route(page("Admin", "The admin password is hunter2."))
    bot = Assistant(articles_dir=tmp_path / "articles", index_dir=tmp_path / "index")
    with pytest.raises(FetchError, match="fetch_allow_hosts"):
        bot.add_url(web.url("/admin"))
    assert not (tmp_path / "articles").exists() or not any((tmp_path / "articles").rglob("*.md"))
