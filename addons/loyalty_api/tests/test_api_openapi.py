import os
import re
import subprocess
import sys

from openapi_spec_validator import validate

from odoo.modules import get_module_path
from odoo.tests import tagged

from .common import LoyaltyApiCase


@tagged("post_install", "-at_install")
class TestApiOpenApi(LoyaltyApiCase):
    """The published OpenAPI 3.1 document is valid and lists every v1 route."""

    def test_document_is_valid_and_complete(self):
        response = self.api("GET", "/openapi.json", key=False)
        self.assertEqual(response.status_code, 200, response.text)
        document = response.json()
        self.assertEqual(document["openapi"], "3.1.0")
        validate(document)  # raises on any error of the OpenAPI 3.1 schema
        published = {
            (method.upper(), path)
            for path, operations in document["paths"].items()
            for method in operations
        }
        routed = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if rule.rule.startswith("/loyalty/api/v1/"):
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
                for method in rule.methods or ():
                    if method not in ("HEAD", "OPTIONS"):
                        routed.add((method, path))
        self.assertTrue(routed)
        self.assertEqual(routed - published, set(), "routes missing from the document")
        self.assertEqual(published - routed, set(), "documented routes that do not exist")
        # every refusal is documented with the problem schema
        credit = document["paths"]["/loyalty/api/v1/credits"]["post"]["responses"]
        self.assertIn("409", credit)
        self.assertIn("429", credit)

    def test_client_example_runs_against_the_server(self):
        """The README's Python client, run as a separate process against this server."""
        script = os.path.join(get_module_path("loyalty_api"), "examples", "client.py")
        env = dict(os.environ, LOYALTY_URL=self.base_url(), LOYALTY_KEY=self.key)
        self.env.cr.flush()
        with self.allow_requests(all_requests=True):
            result = subprocess.run(
                [sys.executable, script, self.card.name],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("holder: Marie D.", result.stdout)
        self.assertIn("credited 1.70 balance 7.70", result.stdout)
        self.assertEqual(
            self.env["loyalty.network.entry"].search_count(
                [("source_ref", "=like", "api:sale-%"), ("merchant_id", "=", self.shop.id)]
            ),
            1,
        )
