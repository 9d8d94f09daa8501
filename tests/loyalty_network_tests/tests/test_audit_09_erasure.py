"""Audit item 9: erasure leaves no personal data behind.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""

import json
from datetime import date, datetime

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

OLD_NAME = "Zoé Erasable"
OLD_EMAIL = "zoe.erasable@example.com"
NEW_EMAIL = "zoe.moved@example.com"
OLD_PHONE = "+33 6 99 88 77 66"
NEW_PHONE = "+33 6 55 44 33 22"
BIRTH_DATE = date(1984, 3, 21)
NEW_BIRTH_DATE = date(1984, 3, 12)
STREET = "12 rue des Secrets"
SECRETS = (
    "Zoé",
    "Erasable",
    "zoe.erasable",
    "zoe.moved",
    "99 88 77",
    "99887766",
    "55 44 33",
    "55443322",
    "rue des Secrets",
)


@tagged("post_install", "-at_install")
class TestAuditErasure(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"loyalty_opening_fee": 4.0, "country_id": cls.env.ref("base.fr").id})
        Merchant = cls.env["loyalty.network.merchant"]
        cls.shop = Merchant.create(
            {"partner_id": cls.env["res.partner"].create({"name": "Erasure Shop"}).id}
        )
        cls.staff = cls._user("erasure-staff", "annonay_loyalty.annonay_loyalty_group_manager")
        cls.merchant_user = cls._user(
            "erasure-cashier", "annonay_loyalty.annonay_loyalty_group_merchant"
        )
        cls.shop.user_ids = cls.merchant_user
        cls.holder = cls.env["res.partner"].create(
            {
                "name": OLD_NAME,
                "email": OLD_EMAIL,
                "phone": OLD_PHONE,
                "street": STREET,
                "city": "Annonay",
                "zip": "07100",
                "loyalty_birth_date": BIRTH_DATE,
            }
        )
        cls.card = cls.env["loyalty.network.card"].create({})
        cls.card._enrol(cls.holder, cls.shop)
        Wallet = cls.env["loyalty.network.wallet"]
        Wallet._credit_purchase(cls.card, cls.shop, 150.0, "erase/1")
        Wallet._credit_purchase(cls.card, cls.shop, 100.0, "erase/2")
        cls.portal_user = cls.env["res.users"].create(
            {
                "login": OLD_EMAIL,
                "password": "zoe-erasable-password",
                "partner_id": cls.holder.id,
                "group_ids": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )
        cls.request = cls.env["loyalty.network.erasure.request"].create(
            {"partner_id": cls.holder.id}
        )

    @classmethod
    def _user(cls, login, group):
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "password": f"{login}-password",
                "group_ids": [
                    Command.set([cls.env.ref("base.group_user").id, cls.env.ref(group).id])
                ],
            }
        )

    def _call_kw(self, model, method, args):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": {}},
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        return (
            response["error"]["data"] if "error" in response else {"result": response.get("result")}
        )

    def _ledger(self):
        self.env.invalidate_all()
        wallet = self.holder.loyalty_wallet_id
        return wallet.balance, sorted(wallet.entry_ids.mapped(lambda e: (e.id, e.amount)))

    def _track_holder_changes(self):
        """Tracked history: the holder moved, changed number, fixed the birth date,
        and got a replacement card (the card's holder change is tracked)."""
        self.env.cr.precommit.run()
        self.holder.write(
            {"email": NEW_EMAIL, "phone": NEW_PHONE, "loyalty_birth_date": NEW_BIRTH_DATE}
        )
        self.env.cr.precommit.run()
        new_card = self.env["loyalty.network.card"].create({})
        self.env.cr.precommit.run()  # records created in a transaction are tracked after it
        self.card._replace_with(new_card)
        self.env.cr.precommit.run()
        Tracking = self.env["mail.tracking.value"]
        tracked = Tracking.search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.holder.id),
            ]
        )
        self.assertTrue(
            {"email", "phone", "loyalty_birth_date"} <= set(tracked.field_id.mapped("name"))
        )
        card_tracking = Tracking.search(
            [
                ("mail_message_id.model", "=", "loyalty.network.card"),
                ("mail_message_id.res_id", "=", new_card.id),
                ("field_id.name", "=", "partner_id"),
            ]
        )
        self.assertIn(OLD_NAME, card_tracking.mapped("new_value_char"))
        return new_card

    def _leftovers(self):
        """Every place where the old identity could still be found."""
        self.env.invalidate_all()
        found = []
        Users = self.env["res.users"].with_context(active_test=False)
        Partners = self.env["res.partner"].with_context(active_test=False)
        Tracking = self.env["mail.tracking.value"]
        Message = self.env["mail.message"]
        for secret in SECRETS:
            found += Users.search([("login", "ilike", secret)]).mapped("login")
            found += Partners.search(
                [
                    "|",
                    "|",
                    "|",
                    ("name", "ilike", secret),
                    ("email", "ilike", secret),
                    ("phone", "ilike", secret),
                    ("street", "ilike", secret),
                ]
            ).mapped("display_name")
            for field in ("old_value_char", "new_value_char", "old_value_text", "new_value_text"):
                found += Tracking.search([(field, "ilike", secret)]).mapped(field)
            for field in ("body", "email_from", "subject"):
                found += [str(m[field]) for m in Message.search([(field, "ilike", secret)])]
            found += (
                self.env["mail.blacklist"]
                .with_context(active_test=False)
                .search([("email", "ilike", secret)])
                .mapped("email")
            )
            found += (
                self.env["phone.blacklist"]
                .with_context(active_test=False)
                .search([("number", "ilike", secret.replace(" ", ""))])
                .mapped("number")
            )
            found += (
                self.env["mail.mail"].search([("email_to", "ilike", secret)]).mapped("email_to")
            )
            found += (
                self.env["mail.mail"].search([("body_html", "ilike", secret)]).mapped("subject")
            )
            found += self.env["sms.sms"].search([("body", "ilike", secret)]).mapped("body")
            found += (
                self.env["loyalty.network.erasure.request"]
                .search([("note", "ilike", secret)])
                .mapped("note")
            )
        for day in (BIRTH_DATE, NEW_BIRTH_DATE):
            found += Partners.search([("loyalty_birth_date", "=", day)]).mapped("display_name")
            moment = datetime.combine(day, datetime.min.time())
            found += [
                str(t.id)
                for t in Tracking.search(
                    ["|", ("old_value_datetime", "=", moment), ("new_value_datetime", "=", moment)]
                )
            ]
        return found

    def test_staff_without_contact_creation_erase_everything_but_the_ledger(self):
        self.assertFalse(self.staff.has_group("base.group_partner_manager"))
        new_card = self._track_holder_changes()
        # An opt-out, a mail and an SMS still waiting, and the holder's own note.
        self.env["mail.blacklist"]._add(NEW_EMAIL)
        self.env["phone.blacklist"]._add(["+33655443322"])
        self.env["mail.mail"].create(
            {
                "subject": "Votre cagnotte",
                "body_html": f"<p>Bonjour {OLD_NAME}</p>",
                "recipient_ids": [(4, self.holder.id)],
                "email_to": NEW_EMAIL,
            }
        )
        self.env["sms.sms"].create(
            {"partner_id": self.holder.id, "number": NEW_PHONE, "body": f"Bonjour {OLD_NAME}"}
        )
        self.request.note = f"Please forget {OLD_NAME}, {STREET}"
        self.assertTrue(self._leftovers())
        ledger = self._ledger()
        self.assertEqual(ledger[0], 6.0)
        self.authenticate("erasure-staff", "erasure-staff-password")
        result = self._call_kw(
            "loyalty.network.erasure.request", "action_anonymise", [[self.request.id]]
        )
        self.assertNotIn("name", result, result)
        self.assertEqual(self.request.state, "done")
        self.assertEqual(self._leftovers(), [])
        self.assertEqual(self._ledger(), ledger)
        wallet = self.holder.loyalty_wallet_id
        self.assertEqual(wallet.balance, sum(wallet.entry_ids.mapped("amount")))
        self.assertEqual(self.holder.name, f"Anonymised holder {self.holder.id}")
        self.assertFalse(self.portal_user.active)
        self.assertEqual(
            self.portal_user.login, f"anonymised-{self.holder.id}-{self.portal_user.id}"
        )
        self.assertEqual(new_card.state, "blocked")
        self.assertEqual(new_card.partner_id, self.holder)  # the card still ties the ledger

    def test_merchant_and_portal_user_cannot_anonymise(self):
        self._track_holder_changes()
        before = (self._leftovers(), self._ledger(), self.portal_user.login)
        with mute_logger("odoo.http"):
            for login in ("erasure-cashier", OLD_EMAIL):
                password = "zoe-erasable-password" if login == OLD_EMAIL else f"{login}-password"
                self.authenticate(login, password)
                for method in ("action_anonymise", "action_refuse"):
                    error = self._call_kw(
                        "loyalty.network.erasure.request", method, [[self.request.id]]
                    )
                    self.assertEqual(
                        error.get("name"), "odoo.exceptions.AccessError", (login, error)
                    )
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "new")
        self.assertEqual((self._leftovers(), self._ledger(), self.portal_user.login), before)
        self.assertEqual(self.holder.name, OLD_NAME)
