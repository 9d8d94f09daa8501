import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(OrderPaymentValidation.prototype, {
    async isOrderValid(isForceValidate) {
        const walletPaid = this.order.payment_ids
            .filter((p) => p.payment_method_id.is_loyalty_wallet)
            .reduce((sum, p) => sum + p.amount, 0);
        if (walletPaid > 0) {
            // Checked again by the server at sync: this only spares the cashier a round trip.
            const card = this.pos.loyaltyCardOf(this.order);
            let message = null;
            if (!card) {
                message = _t("Scan the holder's card to pay with the loyalty wallet.");
            } else if (card.balance < card.min_spend) {
                message = _t("The wallet can be spent from %s on.", card.min_spend);
            } else if (walletPaid > card.balance + 0.001) {
                message = _t("The wallet holds only %s.", card.balance);
            }
            if (message) {
                this.pos.dialog.add(AlertDialog, { title: _t("Loyalty wallet"), body: message });
                return false;
            }
        }
        const valid = await super.isOrderValid(...arguments);
        const card = this.pos.loyaltyCardOf(this.order);
        if (valid && card) {
            // For the receipt, printed before the server confirms the credit.
            const credit = this.pos.loyaltyEstimatedCredit(this.order);
            this.order.uiState.loyaltyCredit = credit;
            this.order.uiState.loyaltyBalanceAfter = card.balance - walletPaid + credit;
        }
        return valid;
    },
});
