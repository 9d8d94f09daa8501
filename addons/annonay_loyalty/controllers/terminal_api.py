import re

from odoo.exceptions import AccessError, UserError
from odoo.http import Controller, request, route


class LoyaltyTerminalApi(Controller):
    """JSON-RPC API for merchant terminals (session of a merchant user).

    The merchant is always the session user's: a merchant id in the request
    is never trusted. Errors come back as JSON-RPC errors carrying the same
    cashier-readable message as the backend terminal, without any traceback
    (see ir.http ``_handle_error``). References are the shop's own: another
    shop may use the same ones, and each sees only its own operations.
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

    def _plan(self, plan_id, merchant):
        """The rate plan asked for, if it is one the shop may use."""
        if plan_id in (None, False, ""):
            return None
        if isinstance(plan_id, str) and re.fullmatch(r"[0-9]{1,18}", plan_id.strip()):
            plan_id = int(plan_id)
        if isinstance(plan_id, bool) or not isinstance(plan_id, int):
            raise UserError(request.env._("The rate plan must be given by its number."))
        # The shop's plans, read as the system: only their ids are compared.
        allowed = merchant.sudo()._get_allowed_plans()
        plan = allowed.filtered(lambda p: p.id == plan_id)
        if not plan:
            raise UserError(request.env._("This rate plan is not one of your shop's plans."))
        return plan.sudo(False)

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
        plan = self._plan(plan_id, merchant)
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
