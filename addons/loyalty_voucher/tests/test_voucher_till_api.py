from dateutil.relativedelta import relativedelta
from openapi_spec_validator import validate

from odoo import fields
from odoo.tests import tagged

from odoo.addons.loyalty_api.tests.common import LoyaltyApiCase


@tagged("post_install", "-at_install")
class TestVoucherTillApi(LoyaltyApiCase):
    """Gift vouchers in the till API v1: check, redeem and give back with the
    shop's key, through the real HTTP server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_voucher_commission_rate = 5.0
        cls.Voucher = cls.env["loyalty.network.voucher"]
        cls.flowers = cls.env["loyalty.network.merchant.category"].create(
            {"name": "Flowers (till API)"}
        )
        cls.voucher = cls._sell_voucher(50.0, "till/v1")
        cls.code = cls.voucher.code

    @classmethod
    def _sell_voucher(cls, value, ref, **kw):
        return cls.Voucher._sell(cls.other_shop, value, ref, **kw).voucher_id

    def _snapshot(self):
        self.env.invalidate_all()
        Entry = self.env["loyalty.network.voucher.entry"].sudo()
        return (
            Entry.search_count([]),
            [(v.id, v.balance, v.state) for v in self.Voucher.sudo().search([], order="id")],
        )

    def test_check_redeem_refund_exact_cents(self):
        response = self.api("POST", "/vouchers/check", {"code": self.code})
        self.assertEqual(response.status_code, 200, response.text)
        status = response.json()
        self.assertEqual(
            set(status),
            {
                "voucher",
                "state",
                "face_value",
                "balance",
                "expiry_date",
                "categories",
                "currency",
                "can_redeem",
                "refusal",
            },
            "no holder nor buyer data",
        )
        self.assertEqual(
            (status["balance"], status["state"], status["can_redeem"]), ("50.00", "sold", True)
        )
        self.assertEqual(status["expiry_date"], self.voucher.expiry_date.isoformat())
        self.assertEqual(status["voucher"], self.voucher.masked_code)
        # A payment of 12.35 (spaces in the code as printed)
        spaced = " ".join(self.code[i : i + 4] for i in range(0, 20, 4))
        body = {"code": spaced, "amount": "12.35", "reference": "vr-1"}
        response = self.api("POST", "/vouchers/redemptions", body)
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual(
            (answer["operation"], answer["amount"], answer["balance_after"]),
            ("redemption", "-12.35", "37.65"),
        )
        self.assertNotIn("Idempotent-Replayed", response.headers)
        self.env.invalidate_all()
        self.assertEqual(self.voucher.balance, 37.65)
        self.assertEqual(self.voucher.state, "partly_used")
        payment = self.voucher.entry_ids.filtered(lambda e: e.entry_type == "redemption")
        self.assertEqual((payment.merchant_id, payment.commission), (self.shop, 0.62))
        self.assertEqual(payment.source_ref, "api:vr-1")
        # Sent again: the first answer, recorded once.
        replay = self.api("POST", "/vouchers/redemptions", body)
        self.assertEqual(replay.status_code, 200, replay.text)
        self.assertEqual(replay.json(), answer)
        self.assertEqual(replay.headers["Idempotent-Replayed"], "true")
        before = self._snapshot()
        # The same reference for another payment: refused, nothing changed.
        self.assertProblem(
            self.api("POST", "/vouchers/redemptions", {**body, "amount": "12.36"}),
            409,
            "replay_mismatch",
        )
        self.assertEqual(self._snapshot(), before)
        # Another shop's key cannot give back this shop's payment.
        refund = {"original_reference": "vr-1", "amount": "5.00", "reference": "vb-1"}
        self.assertProblem(
            self.api("POST", "/vouchers/refunds", refund, key=self.other_key), 404, "not_found"
        )
        self.assertEqual(self._snapshot(), before)
        # Given back in two parts, with the Idempotency-Key header the second time.
        response = self.api("POST", "/vouchers/refunds", refund)
        self.assertEqual(response.status_code, 200, response.text)
        back = response.json()
        self.assertEqual(
            (back["operation"], back["amount"], back["balance_after"], back["original_reference"]),
            ("refund", "5.00", "42.65", "vr-1"),
        )
        self.assertEqual(self.api("POST", "/vouchers/refunds", refund).json(), back)
        before = self._snapshot()
        self.assertProblem(
            self.api(
                "POST",
                "/vouchers/refunds",
                {"original_reference": "vr-1", "amount": "7.36"},
                headers={"Idempotency-Key": "vb-2"},
            ),
            422,
            "above_refundable",
        )
        self.assertProblem(
            self.api("POST", "/vouchers/refunds", {**refund, "amount": "4.00"}),
            409,
            "replay_mismatch",
        )
        self.assertEqual(self._snapshot(), before)
        response = self.api(
            "POST",
            "/vouchers/refunds",
            {"original_reference": "vr-1", "amount": "7.35"},
            headers={"Idempotency-Key": "vb-2"},
        )
        self.assertEqual(response.json()["balance_after"], "50.00")
        self.env.invalidate_all()
        self.assertEqual((self.voucher.balance, self.voucher.state), (50.0, "sold"))
        self.assertEqual(self.voucher.balance, sum(self.voucher.entry_ids.mapped("amount")))
        # A wallet reference is no voucher payment: not found among them.
        self.assertProblem(
            self.api(
                "POST",
                "/vouchers/refunds",
                {"original_reference": "seed", "amount": "1.00", "reference": "vb-3"},
            ),
            404,
            "not_found",
        )

    def test_refusal_codes(self):
        Voucher = self.Voucher
        expired = self._sell_voucher(
            20.0, "till/old", date=fields.Datetime.now() - relativedelta(months=13)
        )
        used = self._sell_voucher(5.0, "till/used")
        Voucher._redeem(used.code, self.other_shop, 5.0, "till/used/pay")
        cancelled = self._sell_voucher(15.0, "till/cancelled")
        cancelled._cancel("Test", "till/cancel")
        restricted = self._sell_voucher(10.0, "till/flowers", categories=self.flowers)
        cases = [
            ("0" * 20, 404, "voucher_unknown"),
            ("1234", 404, "voucher_unknown"),
            (expired.code, 422, "voucher_expired"),
            (used.code, 422, "voucher_used"),
            (cancelled.code, 422, "voucher_cancelled"),
            (restricted.code, 422, "voucher_restricted"),
        ]
        before = self._snapshot()
        for index, (code, status, error) in enumerate(cases):
            with self.subTest(error=error, code=code):
                body = {"code": code, "amount": "1.00", "reference": f"refused-{index}"}
                problem = self.assertProblem(
                    self.api("POST", "/vouchers/redemptions", body), status, error
                )
                self.assertNotIn(code, problem["detail"])
                check = self.api("POST", "/vouchers/check", {"code": code})
                if status == 404:
                    self.assertProblem(check, 404, "voucher_unknown")
                else:
                    self.assertEqual(check.status_code, 200, check.text)
                    self.assertFalse(check.json()["can_redeem"])
                    self.assertEqual(check.json()["refusal"]["code"], error)
        self.assertProblem(
            self.api(
                "POST",
                "/vouchers/redemptions",
                {"code": self.code, "amount": "50.01", "reference": "too-much"},
            ),
            422,
            "above_balance",
        )
        self.assertProblem(
            self.api(
                "POST",
                "/vouchers/redemptions",
                {"code": self.code, "amount": "1.001", "reference": "cents"},
            ),
            422,
            "amount_invalid",
        )
        self.assertProblem(
            self.api(
                "POST",
                "/vouchers/redemptions",
                {"code": self.code, "amount": "1.00", "merchant_id": self.other_shop.id},
            ),
            400,
            "invalid_request",
        )
        self.assertEqual(self._snapshot(), before)

    def test_document_lists_the_voucher_endpoints(self):
        response = self.api("GET", "/openapi.json", key=False)
        document = response.json()
        validate(document)
        paths = document["paths"]
        for path, operation_id in (
            ("/loyalty/api/v1/vouchers/check", "checkVoucher"),
            ("/loyalty/api/v1/vouchers/redemptions", "redeemVoucher"),
            ("/loyalty/api/v1/vouchers/refunds", "refundVoucherPayment"),
        ):
            self.assertEqual(paths[path]["post"]["operationId"], operation_id)
        redeem = paths["/loyalty/api/v1/vouchers/redemptions"]["post"]["responses"]
        for code in ("voucher_expired", "voucher_used", "voucher_restricted", "above_balance"):
            self.assertIn(code, redeem["422"]["description"])
        self.assertIn("voucher_unknown", redeem["404"]["description"])
        self.assertIn("replay_mismatch", redeem["409"]["description"])
        schemas = document["components"]["schemas"]
        self.assertIn("VoucherOperation", schemas)
        self.assertIn("voucher_cancelled", schemas["Problem"]["properties"]["code"]["enum"])
