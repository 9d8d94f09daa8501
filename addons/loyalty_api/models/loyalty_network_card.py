from odoo import models

EVENT_OF_STATE = {"blocked": "card.blocked", "replaced": "card.replaced"}


class LoyaltyNetworkCard(models.Model):
    _inherit = "loyalty.network.card"

    def _enrol(self, partner, merchant):
        card = super()._enrol(partner, merchant)
        card._emit_card_event("card.enrolled")
        return card

    def write(self, vals):
        event = EVENT_OF_STATE.get(vals.get("state"))
        changed = self.filtered(lambda card: card.state != vals["state"]) if event else self
        result = super().write(vals)
        if event and changed:
            changed._emit_card_event(event)
        return result

    def _emit_card_event(self, code):
        Event = self.env["loyalty.api.event"]
        # The card just changed through a checked action: its shop, holder's
        # wallet and replacement are read as the system to describe the event.
        for card in self.sudo():
            if not Event.env["loyalty.api.webhook"]._get_subscribers(
                card.company_id.id, card.merchant_id.id or None, code
            ):
                continue
            wallet = card.partner_id.loyalty_wallet_ids.filtered(
                lambda w, card=card: w.company_id == card.company_id
            )[:1]
            Event._emit(
                code,
                card.company_id,
                {
                    "card_number": card.masked_number,
                    "status": card.state,
                    "shop_id": card.merchant_id.id or None,
                    "wallet_id": wallet.id or None,
                    "replaced_by": card.replaced_by_id.masked_number or None,
                },
                merchant=card.merchant_id,
                wallet=wallet,
            )
