from odoo.exceptions import AccessError, UserError
from odoo.http import Controller, request, route


class LoyaltyTerminalApi(Controller):
    """JSON-RPC API for merchant terminals (session of a merchant user).

    The merchant is always the session user's: a merchant id in the request
    is never trusted. Errors come back as JSON-RPC errors carrying the same
    cashier-readable message as the backend terminal.
    """

    def _merchant(self, merchant_id=None):
        merchant = request.env.user._get_loyalty_merchant()
        if not merchant:
            raise AccessError(request.env._("This user does not operate a member shop."))
        if merchant_id not in (None, merchant.id):
            raise AccessError(request.env._("You can operate only for your own shop."))
        return merchant

    def _card(self, card_number):
        card = request.env["loyalty.network.card"]._find_by_number(str(card_number or ""))
        if not card:
            raise UserError(request.env._("No card has the number %s.", card_number))
        return card

    def _ref(self, source_ref):
        """The terminal's reference, namespaced; an empty one is refused."""
        if not str(source_ref or "").strip():
            raise UserError(request.env._("The operation has no reference: it cannot be recorded."))
        return f"api:{source_ref}"

    def _answer(self, entry):
        wallet = entry.sudo().wallet_id
        return {
            "entry_id": entry.id,
            "source_ref": entry.sudo().source_ref,
            "amount": entry.sudo().amount,
            "balance": wallet.balance,
        }

    @route("/loyalty/api/card", type="jsonrpc", auth="user")
    def card(self, card_number, merchant_id=None):
        self._merchant(merchant_id)
        card = self._card(card_number).sudo()
        card._check_usable()
        wallet = card.partner_id._get_loyalty_wallet()
        return {
            "card_number": card.name,
            "holder": card.partner_id.name,
            "balance": wallet.balance,
            "can_spend": wallet.can_spend,
        }

    @route("/loyalty/api/credit", type="jsonrpc", auth="user")
    def credit(self, card_number, amount, source_ref, plan_id=None, merchant_id=None):
        merchant = self._merchant(merchant_id)
        plan = None
        if plan_id:
            plan = request.env["loyalty.network.plan"].browse(int(plan_id)).exists()
            if not plan:
                raise UserError(request.env._("Unknown rate plan."))
        entry = request.env["loyalty.network.wallet"]._credit_purchase(
            self._card(card_number), merchant, amount, self._ref(source_ref), plan=plan
        )
        return self._answer(entry)

    @route("/loyalty/api/spend", type="jsonrpc", auth="user")
    def spend(self, card_number, amount, source_ref, merchant_id=None):
        merchant = self._merchant(merchant_id)
        entry = request.env["loyalty.network.wallet"]._spend(
            self._card(card_number), merchant, amount, self._ref(source_ref)
        )
        return self._answer(entry)

    @route("/loyalty/api/refund", type="jsonrpc", auth="user")
    def refund(self, origin_source_ref, amount, source_ref, merchant_id=None):
        merchant = self._merchant(merchant_id)
        source_ref = self._ref(source_ref)
        Entry = request.env["loyalty.network.entry"]
        origin = Entry.search(
            [("source_ref", "=", self._ref(origin_source_ref)), ("merchant_id", "=", merchant.id)],
            limit=1,
        )
        if not origin:
            raise UserError(request.env._("No operation %s in your shop.", origin_source_ref))
        entry = request.env["loyalty.network.wallet"]._refund(origin, amount, source_ref)
        return self._answer(entry)
