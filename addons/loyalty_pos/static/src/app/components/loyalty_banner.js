import { Component, useEffect } from "@odoo/owl";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * The card on the order: holder, balance, and what the server's money engine
 * says the order would earn (refreshed when the total or the wallet payment
 * changes). Shown on the order and on the payment screen.
 */
export class LoyaltyBanner extends Component {
    static template = "loyalty_pos.LoyaltyBanner";
    static props = { order: Object, showPayment: { type: Boolean, optional: true } };

    setup() {
        this.pos = usePos();
        useEffect(
            (key) => {
                if (key) {
                    this.pos.loyaltyRequestPreview(this.props.order);
                }
            },
            () => [this.previewKey]
        );
    }
    get card() {
        return this.pos.loyaltyCardOf(this.props.order);
    }
    get previewKey() {
        return this.pos.loyaltyPreviewKey(this.props.order);
    }
    get preview() {
        return this.pos.loyaltyPreviewOf(this.props.order);
    }
    get balance() {
        return this.preview?.data?.balance ?? this.card.balance;
    }
    formatCurrency(amount) {
        return this.env.utils.formatCurrency(amount);
    }
}
