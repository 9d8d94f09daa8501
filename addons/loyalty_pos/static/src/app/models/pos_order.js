import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { patch } from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /**
     * The wallet proposes what it holds, up to the amount due: the server
     * checks the payment again when the order syncs.
     */
    getDefaultAmountDueToPayIn(paymentMethod) {
        const amount = super.getDefaultAmountDueToPayIn(...arguments);
        const card = this.loyalty_card_number && this.uiState.loyaltyCard;
        if (!paymentMethod.is_loyalty_wallet || !card || amount <= 0) {
            return amount;
        }
        const balance = this.uiState.loyaltyPreview?.data?.balance ?? card.balance;
        const alreadyPaid = this.payment_ids
            .filter((p) => p.payment_method_id.is_loyalty_wallet)
            .reduce((sum, p) => sum + p.amount, 0);
        return this.currency.round(Math.max(Math.min(amount, balance - alreadyPaid), 0));
    },
});
