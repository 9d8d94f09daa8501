import json

from odoo import fields
from odoo.exceptions import UserError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

HISTORY_STEP = 20


class LoyaltyNetworkPortal(CustomerPortal):
    """The holder's card, wallet and history; ownership comes from the session."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "loyalty_card_count" in counters:
            Card = request.env["loyalty.network.card"]
            values["loyalty_card_count"] = (
                Card.search_count(self._loyalty_own_domain()) if Card.has_access("read") else 0
            )
        return values

    def _loyalty_own_domain(self):
        return [("partner_id", "=", request.env.user.partner_id.id)]

    @route(
        ["/my/loyalty", "/my/loyalty/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_loyalty(self, page=1, filterby="all", merchant_id=None, **kw):
        partner = request.env.user.partner_id
        # Record rules already restrict holders to their own rows; the explicit
        # ownership domain keeps it so for staff browsing their own portal.
        Entry = request.env["loyalty.network.entry"]
        own = self._loyalty_own_domain()
        searchbar_filters = self._loyalty_history_filters(own, filterby)
        if filterby not in searchbar_filters:
            filterby = "all"
        domain = own + searchbar_filters[filterby]["domain"]
        merchant = None
        if merchant_id and str(merchant_id).isdigit():
            merchant = int(merchant_id)
            domain.append(("merchant_id", "=", merchant))
        pager = portal_pager(
            url="/my/loyalty",
            url_args={"filterby": filterby, "merchant_id": merchant or ""},
            total=Entry.search_count(domain),
            page=page,
            step=HISTORY_STEP,
        )
        entries = Entry.search(domain, limit=HISTORY_STEP, offset=pager["offset"])
        wallet = request.env["loyalty.network.wallet"].search(own, limit=1)
        cards = request.env["loyalty.network.card"].search(own)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "loyalty",
                "partner": partner,
                "wallet": wallet,
                "currency": wallet.currency_id or request.env.company.currency_id,
                "cards": cards,
                "active_card": cards.filtered(lambda card: card.state == "active")[:1],
                "entries": entries,
                "pager": pager,
                "filterby": filterby,
                "searchbar_filters": searchbar_filters,
                "merchants_visited": partner.sudo().loyalty_customer_ids.merchant_id,
                **self._loyalty_spending_values(wallet),
            }
        )
        return request.render("loyalty_portal.portal_my_loyalty", values)

    def _loyalty_history_filters(self, own_domain, filterby):
        """One filter per family of the ledger the holder has entries of.

        The family is stored on every entry, so the portal groups the history
        as every report does, without its own lists of entry types.
        """
        Entry = request.env["loyalty.network.entry"]
        labels = dict(Entry._fields["family"]._description_selection(request.env))
        counts = dict(Entry._read_group(own_domain, ["family"], ["__count"]))
        filters = {"all": {"label": request.env._("All"), "domain": []}}
        for family, label in labels.items():
            if counts.get(family) or family == filterby:
                filters[family] = {"label": label, "domain": [("family", "=", family)]}
        return filters

    def _loyalty_spending_values(self, wallet):
        """What the holder's page says about spending, from the money engine's
        figures: ``can_spend`` is the wallet's own (the engine's rule), the rest
        only says how far the balance is from it."""
        rules = wallet._get_rules()
        balance = wallet.balance or 0.0
        return {
            "min_spend": rules.min_spend_balance,
            "is_negative": rules.compare(balance, 0.0) < 0,
            "missing_to_spend": 0.0
            if wallet.can_spend
            else max(0.0, rules.round(rules.min_spend_balance - balance)),
            # pending_amount and available_amount, when the network holds credit back
            "availability": bool(wallet) and wallet._get_availability(),
        }

    @route("/my/loyalty/card/barcode/<string:kind>", type="http", auth="user")
    def portal_my_loyalty_card_barcode(self, kind, **kw):
        """The holder's own active card as a PNG (EAN-13 or QR) to show at the till.

        The number never travels in the address (unlike Odoo's /report/barcode),
        so access logs and shared caches never see it.
        """
        barcode_type = {"ean13": "EAN13", "qr": "QR"}.get(kind)
        card = request.env["loyalty.network.card"].search(
            self._loyalty_own_domain() + [("state", "=", "active")], limit=1
        )
        if not barcode_type or not card:
            raise request.not_found()
        size = {"EAN13": (600, 200), "QR": (300, 300)}[barcode_type]
        image = request.env["ir.actions.report"].barcode(
            barcode_type, card.name, width=size[0], height=size[1], quiet=1
        )
        return request.make_response(
            image,
            headers=[("Content-Type", "image/png"), ("Cache-Control", "private, no-store")],
        )

    @route("/my/loyalty/deals", type="http", auth="user", website=True)
    def portal_my_loyalty_deals(self, **kw):
        partner = request.env.user.partner_id
        Deal = request.env["loyalty.network.deal"]
        # Audiences name other holders: the visibility domain is computed for the
        # session's partner and read with elevated rights.
        deals = Deal.sudo().search(Deal._get_visible_domain(partner))
        reservations = request.env["loyalty.network.deal.reservation"].search(
            self._loyalty_own_domain()
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "loyalty_deals",
                "deals": deals,
                "reservations": reservations,
                "reserved_deals": reservations.filtered(lambda r: r.state != "cancelled").deal_id,
                "error": request.session.pop("loyalty_deal_error", None),
            }
        )
        return request.render("loyalty_portal.portal_my_loyalty_deals", values)

    @route(
        "/my/loyalty/deals/<int:deal_id>/reserve",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_loyalty_deal_reserve(self, deal_id, **kw):
        deal = request.env["loyalty.network.deal"].sudo().browse(deal_id).exists()
        if not deal:
            return request.not_found()
        try:
            deal._reserve(request.env.user.partner_id)
        except UserError as error:
            request.session["loyalty_deal_error"] = error.args[0]
        return request.redirect("/my/loyalty/deals")

    @route("/my/loyalty/history/<int:entry_id>", type="http", auth="user", website=True)
    def portal_my_loyalty_entry(self, entry_id, **kw):
        entry = request.env["loyalty.network.entry"].search(
            [("id", "=", entry_id)] + self._loyalty_own_domain(), limit=1
        )
        if not entry:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "loyalty_entry", "entry": entry})
        return request.render("loyalty_portal.portal_my_loyalty_entry", values)

    @route("/my/loyalty/preferences", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_loyalty_preferences(self, **post):
        partner = request.env.user.partner_id
        vals = {
            "loyalty_email_consent": bool(post.get("email_consent")),
            "loyalty_sms_consent": bool(post.get("sms_consent")),
        }
        phone = (post.get("phone") or "").strip()
        if phone != (partner.phone or ""):
            formatted = partner._phone_format(number=phone, force_format="INTERNATIONAL")
            if phone and not formatted:
                return request.redirect("/my/loyalty?error=phone")
            vals["phone"] = formatted or False
        # Holders may not write contacts; they change only these fields of their own.
        partner.sudo().write(vals)
        return request.redirect("/my/loyalty?saved=1")

    @route("/my/loyalty/data", type="http", auth="user", website=True)
    def portal_my_loyalty_data(self, **kw):
        partner = request.env.user.partner_id
        own = self._loyalty_own_domain()
        payload = {
            "holder": {
                "name": partner.name,
                "email": partner.email,
                "phone": partner.phone,
                "address": partner.contact_address,
                "birth_date": fields.Date.to_string(partner.loyalty_birth_date),
                "member_since": fields.Date.to_string(partner.sudo().loyalty_member_since),
                "email_consent": partner.loyalty_email_consent,
                "sms_consent": partner.loyalty_sms_consent,
            },
            "cards": request.env["loyalty.network.card"]
            .search(own)
            .read(["name", "state", "issue_date"]),
            "history": [
                {
                    "date": fields.Datetime.to_string(entry.date),
                    "type": entry.entry_type,
                    "shop": entry.merchant_id.sudo().name,
                    "purchase": entry.purchase_amount,
                    "amount": entry.amount,
                    "balance_after": entry.balance_after,
                }
                for entry in request.env["loyalty.network.entry"].search(own)
            ],
        }
        return request.make_response(
            json.dumps(payload, indent=2, default=str),
            headers=[
                ("Content-Type", "application/json"),
                ("Content-Disposition", 'attachment; filename="my-loyalty-data.json"'),
            ],
        )

    @route("/my/loyalty/erasure", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_loyalty_erasure(self, confirm=None, **post):
        """Ask the association to erase the holder's personal data.

        A GET, or a POST without ``confirm``, only shows the confirmation page:
        the request is created by the confirmed POST (with its CSRF token).
        """
        partner = request.env.user.partner_id
        Request = request.env["loyalty.network.erasure.request"].sudo()
        if request.httprequest.method != "POST" or confirm != "yes":
            values = self._prepare_portal_layout_values()
            values.update(
                {
                    "page_name": "loyalty_erasure",
                    "note": (post.get("note") or "")[:2000],
                    # Holders do not read requests: only whether theirs is pending.
                    "pending": bool(
                        Request.search_count(
                            [("partner_id", "=", partner.id), ("state", "=", "new")]
                        )
                    ),
                }
            )
            return request.render("loyalty_portal.portal_my_loyalty_erasure", values)
        # One open request per holder, created for the session's own partner only.
        if not Request.search_count([("partner_id", "=", partner.id), ("state", "=", "new")]):
            Request.create({"partner_id": partner.id, "note": (post.get("note") or "")[:2000]})
        return request.redirect("/my/loyalty?erasure=1")
