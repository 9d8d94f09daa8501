import { PosStore } from "@point_of_sale/app/services/pos_store";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(PosStore.prototype, {
    /**
     * Ask the server for the card (exact number: any card; name or phone: this
     * shop's customers) and put it on the current order. Earning itself is
     * decided by the server when the order syncs.
     */
    async setLoyaltyCard(query) {
        return this._applyLoyaltyCard("loyalty_lookup_card", [this.config.id, query]);
    },
    /** Enrol a new holder on a blank card, then put the card on the order. */
    async enrolLoyaltyCard(holder) {
        return this._applyLoyaltyCard("loyalty_enrol_card", [
            this.config.id,
            holder.card_number,
            holder,
        ]);
    },
    async _applyLoyaltyCard(method, args) {
        const order = this.getOrder();
        try {
            const card = await this.data.call("pos.config", method, args);
            order.loyalty_card_number = card.number;
            order.uiState.loyaltyCard = card;
            return card;
        } catch (error) {
            this.dialog.add(AlertDialog, {
                title: _t("Loyalty card"),
                body: error.data?.message || _t("The card could not be checked: are we online?"),
            });
            return false;
        }
    },
    loyaltyCardOf(order) {
        return order?.loyalty_card_number ? order.uiState.loyaltyCard || null : null;
    },
    /** What the card is expected to earn on this order (the server decides). */
    loyaltyEstimatedCredit(order) {
        const card = this.loyaltyCardOf(order);
        if (!card) {
            return 0;
        }
        const walletPaid = order.payment_ids
            .filter((p) => p.payment_method_id.is_loyalty_wallet)
            .reduce((sum, p) => sum + p.amount, 0);
        const base = Math.max(order.priceIncl - walletPaid, 0);
        return Math.round(base * card.rate) / 100;
    },
});
