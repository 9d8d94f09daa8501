import random
import time
import uuid

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.orm.environments import Transaction
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE
from odoo.tests import TransactionCase

from ..models.loyalty_network_wallet import WalletBusyError

RETRYABLE = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.UniqueViolation,
)


class LoyaltyNetworkCase(TransactionCase):
    """A small network: two shops with a cashier each, holders with cards.

    Alice (a customer of the bakery) also has a portal login.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "loyalty_opening_fee": 4.0,
                "loyalty_min_spend_balance": 5.0,
                "loyalty_birthday_rate": 10.0,
                "loyalty_birthday_funded_by": "network",
                "loyalty_inactivity_months": 12,
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.Wallet = cls.env["loyalty.network.wallet"]
        cls.Card = cls.env["loyalty.network.card"]
        cls.standard = cls.env.ref("annonay_loyalty.loyalty_network_plan_standard")
        cls.reduced = cls.env.ref("annonay_loyalty.loyalty_network_plan_reduced")
        cls.bakery = cls._create_merchant("Bakery", cls.standard)
        cls.butcher = cls._create_merchant("Butcher", cls.reduced)
        cls.baker_user = cls._create_merchant_user("baker", cls.bakery)
        cls.butcher_user = cls._create_merchant_user("butcher", cls.butcher)
        cls.alice, cls.alice_card = cls._create_holder("Alice", cls.bakery)
        cls.bob, cls.bob_card = cls._create_holder("Bob", cls.butcher)
        cls.alice_user = cls.env["res.users"].create(
            {
                "name": "Alice",
                "login": "alice-portal",
                "partner_id": cls.alice.id,
                "group_ids": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )

    @classmethod
    def _create_merchant(cls, name, plan):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        return cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": plan.id}
        )

    @classmethod
    def _create_merchant_user(cls, login, merchant):
        user = cls.env["res.users"].create(
            {
                "name": login.title(),
                "login": login,
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("annonay_loyalty.annonay_loyalty_group_merchant").id,
                        ]
                    )
                ],
            }
        )
        merchant.user_ids = [Command.link(user.id)]
        return user

    @classmethod
    def _create_holder(cls, name, merchant, **vals):
        partner = cls.env["res.partner"].create({"name": name, **vals})
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(partner, merchant)
        return partner, card

    def _wallet(self, partner):
        return partner.loyalty_wallet_id

    def assertBalanceIsSumOfEntries(self, partner):
        wallet = self._wallet(partner)
        wallet.invalidate_recordset()
        self.assertAlmostEqual(wallet.balance, sum(wallet.entry_ids.mapped("amount")), places=2)


class RealTransactionCase(TransactionCase):
    """Tests with real concurrent transactions (separate connections).

    Their data is committed, as other transactions cannot see the test's own;
    it lives in the throw-away test database, so references are new each run.
    """

    def setUp(self):
        super().setUp()
        self.run_id = uuid.uuid4().hex[:8]

    def _cursor(self):
        cr = sql_db.db_connect(self.env.cr.dbname).cursor()
        # The registry is loaded; building it anew would wait on the test lock.
        cr.transaction = Transaction(self.registry)
        return cr

    def _run(self, operation, attempts=40):
        """Run ``operation(env)`` in its own transaction, retrying serialization
        failures after a short random wait; past ``attempts``, the caller gets
        the answer a till gets (WalletBusyError, "try again"), nothing being
        recorded. Odoo's RPC layer makes MAX_TRIES_ON_CONCURRENCY_FAILURE (5)
        attempts: pass it to answer as Odoo does (the mixed load does); the
        default lets tests that need every operation through wait longer."""
        with self._cursor() as cr:
            for attempt in range(attempts):
                try:
                    result = operation(api.Environment(cr, SUPERUSER_ID, {}))
                    cr.commit()
                    return result
                except RETRYABLE:
                    cr.rollback()
                    time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
                except Exception:
                    cr.rollback()
                    raise
            raise WalletBusyError(
                "This wallet is busy with another operation: try again in a moment."
            )

    def _run_until_accepted(self, operation, rounds=20):
        """Like ``_run``, sending the operation again while the wallet is busy,
        as a till does when told to try again."""
        for _round in range(rounds):
            try:
                return self._run(operation, attempts=MAX_TRIES_ON_CONCURRENCY_FAILURE)
            except WalletBusyError:
                time.sleep(random.uniform(0, 0.05))
        return self._run(operation)
