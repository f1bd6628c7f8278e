"""The central server under faults: malformed and oversized requests, strangers and revoked
offices, replays, a server killed mid-upload, PostgreSQL restarted under the running server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kinerja_desktop.store.sync_models import ReceivedBundle
from kinerja_desktop.sync.enrollment import revoke_site
from kinerja_desktop.sync.http_client import ServerClient, ServerRefused, ServerUnavailable, push, push_job, sync
from kinerja_desktop.sync.keys import load_keys
from kinerja_desktop.sync.sandbox import make_site, seed_org, synced_rows
from kinerja_desktop.sync.server import signing

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pg_cluster import PgCluster, available
from server_harness import (
    ServerProcess,
    ServerThread,
    a_position,
    fast_policy,
    make_district,
    office_kw,
    rename,
    server_config,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def district(tmp_path, pg_url):
    central, offices, org = make_district(tmp_path, pg_url, offices=2)
    yield central, offices, org
    for s in (central, *offices):
        s.close()


@pytest.fixture
def server(district, tmp_path, pg_url):
    central = district[0]
    cfg = server_config(
        central,
        pg_url,
        tmp_path / "srv",
        max_upload_bytes=256 * 1024,
        max_chunk_bytes=16 * 1024,
        max_ack_bytes=8 * 1024,
    )
    with ServerThread(cfg) as srv:
        yield srv


def signed(keys, method, target, body=b"", **headers):
    h = signing.sign_request(keys, method, target, body)
    h.update(headers)
    return h


def assert_json_error(r: httpx.Response, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert isinstance(body.get("error"), str) and isinstance(body.get("message"), str) and body["message"]
    if code is not None:
        assert body["error"] == code, body
    return body


def healthy(url: str) -> bool:
    return httpx.get(url + "/v1/health", timeout=10).status_code == 200


def test_malformed_requests_get_a_4xx_json_error_and_the_server_keeps_serving(district, server):
    _central, (a, _b), _org = district
    keys = load_keys(a.site_id, a.keys_dir)
    url = server.url
    with httpx.Client(base_url=url, timeout=10) as http:
        # Not signed at all, or with headers that are not what they should be.
        assert_json_error(http.post("/v1/downstream"), 401, "unauthenticated")
        bad = signed(keys, "POST", "/v1/downstream")
        bad[signing.HEADER_TIMESTAMP] = "soon"
        assert_json_error(http.post("/v1/downstream", headers=bad), 401, "bad_signature_headers")
        bad = signed(keys, "POST", "/v1/downstream")
        bad[signing.HEADER_SIGNATURE] = "%%%not base64%%%"
        assert_json_error(http.post("/v1/downstream", headers=bad), 401, "bad_signature")
        # Signed for another path (a signature cannot be moved to another request).
        moved = signed(keys, "GET", "/v1/uploads/" + "0" * 32)
        assert_json_error(http.post("/v1/downstream", headers=moved), 401, "bad_signature")
        # Broken JSON, wrong types, ids and offsets that cannot be.
        body = b"{not json"
        assert_json_error(
            http.post(
                "/v1/uploads",
                content=body,
                headers={**signed(keys, "POST", "/v1/uploads", body), "content-type": "application/json"},
            ),
            422,
            "invalid_request",
        )
        body = json.dumps({"size": "big", "sha256": "xyz"}).encode()
        assert_json_error(
            http.post(
                "/v1/uploads",
                content=body,
                headers={**signed(keys, "POST", "/v1/uploads", body), "content-type": "application/json"},
            ),
            422,
            "invalid_request",
        )
        assert_json_error(
            http.get("/v1/uploads/not-an-id", headers=signed(keys, "GET", "/v1/uploads/not-an-id")),
            422,
            "invalid_request",
        )
        target = "/v1/uploads/" + "a" * 32 + "?offset=-5"
        assert_json_error(http.put(target, content=b"x", headers=signed(keys, "PUT", target, b"x")), 422)
        target = "/v1/uploads/" + "a" * 32 + "?offset=0"
        assert_json_error(http.put(target, content=b"x", headers=signed(keys, "PUT", target, b"x")), 404, "not_found")
        # A chunk at the wrong offset of a real upload: 409 with the offset to continue from.
        body = json.dumps({"size": 10, "sha256": "0" * 64}).encode()
        r = http.post(
            "/v1/uploads",
            content=body,
            headers={**signed(keys, "POST", "/v1/uploads", body), "content-type": "application/json"},
        )
        upload_id = r.json()["upload_id"]
        target = f"/v1/uploads/{upload_id}?offset=3"
        assert (
            assert_json_error(
                http.put(target, content=b"abc", headers=signed(keys, "PUT", target, b"abc")), 409, "offset_mismatch"
            )["offset"]
            == 0
        )
        # Finishing an incomplete upload, then one whose bytes do not match its sha256.
        target = f"/v1/uploads/{upload_id}/finish"
        assert_json_error(http.post(target, headers=signed(keys, "POST", target)), 409, "incomplete")
        target = f"/v1/uploads/{upload_id}?offset=0"
        assert (
            http.put(target, content=b"0123456789", headers=signed(keys, "PUT", target, b"0123456789")).json()["offset"]
            == 10
        )
        target = f"/v1/uploads/{upload_id}/finish"
        assert_json_error(http.post(target, headers=signed(keys, "POST", target)), 422, "checksum_mismatch")
        # Bytes that are not a bundle, as an ack.
        assert_json_error(
            http.post("/v1/acks", content=b"garbage", headers=signed(keys, "POST", "/v1/acks", b"garbage")),
            422,
            "bundle_refused",
        )
        # Unknown address and wrong method.
        assert_json_error(http.get("/v1/nothing-here"), 404, "not_found")
        assert_json_error(http.delete("/v1/health"), 405, "method_not_allowed")
    # Not even HTTP: the connection is answered (or closed) and the server goes on.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"\x16\x03\x01\x02\x00garbage that is not HTTP\r\n\r\n")
        s.recv(1024)
    assert healthy(url)


def test_an_oversized_upload_gets_413(district, server):
    _central, (a, _b), _org = district
    keys = load_keys(a.site_id, a.keys_dir)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        body = json.dumps({"size": 256 * 1024 + 1, "sha256": "0" * 64}).encode()
        r = http.post(
            "/v1/uploads",
            content=body,
            headers={**signed(keys, "POST", "/v1/uploads", body), "content-type": "application/json"},
        )
        assert assert_json_error(r, 413, "too_large")["limit"] == 256 * 1024
        # A chunk larger than the per-request limit: refused from its Content-Length, before it is read.
        big = b"x" * (32 * 1024)
        target = "/v1/uploads/" + "b" * 32 + "?offset=0"
        assert_json_error(http.put(target, content=big, headers=signed(keys, "PUT", target, big)), 413, "too_large")
        # The same without a Content-Length (chunked transfer): refused once it passes the limit.

        def stream():
            for _ in range(64):
                yield b"y" * 1024

        assert http.put(target, content=stream(), headers=signed(keys, "PUT", target, b"")).status_code == 413
        # More than the announced size.
        body = json.dumps({"size": 4, "sha256": "1" * 64}).encode()
        upload_id = http.post(
            "/v1/uploads",
            content=body,
            headers={**signed(keys, "POST", "/v1/uploads", body), "content-type": "application/json"},
        ).json()["upload_id"]
        target = f"/v1/uploads/{upload_id}?offset=0"
        assert_json_error(
            http.put(target, content=b"12345", headers=signed(keys, "PUT", target, b"12345")), 413, "beyond_size"
        )
        # An ack larger than the ack limit.
        ack = b"z" * (9 * 1024)
        assert_json_error(http.post("/v1/acks", content=ack, headers=signed(keys, "POST", "/v1/acks", ack)), 413)
    # The client: a bundle larger than the server takes is refused with the server's sentence.
    seed_org(a.db, units=4, employees_per_unit=1500, prefix="BESAR", position_id=a_position(a.db))
    with pytest.raises(ServerRefused) as err:
        push(a.db, server.url, **office_kw(a))
    assert err.value.status == 413 and "melebihi batas" in err.value.message
    assert not (a.folder / "sync-http" / "outgoing.kinerja").exists()  # not retried forever
    assert healthy(server.url)


def test_unknown_and_revoked_sites_get_403_and_replays_401(district, server, tmp_path):
    central, (a, b), org = district
    stranger = make_site(tmp_path / "asing", "1504-ASING", "Kantor Asing")
    try:
        with ServerClient(server.url, load_keys(stranger.site_id, stranger.keys_dir), fast_policy()) as client:
            with pytest.raises(ServerRefused) as err:
                client.call("POST", "/v1/downstream")
        assert err.value.status == 403 and err.value.code == "unknown_site"
    finally:
        stranger.close()
    # Someone with another key claiming to be office A.
    forged = load_keys(b.site_id, b.keys_dir)
    headers = signing.sign_request(forged, "POST", "/v1/downstream")
    headers[signing.HEADER_SITE] = a.site_id
    assert_json_error(httpx.post(server.url + "/v1/downstream", headers=headers), 401, "bad_signature")
    # The same signed request twice: the second is a replay.
    keys = load_keys(a.site_id, a.keys_dir)
    headers = signing.sign_request(keys, "POST", "/v1/downstream")
    assert httpx.post(server.url + "/v1/downstream", headers=headers).status_code in (200, 204)
    assert_json_error(httpx.post(server.url + "/v1/downstream", headers=headers), 401, "replayed")
    # Outside the replay window: refused with the server's time, which the client adopts.
    old = signing.sign_request(keys, "POST", "/v1/downstream", now=time.time() - 3600)
    body = assert_json_error(httpx.post(server.url + "/v1/downstream", headers=old), 401, "clock_skew")
    assert abs(body["server_time"] - time.time()) < 60
    with ServerClient(server.url, keys, fast_policy()) as client:
        client.skew = -3600.0  # this PC's clock is an hour behind
        assert client.call("POST", "/v1/downstream").status_code in (200, 204)
        assert abs(client.skew) < 60
    # Revoked at the central office: refused from the next request on.
    rename(a, org["employees"][:2], "sebelum-dicabut")
    assert push(a.db, server.url, **office_kw(a)).status == "applied"
    revoke_site(central.db, a.site_id)
    rename(a, org["employees"][:2], "sesudah-dicabut")
    with pytest.raises(ServerRefused) as err:
        push(a.db, server.url, **office_kw(a))
    assert err.value.status == 403 and err.value.code == "revoked_site" and "dicabut" in err.value.message
    assert healthy(server.url)


def test_the_server_killed_mid_upload_resumes_and_nothing_is_duplicated(district, tmp_path, pg_url):
    central, (a, _b), org = district
    seed_org(a.db, units=4, employees_per_unit=250, prefix="KILL", position_id=a_position(a.db))
    rename(a, org["employees"], "kill")
    kw = office_kw(a, policy=fast_policy(attempts=3, chunk_bytes=4 * 1024))
    srv = ServerProcess(central.folder, pg_url).start()
    try:
        job = push_job(a.db, srv.url, **kw)
        killed_at = None
        with pytest.raises(ServerUnavailable):
            while True:
                p = next(job)
                if killed_at is None and p.total and 0 < p.done < p.total // 2 and p.message == "Mengunggah":
                    srv.kill()  # kill -9: no goodbye, chunks in flight are lost
                    killed_at = p.done
        assert killed_at
        assert (a.folder / "sync-http" / "outgoing.kinerja").exists()  # kept for the next try
        srv = ServerProcess(central.folder, pg_url, srv.port).start()
        report = push(a.db, srv.url, **kw)
        assert report.status == "applied"
        assert report.resumed_from >= killed_at  # continued, not started over
        # The command line, as a scheduled task would run it, now finds nothing left to send.
        out = subprocess.run(
            [sys.executable, "-m", "kinerja_desktop", "--data-dir", str(a.folder), "sync", "push", "--server", srv.url],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ},
        )
        assert out.returncode == 0, out.stderr
        assert "Tidak ada perubahan" in out.stdout
    finally:
        srv.stop()
    with central.db.session() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(ReceivedBundle).where(ReceivedBundle.bundle_id == report.bundle_id)
            )
            == 1
        )
        assert (
            s.scalar(
                select(func.count())
                .select_from(ReceivedBundle)
                .where(ReceivedBundle.source_site == a.site_id, ReceivedBundle.kind == "changes")
            )
            == 1
        )
    assert synced_rows(central.db, "employees") == synced_rows(a.db, "employees")


@pytest.fixture
def own_cluster(tmp_path):
    if not available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the PostgreSQL binaries are missing")
        pytest.skip("PostgreSQL binaries not installed (/usr/lib/postgresql/15/bin)")
    cluster = PgCluster().init()
    cluster.start()
    yield cluster
    cluster.destroy()


def test_postgres_restarted_while_the_server_runs(own_cluster, tmp_path):
    """Requests fail cleanly (503 JSON) while the database is down, then work again."""
    from sqlalchemy import create_engine, text

    admin = create_engine(
        own_cluster.url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE kinerja_pusat"))
    admin.dispose()
    url = own_cluster.url.rsplit("/", 1)[0] + "/kinerja_pusat"
    central, (a, b), org = make_district(tmp_path, url, offices=2)
    try:
        keys = load_keys(a.site_id, a.keys_dir)
        with ServerThread(server_config(central, url, tmp_path / "srv")) as srv:
            rename(a, org["employees"][:3], "sebelum")
            assert push(a.db, srv.url, **office_kw(a)).status == "applied"
            central.db.engine.dispose()
            own_cluster.restart()  # under the running server: its pooled connections are dead now
            rename(a, org["employees"][3:6], "sesudah-restart")
            assert push(a.db, srv.url, **office_kw(a)).status == "applied"
            own_cluster.stop()
            health = httpx.get(srv.url + "/v1/health", timeout=30)
            assert health.status_code == 503 and health.json()["database"] == "unavailable"
            headers = signing.sign_request(keys, "POST", "/v1/downstream")
            assert_json_error(
                httpx.post(srv.url + "/v1/downstream", headers=headers, timeout=30), 503, "database_unavailable"
            )
            rename(a, org["employees"][6:9], "saat-mati")
            with pytest.raises(ServerUnavailable):
                push(a.db, srv.url, **office_kw(a, policy=fast_policy(attempts=2)))
            assert (a.folder / "sync-http" / "outgoing.kinerja").exists()
            own_cluster.start()
            assert healthy(srv.url)
            assert push(a.db, srv.url, **office_kw(a)).status == "applied"
            for office in (a, b):
                sync(office.db, srv.url, **office_kw(office))
        assert synced_rows(central.db, "employees") == synced_rows(a.db, "employees") == synced_rows(b.db, "employees")
    finally:
        for s in (central, a, b):
            s.close()
