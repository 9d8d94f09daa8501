from odoo import models


class PosConfig(models.Model):
    _inherit = "pos.config"

    def loyalty_voucher_check(self, code):
        """What the gift voucher of ``code`` can pay in this till's shop now
        (refused with the reason when it cannot pay at all)."""
        self.ensure_one()
        merchant = self._loyalty_check_till_access()
        # Cashiers have no rights on the network's records: the till's link to its
        # merchant, set by the association, is the authority; the code's bearer
        # may know what is left on it (as on the public balance page).
        Voucher = self.env["loyalty.network.voucher"].sudo()
        voucher = Voucher._find_by_code(code, merchant.company_id)
        voucher._check_redeemable(merchant)
        return {"code": voucher.code, **voucher._get_public_values()}
