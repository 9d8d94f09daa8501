from odoo.exceptions import UserError
from odoo.http import Controller, request, route

MAX_CHECKS_PER_ADDRESS = 10


class LoyaltyVoucherBalance(Controller):
    """Public page: the bearer of a voucher code sees its balance and expiry.

    Checks are counted per client address (the sign-up's counters, shared by
    the server workers), never per voucher: guessing codes is slowed down and
    nobody can lock a real holder out.
    """

    @route(
        "/loyalty/voucher/balance",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET"],
    )
    def balance_form(self, **kw):
        return request.render("loyalty_voucher.voucher_balance", {})

    @route(
        "/loyalty/voucher/balance",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
    )
    def balance_submit(self, code="", **kw):
        # The counters are not readable by visitors; they only bump their own.
        Attempt = request.env["loyalty.network.signup.attempt"].sudo()
        key = f"voucher:{Attempt._address_key(request.httprequest.remote_addr)}"
        if not Attempt._register_hit(key, MAX_CHECKS_PER_ADDRESS):
            return request.render(
                "loyalty_voucher.voucher_balance",
                {
                    "error": request.env._(
                        "Too many checks from your connection. Please try again in an hour "
                        "or ask a member shop."
                    )
                },
            )
        try:
            # The bearer of the code may know its balance: found as the system by
            # its exact code only (codes are unique across networks), and only its
            # public figures are shown.
            voucher = request.env["loyalty.network.voucher"].sudo()._find_by_code(code)
        except UserError as error:
            return request.render("loyalty_voucher.voucher_balance", {"error": error.args[0]})
        return request.render(
            "loyalty_voucher.voucher_balance", {"voucher": voucher._get_public_values()}
        )
