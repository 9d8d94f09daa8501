import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IBANS, LoyaltySepaCase

ENTRY = """
            <Ntry>
                <Amt Ccy="EUR">{amount:.2f}</Amt>
                <CdtDbtInd>{sign}</CdtDbtInd>
                <Sts>BOOK</Sts>
                <BookgDt><Dt>2026-04-16</Dt></BookgDt>
                <ValDt><Dt>2026-04-16</Dt></ValDt>
                <AcctSvcrRef>{ref}</AcctSvcrRef>
                <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>
                <NtryDtls>
                    <TxDtls>
                        <Refs><AcctSvcrRef>{ref}</AcctSvcrRef><EndToEndId>{e2e}</EndToEndId></Refs>
                        <AmtDtls><TxAmt><Amt Ccy="EUR">{amount:.2f}</Amt></TxAmt></AmtDtls>
                        <RmtInf><Ustrd>{e2e}</Ustrd></RmtInf>{rtr}
                    </TxDtls>
                </NtryDtls>
            </Ntry>"""

CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
    <BkToCstmrStmt>
        <GrpHdr><MsgId>ANN-2026-04-16</MsgId><CreDtTm>2026-04-16T18:00:00</CreDtTm></GrpHdr>
        <Stmt>
            <Id>ANN-2026-04-16-1</Id>
            <CreDtTm>2026-04-16T18:00:00</CreDtTm>
            <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
            <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt>
                <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-16</Dt></Dt></Bal>
            <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{closing:.2f}</Amt>
                <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-16</Dt></Dt></Bal>{entries}
        </Stmt>
    </BkToCstmrStmt>
</Document>
"""

RETURN_INFO = """
                        <RtrInf><Rsn><Cd>{reason}</Cd></Rsn></RtrInf>"""


def camt(entries):
    """A CAMT.053 statement of the network's account; entries are
    (amount, end-to-end id, return reason or None), positive amounts credited."""
    xml_entries, closing = [], 0.0
    for index, (amount, e2e, reason) in enumerate(entries, start=1):
        closing += amount
        xml_entries.append(
            ENTRY.format(
                amount=abs(amount),
                sign="CRDT" if amount > 0 else "DBIT",
                ref=f"BANKREF{index}",
                family="RDDT" if reason is None else "RRTN",
                sub="ESDD" if reason is None else "UPDD",
                e2e=e2e,
                rtr=RETURN_INFO.format(reason=reason) if reason else "",
            )
        )
    return CAMT.format(iban=IBANS["network"], closing=closing, entries="".join(xml_entries))


@tagged("post_install", "-at_install")
class TestBankReturns(LoyaltySepaCase):
    def _import(self, xml):
        self.env["account.statement.import"].create(
            {
                "statement_filename": "statement.xml",
                "statement_file": base64.b64encode(xml.encode()),
            }
        ).import_file_button()

    def test_camt_with_a_paid_and_a_returned_debit(self):
        self._activity()
        settlements = self._settle()
        bakery = self._of(settlements, self.bakery)
        florist = self._of(settlements, self.florist)
        orders = self._orders(settlements.action_generate_sepa_orders())
        debit = orders.filtered(lambda o: o.payment_type == "inbound")
        debit.generated2uploaded()
        self.assertEqual(bakery.move_id.payment_state, "in_payment")
        # The bank collected both debits, then the florist's came back: no funds (AM04)
        self._import(
            camt(
                [(25.0, bakery.name, None), (5.0, florist.name, None), (-5.0, florist.name, "AM04")]
            )
        )
        lines = self.env["account.bank.statement.line"].search(
            [("loyalty_end_to_end_id", "in", (bakery.name, florist.name))]
        )
        self.assertEqual(len(lines), 3)
        self.assertTrue(all(lines.mapped("is_reconciled")))
        self.assertEqual(bakery.move_id.payment_state, "paid")
        self.assertEqual(bakery.sepa_state, "paid")
        # The florist owes its 5.00 again, the return is on the dashboard, the mandate blocked
        self.assertEqual(florist.move_id.payment_state, "not_paid")
        self.assertEqual(florist.move_id.amount_residual, 5.0)
        self.assertEqual(florist.sepa_state, "returned")
        sepa_return = self.env["loyalty.sepa.return"].search([("state", "=", "open")])
        self.assertEqual(sepa_return.settlement_id, florist)
        self.assertEqual((sepa_return.amount, sepa_return.reason_code), (5.0, "AM04"))
        membership = self.membership[self.florist]
        self.assertTrue(membership.debit_blocked)
        # The bank account balances: 25.00 collected for good
        self.assertEqual(sum(lines.mapped("amount")), 25.0)

        # The next debit leaves the florist out until the staff act
        with self.assertRaisesRegex(UserError, "Florist"):
            florist.action_generate_sepa_orders()
        membership.action_clear_debit_block()
        self.assertFalse(membership.debit_blocked)
        self.assertEqual(sepa_return.state, "cleared")
        orders = self._orders(florist.action_generate_sepa_orders())
        self.assertEqual(orders.payment_line_ids.amount_currency, 5.0)
