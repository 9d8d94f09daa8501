import re

from odoo.exceptions import AccessError, UserError
from odoo.http import Controller, request, route

from odoo.addons.loyalty_api.models.loyalty_api_service import REFERENCE_PREFIX


class LoyaltyVoucherApi(Controller):
    """JSON-RPC API of gift vouchers for merchant terminals (session of a
    merchant user), in the style of ``/loyalty/api/*``: the shop is always the
    session user's, never taken from the request; references are the shop's
    own; errors are sentences a cashier can read. The counter screen
    (Card Operations > Gift Vouchers) uses these routes too.
    """

    def _merchant(self, merchant_id=None):
        merchant = request.env.user._get_loyalty_merchant()
        if not merchant:
            raise AccessError(request.env._("This user does not operate a member shop."))
        if merchant_id not in (None, False, merchant.id):
            raise AccessError(request.env._("You can operate only for your own shop."))
        return merchant

    def _ref(self, source_ref):
        if not str(source_ref or "").strip():
            raise UserError(request.env._("The operation has no reference: it cannot be recorded."))
        # the till API's namespace: one reference is one operation whatever the channel
        return f"{REFERENCE_PREFIX}{source_ref}"

    def _amount(self, amount):
        """An amount as typed at the counter ("12,50" too); the service checks the rest."""
        if isinstance(amount, str):
            try:
                amount = float(re.sub(r"\s", "", amount).replace(",", "."))
            except ValueError:
                raise UserError(request.env._("Type an amount such as 12.50.")) from None
        return amount

    def _answer(self, entry):
        # The caller's shop posted this entry (or first posted it): it may see the
        # voucher's figures it just moved.
        entry = entry.sudo()
        voucher = entry.voucher_id
        return {
            "entry_id": entry.id,
            "source_ref": entry.source_ref,
            "amount": entry.amount,
            **voucher._get_public_values(),
        }

    @route("/loyalty/api/voucher/check", type="jsonrpc", auth="user")
    def check(self, code, merchant_id=None):
        merchant = self._merchant(merchant_id)
        voucher = request.env["loyalty.network.voucher"]._find_by_code(code, merchant.company_id)
        voucher._check_redeemable(merchant)
        return voucher._get_public_values()

    @route("/loyalty/api/voucher/redeem", type="jsonrpc", auth="user")
    def redeem(self, code, amount, source_ref, merchant_id=None):
        merchant = self._merchant(merchant_id)
        entry = request.env["loyalty.network.voucher"]._redeem(
            code, merchant, self._amount(amount), self._ref(source_ref)
        )
        return self._answer(entry)

    @route("/loyalty/api/voucher/refund", type="jsonrpc", auth="user")
    def refund(self, origin_source_ref, amount, source_ref, merchant_id=None):
        merchant = self._merchant(merchant_id)
        source_ref = self._ref(source_ref)
        # Read with the user's rights: only the shop's own voucher payments.
        origin = request.env["loyalty.network.voucher.entry"].search(
            [
                ("source_ref", "=", self._ref(origin_source_ref)),
                ("merchant_id", "=", merchant.id),
                ("entry_type", "=", "redemption"),
            ],
            limit=1,
        )
        if not origin:
            raise UserError(
                request.env._("No gift voucher payment %s in your shop.", origin_source_ref)
            )
        entry = request.env["loyalty.network.voucher"]._refund_redemption(
            origin, self._amount(amount), source_ref
        )
        return self._answer(entry)

    @route("/loyalty/api/voucher/sell", type="jsonrpc", auth="user")
    def sell(self, face_value, source_ref, merchant_id=None):
        merchant = self._merchant(merchant_id)
        entry = request.env["loyalty.network.voucher"]._sell(
            merchant, self._amount(face_value), self._ref(source_ref)
        )
        answer = self._answer(entry)
        # The shop has just sold this voucher (or sends the same sale again): it
        # hands its code to the buyer, printed or typed.
        voucher = entry.sudo().voucher_id
        answer.update(code=voucher.code, voucher_id=voucher.id)
        return answer
