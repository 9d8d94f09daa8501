import re
import uuid
from unittest.mock import patch
from urllib.parse import urlparse

from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import config, mute_logger

from .common import VoucherCase


class RouteError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


@tagged("post_install", "-at_install")
class TestVoucherRoutes(HttpCase, VoucherCase):
    """The voucher API, the back office RPC and the public balance page, through
    HTTP as shops, holders and visitors use them."""

    def _call(self, route, **params):
        response = self.opener.post(
            f"{self.base_url()}/loyalty/api/voucher/{route}",
            json={"jsonrpc": "2.0", "method": "call", "id": 0, "params": params},
            timeout=30,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"]["data"]
            self.assertNotIn("Traceback", data["message"])
            raise RouteError(data["name"], data["message"])
        return body["result"]

    def _snapshot(self):
        Voucher = self.env["loyalty.network.voucher"]
        Voucher.invalidate_model()
        self.env["loyalty.network.voucher.entry"].invalidate_model()
        return [
            (v.id, v.balance, v.state, v.partner_id.id, len(v.entry_ids))
            for v in Voucher.search([], order="id")
        ]

    def test_api_sell_redeem_refund(self):
        self.authenticate(self.baker_user.login, self.baker_user.login)
        sold = self._call("sell", face_value="25,50", source_ref="s-1")
        self.assertEqual(sold["balance"], 25.5)
        self.assertEqual(len(sold["code"]), 20)
        # Sent again: the same voucher, not a second one.
        self.assertEqual(
            self._call("sell", face_value=25.5, source_ref="s-1")["code"], sold["code"]
        )
        with self.assertRaisesRegex(RouteError, "another operation"):
            self._call("sell", face_value=30.0, source_ref="s-1")
        self.authenticate(self.florist_user.login, self.florist_user.login)
        with self.assertRaisesRegex(RouteError, "valid only in these kinds of shops"):
            restricted = self._sell(10.0, "restricted", categories=self.food)
            self._call("check", code=restricted.sudo().code)
        checked = self._call("check", code=sold["code"])
        self.assertEqual(checked["balance"], 25.5)
        spent = self._call("redeem", code=sold["code"], amount=10.01, source_ref="p-1")
        self.assertEqual(spent["amount"], -10.01)
        self.assertEqual(spent["balance"], 15.49)
        self.assertEqual(
            self._call("redeem", code=sold["code"], amount=10.01, source_ref="p-1"), spent
        )
        with self.assertRaisesRegex(RouteError, "another operation"):
            self._call("redeem", code=sold["code"], amount=1.0, source_ref="p-1")
        with self.assertRaisesRegex(RouteError, "more than what is left"):
            self._call("redeem", code=sold["code"], amount=15.5, source_ref="p-2")
        back = self._call("refund", origin_source_ref="p-1", amount=4.0, source_ref="p-3")
        self.assertEqual(back["balance"], 19.49)
        voucher = self.Voucher.browse(sold["voucher_id"])
        self.assertVoucherTies(voucher)
        self.assertEqual(voucher.state, "partly_used")

    def test_api_other_shop_refused_db_unchanged(self):
        voucher = self._sell(40.0, "sale")
        self.Voucher._redeem(voucher.sudo().code, self.bakery, 5.0, "bakery-pay")
        before = self._snapshot()
        self.authenticate(self.florist_user.login, self.florist_user.login)
        code = voucher.sudo().code
        with self.assertRaisesRegex(
            RouteError, "AccessError: You can operate only for your own shop"
        ):
            self._call("redeem", code=code, amount=5.0, source_ref="x", merchant_id=self.bakery.id)
        with self.assertRaisesRegex(RouteError, "AccessError"):
            self._call("sell", face_value=5.0, source_ref="x", merchant_id=self.bakery.id)
        # The bakery's voucher payment cannot be given back by the florist.
        with self.assertRaisesRegex(RouteError, "No gift voucher payment"):
            self._call("refund", origin_source_ref="bakery-pay", amount=5.0, source_ref="y")
        self.assertEqual(self._snapshot(), before)

    def test_rpc_attacks_refused_db_unchanged(self):
        voucher = self._sell(40.0, "sale")
        self.Voucher._redeem(voucher.sudo().code, self.florist, 5.0, "florist-pay")
        entry = voucher.entry_ids[:1]
        before = self._snapshot()
        self.authenticate(self.florist_user.login, self.florist_user.login)
        attacks = [
            ("loyalty.network.voucher", "write", [[voucher.id], {"balance": 1000.0}]),
            ("loyalty.network.voucher", "write", [[voucher.id], {"partner_id": self.buyer.id}]),
            ("loyalty.network.voucher", "create", [{"code": "1" * 20, "face_value": 99.0}]),
            ("loyalty.network.voucher", "action_cancel", [[voucher.id]]),
            ("loyalty.network.voucher", "action_send_email", [[voucher.id]]),
            ("loyalty.network.voucher", "read", [[voucher.id], ["code"]]),
            ("loyalty.network.voucher", "read", [[voucher.id], ["partner_id"]]),
            ("loyalty.network.voucher", "read", [[voucher.id], ["buyer_id"]]),
            ("loyalty.network.voucher", "unlink", [[voucher.id]]),
            ("loyalty.network.voucher.entry", "write", [entry.ids, {"amount": 1000.0}]),
            (
                "loyalty.network.voucher.entry",
                "create",
                [{"voucher_id": voucher.id, "amount": 50.0, "entry_type": "refund"}],
            ),
            ("loyalty.network.voucher.sell", "create", [{"buyer_id": self.buyer.id}]),
        ]
        for model, method, args in attacks:
            with (
                self.subTest(model=model, method=method),
                self.assertRaises(JsonRpcException),
                mute_logger("odoo.http"),
            ):
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/{method}",
                    {"model": model, "method": method, "args": args, "kwargs": {}},
                )
        self.assertEqual(self._snapshot(), before)
        # Private service methods are not callable over RPC.
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/loyalty.network.voucher/_redeem",
                {
                    "model": "loyalty.network.voucher",
                    "method": "_redeem",
                    "args": [voucher.sudo().code, self.bakery.id, 5.0, "z"],
                    "kwargs": {},
                },
            )
        self.assertEqual(self._snapshot(), before)

    # ------------------------------------------------------------
    # public balance page
    # ------------------------------------------------------------

    def _check_balance(self, code, address="198.51.100.77"):
        if not self.session:
            self.authenticate(None, None)
        page = self.url_open("/loyalty/voucher/balance")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        headers = {
            "X-Forwarded-For": address,
            "X-Forwarded-Host": urlparse(self.base_url()).netloc,
            "X-Forwarded-Proto": "http",
        }
        with patch.dict(config.options, {"proxy_mode": True}):
            response = self.url_open(
                "/loyalty/voucher/balance",
                data={"csrf_token": token, "code": code},
                headers=headers,
            )
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_balance_page_and_rate_limit(self):
        voucher = self._sell(50.0, "sale")
        self.Voucher._redeem(voucher.sudo().code, self.florist, 12.5, "pay")
        code = voucher.sudo().code
        spaced = " ".join(code[i : i + 4] for i in range(0, 20, 4))
        page = self._check_balance(spaced)
        self.assertIn("o_loyalty_voucher_answer", page)
        self.assertIn("37.50", page)
        self.assertIn(voucher.expiry_date.strftime("%m/%d/%Y"), page)
        self.assertNotIn(code, page)  # only the last digits are shown
        page = self._check_balance(str(uuid.uuid4().int)[:20])
        self.assertIn("No gift voucher has this code", page)
        for _n in range(8):
            self._check_balance(code)
        # 11th check in the hour from this address: refused, even with a good code.
        page = self._check_balance(code)
        self.assertIn("Too many checks from your connection", page)
        self.assertNotIn("37.50", page)
        # Another address is not affected.
        self.assertIn("37.50", self._check_balance(code, address="198.51.100.78"))

    def test_portal_holder_lists_own_vouchers(self):
        holder = self.env["res.partner"].create(
            {"name": "Hugo Holder", "email": "hugo@example.com"}
        )
        self.env["res.users"].create(
            {
                "name": "Hugo Holder",
                "login": "hugo-voucher",
                "password": "hugo-voucher",
                "partner_id": holder.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        mine = self._sell(20.0, "mine", partner=holder)
        other = self._sell(35.0, "other")
        self.authenticate("hugo-voucher", "hugo-voucher")
        page = self.url_open("/my/loyalty/vouchers").text
        self.assertIn(mine.sudo().code[-4:], page)
        self.assertIn("20.00", page)
        self.assertNotIn(other.sudo().code[-4:], page)
        self.assertNotIn("35.00", page)
