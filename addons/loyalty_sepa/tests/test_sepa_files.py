from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltySepaCase


@tagged("post_install", "-at_install")
class TestSepaFiles(LoyaltySepaCase):
    def test_month_with_shops_on_both_sides(self):
        self._activity()
        settlements = self._settle()
        bakery, florist, butcher = (
            self._of(settlements, m) for m in (self.bakery, self.florist, self.butcher)
        )
        self.assertEqual(
            (bakery.net_amount, florist.net_amount, butcher.net_amount), (25.0, 5.0, -6.25)
        )
        # The invoice's due date is the pre-notified debit date: 14 days after the period
        self.assertEqual(str(bakery.sepa_date), "2026-04-15")
        self.assertEqual(bakery.move_id.invoice_date_due, bakery.sepa_date)
        self.assertEqual(bakery.sepa_state, "to_order")
        orders = self._orders(settlements.action_generate_sepa_orders())
        debit = orders.filtered(lambda o: o.payment_type == "inbound")
        transfer = orders.filtered(lambda o: o.payment_type == "outbound")
        self.assertEqual(len(debit), 1)
        self.assertEqual(len(transfer), 1)
        self.assertEqual(bakery.sepa_state, "ordered")

        # pain.008: both shops that owe, exact sums, settlement references end to end
        root = self._assert_xsd_valid(self._file(debit), "pain.008.001.02")
        self.assertEqual(self._xpath(root, "//p:GrpHdr/p:NbOfTxs")[0].text, "2")
        self.assertEqual(self._xpath(root, "//p:GrpHdr/p:CtrlSum")[0].text, "30.00")
        amounts = {
            tx.find("p:PmtId/p:EndToEndId", {"p": root.nsmap[None]}).text: tx.find(
                "p:InstdAmt", {"p": root.nsmap[None]}
            ).text
            for tx in self._xpath(root, "//p:DrctDbtTxInf")
        }
        self.assertEqual(amounts, {bakery.name: "25.00", florist.name: "5.00"})
        self.assertEqual(
            sorted(t.text for t in self._xpath(root, "//p:MndtRltdInf/p:MndtId")),
            ["ANN-BAKERY", "ANN-FLORIST"],
        )
        self.assertEqual({t.text for t in self._xpath(root, "//p:SeqTp")}, {"FRST"})
        self.assertIn(
            bakery.name, " ".join(t.text for t in self._xpath(root, "//p:RmtInf/p:Ustrd"))
        )
        self.assertEqual(self._xpath(root, "//p:CdtrSchmeId//p:Othr/p:Id")[0].text, "FR78ZZZ424242")

        # pain.001.001.09: the butcher is paid 6.25 on its IBAN
        root = self._assert_xsd_valid(self._file(transfer), "pain.001.001.09")
        self.assertEqual(self._xpath(root, "//p:GrpHdr/p:CtrlSum")[0].text, "6.25")
        self.assertEqual(
            self._xpath(root, "//p:CdtTrfTxInf/p:PmtId/p:EndToEndId")[0].text, butcher.name
        )
        self.assertEqual(
            self._xpath(root, "//p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN")[0].text,
            "FR2010107001180002345678901",
        )
        self.assertIn(butcher.name, self._xpath(root, "//p:CdtTrfTxInf/p:RmtInf/p:Ustrd")[0].text)

        # Nothing is ordered twice
        with self.assertRaises(UserError):
            settlements.action_generate_sepa_orders()

    def test_mandate_first_then_recurring(self):
        self._activity()
        orders = self._orders(self._settle().action_generate_sepa_orders())
        debit = orders.filtered(lambda o: o.payment_type == "inbound")
        root = self._assert_xsd_valid(self._file(debit), "pain.008.001.02")
        self.assertEqual({t.text for t in self._xpath(root, "//p:SeqTp")}, {"FRST"})
        debit.generated2uploaded()
        mandate = self.membership[self.bakery].mandate_id
        self.assertEqual(mandate.recurrent_sequence_type, "recurring")
        self._activity(month=4, tag="april")
        orders = self._orders(self._settle(month=4).action_generate_sepa_orders())
        root = self._assert_xsd_valid(
            self._file(orders.filtered(lambda o: o.payment_type == "inbound")), "pain.008.001.02"
        )
        self.assertEqual({t.text for t in self._xpath(root, "//p:SeqTp")}, {"RCUR"})

    def test_revoked_mandate_is_not_debited(self):
        self._activity()
        settlements = self._settle()
        self.membership[self.bakery].action_revoke_mandate()
        self.assertEqual(self.membership[self.bakery].mandate_state, "cancel")
        orders = self._orders(settlements.action_generate_sepa_orders())
        debit = orders.filtered(lambda o: o.payment_type == "inbound")
        root = self._assert_xsd_valid(self._file(debit), "pain.008.001.02")
        self.assertEqual(
            [t.text for t in self._xpath(root, "//p:DrctDbtTxInf/p:PmtId/p:EndToEndId")],
            [self._of(settlements, self.florist).name],
        )
        self.assertEqual(self._of(settlements, self.bakery).sepa_state, "to_order")
        self.assertIn("Bakery", debit.message_ids[0].body)
        # OCA refuses the revoked mandate on a payment line added by hand too
        bakery_line = self._of(settlements, self.bakery).move_id.line_ids.filtered(
            lambda ml: ml.account_id.account_type == "asset_receivable"
        )
        order = self.env["account.payment.order"].create(
            {"payment_mode_id": debit.payment_mode_id.id, "payment_type": "inbound"}
        )
        line_vals = bakery_line._prepare_payment_line_vals(order)
        line_vals["mandate_id"] = self.membership[self.bakery].mandate_id.id
        with self.assertRaises(UserError):
            self.env["account.payment.line"].create(line_vals)
            order.draft2open()
