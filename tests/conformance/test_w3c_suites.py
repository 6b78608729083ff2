"""The W3C VC Data Model 2.0 and Data Integrity EdDSA test suites, unmodified, run with Node.js against this
registry's VC-API endpoints on the live server. The suites are not part of the repository: scripts/w3c_suites.py
fetches them at their pinned commits (PROVENANCE.md), installs their dependencies and runs this module with
``W3C_SUITES_DIR`` naming their folder; without it, conftest.py keeps this module out of the collection.

The suites find implementations through ``vc-test-suite-implementations``' documented local configuration (a
``localConfig.cjs`` in the folder ``APP_ROOT_PATH`` names): this test writes one naming the live server's
endpoints and a fresh issuer key. They call HTTPS endpoints with the configuration's headers (over plain HTTP the
data model suite sends no headers at all), so the live server is reached through a TLS proxy with a throwaway
certificate that Node trusts through ``NODE_EXTRA_CA_CERTS``. Mocha's JSON report of each suite is left in
``reports/`` beside the suites, for the runner to print.

Every test of both suites must pass except those listed below, each for the reason given: a fix or a regression
both change the list, and whoever makes it updates it.
"""

import datetime
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from awards import keys
from awards.vcapi.services import issuer_api_key_create

# Where scripts/w3c_suites.py fetches them, unless it says otherwise.
SUITES = Path(os.environ.get("W3C_SUITES_DIR", Path(__file__).resolve().parents[2] / "var" / "w3c-suites"))
REPORTS = SUITES / "reports"

DATA_MODEL_FAILING = {
    "Advanced Concepts Microcredential Registry If the digest provided by the issuer does not match the digest "
    "computed for the retrieved resource, the conforming verifier implementation MUST produce an error.": (
        "the suite's related resource is https://www.w3.org/ns/credentials/v2 with the digest of bytes the registry "
        "does not hold: its vendored copy of that context hashes differently, so a wrong digest cannot be told from "
        "the suite's right one, and the registry fetches nothing to compare with"
    ),
}
EDDSA_FAILING = {}

pytestmark = [pytest.mark.xdist_group("w3c-conformance-suites"), pytest.mark.django_db(transaction=True)]


def _certificate(folder: Path):
    """A self-signed certificate for 127.0.0.1, and its key, written as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_file, key_file = folder / "certificate.pem", folder / "key.pem"
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return certificate_file, key_file


def _pipe(source, target):
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass  # the other side closed
    finally:
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _serve_tls(listener, context, port):
    """Accept TLS connections and relay each to the live server's port, until the listener closes."""
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        try:
            secure = context.wrap_socket(client, server_side=True)
        except (OSError, ssl.SSLError):
            client.close()
            continue
        upstream = socket.create_connection(("127.0.0.1", port))
        threading.Thread(target=_pipe, args=(secure, upstream), daemon=True).start()
        threading.Thread(target=_pipe, args=(upstream, secure), daemon=True).start()


@pytest.fixture
def https_registry(live_server, settings, tmp_path):
    """The live server behind TLS: its https:// base URL (the registry's public URL, so its did:web too), and the
    certificate Node is to trust."""
    certificate, key = _certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = int(live_server.url.rsplit(":", 1)[1])
    threading.Thread(target=_serve_tls, args=(listener, context, port), daemon=True).start()
    url = f"https://127.0.0.1:{listener.getsockname()[1]}"
    settings.REGISTRY_PUBLIC_URL = url
    yield url, certificate
    listener.close()


@pytest.fixture
def suite_run(https_registry, tmp_path):
    """Run one suite with the registry as its only implementation; mocha's JSON report as a dict."""
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed for the W3C suites"
    assert (SUITES / "node_modules").exists(), f"no suites in {SUITES}: run scripts/w3c_suites.py"
    url, certificate = https_registry
    key = keys.generate_key()
    _, secret = issuer_api_key_create(
        name="W3C suites", expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    )
    headers = {"Authorization": f"Api-Key {secret}"}
    tags = ["vc2.0", "eddsa-rdfc-2022"]
    implementation = {
        "name": "Microcredential Registry",
        "implementation": "awards.vcapi",
        # The data model suite issues as the registry's did:web; the EdDSA suite resolves verification methods with
        # a did:key resolver only, so it issues as the did:key of the same active key.
        "issuers": [
            {"id": keys.issuer_did(), "tags": ["vc2.0"], "headers": headers, "endpoint": f"{url}/credentials/issue"},
            {
                "id": keys.did_key(key),
                "tags": ["eddsa-rdfc-2022"],
                "headers": headers,
                "endpoint": f"{url}/credentials/issue",
            },
        ],
        "verifiers": [{"tags": tags, "headers": headers, "endpoint": f"{url}/credentials/verify"}],
        "vpVerifiers": [{"tags": tags, "headers": headers, "endpoint": f"{url}/presentations/verify"}],
    }
    (tmp_path / "localConfig.cjs").write_text(f"module.exports = {json.dumps({'implementations': [implementation]})};")
    REPORTS.mkdir(exist_ok=True)

    def mocha(suite, report, *options):
        report.unlink(missing_ok=True)
        result = subprocess.run(
            [node, str(SUITES / "node_modules" / "mocha" / "bin" / "mocha.js"), "tests/", "--no-package", "--exit",
             "--timeout", "15000", *options, "--reporter", "json", "--reporter-option", f"output={report}"],
            cwd=SUITES / suite,
            env={"PATH": "/usr/bin:/bin", "APP_ROOT_PATH": str(tmp_path), "NODE_EXTRA_CA_CERTS": str(certificate)},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )  # fmt: skip
        assert report.exists(), f"mocha wrote no report:\n{result.stderr[-4000:]}"
        return json.loads(report.read_text())

    def run(suite):
        # A dry run counts every test the suite defines, those a failed hook keeps from running included.
        mocha(suite, REPORTS / f"{suite}.dry-run.json", "--dry-run")
        return mocha(suite, REPORTS / f"{suite}.json")

    return run


def _changes(report, known):
    """What differs from the known failures: unlisted failures (with mocha's message; a failed hook stands for the
    tests it kept from running), listed tests that now pass. Tests a suite skips itself (optional, or pending
    in the suite) are neither."""
    failing = {test["fullTitle"]: test["err"].get("message", "") for test in report["failures"]}
    return {
        "failing": {title: message for title, message in failing.items() if title not in known},
        "now passing (take them off the list)": sorted(set(known) - set(failing)),
        # a configuration no test matches would pass vacuously
        "nothing ran against the registry": report["stats"]["passes"] == 0,
    }


def test_the_vc_data_model_2_0_suite_passes_all_but_the_known_failures(suite_run):
    report = suite_run("vc-data-model-2.0-test-suite")
    changes = _changes(report, DATA_MODEL_FAILING)
    assert not any(changes.values()), changes


def test_the_eddsa_suite_passes_all_but_the_known_failures(suite_run):
    report = suite_run("vc-di-eddsa-test-suite")
    changes = _changes(report, EDDSA_FAILING)
    assert not any(changes.values()), changes
